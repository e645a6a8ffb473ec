#!/usr/bin/env bash
# The ranges of the numeric options of pinhole check, as the man page gives
# them: --timeout 1 to 60, --media-seconds 2 to 60, --calls 1 to 256,
# --udp-timeout-max 10 to 600.  Each bound is accepted, one past it is a
# usage error (status 2, the option named, its range and the value said,
# nothing run), and so are junk and numbers too large for any integer.
# No network: no run names a profile, so an accepted value gets as far as
# the check's own "needs --profile" and nothing opens a socket.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

# accepted OPTION VALUE: parsed, so the run stops at the missing profile
accepted() {
	run timeout 5 "$pinhole" check -s 127.0.0.1 "$1" "$2"
	expect "$1 $2 accepted" 2 err "check needs --server and at least one --profile"
	lacks "$1 $2: no complaint about $1" err "$1 wants"
}
# refused OPTION VALUE MESSAGE: a usage error naming the option and value
refused() {
	run timeout 5 "$pinhole" check -s 127.0.0.1 "$1" "$2"
	expect "$1 '$2' refused" 2 err "pinhole: $3, not '$2'"
	expect "$1 '$2': the pointer to --help" 2 err "(pinhole --help lists the options)"
	want "$1 '$2': nothing on stdout" "$out" ""
}
# bounds OPTION MIN MAX MESSAGE
bounds() {
	local o=$1 lo=$2 hi=$3 msg=$4 v
	accepted "$o" "$lo"
	accepted "$o" "$hi"
	accepted "$o" "0$hi"	# a leading zero is still decimal
	refused "$o" "$((lo - 1))" "$msg"
	refused "$o" "$((hi + 1))" "$msg"
	for v in -1 "" abc "${lo}s" "$lo.5" "+$lo" " $lo" "$lo " 0x10 1e1 \
	    4294967296 "$((4294967296 + lo))" 18446744073709551616 \
	    99999999999999999999999999; do
		refused "$o" "$v" "$msg"
	done
}

bounds --timeout 1 60 "--timeout wants whole seconds from 1 to 60"
bounds --media-seconds 2 60 "--media-seconds wants whole seconds from 2 to 60"
bounds --calls 1 256 "--calls wants a number of calls from 1 to 256"
bounds --udp-timeout-max 10 600 \
	"--udp-timeout-max wants whole seconds from 10 to 600"

# The other spellings reach the same check.
run timeout 5 "$pinhole" check -s 127.0.0.1 -t 61
expect "-t 61" 2 err "--timeout wants whole seconds from 1 to 60, not '61'"
run timeout 5 "$pinhole" check -s 127.0.0.1 -t0
expect "-t0" 2 err "--timeout wants whole seconds from 1 to 60, not '0'"
run timeout 5 "$pinhole" check -s 127.0.0.1 --calls=257
expect "--calls=257" 2 err "--calls wants a number of calls from 1 to 256, not '257'"
run timeout 5 "$pinhole" --media-seconds 61 check -s 127.0.0.1
expect "--media-seconds before the command" 2 err \
	"--media-seconds wants whole seconds from 2 to 60, not '61'"
run timeout 5 "$pinhole" nat --stun 127.0.0.1 --timeout 61
expect "nat --timeout 61" 2 err "--timeout wants whole seconds from 1 to 60, not '61'"
run timeout 5 "$pinhole" check -s 127.0.0.1 --timeout
expect "--timeout without a value" 2 err "option '--timeout' requires an argument"
# Said once, and the first bad option stops the parse.
run timeout 5 "$pinhole" check -s 127.0.0.1 --calls 0 --timeout 0
want "only the first bad option is said" "$(grep -c 'wants' <<< "$err")" 1
expect "the first bad option" 2 err "--calls wants"
exit "$fail"
