#!/usr/bin/env bash
# A whole check, every family together, as a user runs it, behind a plain
# masquerading NAT that blocks nothing and has no ALG.  Ground truth: media
# passes on every port, no inbound port is open (nothing is forwarded), and
# no mapping of pinhole's own clashes at the router (insert_failed).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
LAB_REACH=1
lab_begin whole-masquerade
lab_topology nat
lab_router_nat
lab_udp_timeout 30 120
lab_pinholed
LAB_NO_FORWARD=1
lab_check --udp-timeout-max 40
lab_verdict media.rtp pass
lab_expect '[.checks[] | select(.id | startswith("reach.udp.in.")) | .evidence.open] == [""]' \
	"no inbound UDP port is open"
lab_end
