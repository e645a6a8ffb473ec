#!/usr/bin/env bash
# The web surface's mixed soak (tests/server/soak_mixed.py): from three
# loopback addresses at once, check page sessions (hello, offer, results
# stored and read back), WebRTC peers that pair over ICE-TCP and close
# mid-DTLS while a newer page of the same address is open (the case that
# once wrote one user's DTLS flight into another's connection,
# docs/decisions.md), and report uploads that name their control session
# (Pinhole-Session) read back with GET /r/ID; TLS connections from a
# fourth address that ask nothing must receive nothing.  Bounded: per
# address, SOAK_ROUNDS (20) ICE-TCP rounds of at least 1.5 s and ten times
# as many page and upload rounds, all within SOAK_SECONDS (45); about 30 s
# in all, after a warm-up round of each.  Afterwards pinholed must still run, answer
# GET / within SOAK_ANSWER_MS (500; 2000 for a sanitizer build), and be
# back near where it started: its descriptors within 2 of the count after
# a warm-up round, its RSS (not for a sanitizer build, whose RSS holds
# shadow memory and a quarantine) within SOAK_RSS_KB (8192) of it.
# srv_stop then wants exit 0 after SIGTERM and no sanitizer report.
#
# A sanitizer build runs here with the leak check on
# (detect_leaks=1:use_sigaltstack=0, unless ASAN_OPTIONS is set): the
# filter admits LeakSanitizer's calls in such a build (docs/decisions.md),
# so a block lost over the soak fails it in srv_stop.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store-lib.sh"
SOAK_ROUNDS=${SOAK_ROUNDS:-20}
SOAK_SECONDS=${SOAK_SECONDS:-45}
SOAK_RSS_KB=${SOAK_RSS_KB:-8192}
if srv_asan; then
	SOAK_ANSWER_MS=${SOAK_ANSWER_MS:-2000}
	[ -n "${ASAN_OPTIONS:-}" ] ||
		PINHOLED_ASAN_OPTIONS=detect_leaks=1:use_sigaltstack=0
else
	SOAK_ANSWER_MS=${SOAK_ANSWER_MS:-500}
fi
SOURCES=(127.0.0.2 127.0.0.3 127.0.0.4)
WATCH=127.0.0.9
page_conf "media-udp-ports = 10000-10063"
srv_start "max-sessions-per-source = 16" "max-unauth-per-source = 64" \
	"store-uploads-per-source = 10000" "store-uploads-per-session = 100"
for a in "${SOURCES[@]}" "$WATCH"; do
	ip -n "$SRV_NS" addr add "$a/8" dev lo
done
soak() {	# soak ROUNDS SECONDS: soak_mixed.py, its output in $SRV_TMP/soak.out
	timeout $((SOAK_SECONDS + 90)) ip netns exec "$SRV_NS" python3 \
		"$SRV_ROOT/tests/server/soak_mixed.py" "$SRV_TMP/cert.pem" \
		"$REPORTS/nat-alg-udp.json" "$1" "$2" "$WATCH" "${SOURCES[@]}" \
		> "$SRV_TMP/soak.out" 2>&1
}
fds() { ls "/proc/$srv_pid/fd" | wc -l; }
settle() { ctl_quiet 200 || bad "connections still open 20 s after the soak"; }

# A warm-up round (TLS, the store, the page's first render), then the
# figures the soak must come back to.
if ! soak 1 30; then
	cat "$SRV_TMP/soak.out"
	bad "the warm-up round failed"
	srv_end
fi
settle
fd0=$(fds) rss0=$(srv_rss_kb)
echo "# after the warm-up: $fd0 descriptors, RSS $rss0 KiB"

st=0
soak "$SOAK_ROUNDS" "$SOAK_SECONDS" || st=$?
cat "$SRV_TMP/soak.out"
want "the soak's loads all held (soak_mixed.py's status)" "$st" 0
settle
sleep 1
fd1=$(fds) rss1=$(srv_rss_kb)
echo "# after the soak: $fd1 descriptors, RSS $rss1 KiB," \
	"peak $(awk '/^VmHWM:/ { print $2 }' "/proc/$srv_pid/status") KiB"
[ "$fd1" -le $((fd0 + 2)) ] && ok "descriptors back near the start: $fd0 -> $fd1" ||
	bad "descriptors not back near the start: $fd0 -> $fd1"
if srv_asan; then
	ok "# skip the RSS bound: a sanitizer build"
elif [ "$rss1" -le $((rss0 + SOAK_RSS_KB)) ]; then
	ok "RSS back within $SOAK_RSS_KB KiB of the start: $rss0 -> $rss1 KiB"
else
	bad "RSS grew by more than $SOAK_RSS_KB KiB: $rss0 -> $rss1 KiB"
fi
read -r code secs < <(ip netns exec "$SRV_NS" curl -sS --max-time 10 \
	--cacert "$SRV_TMP/cert.pem" -o /dev/null -w '%{http_code} %{time_total}\n' "$U/")
ms=$(awk -v s="$secs" 'BEGIN { printf "%d", s * 1000 }')
want "a legitimate GET / is answered afterwards" "$code" 200
[ "$ms" -le "$SOAK_ANSWER_MS" ] && ok "GET / answered in $ms ms (at most $SOAK_ANSWER_MS)" ||
	bad "GET / took $ms ms, more than $SOAK_ANSWER_MS"
srv_end
