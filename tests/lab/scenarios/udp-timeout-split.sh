#!/usr/bin/env bash
# Ground truth: one NAT whose conntrack keeps a UDP flow that never had a
# reply for 12 s and an established (two-way) flow for 40 s, the same on
# every port; packets from outside refresh a binding (Linux refreshes on
# both directions).  The profile asks for 120 s, so the check fails.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin udp-timeout-split
lab_topology nat
lab_router_nat
lab_udp_timeout 12 40
lab_pinholed
lab_check --udp-timeout-max 60
lab_verdict udp-timeout fail
lab_udp_port 3478 12 40
lab_udp_port 5060 12 40
lab_expect '(.checks[] | select(.id == "udp-timeout") | .evidence | .unreplied_s == 12 and .established_s == 40 and .inbound_refresh == true and .differs_on_sip_port == false)' \
	"unreplied 12 s, established 40 s, inbound traffic refreshes"
lab_expect '(.checks[] | select(.id == "udp-timeout") | .evidence.wall_s) <= 45' \
	"measured in at most the timeout plus 5 s"
lab_expect '(.checks[] | select(.id == "udp-timeout") | .remedy) | (contains("120 s") and contains("every 9 s"))' \
	"the remedy names the minimum and a keepalive under a fresh flow's lifetime (12 s)"
lab_end
