#!/usr/bin/env bash
# The report store on the control port's HTTPS side, with the default
# SQLite backend, pinholed started as root and sandboxed: an upload answers
# 201 with a 24-letter id and its URL, the JSON and the HTML page come back
# by that id with their security headers; an unknown id, an id of the wrong
# shape and a dot segment are 404 alike; a report over store-max-bytes is
# 413, a body that is not a pinhole.report/1 report 400, no Content-Length
# 411; uploads past store-uploads-per-source are 429; the listing is 401
# without a token, 403 with a wrong one, filters by verdict, profile and
# summary text, newest first, never cached; the plain control protocol
# still works on the same port; the daemon survives it all under the filter;
# the database's files are created 0600.
# STORE_PG=1: the same against a PostgreSQL server started here from
# Debian's packages (tests/server/store-pg.sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store-lib.sh"
[ -n "${STORE_PG:-}" ] && store_pg_start
store_conf "${STORE_SPEC:-}"
srv_start "store-max-bytes = 65536" "store-uploads-per-source = 6"

# Upload, then fetch by id.
want "upload" "$(hc -H 'Content-Type: application/json' \
	--data-binary @"$REPORTS/nat-alg-udp.json" "$U/api/reports")" 201
id=$(jq -r .id "$SRV_TMP/body")
url=$(jq -r .url "$SRV_TMP/body")
[[ $id =~ ^[a-z2-7]{24}$ ]] && ok "id of 24 base32 letters ($id)" || bad "id '$id'"
want "url" "$url" "https://127.0.0.1:4443/r/$id"
want "GET /r/ID.json" "$(hc "$U/r/$id.json")" 200
want "content type of the JSON" "$(hdr content-type)" application/json
want "CSP of the JSON" "$(hdr content-security-policy)" "default-src 'none'; frame-ancestors 'none'"
want "nosniff" "$(hdr x-content-type-options)" nosniff
want "the JSON is the report uploaded" \
	"$(jq -S -c . "$SRV_TMP/body" | sha256sum)" "$(jq -S -c . "$REPORTS/nat-alg-udp.json" | sha256sum)"
want "GET /r/ID" "$(hc "$U/r/$id")" 200
want "content type of the page" "$(hdr content-type)" "text/html; charset=utf-8"
grep -q "^Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'" "$SRV_TMP/head" &&
	ok "CSP of the page" || bad "CSP of the page: $(hdr content-security-policy)"
grep -q '<!DOCTYPE html>' "$SRV_TMP/body" && grep -q 'sip-alg' "$SRV_TMP/body" &&
	ok "the page renders the report" || bad "the page: $(head -c 300 "$SRV_TMP/body")"

# Not found: never stored, wrong shape, traversal: the same answer.
other=aaaaaaaaaaaaaaaaaaaaaaaa
want "unknown id" "$(hc "$U/r/$other")" 404
cp "$SRV_TMP/body" "$SRV_TMP/body.404"
want "unknown id .json" "$(hc "$U/r/$other.json")" 404
want "an id of the wrong shape" "$(hc "$U/r/${id^^}")" 404
cmp -s "$SRV_TMP/body" "$SRV_TMP/body.404" && ok "the same 404 body either way" ||
	bad "404 bodies differ: $(cat "$SRV_TMP/body")"
want "a dot segment" "$(hc --path-as-is "$U/r/../api/reports")" 400
want "no such page" "$(hc "$U/nothing")" 404
want "wrong method" "$(hc -X DELETE "$U/api/reports")" 405

# Bounds and malformed bodies.
head -c 70000 /dev/zero | tr '\0' ' ' > "$SRV_TMP/big"
want "over store-max-bytes" "$(hc -H "Expect: 100-continue" --data-binary @"$SRV_TMP/big" "$U/api/reports")" 413
want "not JSON" "$(hc --data-binary 'hello' "$U/api/reports")" 400
want "JSON, not a report" "$(hc --data-binary '{"schema":"other"}' "$U/api/reports")" 400
want "no Content-Length" "$(hc -H 'Transfer-Encoding: chunked' \
	--data-binary '{}' "$U/api/reports")" 501
printf 'POST /api/reports HTTP/1.1\r\nHost: x\r\n\r\n' > "$SRV_TMP/nolen"
st=$(ip netns exec "$SRV_NS" timeout 10 openssl s_client -quiet -ign_eof -connect 127.0.0.1:4443 \
	-CAfile "$SRV_TMP/cert.pem" < "$SRV_TMP/nolen" 2>/dev/null | head -1 | tr -d '\r' || true)
want "a POST without Content-Length" "$st" "HTTP/1.1 411 Length Required"

# Two more reports for the listing, then the per-source cap (6 an hour).
want "upload 2" "$(hc --data-binary @"$REPORTS/reach-in-blocked.json" "$U/api/reports")" 201
id2=$(jq -r .id "$SRV_TMP/body")
want "upload 3" "$(hc --data-binary @"$REPORTS/media-loopback.json" "$U/api/reports")" 201
id3=$(jq -r .id "$SRV_TMP/body")
for i in 4 5 6; do
	hc --data-binary @"$REPORTS/routed-no-nat.json" "$U/api/reports" > /dev/null
done
want "upload 7 from the same source" "$(hc --data-binary \
	@"$REPORTS/routed-no-nat.json" "$U/api/reports")" 429

# The listing: only with the token.
want "listing without a token" "$(hc "$U/api/reports")" 401
want "listing with a wrong token" "$(hc -H "Authorization: Bearer ${TOKEN}x" "$U/api/reports")" 403
want "listing with the token" "$(hc -H "Authorization: Bearer $TOKEN" "$U/api/reports")" 200
want "listing not cached" "$(hdr cache-control)" no-store
want "6 reports listed" "$(jq '.reports | length' "$SRV_TMP/body")" 6
want "newest first, oldest last" "$(jq -r '.reports[-1].id' "$SRV_TMP/body")" "$id"
v1=$(jq -r .verdict "$REPORTS/nat-alg-udp.json")
want "the listing's verdict" "$(jq -r --arg id "$id" '.reports[] | select(.id == $id) | .verdict' "$SRV_TMP/body")" "$v1"
hc -H "Authorization: Bearer $TOKEN" "$U/api/reports?limit=2" > /dev/null
want "limit=2" "$(jq '.reports | length' "$SRV_TMP/body")" 2
p3=$(jq -r '.profiles[0]' "$REPORTS/media-loopback.json")
hc -H "Authorization: Bearer $TOKEN" "$U/api/reports?profile=$p3" > /dev/null
want "by profile $p3" "$(jq -r '[.reports[].id] | index("'"$id3"'") != null' "$SRV_TMP/body")" true
s2=$(jq -r '.checks[] | select(.verdict == "fail") | .summary' "$REPORTS/reach-in-blocked.json" | head -1)
q=$(jq -rn --arg s "${s2:0:20}" '$s | @uri')
hc -H "Authorization: Bearer $TOKEN" "$U/api/reports?q=$q" > /dev/null
want "by summary text '${s2:0:20}'" "$(jq -r '[.reports[].id] | index("'"$id2"'") != null' "$SRV_TMP/body")" true
hc -H "Authorization: Bearer $TOKEN" "$U/api/reports?verdict=pass&q=nothing-like-this" > /dev/null
want "no match" "$(jq '.reports | length' "$SRV_TMP/body")" 0
want "a bad limit" "$(hc -H "Authorization: Bearer $TOKEN" "$U/api/reports?limit=0")" 400

# The control protocol is untouched on the same port.
if srv_py peer.py stun5780 > "$SRV_TMP/peer.out" 2>&1; then ok "a control session beside HTTPS"
else bad "a control session beside HTTPS: $(cat "$SRV_TMP/peer.out")"; fi
grep -q 'Seccomp:.*2' "/proc/$srv_pid/status" && ok "under the seccomp filter" || bad "no filter"
# The database holds customers' addresses: its files for the owner alone.
if [ -z "${STORE_PG:-}" ]; then
	for f in reports.db reports.db-wal reports.db-shm; do
		want "mode of $f" "$(stat -c %a "$SRV_TMP/$f" 2>&1)" 600
	done
fi
srv_end
