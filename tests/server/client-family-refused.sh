#!/usr/bin/env bash
# A server name with an A and an AAAA record whose pinholed listens on
# IPv4 alone: pinhole check tests IPv4 and reports IPv6 as a session
# error that says nothing listens there over IPv6 (refused), what it means
# and that -4 tests IPv4 alone, never a finding about the network; with
# -4 the report is IPv4's only, IPv6 "not tested: -4 given".  The name is
# the namespace's own (/etc/netns/NS/hosts: 127.0.0.1 and ::1).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/client-lib.sh"
srv_cleanup_extra() { rm -rf "/etc/netns/$SRV_NS"; }
srv_start
mkdir -p "/etc/netns/$SRV_NS"
printf '127.0.0.1 dual.test\n::1 dual.test\n' > "/etc/netns/$SRV_NS/hosts"

run() {	# run ARGS: a quick check of dual.test; sets status
	ip netns exec "$SRV_NS" timeout -s KILL 60 "$PINHOLE" check \
		--server dual.test:4443 --profile "$SRV_TMP/web.ini" --json \
		--skip nat --skip nat-layers --skip sip-alg --skip sip-size \
		--skip reach-in --skip udp-timeout --skip media "$@" \
		> "$SRV_TMP/report.json" 2> "$SRV_TMP/stderr"
	status=$?
}

run
want "both families planned, IPv4 tested" \
	"$(jq -r '[.families.ipv4.tested, .families.ipv6.tested] | @tsv' "$SRV_TMP/report.json")" \
	"$(printf 'true\tfalse')"
jqwant "session@ipv6 is an error" \
	'[.checks[] | select(.id == "session@ipv6") | .verdict] | join(",")' error
jqwant "... that says it was over IPv6" \
	'.checks[] | select(.id == "session@ipv6") | .summary | test("^no session with dual.test:4443 over IPv6: ")' true
jqwant "... that nothing listens there, not this network, and -4" \
	'.checks[] | select(.id == "session@ipv6") | .remedy | (startswith("Not this network") and contains("nothing listens there") and contains("-4 tests IPv4 alone"))' true
jqwant "IPv4's checks ran" \
	'[.checks[] | select(.id | startswith("reach.tcp.out")) | .verdict] | unique | join(",")' pass
want "exit status 2 (an error entry)" "$status" 2

run -4
want "-4: IPv4 alone" \
	"$(jq -r '[.families.ipv4.tested, .families.ipv6.tested, .families.ipv6.why] | @tsv' "$SRV_TMP/report.json")" \
	"$(printf 'true\tfalse\t-4 given')"
jqwant "-4: no session@ipv6" '[.checks[] | select(.id | endswith("@ipv6"))] | length' 0
want "-4: exit status 0" "$status" 0
srv_stop || cl_fail=1
exit "$cl_fail"
