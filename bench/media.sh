#!/usr/bin/env bash
# bench/media.sh [--full] [--seconds S] [--rt]
#
# Concurrent RTP streams through pinholed: for each count, a fresh
# pinholed in the bench's namespace (203.0.113.10) and bench/mediaload in
# a second one (10.0.0.2), linked by a veth pair, that many G.711 streams
# (PCMU, 20 ms, 160-byte payload, EF) both ways at once, as pinhole
# check's media family runs them (its engine, src/client/media.c, and its
# control client), spread over pinholed's 16 media ports.  Per count:
#   the send pacing error, |send time - schedule|, in us: the client's
#   median and 99th percentile over every packet; pinholed's from
#   MEDIA_STATS, the medians over the streams of each stream's median and
#   99th percentile, and the largest 99th percentile of any stream;
#   loss each way (packets sent, lost);
#   CPU, utime + stime over the sending time as % of one core, of
#   pinholed and of the client (all its threads), and pinholed's VmRSS
#   and VmHWM at its end, every stream still held (kB).
#
#   short (default, run by the test suite): 1, 10 and 100 streams, 2 s
#   --full: 1, 10, 100 and 1000 streams, 10 s each
#   --full also measures one impaired path with irtt and with pinhole
#   side by side (the lab scenario media-irtt: the same seeded loss and
#   jitter for both), and prints its table
#   --rt: pinholed and the client at SCHED_FIFO priority 1 (chrt), so that
#   other load on the machine cannot delay their wakeups: the figures of
#   the code rather than of the machine's other tenants
#
# pinholed's conf raises media-streams, session-media-streams,
# session-media-kbps (80 kbit/s a stream) and session-media-seconds for
# the largest count; socket buffers stay at the kernel's defaults.
# Prints a table.  Exits 1 only when something is broken: pinholed does
# not start or dies, a stream is refused, or a report does not come.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/figures.sh"

counts=(1 10 100) seconds=2 mode=short rt=()
while [ $# -gt 0 ]; do
	case $1 in
	--full) counts=(1 10 100 1000) seconds=10 mode=full ;;
	--seconds) seconds=$2; shift ;;
	--rt) rt=(chrt -f 1) ;;
	*) echo "usage: bench/media.sh [--full] [--seconds S] [--rt]" >&2; exit 2 ;;
	esac
	shift
done
[[ $seconds =~ ^[1-9][0-9]?$ ]] && [ "$seconds" -le 60 ] ||
	{ echo "bench/media.sh: '$seconds' is not 1 to 60 seconds" >&2; exit 2; }

CLIENT=10.0.0.2 SERVER=203.0.113.10
max=0
for n in "${counts[@]}"; do [ "$n" -gt "$max" ] && max=$n; done
bench_begin $((max + 256))
bench_veth "$CLIENT" "$SERVER"
bench_machine
echo "# media.sh $mode: G.711 20 ms streams both ways for $seconds s," \
	"client $CLIENT (namespace $BENCH_NS_CLIENT) to a fresh pinholed per" \
	"row on $SERVER (namespace $BENCH_NS), one veth pair${rt:+, both at SCHED_FIFO 1}"
printf '%7s %7s %7s %7s %7s %9s %9s %9s %13s %6s %6s %9s %9s\n' streams \
	cli_p50 cli_p99 srv_p50 srv_p99 srv_p99mx up_lost dn_lost \
	sent_each srv% cli% VmRSS_kB VmHWM_kB
field() {	# field KEY: a value of the mediaload line in $run
	sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< " $run"
}
clean=0 lossy=
for n in "${counts[@]}"; do
	bench_pinholed "pinholed-$n" "$SERVER" \
		"media-streams = $((n + 16))" \
		"session-media-streams = $n" \
		"session-media-kbps = $((n * 80 + 80))" \
		"session-media-seconds = $((n * seconds + 60))"
	pid=$BENCH_PID
	[ ${#rt[@]} -eq 0 ] || chrt -a -f -p 1 "$pid" > /dev/null
	if ! run=$(bench_client_exec "${rt[@]}" "$MEDIALOAD" --server "$SERVER:4443" \
		--streams "$n" --seconds "$seconds" --pid "$pid"); then
		cat "$BENCH_TMP/pinholed-$n.log" >&2
		bench_fail "$n streams did not run"
	fi
	bench_alive "$pid" "pinholed-$n"
	for k in cli_p50 cli_p99 srv_p50 srv_p99 srv_p99max up_lost down_lost \
	    up_sent down_sent srv_cpu cli_cpu srv_rss_kb srv_hwm_kb send_errors; do
		bench_num "$k ($n streams)" "$(field $k)"
	done
	printf '%7s %7s %7s %7s %7s %9s %9s %9s %13s %6s %6s %9s %9s\n' "$n" \
		"$(field cli_p50)" "$(field cli_p99)" "$(field srv_p50)" \
		"$(field srv_p99)" "$(field srv_p99max)" "$(field up_lost)" \
		"$(field down_lost)" "$(field up_sent)/$(field down_sent)" \
		"$(field srv_cpu)" "$(field cli_cpu)" "$(field srv_rss_kb)" \
		"$(field srv_hwm_kb)"
	if [ "$(field up_lost)" = 0 ] && [ "$(field down_lost)" = 0 ] &&
		[ -z "$lossy" ]; then
		clean=$n
	else
		lossy=${lossy:-$n}
	fi
	[ "$(field send_errors)" = 0 ] ||
		echo "# $n streams: $(field send_errors) streams saw a send error"
	bench_stop "$pid"
done
echo "pacing error in us; sent_each: packets the client sent/pinholed sent," \
	"all streams; srv%, cli%: % of one core over the $seconds s"
echo "loss: none each way up to $clean streams${lossy:+; from $lossy streams on, some}"
if [ "$mode" = full ]; then
	echo "# irtt and pinhole on the same impaired path (tests/lab/scenarios/media-irtt.sh):"
	LAB_BUILD=$BENCH_BUILD "$BENCH_ROOT/tests/lab/scenarios/media-irtt.sh" 2>&1 |
		grep -E '^#  |^# [a-z]|^not ok' | grep -v '^# scenario' ||
		bench_fail "the irtt comparison did not run"
fi
bench_finish
