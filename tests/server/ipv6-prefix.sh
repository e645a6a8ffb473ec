#!/usr/bin/env bash
# Per-source limits count an IPv6 /64 as one source (source-prefix6): 12
# uploads from 12 addresses of one /64 with store-uploads-per-source = 10
# get 10 answers 201 and then 429; an address of another /64 is still
# served.  With source-prefix6 = 128 each address is its own source again
# and all 12 are stored.  A report's comparison (/r/ID/diff) is with the
# earlier report of its /64: an upload from another address of the other
# /64 is compared with that /64's first, never with the first /64's.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store-lib.sh"
srv_ns
ip -n "$SRV_NS" addr add 2001:db8::1/64 dev lo nodad
for i in $(seq 12); do ip -n "$SRV_NS" addr add "2001:db8::a$i/64" dev lo nodad; done
ip -n "$SRV_NS" addr add 2001:db8:0:1::5/64 dev lo nodad
ip -n "$SRV_NS" addr add 2001:db8:0:1::6/64 dev lo nodad
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
up6() {	# up6 ADDRESS: an upload from ADDRESS; its status, the id in $SRV_TMP/body
	ip netns exec "$SRV_NS" curl -sS -k --max-time 10 -o "$SRV_TMP/body" -w '%{http_code}' \
		--interface "$1" --data-binary @"$REPORTS/nat-alg-udp.json" "$U6/api/reports"
}
want "another /64" "$(up6 2001:db8:0:1::5)" 201
first=$(jq -r .id "$SRV_TMP/body")
want "another address of the other /64" "$(up6 2001:db8:0:1::6)" 201
id=$(jq -r .id "$SRV_TMP/body")
want "its comparison" "$(ip netns exec "$SRV_NS" curl -sS -k --max-time 10 -o "$SRV_TMP/diff.html" \
	-w '%{http_code}' "$U6/r/$id/diff")" 200
want "compared with the first of its /64" \
	"$(grep -o "/r/[a-z2-7]\{24\}" "$SRV_TMP/diff.html" | tr '\n' ' ')" "/r/$first /r/$id "
srv_stop || fail=1
rm -f "$SRV_TMP"/reports.db*
srv_start "store-uploads-per-source = 10" "source-prefix6 = 128"
want "12 uploads, each address its own source" "$(run)" \
	"201 201 201 201 201 201 201 201 201 201 201 201 "
srv_end
