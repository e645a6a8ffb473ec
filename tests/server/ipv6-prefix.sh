#!/usr/bin/env bash
# Per-source limits count an IPv6 /64 as one source (source-prefix6): 12
# uploads from 12 addresses of one /64 with store-uploads-per-source = 10
# get 10 answers 201 and then 429; an address of another /64 is still
# served.  With source-prefix6 = 128 each address is its own source again
# and all 12 are stored.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store-lib.sh"
srv_ns
ip -n "$SRV_NS" addr add 2001:db8::1/64 dev lo nodad
for i in $(seq 12); do ip -n "$SRV_NS" addr add "2001:db8::a$i/64" dev lo nodad; done
ip -n "$SRV_NS" addr add 2001:db8:0:1::5/64 dev lo nodad
store_conf
SRV_SERVER_EXTRA="$SRV_SERVER_EXTRA
listen = 2001:db8::1"
U6='https://[2001:db8::1]:4443'
run() {	# run PREFIX: 12 uploads from 12 addresses of the /64; the statuses
	local i
	for i in $(seq 12); do
		ip netns exec "$SRV_NS" curl -sS -k --max-time 10 -o /dev/null -w '%{http_code} ' \
			--interface "2001:db8::a$i" --data-binary @"$REPORTS/nat-alg-udp.json" \
			"$U6/api/reports" || echo -n "curl-failed "
	done
}
srv_start "store-uploads-per-source = 10"
got=$(run)
want "12 uploads from one /64" "$got" "201 201 201 201 201 201 201 201 201 201 429 429 "
want "another /64" "$(ip netns exec "$SRV_NS" curl -sS -k --max-time 10 -o /dev/null -w '%{http_code}' \
	--interface 2001:db8:0:1::5 --data-binary @"$REPORTS/nat-alg-udp.json" "$U6/api/reports")" 201
srv_stop || fail=1
rm -f "$SRV_TMP"/reports.db*
srv_start "store-uploads-per-source = 10" "source-prefix6 = 128"
want "12 uploads, each address its own source" "$(run)" \
	"201 201 201 201 201 201 201 201 201 201 201 201 "
srv_end
