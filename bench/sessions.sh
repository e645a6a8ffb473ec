#!/usr/bin/env bash
# bench/sessions.sh [--full] [--interval S]
#
# Memory and CPU of an idle pinholed as it holds more control sessions: for
# each count, a fresh pinholed on loopback in a network namespace of this
# run, that many sessions opened by bench/sessions (plain TCP, preamble,
# HELLO, WELCOME; then a PING each every 10 s, as a waiting client sends),
# and then, while they are held:
#   VmRSS and VmHWM from /proc/PID/status (kB);
#   CPU, utime + stime from /proc/PID/stat over the interval, as % of one
#   core.
#
#   short (default, run by the test suite): 0, 100 and 1000 sessions, 1 s
#   --full: 0, 1000, 5000 and 10000 sessions, 20 s each (two PING rounds)
#
# Prints a table.  Exits 1 only when something is broken: pinholed does not
# start or dies, a session does not open or is lost.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/figures.sh"

counts=(0 100 1000) interval=1 settle=0.2 mode=short
while [ $# -gt 0 ]; do
	case $1 in
	--full) counts=(0 1000 5000 10000) interval=20 settle=2 mode=full ;;
	--interval) interval=$2; shift ;;
	*) echo "usage: bench/sessions.sh [--full] [--interval S]" >&2; exit 2 ;;
	esac
	shift
done
[[ $interval =~ ^[1-9][0-9]{0,3}$ ]] ||
	{ echo "bench/sessions.sh: '$interval' is not a number of seconds" >&2; exit 2; }

SERVER=127.0.0.1 IDLE_FROM=127.1.0.1
max=0
for n in "${counts[@]}"; do [ "$n" -gt "$max" ] && max=$n; done
bench_begin $((max + 256))
bench_machine
echo "# sessions.sh $mode: a fresh pinholed per row, sessions from" \
	"$IDLE_FROM on (100 per address), a PING each every 10 s;" \
	"CPU over $interval s; namespace $BENCH_NS"
printf '%9s %8s %10s %10s %10s %8s\n' sessions open_s VmRSS_kB VmHWM_kB \
	kB/session cpu%
base_rss=
for n in "${counts[@]}"; do
	bench_pinholed "pinholed-$n" "$SERVER"
	pid=$BENCH_PID
	sess_pid= open_s=-
	if [ "$n" -gt 0 ]; then
		bench_sessions "sessions-$n" "$SERVER:4443" "$IDLE_FROM" "$n" \
			$((interval + 60))
		sess_pid=$BENCH_PID open_s=$BENCH_OPEN_S
	fi
	sleep "$settle"		# let the handshakes' work settle
	t0=$(bench_cpu_ticks "$pid") n0=$(date +%s%N)
	sleep "$interval"
	bench_alive "$pid" "pinholed-$n"
	cpu=$(bench_cpu_pct "$pid" "$t0" "$n0")
	rss=$(bench_status_kb "$pid" VmRSS)
	hwm=$(bench_status_kb "$pid" VmHWM)
	bench_num "cpu% ($n sessions)" "$cpu"
	bench_num "VmRSS_kB ($n sessions)" "$rss"
	bench_num "VmHWM_kB ($n sessions)" "$hwm"
	[ -n "$sess_pid" ] && bench_alive "$sess_pid" "sessions-$n"
	[ -z "$base_rss" ] && base_rss=$rss
	per=$(awk -v r="$rss" -v b="$base_rss" -v n="$n" \
		'BEGIN { if (n > 0) printf "%.1f", (r - b) / n; else print "-" }')
	printf '%9s %8s %10s %10s %10s %8s\n' "$n" "$open_s" "$rss" "$hwm" \
		"$per" "$cpu"
	[ -n "$sess_pid" ] && bench_stop "$sess_pid"
	bench_stop "$pid"
done
echo "kB/session: (VmRSS - VmRSS with 0 sessions) / sessions"
bench_finish
