#!/usr/bin/env bash
# Stored strings are cut between UTF-8 characters, and one row never fails
# the listing: a server name of 126 'a's and an 'é' (cut at 128 bytes,
# inside the 'é', before) and profile names that overflow the listing's
# field are stored, listed (200) and cut before the character that did not
# fit; a row written into the database with bytes that are not UTF-8 (as
# an older pinholed cut them) is listed too, beside the others.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store-lib.sh"
store_conf
srv_start
long=$(printf 'a%.0s' $(seq 126))é
jq -c --arg s "$long" '.server = $s' "$REPORTS/nat-alg-udp.json" > "$SRV_TMP/r.json"
want "upload with a server of 126 a's and an é" "$(hc --data-binary @"$SRV_TMP/r.json" "$U/api/reports")" 201
id=$(jq -r .id "$SRV_TMP/body")
p=$(printf 'é%.0s' $(seq 60))
jq -c --arg p "$p" '.profiles = [$p, $p, $p]' "$REPORTS/nat-alg-udp.json" > "$SRV_TMP/r.json"
want "upload with profiles of 360 bytes" "$(hc --data-binary @"$SRV_TMP/r.json" "$U/api/reports")" 201
want "the listing" "$(hc -H "Authorization: Bearer $TOKEN" "$U/api/reports")" 200
want "2 reports listed" "$(jq '.reports | length' "$SRV_TMP/body")" 2
want "the server cut before the é" \
	"$(jq -r --arg id "$id" '.reports[] | select(.id == $id) | .server' "$SRV_TMP/body")" \
	"$(printf 'a%.0s' $(seq 126))"
got=$(jq -r '.reports[0].profiles | join(",")' "$SRV_TMP/body")
[ "${#got}" -gt 60 ] && [[ "$p,$p,$p" == "$got"* ]] &&
	ok "the profiles cut between characters (${#got} characters)" ||
	bad "the profiles: '$got'"
want "the stored report keeps the whole name" "$(hc "$U/r/$id.json")" 200
want "its server" "$(jq -r .server "$SRV_TMP/body")" "$long"
# A row from an older pinholed, its server cut inside a character.
python3 - "$SRV_TMP/reports.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=5)
db.execute("INSERT INTO reports (id, created, source, size, verdict, server,"
           " profiles, summaries, json) VALUES (?, 1, '127.0.0.1', 2, 'pass',"
           " CAST(? AS TEXT), 'p', '', '{}')",
           ("aaaaaaaaaaaaaaaaaaaaaaab", b"b" * 126 + b"\xc3"))
db.commit()
PY
want "the listing with a broken row" "$(hc -H "Authorization: Bearer $TOKEN" "$U/api/reports")" 200
want "3 reports listed" "$(jq '.reports | length' "$SRV_TMP/body")" 3
want "the broken row's server, cut before the bad byte" \
	"$(jq -r '.reports[] | select(.id == "aaaaaaaaaaaaaaaaaaaaaaab") | .server' "$SRV_TMP/body")" \
	"$(printf 'b%.0s' $(seq 126))"
srv_end
