#!/usr/bin/env bash
# Ground truth: two NATs, private behind private: our router (LAN
# 192.168.1.0/24, WAN 10.0.0.2) behind the provider's (10.0.0.1, public
# 203.0.113.2).  Both answer TTL-limited probes; neither speaks UPnP or
# NAT-PMP.  The profile allows one NAT.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin layers-double-nat
lab_topology double
lab_router_nat
lab_pinholed
lab_check --skip sip-alg
lab_verdict nat.layers fail
lab_expect '(.checks[] | select(.id == "nat.layers") | .evidence | .count == 2 and .cgnat == false and .complete == true and .path_length == 3)' \
	"two NATs, no carrier NAT, every hop seen, the server three hops away"
lab_expect '[.checks[] | select(.id == "nat.layers") | .evidence.hops[] | .address] == ["192.168.1.1", "10.0.0.1"]' \
	"the hops are our router and the provider's"
lab_expect '(.checks[] | select(.id == "nat.layers") | .evidence.methods | .ttl.count == 2 and (.upnp | has("error")) and (.natpmp | has("error")))' \
	"the count comes from the path; the gateway methods say why they are silent"
lab_expect '(.checks[] | select(.id == "nat.layers") | .remedy) | contains("bridge mode")' \
	"the remedy is to remove one NAT"
lab_end
