#!/usr/bin/env bash
# bench/udp-timeout.sh [--long]: measures the UDP binding timeout in the lab
# at several configured conntrack timeouts and prints, for each, what was
# configured, what pinhole measured, and how long the measurement took.
#
#   short (default, run by the test suite): 8/15 s and 12/40 s
#   --long: also 30/120 s and 60/300 s (about 8 more minutes)
#
# Each pair is unreplied/established.  Exits 1 when a value is off by more
# than 1 s or the wall time exceeds the longest timeout by more than 5 s.
set -euo pipefail
. "$(dirname "$0")/../tests/lab/lib.sh"
pairs=("8 15" "12 40")
[ "${1:-}" = --long ] && pairs+=("30 120" "60 300")

lab_begin bench-udp-timeout
lab_topology nat
lab_router_nat
lab_pinholed
bad=0
printf '%-22s %-22s %8s %s\n' "configured (unrep/est)" "measured (unrep/est)" "wall_s" "over_s"
for pair in "${pairs[@]}"; do
	read -r unrep est <<< "$pair"
	lab_udp_timeout "$unrep" "$est"
	lab_exec router conntrack -F >/dev/null 2>&1 || true
	lab_check --skip sip-alg --skip nat --skip nat-layers \
		--udp-timeout-max $((est + 20))
	read -r mu me wall < <(jq -r '.checks[] | select(.id == "udp-timeout") |
		.evidence | "\(.unreplied_s) \(.established_s) \(.wall_s)"' "$LAB_JSON")
	over=$(awk -v w="$wall" -v t="$est" 'BEGIN { printf "%.1f", w - t }')
	printf '%-22s %-22s %8s %s\n' "$unrep / $est" "$mu / $me" "$wall" "$over"
	if [ "$mu" = null ] || [ "$me" = null ] ||
	   [ $((mu - unrep)) -gt 1 ] || [ $((unrep - mu)) -gt 1 ] ||
	   [ $((me - est)) -gt 1 ] || [ $((est - me)) -gt 1 ] ||
	   awk -v o="$over" 'BEGIN { exit !(o > 5) }'; then
		bad=$((bad + 1))
	fi
done
[ "$bad" -eq 0 ]
