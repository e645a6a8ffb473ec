#!/usr/bin/env bash
# Ground truth: one NAT, and on udp/5060 an ALG that holds SIP in a
# 512-byte buffer and cuts what is longer (tests/lab/alg, cut-body),
# translating nothing.  The REGISTERs (about 400 bytes) pass whole; the
# INVITEs lose the end of their SDP both ways: outgoing calls get no
# media negotiated, incoming calls are missed.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin alg-cut-body
lab_topology nat
lab_router_nat
lab_alg_vendor cut-body
lab_pinholed
lab_check --skip media --skip sip-size
lab_verdict sip-alg.udp.5060 fail
alg='(.checks[] | select(.id == "sip-alg.udp.5060"))'
for d in outbound inbound; do
	lab_expect "[$alg.evidence.$d.messages[] | {method, truncated, received_bytes}] == [{\"method\":\"REGISTER\",\"truncated\":false,\"received_bytes\":(.checks[] | select(.id == \"sip-alg.udp.5060\") | .evidence.$d.messages[0].sent_bytes)},{\"method\":\"INVITE\",\"truncated\":true,\"received_bytes\":512}]" \
		"$d: the REGISTER whole, the INVITE cut at 512 bytes"
	lab_expect "[$alg.evidence.$d.rewritten[] | select(.received != null and .sent != .received and (.element | startswith(\"sdp.\")) == false)] == []" \
		"$d: no header was rewritten, only the SDP's end lost"
done
lab_expect "$alg.evidence.calls == {\"outcome\":\"break\",\"changes\":[\"cut\"],\"breaks\":[\"no-media\",\"missed-calls\"],\"symmetric_rtp\":null}" \
	"calls: no media negotiated outbound, missed calls inbound"
lab_expect "$alg.summary | contains(\"outbound INVITE cut short; inbound INVITE cut short: no media negotiated for outgoing calls, missed incoming calls\")" \
	"the summary says which messages were cut and what breaks"
lab_verdict sip-alg.udp.5062 pass
lab_alg_vendor_stats
lab_expect '.outbound.cut >= 1 and .inbound.cut == 1 and .outbound.changed == 0' \
	"the emulator cut the INVITE each way (and any method probe over 512 bytes outbound) and rewrote none"
lab_end
