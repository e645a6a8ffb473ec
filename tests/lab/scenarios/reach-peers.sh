#!/usr/bin/env bash
# Ground truth: the reachability probes speak well enough to real servers:
# prosody answers the XMPP stream open with features offering STARTTLS and
# the BOSH request with a session body; sipp answers SIP OPTIONS with
# 200 OK over UDP and TCP.  Every endpoint is open.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
LAB_REACH=1
lab_begin reach-peers
lab_topology nat
lab_router_nat
lab_peers
lab_pinholed
LAB_PROFILE=$LAB_ROOT/tests/lab/profiles/lab-peers.ini
lab_check --skip sip-alg --skip nat --skip nat-layers
lab_reach reach.tcp.out.5222 pass 5222 ""
lab_reach reach.tcp.out.5280 pass 5280 ""
lab_reach reach.udp.out.5060 pass 5060 ""
lab_reach reach.tcp.out.5060 pass 5060 ""
lab_expect '(.checks[] | select(.id == "reach.tcp.out.5222") | .evidence.ports[0].detail) | contains("STARTTLS offered")' \
	"prosody offers STARTTLS"
lab_expect '(.checks[] | select(.id == "reach.udp.out.5060") | .evidence.ports[0].detail) == "SIP/2.0 200"' \
	"sipp answers OPTIONS with 200"
lab_expect '(.checks[] | select(.id == "reach.tcp.out.5222") | .evidence.ports[0].address) == "203.0.113.12:5222"' \
	"the host's address is probed"
lab_end
