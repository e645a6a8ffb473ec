#!/usr/bin/env bash
# Ground truth: one Linux masquerade NAT (endpoint-independent mapping,
# address-and-port-dependent filtering), seen by two real peers:
# pinhole nat against coturn's turnserver (RFC 5780 on two addresses), and
# coturn's own NAT discovery client against pinholed, without a session
# (its requests carry PADDING, so pinholed may answer them in full).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin stun-interop-coturn
lab_topology nat
lab_router_nat
lab_spawn server "$LAB_TMP/turnserver.log" turnserver -n \
	--listening-ip=203.0.113.10 --listening-ip=203.0.113.11 \
	--listening-port=3478 --alt-listening-port=3479 --no-tls --no-dtls \
	--stun-only --no-cli --log-file=stdout --simple-log
turn=$LAB_PID
lab_wait_udp server 203.0.113.11:3479
LAB_JSON=$LAB_TMP/nat.json
lab_exec client "$PINHOLE" nat --stun 203.0.113.10 --json > "$LAB_JSON" || true
lab_behavior nat.mapping endpoint-independent pass
lab_behavior nat.filtering address-and-port-dependent pass
lab_expect '(.checks[] | select(.id == "nat.mapping") | .evidence.server_other) == "203.0.113.11:3479"' \
	"coturn's OTHER-ADDRESS is used"
kill "$turn"; wait "$turn" 2>/dev/null || true

lab_pinholed
lab_exec client timeout 20 turnutils_natdiscovery -m -P 203.0.113.10 > "$LAB_TMP/m.txt" 2>&1 || true
lab_exec client timeout 20 turnutils_natdiscovery -f -P 203.0.113.10 > "$LAB_TMP/f.txt" 2>&1 || true
lab_grep "$LAB_TMP/m.txt" "NAT with Endpoint Independent Mapping" \
	"coturn's client finds endpoint-independent mapping through pinholed"
lab_grep "$LAB_TMP/f.txt" "NAT with Address and Port Dependent Filtering" \
	"coturn's client finds address-and-port-dependent filtering through pinholed"
lab_grep "$LAB_TMP/m.txt" "Other addr: : 203.0.113.11:3479" \
	"pinholed gives OTHER-ADDRESS to a standard client"
lab_end
