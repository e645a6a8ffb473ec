#!/usr/bin/env bash
# Ground truth: one NAT whose router sends no ICMP time exceeded and speaks
# neither UPnP nor NAT-PMP.  One NAT is all pinhole can see, and it says
# that hop 1 could not be seen rather than claiming certainty.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin layers-silent-gateway
lab_topology nat
lab_router_nat
lab_silent_router
lab_pinholed
lab_check --skip sip-alg
lab_verdict nat.layers warn
lab_expect '(.checks[] | select(.id == "nat.layers") | .evidence | .count == 1 and .complete == false and .unseen_hops == [1] and .hops[0].address == null)' \
	"one NAT seen, hop 1 silent and reported as unseen"
lab_expect '(.checks[] | select(.id == "nat.layers") | .summary) | contains("cannot be seen")' \
	"the summary says what could not be seen"
lab_end
