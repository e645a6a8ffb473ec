#!/usr/bin/env bash
# Ground truth: one NAT with the kernel SIP ALG (nf_nat_sip) on UDP 5060
# only.  Outbound SIP on udp/5060 has its private address rewritten to the
# router's in Via, From, Contact and SDP c=/o= (and so Content-Length);
# inbound, the public address in the Request-URI and To becomes the private
# one.  Call-ID is left alone.  udp/5062 and TCP are untouched.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin nat-alg-udp
lab_topology nat
lab_router_nat
lab_alg udp 5060
lab_pinholed
lab_check
lab_expect "$LAB_STATUS == 1" "exit status 1 (a check failed)"
lab_verdict sip-alg.udp.5060 fail
for e in Via Contact sdp.c sdp.o; do
	lab_rewritten sip-alg.udp.5060 outbound "$e"
done
lab_elements sip-alg.udp.5060 outbound '["Contact","Content-Length","From","Via","sdp.c","sdp.o"]'
lab_elements sip-alg.udp.5060 inbound '["Request-URI","To"]'
lab_expect '(.checks[] | select(.id == "sip-alg.udp.5060") | .evidence.outbound.delivered and .evidence.inbound.delivered)' \
	"every message was delivered on udp/5060, rewritten"
lab_expect '[.checks[] | select(.id == "sip-alg.udp.5060") | .evidence.outbound.rewritten[] | select(.element == "Via") | .received] | length > 0 and all(contains("203.0.113.2"))' \
	"every rewritten Via now carries the router's public address"
lab_verdict sip-alg.udp.5062 pass
lab_verdict sip-alg.tcp.5060 pass
lab_verdict sip-alg.tcp.5062 pass
# Large SIP through the ALG arrives rewritten.  Outbound, the router's
# address is a character shorter than ours in 5 places: 5 bytes less.
# Inbound, ours is longer in 2: the 1472-byte INVITE becomes 1474, no
# longer fits the 1500-byte MTU with DF set, and the router drops it.
lab_verdict sip.udp-size warn
size_ev='(.checks[] | select(.id == "sip.udp-size") | .evidence)'
lab_expect "$size_ev.outbound | all(.sizes[]; .result == \"rewritten\" and .received_bytes == .size - 5) and .largest_ok == 4000" \
	"sip.udp-size: every size arrives outbound, 5 bytes shorter"
lab_expect "$size_ev.inbound | [.sizes[] | select(.result == \"lost\") | .size] == [1472] and all(.sizes[] | select(.size != 1472); .result == \"rewritten\" and .received_bytes == .size + 2)" \
	"sip.udp-size: inbound, only the 1472-byte INVITE is lost, the ALG made it too large"
lab_expect '(.checks[] | select(.id == "sip.udp-size") | .summary) | contains("SIP ALG enlarged the 1472-byte message")' \
	"sip.udp-size: the summary names the ALG as the cause"
lab_expect '(.checks[] | select(.id == "sip-alg.udp.5060") | .remedy) | contains("udp/5062")' \
	"the remedy names the clean port as a workaround"
# The text report, as a support engineer reads it on a phone.
lab_check_text
lab_text_expect 'head -1 "$LAB_TEXT" | grep -q "^verdict: fail ("' \
	"the text report starts with the overall verdict"
lab_text_expect '[ "$(sed -n "/^What did not pass/q;/^  [A-Z][A-Z][A-Z ][A-Z ] [a-z]/p" "$LAB_TEXT" | wc -l)" = "$(jq ".checks | length" "$LAB_JSON")" ]' \
	"then a summary table, one line per requirement, before any detail"
lab_text_expect 'sed "/^What did not pass/q" "$LAB_TEXT" | grep -Eq "^  FAIL sip-alg.udp.5060 +rewritten [0-9]+ out, [0-9]+ in \(Via"' \
	"the table says what the ALG rewrote, in words"
lab_text_expect '[ "$(LC_ALL=C.UTF-8 wc -L < "$LAB_TEXT")" -le 80 ]' \
	"every line fits 80 columns"
lab_text_expect 'grep -q "^      192.168.1.10 → 203.0.113.2$" "$LAB_TEXT" && grep -q "Content-Length (INVITE): 212 → 210" "$LAB_TEXT"' \
	"the rewritten elements read as sent → received"
lab_text_expect '! grep -Eq "null|[a-z]+_[a-z_]+: |[0-9]\.[0-9]{4,}" "$LAB_TEXT"' \
	"no raw JSON keys, no null and no long decimals in the text"
lab_end
