#!/usr/bin/env bash
# Ground truth: a masquerading NAT whose router drops every UDP datagram
# the LAN sends out; the provider's relay (coturn) on 203.0.113.13 over
# UDP and TCP 3478 and TLS 443.  Direct media fails, so does the relay
# over UDP, at allocate with no answer; TCP and TLS carry the test call
# both ways, and relay.needed says a relay is needed.  The credentials
# are pinholed's (RELAY), made from the relay's shared secret.  Three runs
# in a row.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin relay-udp-blocked
lab_topology nat
lab_router_nat
lab_relay_setup
lab_lan_drop_udp
for run in 1 2 3; do
	echo "# run $run"
	lab_relay_check
	lab_verdict media.rtp fail
	lab_relay relay.udp fail "no answer" allocate
	lab_relay relay.tcp pass
	lab_relay relay.tls pass
	lab_expect '[.checks[] | select(.id | startswith("relay.") and . != "relay.needed") | .evidence.credentials] == ["pinholed", "pinholed", "pinholed"]' \
		"the profile's relays got their credentials from pinholed (RELAY)"
	lab_verdict relay.needed warn
	lab_expect '(.checks[] | select(.id == "relay.needed") | .summary | startswith("a relay is needed"))' \
		"relay.needed says a relay is needed"
done
lab_end
