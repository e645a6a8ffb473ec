#!/usr/bin/env bash
# Ground truth: one NAT, and on udp/5060 an ALG as Cisco ASA's 'inspect
# sip' is documented to behave (tests/lab/alg, asa-cline): outbound it
# writes the router's address into Via, From, Contact and the SDP's c=,
# correcting Content-Length, and leaves the SDP's o= line private;
# inbound it writes the private address into the Request-URI and To.
# Every address it writes is the same public one: calls can work.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin alg-asa-cline
lab_topology nat
lab_router_nat
lab_alg_vendor asa-cline
lab_pinholed
lab_check --skip media --skip sip-size
lab_verdict sip-alg.udp.5060 fail
lab_elements sip-alg.udp.5060 outbound '["Contact","Content-Length","From","Via","sdp.c"]'
lab_elements sip-alg.udp.5060 inbound '["Request-URI","To"]'
alg='(.checks[] | select(.id == "sip-alg.udp.5060") | .evidence)'
lab_expect "[$alg.outbound.rewritten[] | select(.element == \"sdp.c\") | .received] == [\"IN IP4 203.0.113.2\"]" \
	"c= carries the router's public address"
lab_expect "$alg.outbound.messages | all(.delivered and .length_ok and (.truncated | not))" \
	"every message arrived whole, its Content-Length right"
lab_expect "$alg.calls.outcome == \"work\" and $alg.calls.changes == [\"address\",\"origin-kept\"] and $alg.calls.breaks == []" \
	"calls: they work; the kinds of change: addresses, o= left"
lab_expect '(.checks[] | select(.id == "sip-alg.udp.5060") | .summary) | contains("consistently to 203.0.113.2 (it left the SDP'"'"'s o= line as it was") and contains("calls can work through it")' \
	"the summary says calls can work, and that o= was left"
lab_verdict sip-alg.udp.5062 pass
lab_verdict sip-alg.tcp.5060 pass
lab_alg_vendor_stats
lab_expect '.outbound.changed == 9 and .inbound.changed == 2 and .outbound.elements == ["Via","Contact","From","sdp.c"] and .errors == 0' \
	"the emulator rewrote both messages each way (and the 7 method probes outbound), no o="
lab_end
