#!/usr/bin/env bash
# Ground truth: masquerade with fully random ports.  Each destination gets
# a new public port (address-and-port-dependent mapping, no port
# preservation); filtering stays address-and-port-dependent.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin nat-behavior-symmetric
lab_topology nat
lab_router_symmetric
lab_pinholed
lab_check
lab_behavior nat.mapping address-and-port-dependent warn
lab_behavior nat.filtering address-and-port-dependent warn
lab_expect '(.checks[] | select(.id == "nat.port-preservation") | .evidence.preserved_count) == 0' \
	"no port is preserved"
lab_verdict nat.hairpin warn
lab_end
