#!/usr/bin/env bash
# Wrong support tokens are slowed per source: of 20 wrong tokens from one
# address, 5 are answered 403 and the rest 429 without a comparison (one
# more a minute); the right token from another address is still served,
# and the throttled address gets 429 even with the right one until its
# minute has passed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store-lib.sh"
store_conf
srv_start
ip -n "$SRV_NS" addr add 127.0.0.2/8 dev lo
for i in $(seq 20); do
	hc -H "Authorization: Bearer wrong-token-$i-0123456789" "$U/api/reports" || true; echo
done > "$SRV_TMP/codes"
want "20 wrong tokens: 403s" "$(grep -c '^403$' "$SRV_TMP/codes" || true)" 5
want "20 wrong tokens: 429s" "$(grep -c '^429$' "$SRV_TMP/codes" || true)" 15
want "the right token from another address" \
	"$(hc --interface 127.0.0.2 -H "Authorization: Bearer $TOKEN" "$U/api/reports")" 200
want "the right token from the throttled address" \
	"$(hc -H "Authorization: Bearer $TOKEN" "$U/api/reports")" 429
srv_end
