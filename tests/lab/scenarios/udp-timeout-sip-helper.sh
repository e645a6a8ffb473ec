#!/usr/bin/env bash
# Ground truth: conntrack UDP timeouts of 8 s and 15 s, and the kernel SIP
# helper on udp/5060, which gives its flows its own long timeout (an hour),
# so bindings toward 5060 outlive the 20 s this run measures.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin udp-timeout-sip-helper
lab_topology nat
lab_router_nat
lab_udp_timeout 8 15
lab_alg udp 5060
lab_pinholed
lab_check --udp-timeout-max 20
lab_udp_port 3478 8 15
lab_udp_port 5060 null null
lab_expect '(.checks[] | select(.id == "udp-timeout") | .evidence | .differs_on_sip_port == true and .limit_s == 20)' \
	"udp/5060 differs: its bindings outlive the 20 s limit"
lab_verdict udp-timeout fail
lab_end
