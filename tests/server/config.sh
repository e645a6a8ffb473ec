#!/usr/bin/env bash
# Bad configuration files are refused with FILE:LINE; a good one passes -n.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
pinholed=${PINHOLED:-$root/build/src/server/pinholed}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() {	# bad LINE CONTENT [TEXT]: refused at LINE, the message saying TEXT
	printf '%b' "$2" > "$tmp/c.conf"
	out=$("$pinholed" -n -c "$tmp/c.conf" 2>&1); st=$?
	if [ "$st" -eq 2 ] && grep -q "$tmp/c.conf:$1:" <<< "$out" &&
	    grep -qF -- "${3:-}" <<< "$out"; then
		echo "ok - refused at line $1: $out"
	else
		echo "not ok - expected exit 2 with line $1${3:+ and '$3'}, got $st: $out"
		fail=1
	fi
}
bad 2 '[server]\ncolour = red\n' 'want one of listen, control-port,'
bad 3 '[server]\nlisten = 127.0.0.1\ncontrol-port = 0\n' 'want a port, 1-65535'
bad 2 '[server]\nsip-udp-ports = 5066-5060\n' 'want ports and ranges such as 5060-5066'
bad 2 '[server]\nlisten = example.com\n' 'want an IPv4 or IPv6 address'
bad 2 '[nonsense]\nx = 1\n' 'want [server], [limits] or [relay]'
bad 3 '[limits]\nmax-sessions = 10\nsession-seconds = 1\n' 'want a whole number from 10 to 86400'
bad 2 '[server]\nnot a line\n'
# Errors that involve two keys are at the line of the key at fault, not
# at the end of the file, and say what is allowed.
cert="tls-cert = /etc/hostname\ntls-key = /etc/hostname\n"
bad 2 "[server]\nstore = sqlite3:/var/lib/pinhole/reports.db\n$cert" \
	'want sqlite:/ABSOLUTE/PATH, postgresql://'
bad 2 "[server]\nstore = sqlite:reports.db\n$cert" 'want sqlite:/ABSOLUTE/PATH'
bad 2 '[server]\nstore = sqlite:/var/lib/pinhole/reports.db\nuser = nobody\n' \
	'store needs tls-cert and tls-key'
bad 2 '[server]\ntls-cert = /etc/hostname\nuser = nobody\n' \
	'tls-cert without tls-key: want both or neither'
bad 6 "[server]\nstore = sqlite:/var/lib/pinhole/reports.db\n$cert[limits]\noutput-limit = 65536\nmax-sessions = 10\n" \
	'want store-max-page-bytes at most output-limit - 4096 (61440)'
bad 6 "[server]\nstore = sqlite:/var/lib/pinhole/reports.db\n$cert[limits]\nstore-max-page-bytes = 1048576\nmax-sessions = 10\n" \
	'store-max-page-bytes 1048576 with output-limit 1048576'
bad 3 '[server]\nlisten = 127.0.0.1\nsip-tcp-ports = 443\nuser = nobody\n' \
	'sip-tcp-ports includes the control port 443'
bad 3 '[server]\nstun-port = 3478\nstun-alt-port = 3478\nuser = nobody\n' \
	'stun-alt-port 3478 is also the stun-port'
bad 2 '[server]\nmetrics-listen = localhost:9464\n' \
	'want PORT (on 127.0.0.1), ADDRESS:PORT or [IPv6]:PORT'
bad 2 '[server]\nmetrics-listen = 127.0.0.1\n' 'want PORT (on 127.0.0.1)'
bad 3 '[server]\ncontrol-port = 443\nmetrics-listen = 443\nuser = nobody\n' \
	'metrics-listen port 443 is a public port'
bad 2 '[server]\nmetrics-listen = [::1]:5060\nuser = nobody\n' \
	'metrics-listen port 5060 is a public port'
bad 2 '[server]\nsupport-token = 0123456789abcde\nuser = nobody\n' \
	'want 16 to 127 characters'
# [relay]: the secret's file is refused with the reason, at its line; the
# secret is never printed.
printf 'a-secret-of-twenty-four\n' > "$tmp/secret"
chmod 644 "$tmp/secret"
bad 4 "[server]\nuser = nobody\n[relay]\nsecret-file = $tmp/secret\n" \
	'readable or writable by group or others (mode 644): want 0600 or 0400'
chmod 600 "$tmp/secret"
bad 4 "[server]\nuser = nobody\n[relay]\nsecret-file = relative/secret\n" \
	'want the absolute path of a file'
bad 4 "[server]\nuser = nobody\n[relay]\nsecret-file = $tmp/nothing\n" \
	"secret-file $tmp/nothing: No such file or directory"
printf 'short\n' > "$tmp/short"; chmod 600 "$tmp/short"
bad 4 "[server]\nuser = nobody\n[relay]\nsecret-file = $tmp/short\n" \
	'want one line of 16 to 511 bytes'
bad 2 '[relay]\nsecret = x\n' 'want one of secret-file, credential-seconds, relay-from'
bad 2 '[relay]\nrelay-from = 198.51.100.0/33\n' 'want the addresses the relays send media from, as CIDRs'
bad 2 '[relay]\ncredential-seconds = 30\n' 'want a whole number from 60 to 86400'
bad 4 "[relay]\nsecret-file = $tmp/secret\n[limits]\nsession-seconds = 60\nmax-sessions = 10\n" \
	'credential-seconds 600 outlives a session (session-seconds 60)'
printf '[relay]\nsecret-file = %s\ncredential-seconds = 300\n' "$tmp/secret" > "$tmp/ok.conf"
out=$("$pinholed" -n -c "$tmp/ok.conf" 2>&1); st=$?
if [ "$st" -eq 0 ] && ! grep -q 'a-secret-of' <<< "$out"; then
	echo "ok - a [relay] with a private secret file passes -n"
else
	echo "not ok - [relay] with a good secret file: $st $out"; fail=1
fi
out=$("$pinholed" -n -c "$tmp/missing.conf" 2>&1); st=$?
if [ "$st" -eq 2 ] && grep -q "missing.conf:0: cannot open" <<< "$out"; then
	echo "ok - a missing file is refused"
else
	echo "not ok - missing file: $st $out"; fail=1
fi
if "$pinholed" -n -c "$root/etc/pinholed.conf" > /dev/null; then
	echo "ok - etc/pinholed.conf is valid"
else
	echo "not ok - etc/pinholed.conf"; fail=1
fi
exit "$fail"
