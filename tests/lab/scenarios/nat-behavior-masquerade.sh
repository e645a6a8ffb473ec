#!/usr/bin/env bash
# Ground truth: Linux masquerade keeps the source port when it is free, so
# a socket keeps its public port for every destination (endpoint-independent
# mapping, port preserving); conntrack lets in only replies from the exact
# address and port contacted (address-and-port-dependent filtering); nothing
# loops back to the public address (no hairpin).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin nat-behavior-masquerade
lab_topology nat
lab_router_nat
lab_pinholed
lab_check
lab_behavior nat.mapping endpoint-independent pass
lab_behavior nat.filtering address-and-port-dependent warn
lab_expect '(.checks[] | select(.id == "nat.mapping") | .evidence.server_other) == "203.0.113.11:3479"' \
	"the server's other address and port come from OTHER-ADDRESS"
lab_expect '(.checks[] | select(.id == "nat.port-preservation") | .evidence.preserved) == true' \
	"ports are preserved"
lab_verdict nat.hairpin warn
lab_expect '(.checks[] | select(.id == "nat.hairpin") | .evidence.hairpin) == false' "no hairpin"
lab_end
