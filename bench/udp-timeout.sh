#!/usr/bin/env bash
# bench/udp-timeout.sh [--long]: measures the UDP binding timeout in the lab
# at several configured conntrack timeouts and prints, for each, what was
# configured, what pinhole measured, and how long the measurement took.
#
#   short (default, run by the test suite): 8/15 s and 12/40 s
#   --long: also 30/120 s and 60/300 s (about 8 more minutes)
#
# Each pair is unreplied/established.  Targets (bench/figures.sh: a miss
# exits 10; a value not measured, or a broken run, exits 1): each value
# within 1 s of the configured one, the wall time at most 5 s past the
# longest timeout.
set -euo pipefail
. "$(dirname "$0")/../tests/lab/lib.sh"
. "$(dirname "$0")/figures.sh"
pairs=("8 15" "12 40")
[ "${1:-}" = --long ] && pairs+=("30 120" "60 300")

lab_begin bench-udp-timeout
lab_topology nat
lab_router_nat
lab_pinholed
results=()
printf '%-22s %-22s %8s %s\n' "configured (unrep/est)" "measured (unrep/est)" "wall_s" "over_s"
for pair in "${pairs[@]}"; do
	read -r unrep est <<< "$pair"
	lab_udp_timeout "$unrep" "$est"
	lab_exec router conntrack -F >/dev/null 2>&1 || true
	lab_check --skip sip-alg --skip nat --skip nat-layers \
		--udp-timeout-max $((est + 20))
	[ "$lab_failed" -eq 0 ] || bench_finish
	read -r mu me wall < <(jq -r '.checks[] | select(.id == "udp-timeout") |
		.evidence | "\(.unreplied_s) \(.established_s) \(.wall_s)"' "$LAB_JSON")
	bench_num "unreplied_s ($unrep/$est)" "${mu:-}"
	bench_num "established_s ($unrep/$est)" "${me:-}"
	bench_num "wall_s ($unrep/$est)" "${wall:-}"
	over=$(awk -v w="$wall" -v t="$est" 'BEGIN { printf "%.1f", w - t }')
	printf '%-22s %-22s %8s %s\n' "$unrep / $est" "$mu / $me" "$wall" "$over"
	results+=("$unrep|$est|$mu|$me|$over")
done
for x in "${results[@]}"; do
	IFS='|' read -r unrep est mu me over <<< "$x"
	bench_target "unreplied $unrep s measured, error_s" "$(( mu > unrep ? mu - unrep : unrep - mu ))" "<=" 1
	bench_target "established $est s measured, error_s" "$(( me > est ? me - est : est - me ))" "<=" 1
	bench_target "wall time past $est s, over_s" "$over" "<=" 5
done
bench_finish
