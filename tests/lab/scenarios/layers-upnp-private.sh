#!/usr/bin/env bash
# Ground truth: two NATs, private behind private, the provider's router
# silent to TTL-limited probes; our router runs miniupnpd without STUN,
# which answers but names no external address, its own being private.
# One NAT is all pinhole can count; it must say that hop 2 could not be
# seen and that the gateway would not tell, and warn rather than pass.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin layers-upnp-private
lab_topology double
lab_router_nat
lab_silent_router carrier
lab_pinholed
lab_upnpd nostun
lab_check --skip sip-alg
lab_verdict nat.layers warn
lab_expect '(.checks[] | select(.id == "nat.layers") | .evidence | .count == 1 and .complete == false and .unseen_hops == [2])' \
	"one NAT counted, hop 2 unseen, the count not complete"
lab_expect '(.checks[] | select(.id == "nat.layers") | .evidence.methods | (.upnp.error | contains("names no external address")) and (.natpmp.error | contains("names no external address")))' \
	"UPnP-IGD and NAT-PMP answer but name no address"
lab_expect '(.checks[] | select(.id == "nat.layers") | .summary) | contains("hop 2 did not answer and the gateway names no external address")' \
	"the summary says what could not be seen and why"
lab_end
