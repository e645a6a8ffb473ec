#!/usr/bin/env bash
# Ground truth: one NAT whose router sends no ICMP time exceeded but runs
# miniupnpd (UPnP-IGD and NAT-PMP), which learnt its external address
# 203.0.113.2 by STUN from a coturn on the server.  The gateway's word fills the gap
# left by the silent hop: exactly one NAT, nothing unseen.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin layers-upnp
lab_topology nat
lab_router_nat
lab_silent_router
lab_pinholed
lab_upnpd
lab_check --skip sip-alg
lab_verdict nat.layers pass
lab_expect '(.checks[] | select(.id == "nat.layers") | .evidence | .count == 1 and .complete == true and .unseen_hops == [1])' \
	"one NAT; the silent hop is covered by the gateway"
lab_expect '(.checks[] | select(.id == "nat.layers") | .evidence.methods | .upnp.external == "203.0.113.2" and .natpmp.external == "203.0.113.2")' \
	"UPnP-IGD and NAT-PMP both report the public address the server saw"
lab_end
