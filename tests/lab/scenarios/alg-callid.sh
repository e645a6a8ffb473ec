#!/usr/bin/env bash
# Ground truth: one NAT, and on udp/5060 an ALG as ScreenOS's is
# documented to behave (tests/lab/alg, callid): every address translated,
# including the one inside the Call-ID (and Record-Route), back again on
# the way in, Content-Length corrected.  A consistent translation: calls
# can work, the Call-ID's part said.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin alg-callid
lab_topology nat
lab_router_nat
lab_alg_vendor callid
lab_pinholed
lab_check --skip media --skip sip-size
lab_verdict sip-alg.udp.5060 fail
lab_elements sip-alg.udp.5060 outbound '["Call-ID","Contact","Content-Length","From","Via","sdp.c","sdp.o"]'
lab_elements sip-alg.udp.5060 inbound '["Request-URI","To"]'
alg='(.checks[] | select(.id == "sip-alg.udp.5060"))'
lab_expect "[$alg.evidence.outbound.rewritten[] | select(.element == \"Call-ID\") | .received | endswith(\"@203.0.113.2\")] == [true, true]" \
	"both messages' Call-ID carries the public address"
lab_expect "$alg.evidence.calls == {\"outcome\":\"work\",\"changes\":[\"address\",\"call-id\"],\"breaks\":[],\"symmetric_rtp\":null}" \
	"calls: they work; the kinds of change: addresses, the Call-ID"
lab_expect "$alg.summary | contains(\"translated the Call-ID's address too\") and contains(\"calls can work through it\")" \
	"the summary says calls can work, and what the Call-ID needs"
lab_verdict sip-alg.udp.5062 pass
lab_alg_vendor_stats
lab_expect '(.outbound.elements | index("Call-ID")) != null and .outbound.changed == 9 and .errors == 0' \
	"the emulator translated the Call-ID of both messages (and of the 7 method probes)"
lab_end
