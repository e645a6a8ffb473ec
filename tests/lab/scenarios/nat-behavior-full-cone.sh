#!/usr/bin/env bash
# Ground truth: 1:1 forwarding of the public address to the client, with
# hairpinning.  Endpoint-independent mapping and filtering; a packet to our
# own public address comes back in.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin nat-behavior-full-cone
lab_topology nat
lab_router_one_to_one hairpin
lab_pinholed
lab_check
lab_behavior nat.mapping endpoint-independent pass
lab_behavior nat.filtering endpoint-independent pass
lab_verdict nat.hairpin pass
lab_expect '(.checks[] | select(.id == "nat.hairpin") | .evidence.hairpin) == true' "hairpin works"
lab_end
