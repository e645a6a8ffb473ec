#!/usr/bin/env bash
# Ground truth: a plain masquerading router forwards nothing inbound.  A
# sample of 128 UDP ports spread over 1-65535 (its edges included) finds
# none open, twice, which refutes the requirement without sweeping the
# rest; every inbound TCP port is refused, in seconds.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
LAB_REACH=1
lab_begin reach-in-blocked
lab_topology nat
lab_router_nat
lab_pinholed
LAB_PROFILE=$LAB_ROOT/tests/lab/profiles/lab-inbound.ini
lab_check --skip nat --skip nat-layers
lab_expect '(.checks[] | select(.id == "reach.udp.in.1-65535")) | .verdict == "fail" and .evidence.open == "" and .evidence.sampled == 128 and .evidence.arrived == 0 and (.evidence.blocked | startswith("1, ")) and (.evidence.blocked | endswith(", 65535")) and (.evidence.untried | length) > 0' \
	"reach.udp.in.1-65535 fails on a sample of 128 ports, its edges included, none arrived, the rest untried"
lab_expect '(.checks[] | select(.id == "reach.udp.in.1-65535") | .summary) | test("none of 128 ports sampled across 1-65535")' \
	"the summary says the verdict rests on a sample"
lab_reach reach.tcp.in.5060-5066 fail "" 5060-5066
lab_expect '(.checks[] | select(.id == "reach.tcp.in.5060-5066") | .evidence.blocked_detail[0].server_says) == "refused"' \
	"the server saw the TCP connection refused"
lab_expect '(.checks[] | select(.id == "reach.udp.in.1-65535") | .duration_s) < 5' \
	"the sweep of 65535 ports took under 5 s"
lab_end
