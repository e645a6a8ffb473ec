#!/usr/bin/env bash
# HTTPS requests are rate-limited per source before any work (http-rate,
# twice that saved up): 40 GETs of a stored report back to back from one
# address, with http-rate = 5, get some 429 and at most the 10 saved up,
# 5 a second while they ran, and 2 more (a slow build or a loaded machine
# takes seconds over them); another address is still served.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store-lib.sh"
store_conf
srv_start "http-rate = 5"
ip -n "$SRV_NS" addr add 127.0.0.2/8 dev lo
want "upload" "$(hc --data-binary @"$REPORTS/nat-alg-udp.json" "$U/api/reports")" 201
id=$(jq -r .id "$SRV_TMP/body")
t0=$(date +%s%N)
for i in $(seq 40); do hc "$U/r/$id" || true; echo; done > "$SRV_TMP/codes"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
most=$(( 10 + 5 * ms / 1000 + 2 ))
n200=$(grep -c '^200$' "$SRV_TMP/codes" || true)
n429=$(grep -c '^429$' "$SRV_TMP/codes" || true)
[ "$n429" -gt 0 ] && [ "$n200" -le "$most" ] && [ $((n200 + n429)) -eq 40 ] &&
	ok "40 GETs from one address in $ms ms: $n200 answered (at most $most), $n429 refused" ||
	bad "40 GETs from one address in $ms ms: $n200 answered (at most $most), $n429 refused"
want "another address" "$(hc --interface 127.0.0.2 "$U/r/$id")" 200
srv_end
