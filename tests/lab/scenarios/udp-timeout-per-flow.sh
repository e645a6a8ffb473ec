#!/usr/bin/env bash
# Ground truth: conntrack UDP timeouts of 12 s (unreplied) and 40 s
# (established), and an nftables ct timeout policy for flows to udp/5060
# only: 20 s unreplied, 25 s replied.  Both ports are reported.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin udp-timeout-per-flow
lab_topology nat
lab_router_nat
lab_udp_timeout 12 40
lab_ct_timeout 5060 20 25
lab_pinholed
lab_check --udp-timeout-max 60
lab_verdict udp-timeout fail
lab_udp_port 3478 12 40
lab_udp_port 5060 20 25
lab_expect '(.checks[] | select(.id == "udp-timeout") | .evidence.differs_on_sip_port) == true' \
	"the SIP port's own timeout is reported as different"
lab_expect '(.checks[] | select(.id == "udp-timeout") | .remedy) | (contains("every 9 s") and contains("per-flow timeout"))' \
	"the keepalive follows the shortest lifetime of a fresh flow (12 s), and the per-flow rule is named"
lab_end
