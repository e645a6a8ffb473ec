#!/usr/bin/env bash
# Ground truth: a masquerading NAT whose router sends TCP 443 toward the
# provider's relay (203.0.113.13) to a TLS-inspecting proxy that answers
# with a certificate of its own ("inspecting-firewall"); the relay over
# UDP and TCP 3478 is untouched.  relay.tls fails at the TLS step as
# interception, naming the proxy's issuer; UDP and TCP carry the test
# call both ways.  Three runs in a row.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin relay-tls-intercepted
lab_topology nat
lab_router_nat
lab_relay_setup
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=inspecting-firewall" \
	-keyout "$LAB_TMP/mitm.key" -out "$LAB_TMP/mitm.pem" 2>/dev/null
lab_spawn router "$LAB_TMP/proxy-tls.log" python3 "$LAB_ROOT/tests/lab/proxy.py" \
	tls 3129 "$LAB_TMP/mitm.pem" "$LAB_TMP/mitm.key"
# Only the relay's 443: the control connection to pinholed is left alone.
lab_exec router nft -f - <<-NFT
table ip phl_mitm {
	chain pre {
		type nat hook prerouting priority dstnat; policy accept;
		iifname "lan" ip daddr $LAB_RELAY tcp dport 443 redirect to :3129
	}
}
NFT
lab_wait_tcp router 3129 "$LAB_TMP/proxy-tls.log"
for run in 1 2 3; do
	echo "# run $run"
	lab_relay_check --skip media
	lab_relay relay.tls fail "TLS intercepted" tls
	lab_expect '(.checks[] | select(.id == "relay.tls") | (.evidence.tls_issuer | contains("inspecting-firewall")) and (.remedy | contains("inspecting-firewall")))' \
		"relay.tls names the proxy's issuer"
	lab_relay relay.udp pass
	lab_relay relay.tcp pass
done
lab_end
