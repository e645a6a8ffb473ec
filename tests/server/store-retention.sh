#!/usr/bin/env bash
# store-retention-days: reports older than that are deleted when pinholed
# starts (and every hour, which this test does not wait for).  With 2
# days: three reports uploaded, pinholed stopped, one aged in the SQLite
# file to a minute past 2 days and one to a minute short of it; started
# again, pinholed deletes the first alone, logs "1 reports past the
# retention deleted", and serves the other two.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store-lib.sh"
DAYS=2
DB=$SRV_TMP/reports.db
store_conf "sqlite:$DB"
srv_start "store-retention-days = $DAYS"
sql() {	# sql STATEMENT: runs it on the store's file; prints the rows
	python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for row in c.execute(sys.argv[2]):
    print(*row)
c.commit()' "$DB" "$1"
}
ids=()
for r in nat-alg-udp.json reach-in-blocked.json media-loopback.json; do
	want_upload "upload $r" 201 "" "$r"
	ids+=("$up_id")
done
srv_stop || fail=1

now=$(date +%s)
sql "UPDATE reports SET created = $((now - DAYS * 86400 - 60)) WHERE id = '${ids[0]}'"
sql "UPDATE reports SET created = $((now - DAYS * 86400 + 60)) WHERE id = '${ids[1]}'"
want "rows in the file before the restart" "$(sql 'SELECT count(*) FROM reports')" 3

srv_start "store-retention-days = $DAYS"
for _ in $(seq 50); do
	grep -q 'past the retention deleted' "$SRV_TMP/log" && break
	sleep 0.1
done
want "the log at start" "$(grep -o 'store: .* past the retention deleted' "$SRV_TMP/log")" \
	"store: 1 reports past the retention deleted"
want "a report $DAYS days and a minute old" "$(hc "$U/r/${ids[0]}.json")" 404
want "a report a minute short of $DAYS days old" "$(hc "$U/r/${ids[1]}.json")" 200
want "a new report" "$(hc "$U/r/${ids[2]}.json")" 200
want "the listing" "$(hc -H "Authorization: Bearer $TOKEN" "$U/api/reports")" 200
want "the reports listed" "$(jq -r '[.reports[].id] | sort | join(" ")' "$SRV_TMP/body")" \
	"$(printf '%s\n' "${ids[1]}" "${ids[2]}" | sort | paste -sd ' ')"
srv_stop || fail=1
want "rows in the file" "$(sql 'SELECT count(*) FROM reports')" 2
[ "$fail" -eq 0 ] || { echo "# pinholed log:"; cat "$SRV_TMP/log"; }
exit "$fail"
