#!/usr/bin/env bash
# Ground truth: two NATs, private behind private (our router's WAN
# 10.0.0.2 behind the provider's 10.0.0.1, public 203.0.113.2).  The
# provider's router sends no ICMP time exceeded, so the path shows one NAT
# and a silent hop 2; our router runs miniupnpd, which names its WAN
# address 10.0.0.2 over UPnP-IGD and NAT-PMP: the gateway shows the second
# NAT.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin layers-upnp-double
lab_topology double
lab_router_nat
lab_silent_router carrier
lab_pinholed
lab_upnpd stun carrier 10.0.0.1
lab_check --skip sip-alg
lab_verdict nat.layers fail
lab_expect '(.checks[] | select(.id == "nat.layers") | .evidence | .count == 2 and .cgnat == false and .unseen_hops == [2] and .path_length == 3)' \
	"two NATs, no carrier NAT, hop 2 silent"
lab_expect '(.checks[] | select(.id == "nat.layers") | .evidence.methods | .ttl.count == 1 and .upnp.external == "10.0.0.2" and .natpmp.external == "10.0.0.2")' \
	"the path alone sees one NAT; UPnP-IGD and NAT-PMP name the private WAN address"
lab_expect '(.checks[] | select(.id == "nat.layers") | .summary) | contains("names 10.0.0.2")' \
	"the summary says what the gateway named"
lab_expect '(.checks[] | select(.id == "nat.layers") | .remedy) | contains("bridge mode")' \
	"the remedy is to remove one NAT"
lab_end
