#!/usr/bin/env bash
# Ground truth: one NAT with a SIP ALG on udp/5060 and UDP timeouts of
# 30/60 s.  SIGINT during the UDP timeout wait ends the check within a
# second or two, and the JSON report holds every check that finished (the
# NAT and SIP ALG verdicts, exact) and says the timeout was interrupted.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin check-interrupt
lab_topology nat
lab_router_nat
lab_alg udp 5060
lab_udp_timeout 30 60
lab_pinholed
LAB_JSON=$LAB_TMP/report.json
ip netns exec "${LAB_PREFIX}client" "$PINHOLE" check \
	--server "$LAB_SERVER:443" --profile "$LAB_PROFILE" --json \
	--udp-timeout-max 60 > "$LAB_JSON" 2> "$LAB_TMP/check.err" &
pid=$!
lab_pids+=("$pid")
sleep 6
t0=$(date +%s%N)
kill -INT "$pid"
set +e
wait "$pid"
LAB_STATUS=$?
set -e
t1=$(date +%s%N)
lab_checks=$((lab_checks + 1))
if [ $(( (t1 - t0) / 1000000 )) -le 2000 ]; then
	echo "ok - the check ended $(( (t1 - t0) / 1000000 )) ms after SIGINT"
else
	echo "not ok - the check took $(( (t1 - t0) / 1000000 )) ms to end after SIGINT"
	lab_failed=$((lab_failed + 1))
fi
lab_expect '.schema == "pinhole.report/1"' "a valid JSON report was written"
lab_verdict sip-alg.udp.5060 fail
lab_verdict sip-alg.udp.5062 pass
lab_expect '(.checks[] | select(.id == "nat.mapping") | .verdict) == "pass"' \
	"the NAT checks that finished are in the report"
lab_expect '(.checks[] | select(.id == "udp-timeout") | .verdict == "error" and (.summary | contains("interrupted")))' \
	"the unfinished timeout measurement says error, interrupted"
lab_expect '[.checks[] | select(.id == "udp-timeout")] | length == 1' \
	"one udp-timeout entry, not a second one from the pending requirements"
lab_expect '.verdict == "error"' "the overall verdict is error"
lab_expect "$LAB_STATUS == 2" "exit status 2"
lab_end
