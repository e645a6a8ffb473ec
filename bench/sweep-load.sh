#!/usr/bin/env bash
# bench/sweep-load.sh: the load a whole check puts on the customer's
# router, a plain masquerading NAT that forwards nothing and whose input
# accepts what arrives (each datagram to a closed port becomes a
# connection tracking entry): datagrams that reached the router for its
# own closed UDP ports (UdpNoPorts), datagrams in on its WAN side, and the
# peak count of its connection tracking entries, sampled every 50 ms.
#
#   BEFORE=PATH: also the same figures for another pinhole binary (an
#   earlier build), side by side, in the same lab
#
# Target (bench/figures.sh): a peak under 2,000 entries, where a sample of
# the inbound range already refutes the requirement (nothing forwarded).
set -euo pipefail
. "$(dirname "$0")/../tests/lab/lib.sh"
. "$(dirname "$0")/figures.sh"
LAB_REACH=1
LAB_PROFILE=$LAB_ROOT/tests/lab/profiles/lab-phones.ini

lab_begin bench-sweep-load
lab_topology nat
lab_router_nat
lab_udp_timeout 30 120
lab_pinholed

nstat_get() {	# nstat_get COUNTER: the router's absolute counter
	lab_exec router nstat -az "$1" | awk -v c="$1" '$1 == c { print $2 }'
}
wan_rx() {
	lab_exec router cat /sys/class/net/wan/statistics/rx_packets
}

# measure LABEL BINARY: one whole check with that pinhole; one row.
measure() {
	local label=$1 nop0 rx0 nop1 rx1 peak sampler why
	lab_exec router conntrack -F >/dev/null 2>&1 || true
	sleep 1
	nop0=$(nstat_get UdpNoPorts) rx0=$(wan_rx)
	: > "$LAB_TMP/ct-count"
	lab_exec router bash -c 'while :; do conntrack -C; sleep 0.05; done' \
		> "$LAB_TMP/ct-count" 2>/dev/null &
	sampler=$!
	# The earlier build is measured, not judged: its clash is the point.
	LAB_GUARD=$([ "$label" = before ] && echo 0 || echo 1) PINHOLE=$2 \
		lab_check --udp-timeout-max 40
	kill "$sampler"; wait "$sampler" 2>/dev/null || true
	why=$(lab_json_problem "$LAB_JSON")
	[ -z "$why" ] || { cat "$LAB_TMP/check.err" >&2; echo "BROKEN: $why" >&2; exit 1; }
	[ "$lab_failed" -eq 0 ] || bench_finish
	nop1=$(nstat_get UdpNoPorts) rx1=$(wan_rx)
	peak=$(sort -n "$LAB_TMP/ct-count" | tail -1)
	bench_num "UdpNoPorts ($label)" "$((nop1 - nop0))"
	bench_num "peak entries ($label)" "${peak:-}"
	printf '%-8s %12s %12s %14s   %s\n' "$label" "$((nop1 - nop0))" \
		"$((rx1 - rx0))" "$peak" "$(jq -r '.checks[] |
		select(.id == "reach.udp.in.1-65535") | "\(.verdict): \(.summary)"' \
		"$LAB_JSON" | cut -c1-60)"
	PEAK=$peak
}

printf '%-8s %12s %12s %14s   %s\n' pinhole udp_noports wan_rx_pkts peak_entries \
	"reach.udp.in.1-65535"
if [ -n "${BEFORE:-}" ]; then
	measure before "$BEFORE"
fi
measure now "$PINHOLE"
bench_target "peak connection tracking entries on the router" "$PEAK" "<" 2000
bench_finish
