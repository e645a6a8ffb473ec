#!/usr/bin/env bash
# A report whose numbers cannot be stored as they came is refused whole
# with 400, never stored with checks missing: a check's duration_s of
# 1e308 (which overflows once written in milliseconds), a negative one, a
# string, and a report's own duration_s of 1e308.  A report of the same
# shape with sane numbers is stored with every check and its verdict, and
# its page says that verdict.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store-lib.sh"
store_conf
srv_start
src=$REPORTS/reach-in-blocked.json
n=$(jq '.checks | length' "$src")
v=$(jq -r .verdict "$src")
fail_i=$(jq '[.checks[].verdict] | index("fail")' "$src")
for bad in '1e308' '-1' '"12"' '1e300'; do
	jq -c --argjson i "$fail_i" --argjson d "$bad" '.checks[$i].duration_s = $d' "$src" > "$SRV_TMP/r.json"
	want "a failing check's duration_s $bad" "$(hc --data-binary @"$SRV_TMP/r.json" "$U/api/reports")" 400
done
jq -c '.duration_s = 1e308' "$src" > "$SRV_TMP/r.json"
want "the report's duration_s 1e308" "$(hc --data-binary @"$SRV_TMP/r.json" "$U/api/reports")" 400
jq -c --argjson i "$fail_i" '.checks[$i].duration_s = 604800' "$src" > "$SRV_TMP/r.json"
want "a week, the longest" "$(hc --data-binary @"$SRV_TMP/r.json" "$U/api/reports")" 201
id=$(jq -r .id "$SRV_TMP/body")
want "stored JSON" "$(hc "$U/r/$id.json")" 200
want "every check stored" "$(jq '.checks | length' "$SRV_TMP/body")" "$n"
want "its verdict" "$(jq -r .verdict "$SRV_TMP/body")" "$v"
want "the page" "$(hc "$U/r/$id")" 200
grep -q "<title>pinhole: $v," "$SRV_TMP/body" && ok "the page says $v" ||
	bad "the page's title: $(grep -o '<title>[^<]*' "$SRV_TMP/body")"
srv_end
