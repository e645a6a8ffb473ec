#!/usr/bin/env bash
# Ground truth: one NAT (Linux masquerade), no SIP ALG.  The server sees the
# router's address 203.0.113.2; SIP passes unchanged on every port.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin nat-no-alg
lab_topology nat
lab_router_nat
lab_pinholed
lab_check
lab_verdict nat.present pass
lab_expect '(.checks[] | select(.id == "nat.present") | .evidence.nat) == true' "a NAT is seen"
lab_expect '(.checks[] | select(.id == "nat.present") | .evidence.udp.public) | startswith("203.0.113.2:")' \
	"public UDP mapping is on the router"
lab_expect '.local_address == "192.168.1.10"' "local address is the LAN address"
lab_verdict nat.layers pass
lab_expect '(.checks[] | select(.id == "nat.layers") | .evidence | .count == 1 and .complete == true and [.hops[].address] == ["192.168.1.1"])' \
	"one NAT layer: the router, the only hop"
for id in sip-alg.udp.5060 sip-alg.udp.5062 sip-alg.tcp.5060 sip-alg.tcp.5062; do
	lab_verdict "$id" pass
	lab_clean "$id" outbound
	lab_clean "$id" inbound
done
lab_expect '.verdict != "fail"' "overall verdict is not fail"
lab_expect 'all(.checks[] | select(.id | startswith("sip-alg.") or . == "nat.present"); .duration_s > 0 and .duration_s < 10)' \
	"measured checks report how long they took"
lab_end
