#!/usr/bin/env bash
# bench/stun.sh [--full] [--rounds N] [--seconds S] [--sessions N]
#               [--sockets N] [--window N]
#
# STUN Binding answers per second of pinholed, beside coturn and a plain
# recvmmsg/sendmmsg UDP echo (bench/udpecho), all on loopback in a network
# namespace of this run, measured in turn over several rounds with the same
# load: bench/stunload, N client sockets (default 4) each keeping 32
# requests in flight (--window), every request the same Binding request padded with
# PADDING to 100 bytes.  A second pinholed holds, besides the load's own
# session, N idle control sessions (bench/sessions, a PING each every 10 s)
# and is measured in the same rounds.  The load comes from an address that
# has a session on each pinholed, so that it gets full answers; a short
# run from an address without one shows the sessionless rate limit.
#
#   short (default, run by the test suite): 1 round of 1 s, 500 sessions
#   --full: 5 rounds of 5 s after 1 s of warm-up each, 5000 sessions
#
# Prints each server's valid responses/s per round, the medians, and the
# ratios beside their targets.  Exits 1 when something is broken (a
# server that answers nothing, a session that does not open or is lost),
# 10 when a ratio misses its target (bench/figures.sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/figures.sh"

rounds=1 seconds=1 warmup=0 idle=500 sockets=4 window=32 mode=short
while [ $# -gt 0 ]; do
	case $1 in
	--full) rounds=5 seconds=5 warmup=1 idle=5000 mode=full ;;
	--rounds) rounds=$2; shift ;;
	--seconds) seconds=$2; shift ;;
	--sessions) idle=$2; shift ;;
	--sockets) sockets=$2; shift ;;
	--window) window=$2; shift ;;
	*) echo "usage: bench/stun.sh [--full] [--rounds N] [--seconds S]" \
		"[--sessions N] [--sockets N] [--window N]" >&2; exit 2 ;;
	esac
	shift
done
for v in "$rounds" "$seconds" "$idle" "$sockets" "$window"; do
	[[ $v =~ ^[1-9][0-9]{0,5}$ ]] || { echo "bench/stun.sh: '$v' is not a count" >&2; exit 2; }
done

# Who listens where: one address each, STUN on port 3478 everywhere.
P1=127.0.0.1 PN=127.0.0.11 COTURN=127.0.0.21 ECHO=127.0.0.31
LOAD=127.0.0.2 UNVAL=127.0.0.3 IDLE_FROM=127.1.0.1
names=(pinholed "pinholed+$idle" coturn echo)
addrs=("$P1" "$PN" "$COTURN" "$ECHO")
expect=(stun stun stun echo)
# Every program started here stops by itself after this, at the latest.
life=$((rounds * 4 * (seconds + warmup + 2) + 120))

bench_begin $((idle + 256))
bench_machine
echo "# stun.sh $mode: $rounds round(s) of $seconds s (+$warmup s warm-up)," \
	"$sockets client sockets x $window requests in flight, 100-byte Binding" \
	"requests with PADDING, namespace $BENCH_NS"

bench_pinholed pinholed "$P1"
p1_pid=$BENCH_PID
bench_pinholed pinholed-n "$PN"
pn_pid=$BENCH_PID
bench_spawn "$BENCH_TMP/turnserver.log" turnserver -n \
	--listening-ip="$COTURN" --listening-port=3478 --no-tls --no-dtls \
	--no-tcp --stun-only --no-cli --log-file=stdout --simple-log \
	--db="$BENCH_TMP/turndb" --pidfile="$BENCH_TMP/turnserver.pid"
turn_pid=$BENCH_PID
bench_wait_listen udp "$COTURN" 3478 "$turn_pid" "$BENCH_TMP/turnserver.log"
bench_spawn "$BENCH_TMP/udpecho.log" "$UDPECHO" --listen "$ECHO:3478" \
	--seconds "$life"
echo_pid=$BENCH_PID
bench_wait_listen udp "$ECHO" 3478 "$echo_pid" "$BENCH_TMP/udpecho.log"
pids=("$p1_pid" "$pn_pid" "$turn_pid" "$echo_pid")

# The load's own session on each pinholed, then the idle ones.
bench_sessions own1 "$P1:4443" "$LOAD" 1 "$life"
own1=$BENCH_PID
bench_sessions ownn "$PN:4443" "$LOAD" 1 "$life"
ownn=$BENCH_PID
bench_sessions idle "$PN:4443" "$IDLE_FROM" "$idle" "$life"
idle_pid=$BENCH_PID
echo "# $idle idle sessions opened in $BENCH_OPEN_S s, from" \
	"$((($idle + 99) / 100)) addresses from $IDLE_FROM, 100 each"

# stunload_run ADDR EXPECT FROM SECONDS WARMUP: one measurement; the
# key=value line in $run, status 1 when no valid answer came.
stunload_run() {
	run=$(bench_exec "$STUNLOAD" --server "$1:3478" --expect "$2" \
		--bind "$3" --sockets "$sockets" --window "$window" \
		--seconds "$4" --warmup "$5") ||
		return 1
}
field() {	# field KEY: a value of the last stunload line
	sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< " $run"
}

bad=0
rates=() sizes=() cpus=() lost=(0 0 0 0)
printf '%-6s' round
printf ' %14s' "${names[@]}"
printf '   (valid responses/s)\n'
for ((r = 1; r <= rounds; r++)); do
	printf '%-6s' "$r"
	for i in "${!names[@]}"; do
		t0=$(bench_cpu_ticks "${pids[i]}") n0=$(date +%s%N)
		if stunload_run "${addrs[i]}" "${expect[i]}" "$LOAD" "$seconds" "$warmup"; then
			cpus[i]+="$(bench_cpu_pct "${pids[i]}" "$t0" "$n0") "
			rates[i]+="$(field rate) "
			sizes[i]=$(field answer_bytes)
			lost[i]=$((lost[i] + $(field lost)))
			printf ' %14s' "$(field rate)"
		else
			printf ' %14s' "NONE"
			echo "BROKEN: ${names[i]} gave no valid answer: $run" >&2
			bad=1
		fi
	done
	printf '\n'
done
for p in "$own1" "$ownn" "$idle_pid"; do
	kill -0 "$p" 2>/dev/null || { echo "BROKEN: sessions lost during the rounds" >&2; bad=1; }
done

med=()
printf '%-6s' median
for i in "${!names[@]}"; do
	# shellcheck disable=SC2086
	med[i]=$(bench_median ${rates[i]:-0})
	printf ' %14.0f' "${med[i]}"
done
printf '\n%-6s' cpu%
for i in "${!names[@]}"; do
	# shellcheck disable=SC2086
	printf ' %14.0f' "$(bench_median ${cpus[i]:-0})"
done
printf '   (median %% of one core the server used while measured)\n'
printf '%-6s' lost
printf ' %14s' "${lost[@]}"
printf '   (requests unanswered within 200 ms, all rounds)\n'

# ratio LABEL A B TARGET: A / B against its target (B of 0 is broken).
ratio() {
	bench_num "$1 (numerator)" "$2"
	bench_num "$1 (denominator)" "$3"
	awk -v b="$3" 'BEGIN { exit !(b > 0) }' ||
		{ echo "BROKEN: $1: the denominator is 0" >&2; exit 1; }
	bench_target "$1" "$(awk -v a="$2" -v b="$3" 'BEGIN { printf "%.2f", a / b }')" ">=" "$4"
}
echo "ratios of the medians:"
ratio "pinholed / coturn" "${med[0]}" "${med[2]}" 1.5
ratio "pinholed / echo" "${med[0]}" "${med[3]}" 0.90
ratio "pinholed+$idle / pinholed" "${med[1]}" "${med[0]}" 0.90

threads=$(ls "/proc/$turn_pid/task" | wc -l)
echo "what was measured:"
echo "  every server got the same 100-byte request; answers averaged" \
	"pinholed ${sizes[0]:-?} B, pinholed+$idle ${sizes[1]:-?} B," \
	"coturn ${sizes[2]:-?} B, echo ${sizes[3]:-?} B"
echo "  pinholed pads its answer to the request's length; coturn, with one" \
	"address (no RFC 5780 pair), ignores PADDING and sends its plain" \
	"answer (with an RFC 5780 pair it would pad every answer to 1500 B);" \
	"the echo returns the request: one datagram of 80-100 B each way for all"
echo "  pinholed: one process, one thread; coturn 4.6.1: --stun-only, its" \
	"default engine, a UDP thread per core ($threads threads in all);" \
	"echo: one thread; the load: one thread"
echo "  the load came from $LOAD, which holds a session on each pinholed:" \
	"validated, full answers"
unval=0
stunload_run "$P1" stun "$UNVAL" 1 0 && unval=$(field rate)
echo "  for contrast, $UNVAL without a session: $unval answers/s from" \
	"pinholed (its sessionless rate limit)"
# A validated load that gets no more than a sessionless one measures the
# rate limit, not the responder: the figures above would mean nothing.
for i in 0 1; do
	if awk -v v="${med[i]}" -v u="$unval" 'BEGIN { exit !(v <= 2 * u + 100) }'; then
		echo "BROKEN: ${names[i]} answered the load like a source" \
			"without a session" >&2
		bad=1
	fi
done
kill -0 "$pn_pid" 2>/dev/null || { echo "BROKEN: pinholed+$idle died" >&2; bad=1; }
[ "$bad" -eq 0 ] || exit 1
bench_finish
