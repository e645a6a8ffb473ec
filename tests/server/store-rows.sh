#!/usr/bin/env bash
# store-max-rows: with 3 reports stored the next upload is 507 "the store
# is full", from any address; what is stored is still served.  The cap
# counts the rows in the database, not uploads since start: started again
# over the same file with the cap at 3 pinholed refuses the first upload,
# with the cap at 4 it takes one more.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store-lib.sh"
FULL="the store is full"
R=media-loopback.json
store_conf
srv_start "store-max-rows = 3"
ip -n "$SRV_NS" addr add 127.0.0.2/8 dev lo
ids=()
for i in 1 2 3; do
	want_upload "upload $i" 201 "" $R
	ids+=("$up_id")
done
want_upload "upload 4" 507 "$FULL" $R
want_upload "upload 4 from another address" 507 "$FULL" $R --interface 127.0.0.2
for id in "${ids[@]}"; do
	want "GET a stored report, the store full" "$(hc "$U/r/$id.json")" 200
done
want "the listing" "$(hc -H "Authorization: Bearer $TOKEN" "$U/api/reports")" 200
want "3 reports listed" "$(jq '.reports | length' "$SRV_TMP/body")" 3
srv_stop || fail=1

srv_start "store-max-rows = 3"
want_upload "after a restart, over the 3 rows in the file" 507 "$FULL" $R
srv_stop || fail=1

srv_start "store-max-rows = 4"
want_upload "with the cap raised to 4: upload 4" 201 "" $R
want_upload "upload 5" 507 "$FULL" $R
want "the listing" "$(hc -H "Authorization: Bearer $TOKEN" "$U/api/reports")" 200
want "4 reports listed" "$(jq '.reports | length' "$SRV_TMP/body")" 4
srv_end
