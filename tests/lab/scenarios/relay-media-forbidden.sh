#!/usr/bin/env bash
# Ground truth: the provider's relay (coturn on 203.0.113.13) refuses
# pinholed's address as a peer (denied-peer-ip), so its CreatePermission
# is answered 403: every transport reaches the relay and allocates, and
# fails at the permission naming the forbidden peer.  Three runs in a row.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin relay-media-forbidden
lab_topology nat
lab_router_nat
lab_relay_setup --denied-peer-ip=$LAB_SERVER
for run in 1 2 3; do
	echo "# run $run"
	lab_relay_check --skip media
	for t in udp tcp tls; do
		lab_relay relay.$t fail "forbidden peer" permission
		lab_expect "(.checks[] | select(.id == \"relay.$t\") | .evidence.relayed | startswith(\"$LAB_RELAY:\"))" \
			"relay.$t allocated on the relay before the 403"
	done
	lab_verdict relay.needed skip
done
lab_end
