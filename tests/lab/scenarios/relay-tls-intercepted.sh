#!/usr/bin/env bash
# Ground truth: a masquerading NAT whose router sends TCP 443 toward the
# provider's relay (203.0.113.13) to a TLS-inspecting proxy that answers
# with a certificate of its own ("inspecting-firewall"); the relay over
# UDP and TCP 3478 is untouched.  relay.tls fails at the TLS step as
# interception, naming the proxy's issuer; UDP and TCP carry the test
# call both ways.  Three runs in a row.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin relay-tls-intercepted
lab_topology nat
lab_router_nat
lab_relay_setup
# Only the relay's 443: the control connection to pinholed is left alone.
lab_middlebox tls $LAB_RELAY
for run in 1 2 3; do
	echo "# run $run"
	lab_relay_check --skip media
	lab_relay relay.tls fail "TLS intercepted" tls
	lab_expect '(.checks[] | select(.id == "relay.tls") | (.evidence.tls_issuer | contains("inspecting-firewall")) and (.remedy | contains("inspecting-firewall")))' \
		"relay.tls names the proxy's issuer"
	lab_relay relay.udp pass
	lab_relay relay.tcp pass
done
lab_end
