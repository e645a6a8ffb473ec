#!/usr/bin/env bash
# The README's demo network, checked whole as a user runs it: a NAT router
# with the kernel SIP ALG on UDP and TCP 5060 and UDP timeouts of 20 s
# (unreplied) and 30 s (established), forwarding nothing.  Ground truth:
# the ALG is found on 5060 (UDP and TCP) and nowhere else, both timeouts
# measured, media passes on every port both ways, no inbound port is open,
# and no mapping of pinhole's own clashes at the router or is reported
# open (lab_check's guard).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
LAB_REACH=1
LAB_NO_FORWARD=1
lab_begin whole-demo
lab_topology nat
lab_router_nat
lab_alg udp 5060
lab_alg tcp 5060
lab_udp_timeout 20 30
lab_pinholed
lab_check --udp-timeout-max 40
lab_verdict sip-alg.udp.5060 fail
lab_verdict sip-alg.tcp.5060 fail
lab_verdict sip-alg.udp.5062 pass
lab_verdict sip-alg.tcp.5062 pass
lab_expect '(.checks[] | select(.id == "udp-timeout")) | .verdict == "fail" and .evidence.unreplied_s == 20 and .evidence.established_s == 30' \
	"udp-timeout fails: 20 s unreplied, 30 s established"
lab_verdict media.rtp pass
lab_expect '(.checks[] | select(.id == "media.rtp") | .evidence.ports_blocked_up + .evidence.ports_blocked_down) == []' \
	"media passed on every port tried, both ways"
lab_expect '[.checks[] | select(.id | startswith("reach.udp.in.")) | .evidence.open] == [""]' \
	"no inbound UDP port is open"
lab_end
