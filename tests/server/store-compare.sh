#!/usr/bin/env bash
# GET /r/ID/diff, the comparison of a stored report with the earlier report
# of its source (the same uploading address, an IPv6 one by its
# source-prefix6, and the same profiles), rendered at upload as the page
# is, attacked:
# - a report whose source has an earlier one links to /r/ID/diff on its
#   page, and that page is `pinhole diff --html` of the two: the earlier
#   one's id, the fixed requirement counted better; a report that is its
#   source's first has no link and /r/ID/diff is 404;
# - reports of other sources are never compared: not one uploaded from
#   another address in between, not one of other profiles from the same
#   address; a report of the other address compares with its own earlier
#   one;
# - bad ids (too short, the shape of an id but never stored, .json before
#   /diff, more path after it, upper case) are 404 as for /r/ID, another
#   method 405;
# - the cost is bounded: with two large reports (tests/server/worst.py
#   mixed, 120 KB) of one source, every verdict turned around, both are
#   stored, and a GET of their comparison costs at most COMPARE_CPU_MS (50)
#   ms of pinholed's CPU, every thread counted, its page at most
#   store-max-page-bytes;
# - it is rate-limited like every GET: past http-rate, 429.
# STORE_PG=1: the same against PostgreSQL (store-compare-pg.sh), but for
# the SQLite file of the version before.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store-lib.sh"
max_cpu=${COMPARE_CPU_MS:-50}
R=$REPORTS/reach-blocked.json
[ -n "${STORE_PG:-}" ] && store_pg_start
store_conf "${STORE_SPEC:-}"
srv_start "store-uploads-per-source = 100" "http-rate = 1000"
ip -n "$SRV_NS" addr add 127.0.0.2/8 dev lo
# up WHAT FILE [CURL-ARGS]: an upload of FILE, 201; its id in $up_id.
up() {
	local what=$1 file=$2
	shift 2
	want "$what" "$(hc "$@" --data-binary @"$file" "$U/api/reports")" 201
	[ "$(jq -r .error "$SRV_TMP/body" 2>/dev/null)" = null ] || jq -r .error "$SRV_TMP/body"
	up_id=$(jq -r '.id // empty' "$SRV_TMP/body" 2>/dev/null)
}
# link ID: the comparison link on report ID's page, or nothing.
link() {
	hc "$U/r/$1" > /dev/null
	grep -o '<p class="compare"><a href="[^"]*"' "$SRV_TMP/body" | sed 's/.*href="//; s/"$//'
}
jq '.profiles = ["lab-other"]' "$R" > "$SRV_TMP/other.json"
# The same network after a fix: reach.tcp.out.5280 passes.
jq '(.checks[] | select(.id == "reach.tcp.out.5280")) |= (.verdict = "pass" | .summary = "open")' \
	"$R" > "$SRV_TMP/fixed.json"

up "A: the first report from 127.0.0.1" "$R"; a=$up_id
up "B: from 127.0.0.2, after A" "$R" --interface 127.0.0.2; b=$up_id
up "C: from 127.0.0.1, other profiles" "$SRV_TMP/other.json"; c=$up_id
up "D: from 127.0.0.1, the same profiles as A, fixed" "$SRV_TMP/fixed.json"; d=$up_id
up "E: from 127.0.0.2, fixed" "$SRV_TMP/fixed.json" --interface 127.0.0.2; e=$up_id

want "A, its source's first: no link" "$(link "$a")" ""
want "A/diff" "$(hc "$U/r/$a/diff")" 404
want "A/diff: the reason" "$(jq -r .error "$SRV_TMP/body")" \
	"no such report, or no earlier report of its source"
want "B, the first of 127.0.0.2 (A is another source's): no link" "$(link "$b")" ""
want "B/diff" "$(hc "$U/r/$b/diff")" 404
want "C, the first of its profiles: no link" "$(link "$c")" ""
want "C/diff" "$(hc "$U/r/$c/diff")" 404
want "D's page links to its comparison" "$(link "$d")" "/r/$d/diff"
want "D/diff" "$(hc "$U/r/$d/diff")" 200
want "D/diff: a page" "$(hdr content-type)" "text/html; charset=utf-8"
want "D/diff: the stored page's policy" "$(hdr content-security-policy)" \
	"default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
want "D/diff compares A (before) with D (after)" \
	"$(grep -o "/r/[a-z2-7]\{24\}" "$SRV_TMP/body" | tr '\n' ' ')" "/r/$a /r/$d "
want "D/diff: the fix counted better" \
	"$(grep -o '[0-9]* worse, [0-9]* better' "$SRV_TMP/body")" "0 worse, 1 better"
grep -q 'reach.tcp.out.5280' "$SRV_TMP/body" && ok "D/diff names reach.tcp.out.5280" ||
	bad "D/diff does not name reach.tcp.out.5280"
want "E/diff" "$(hc "$U/r/$e/diff")" 200
want "E/diff compares B with E, its own source's" \
	"$(grep -o "/r/[a-z2-7]\{24\}" "$SRV_TMP/body" | tr '\n' ' ')" "/r/$b /r/$e "

for p in "r/abc/diff" "r/aaaaaaaaaaaaaaaaaaaaaaaa/diff" "r/$d.json/diff" \
    "r/$d/diff/x" "r/$d/diff.json" "r/$d/DIFF" "r/${d^^}/diff" "r/$d/diffs"; do
	want "GET /$p" "$(hc "$U/$p")" 404
done
# Targets that are not a plain path: refused as malformed or unknown.
for p in "r//diff" "r/$d//diff" "r/../r/$d/diff" "r/$d/./diff" "r/$d/diff%00" \
    "r/%2e%2e/r/$d/diff"; do
	st=$(hc --path-as-is "$U/$p")
	case $st in
	400|404) ok "GET /$p: $st" ;;
	*) bad "GET /$p: got $st, want 400 or 404" ;;
	esac
done
want "POST /r/D/diff" "$(hc -X POST --data-binary x "$U/r/$d/diff")" 405
want "GET /r/abc/diff: the answer of an id never stored" "$(hc "$U/r/abc/diff"; jq -r .error "$SRV_TMP/body")" "404no such report"

# The cost: two of the largest reports an upload can store, the second
# with every verdict and port set turned around, from 127.0.0.2 (its
# earlier report, B, is small: the worst pair is uploaded after it); store-max-bytes leaves room for the second's
# JSON, rebuilt.
python3 "$SRV_ROOT/tests/server/worst.py" mixed 120000 > "$SRV_TMP/w1.json"
jq -c '.checks[] |= (.verdict = (if .verdict == "pass" then "fail" else "pass" end)
	| if .evidence.open then .evidence.blocked = "1-65534" else . end)' \
	"$SRV_TMP/w1.json" > "$SRV_TMP/w2.json"
up "the worst report" "$SRV_TMP/w1.json" --interface 127.0.0.2
up "the worst report turned around" "$SRV_TMP/w2.json" --interface 127.0.0.2; w=$up_id
read -r ms sts size < <(srv_py render.py cost "$SRV_TMP/cert.pem" "$srv_pid" "$w/diff" 3)
echo "# figure: GET /r/ID/diff of the worst pair: $ms ms of CPU, $size bytes, statuses $sts"
want_le "the worst pair: ms of CPU per GET" "$ms" "$max_cpu"
want "the worst pair: the comparison arrives" "$sts" "200,200,200"
want_le "the worst pair's page: bytes (store-max-page-bytes)" "${size:-}" 786432
srv_stop || fail=1

# A file of the version before (no origin, no comparison): its report is
# served and never compared, a new upload is stored and has no earlier one.
if [ -z "${STORE_PG:-}" ]; then
	python3 - "$SRV_TMP/old.db" "$R" <<-'PY'
		import json, sqlite3, sys
		db = sqlite3.connect(sys.argv[1])
		db.executescript("CREATE TABLE reports (id TEXT PRIMARY KEY, created INTEGER NOT NULL,"
		    " source TEXT NOT NULL, size INTEGER NOT NULL, verdict TEXT NOT NULL, server TEXT NOT NULL,"
		    " profiles TEXT NOT NULL, summaries TEXT NOT NULL, json TEXT NOT NULL, html TEXT);")
		j = open(sys.argv[2]).read()
		db.execute("INSERT INTO reports VALUES ('aaaaaaaaaaaaaaaaaaaaaaaa', strftime('%s','now'),"
		    " '127.0.0.1', ?, 'fail', 's', ?, '', ?, NULL)",
		    (len(j), ",".join(json.loads(j)["profiles"]), j))
		db.commit()
		PY
	store_conf "sqlite:$SRV_TMP/old.db"
	srv_start
	want "an old file: its report" "$(hc "$U/r/aaaaaaaaaaaaaaaaaaaaaaaa")" 200
	want "an old file: its report's comparison" \
		"$(hc "$U/r/aaaaaaaaaaaaaaaaaaaaaaaa/diff")" 404
	up "an old file: a new upload from the old report's address" "$R"; n=$up_id
	want "its page has no link" "$(link "$n")" ""
	srv_stop || fail=1
fi

# Rate-limited like every GET: 30 in a row from one address, http-rate 10.
store_conf "${STORE_SPEC:-}"
srv_start "http-rate = 10"
st=$(for i in $(seq 30); do hc "$U/r/$d/diff"; echo; done)
n429=$(grep -c 429 <<< "$st")
if [ "$n429" -gt 0 ] && [ "$(sed -n 1p <<< "$st")" = 200 ]; then
	ok "past http-rate: the first 200, $n429 of 30 GETs 429"
else
	bad "30 GETs at http-rate 10: $(tr '\n' ' ' <<< "$st")"
fi
srv_end
