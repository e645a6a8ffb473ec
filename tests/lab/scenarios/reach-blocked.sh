#!/usr/bin/env bash
# Ground truth: the router refuses TCP 5222 with a reset and TCP 5063 with
# ICMP port unreachable, and silently drops TCP 5280 and UDP 5060.  Refused
# and dropped ports both come out as blocked, and the run still ends within
# the 2 s answer timeout.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
LAB_REACH=1
lab_begin reach-blocked
lab_topology nat
lab_router_nat
lab_reach_firewall
lab_pinholed
LAB_PROFILE=$LAB_ROOT/profiles/ringio-desktop.ini
lab_check --profile "$LAB_ROOT/profiles/ringio-ip-phones.ini" --skip sip-alg --skip nat --skip nat-layers \
	--skip media
lab_reach reach.tcp.out.80 pass 80 ""
lab_reach reach.tcp.out.5222 fail "" 5222
lab_reach reach.tcp.out.5280 fail "" 5280
lab_reach reach.udp.out.5060 fail "" 5060
lab_reach reach.tcp.out.5060-5066 fail "5060-5062, 5064-5066" 5063
lab_expect '[.checks[] | select(.id == "reach.tcp.out.5060-5066") | .evidence.ports[] | select(.port == 5063) | .outcome] == ["refused"]' \
	"ICMP port unreachable is a refusal"
lab_expect '[.checks[] | select(.id == "reach.tcp.out.5222") | .evidence.ports[].outcome] == ["refused"]' \
	"a TCP reset is a refusal"
lab_expect '[.checks[] | select(.id == "reach.udp.out.5060" or .id == "reach.tcp.out.5280") | .evidence.ports[].outcome] == ["dropped", "dropped"]' \
	"silent drops are dropped"
lab_expect '.duration_s < 5' "the whole run takes under 5 s"
lab_end
