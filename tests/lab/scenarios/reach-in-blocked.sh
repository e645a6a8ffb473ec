#!/usr/bin/env bash
# Ground truth: a plain masquerading router forwards nothing inbound.  The
# sweep of every UDP port finds all of them blocked (a second pass of a
# sample confirms it) and every inbound TCP port is refused, in seconds.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
LAB_REACH=1
lab_begin reach-in-blocked
lab_topology nat
lab_router_nat
lab_pinholed
LAB_PROFILE=$LAB_ROOT/tests/lab/profiles/lab-inbound.ini
lab_check --skip nat --skip nat-layers
lab_reach reach.udp.in.1-65535 fail "" 1-65535
lab_reach reach.tcp.in.5060-5066 fail "" 5060-5066
lab_expect '(.checks[] | select(.id == "reach.tcp.in.5060-5066") | .evidence.blocked_detail[0].server_says) == "refused"' \
	"the server saw the TCP connection refused"
lab_expect '(.checks[] | select(.id == "reach.udp.in.1-65535") | .duration_s) < 5' \
	"the sweep of 65535 ports took under 5 s"
lab_end
