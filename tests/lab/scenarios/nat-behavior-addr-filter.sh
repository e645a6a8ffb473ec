#!/usr/bin/env bash
# Ground truth: 1:1 forwarding without hairpin, and inbound UDP only from
# addresses the public port has sent to: endpoint-independent mapping,
# address-dependent filtering, no hairpin.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin nat-behavior-addr-filter
lab_topology nat
lab_router_one_to_one
lab_router_addr_filter
lab_pinholed
lab_check
lab_behavior nat.mapping endpoint-independent pass
lab_behavior nat.filtering address-dependent warn
lab_verdict nat.hairpin warn
lab_end
