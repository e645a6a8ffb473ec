#!/usr/bin/env bash
# Ground truth: one NAT, and on udp/5060 an ALG that translates every
# address (the SDP's too) and leaves Content-Length as it was
# (tests/lab/alg, content-length).  Outbound the INVITE's body is 3 bytes
# shorter than its Content-Length says (192.168.1.10 -> 203.0.113.2 in
# o= and c=, and the REGISTER has no body); inbound only headers change.
# RFC 3261 18.3: such a request is rejected, such an answer discarded.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin alg-content-length
lab_topology nat
lab_router_nat
lab_alg_vendor content-length
lab_pinholed
lab_check --skip media --skip sip-size
lab_verdict sip-alg.udp.5060 fail
lab_elements sip-alg.udp.5060 outbound '["Contact","From","Via","sdp.c","sdp.o"]'
lab_elements sip-alg.udp.5060 inbound '["Request-URI","To"]'
alg='(.checks[] | select(.id == "sip-alg.udp.5060"))'
lab_expect "[$alg.evidence.outbound.messages[] | {method, length_ok, truncated}] == [{\"method\":\"REGISTER\",\"length_ok\":true,\"truncated\":false},{\"method\":\"INVITE\",\"length_ok\":false,\"truncated\":false}]" \
	"the outbound INVITE's Content-Length is wrong, nothing is cut"
lab_expect "$alg.evidence.inbound.messages | all(.length_ok)" \
	"inbound every Content-Length is right"
lab_expect "$alg.evidence.calls == {\"outcome\":\"break\",\"changes\":[\"address\",\"content-length\"],\"breaks\":[\"no-media\"],\"symmetric_rtp\":null}" \
	"calls: they break, no media negotiated"
lab_expect "$alg.summary | contains(\"Content-Length of the outbound INVITE no longer matches its body\") and contains(\"RFC 3261 18.3\") and (contains(\"cut short\") | not)" \
	"the summary names the wrong length, not a cut"
lab_verdict sip-alg.udp.5062 pass
lab_end
