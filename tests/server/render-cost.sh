#!/usr/bin/env bash
# A stored report's page costs pinholed little, whatever the upload held:
# for each kind of worst report (tests/server/worst.py: port maps of
# 1-65535, UDP timelines, media rows, deep evidence, all of them mixed) as
# large as store-max-bytes lets it be, one GET /r/ID costs at most
# RENDER_CPU_MS (50) ms of pinholed's CPU, every thread counted, and the
# page arrives whole (200); while 10 such GETs from 10 addresses run, a GET
# of a small report from another address is answered within
# RENDER_LEGIT_MS (100) ms.  Prints the figures (bench/render.sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store-lib.sh"
max_cpu=${RENDER_CPU_MS:-50}
max_legit=${RENDER_LEGIT_MS:-100}
store_conf
srv_start "store-uploads-per-source = 100" "store-max-rows = 1000"
rp() { srv_py render.py "$@"; }

read -r st legit < <(rp upload "$SRV_TMP/cert.pem" "$REPORTS/reach-blocked.json")
want "a small report stored" "$st" 201
# worst_upload KIND: the largest report of that kind pinholed stores,
# found by halving the gap between what it took and what it refused (to
# 4 KiB; store-max-bytes at most); its id in $id, its size in $size.
worst_upload() {
	local lo=0 hi=262144 mid st got
	id=
	while [ $((hi - lo)) -gt 4096 ]; do
		mid=$(((lo + hi) / 2))
		[ "$lo" -eq 0 ] && mid=$hi
		python3 "$SRV_ROOT/tests/server/worst.py" "$1" "$mid" > "$SRV_TMP/w.json"
		read -r st got < <(rp upload "$SRV_TMP/cert.pem" "$SRV_TMP/w.json")
		case $st in
		201) id=$got size=$(wc -c < "$SRV_TMP/w.json"); lo=$mid
		     [ "$mid" -eq "$hi" ] && break ;;
		413) hi=$mid; [ "$lo" -eq 0 ] && lo=1 ;;
		*) bad "upload of a $1 report of $mid bytes: $st"; return 0 ;;
		esac
	done
	return 0
}
worst_kind= worst_ms=0
for kind in reach udp media json mixed; do
	worst_upload "$kind"
	if [ -z "$id" ]; then
		bad "no $kind report stored at all"
		continue
	fi
	echo "# figure: the largest $kind report stored: $size bytes"
	read -r ms sts size < <(rp cost "$SRV_TMP/cert.pem" "$srv_pid" "$id" 3)
	echo "# figure: GET /r/ID of the worst $kind report: $ms ms of CPU, $size bytes, statuses $sts"
	want_le "worst $kind: ms of CPU per GET" "$ms" "$max_cpu"
	want "worst $kind: the page arrives" "$sts" "200,200,200"
	if awk -v a="$ms" -v b="$worst_ms" 'BEGIN { exit !(a > b) }'; then
		worst_kind=$kind worst_ms=$ms worst_id=$id
	fi
done
if [ -n "$worst_kind" ]; then
	read -r ms st sts < <(rp during "$SRV_TMP/cert.pem" "$worst_id" "$legit" 10)
	echo "# figure: GET of a small report during 10 GETs of the worst ($worst_kind): $ms ms ($st; theirs $sts)"
	want "the small report during 10 worst GETs" "$st" 200
	want_le "answered in ms" "$ms" "$max_legit"
fi
srv_end
