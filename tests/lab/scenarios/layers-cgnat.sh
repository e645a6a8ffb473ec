#!/usr/bin/env bash
# Ground truth: our router's WAN side is in the carrier NAT range
# (100.64.0.2), behind the provider's carrier-grade NAT (100.64.0.1,
# public 203.0.113.2): two NATs, one of them carrier-grade.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin layers-cgnat
lab_topology cgnat
lab_router_nat
lab_pinholed
lab_check --skip sip-alg
lab_verdict nat.layers fail
lab_expect '(.checks[] | select(.id == "nat.layers") | .evidence | .count == 2 and .cgnat == true)' \
	"two NATs, one carrier-grade"
lab_expect '[.checks[] | select(.id == "nat.layers") | .evidence.hops[] | .realm] == ["192.168/16", "100.64/10"]' \
	"the second hop answers from the carrier NAT range"
lab_expect '(.checks[] | select(.id == "nat.layers") | .remedy) | contains("public IPv4 address")' \
	"the remedy is to ask the provider for a public address"
lab_end
