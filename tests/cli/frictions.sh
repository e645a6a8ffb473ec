#!/usr/bin/env bash
# What a new user runs into first: every mistake gets a message that says
# what is wrong and where, and usage errors exit 2 before anything runs.
# No network: nothing here opens a socket.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

# The build tree's pinhole finds the source tree's profiles.
run "$pinhole" profiles
expect "profiles from the build tree" 0 out "$root/profiles/ringio-ip-phones.ini"
# A copy elsewhere does not, and says where it looked.
cp "$pinhole" "$tmp/pinhole"
run "$tmp/pinhole" profiles
expect "profiles found nowhere say where" 2 err "no profiles in "
lacks "a copy outside the build tree ignores the source tree" err "$root/profiles"

# Options before the command.
run "$pinhole" -P "$root/profiles" profiles
expect "-P DIR profiles" 0 out "profiles/sip-generic.ini"
run "$tmp/pinhole" --profile-dir="$root/profiles" profiles
expect "--profile-dir=DIR before the command" 0 out "profiles/sip-generic.ini"
run "$pinhole" -P "$root/profiles" config -p sip-generic -f nftables \
	--lan 192.168.1.0/24 --wan eth0
expect "-P DIR config" 0 out "flush ruleset"
run "$pinhole" -P "$tmp/none" profiles
expect "a missing --profile-dir" 2 err "--profile-dir $tmp/none: No such file"

# Profiles that cannot be used.
run "$pinhole" check -s 127.0.0.1 -p ringio-ip-phone
expect "unknown profile: nearest name" 2 err "did you mean ringio-ip-phones?"
expect "unknown profile: directories searched" 2 err "no such profile in $root/profiles"
mkdir "$tmp/dir.ini"
run "$pinhole" check -s 127.0.0.1 -p "$tmp/dir.ini"
expect "a directory as a profile" 2 err "$tmp/dir.ini: is a directory"
printf '; comment\n\n[profile]\ntitle = T\n' > "$tmp/t.ini"
run "$pinhole" check -s 127.0.0.1 -p "$tmp/t.ini"
expect "missing name at [profile]" 2 err "$tmp/t.ini:3: [profile] needs name"
printf '[profile]\nname = b\n\0\n' > "$tmp/b.ini"
run "$pinhole" check -s 127.0.0.1 -p "$tmp/b.ini"
expect "a binary profile: its line" 2 err "$tmp/b.ini:3: a NUL byte"
head -c 1100000 /dev/zero | tr '\0' '\n' > "$tmp/big.ini"
run "$pinhole" check -s 127.0.0.1 -p "$tmp/big.ini"
expect "an oversized profile" 2 err "$tmp/big.ini: 1100000 bytes: a profile is at most"
run "$pinhole" config -p sip-generic -f nftables --lan 192.168.1.0/24 \
	--wan eth0 --report "$tmp/none.json"
expect "--report missing" 2 err "none.json: cannot open: No such file"
lacks "--report without line -1" err ":-1:"

# --server and --stun are checked before anything runs.
for bad in 127.0.0.1:99999 127.0.0.1:0 '[::1' '[::1]x' :443 host:; do
	run timeout 5 "$pinhole" check --server "$bad" -p sip-generic
	expect "--server $bad" 2 err "--server wants HOST or HOST:PORT"
	lacks "--server $bad: no report" out "verdict"
done
run timeout 5 "$pinhole" check --server 127.0.0.1:99999 -p sip-generic
expect "--server: the port's range" 2 err "from 1 to 65535"
[ "$(grep -c 99999 <<< "$err")" -eq 1 ] && echo "ok - said once" ||
	{ echo "not ok - said $(grep -c 99999 <<< "$err") times"; fail=1; }
run timeout 5 "$pinhole" -s 127.0.0.1:99999 check -p sip-generic
expect "--server before the command" 2 err "from 1 to 65535"
run timeout 5 "$pinhole" nat --stun 192.0.2.1:70000
expect "--stun" 2 err "--stun wants HOST or HOST:PORT"
run "$pinhole" -v
expect "options without a command" 2 err "no command"

# Both programs know --help and --version.
for p in "$pinhole" "$pinholed"; do
	n=$(basename "$p")
	run "$p" --help
	expect "$n --help" 0 out "usage: $n"
	run "$p" --version
	expect "$n --version" 0 out "$n 0."
	run "$p" --no-such-option
	expect "$n --no-such-option" 2 err "no-such-option"
done

# Relays from the command line: a bad URI says what is wrong, and the
# password never comes from an argument.
run "$pinhole" check -s 127.0.0.1 -p sip-generic --turn stun:relay.example
expect "--turn with another scheme" 2 err "--turn 'stun:relay.example': want turn:"
run "$pinhole" check -s 127.0.0.1 -p sip-generic --turn turn:relay.example:0
expect "--turn with port 0" 2 err "the port is not 1-65535"
run "$pinhole" check -s 127.0.0.1 -p sip-generic --turn 'turns:r.example?transport=udp'
expect "turns: over UDP" 2 err "TLS over TCP"
run "$pinhole" check -s 127.0.0.1 -p sip-generic --turn turn:relay.example
expect "--turn without --turn-user" 2 err "--turn needs --turn-user"
run env -u PINHOLE_TURN_PASSWORD "$pinhole" check -s 127.0.0.1 -p sip-generic \
	--turn turn:relay.example --turn-user u
expect "--turn-user without a password" 2 err "PINHOLE_TURN_PASSWORD or --turn-pass-file"
run "$pinhole" check -s 127.0.0.1 -p sip-generic --turn turn:relay.example \
	--turn-user u --turn-pass-file "$tmp/none"
expect "--turn-pass-file missing" 2 err "--turn-pass-file $tmp/none: No such file"
exit "$fail"
