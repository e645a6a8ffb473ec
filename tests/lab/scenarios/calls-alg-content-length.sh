#!/usr/bin/env bash
# Real calls through a NAT whose ALG on udp/5060 translates every
# address, the SDP's too, and leaves Content-Length as it was
# (tests/lab/alg, content-length).  Ground truth: the phone's answer
# names 203.0.113.2 for 192.168.1.10 in o= and c=, so its body reaches
# the caller 2 bytes short of its Content-Length.  RFC 3261 18.3 says to
# discard such an answer; the lab's registrar (kamailio, relaying it) and
# far end (sipp) let it pass: the call is set up, heard both ways.  So a
# wrong Content-Length breaks calls only where an element holds to 18.3,
# and pinhole must say that the outcome depends on it, not that calls
# break.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../calls.sh"
lab_begin calls-alg-content-length
lab_topology nat
lab_router_nat
lab_alg_vendor content-length
lab_pinholed
lab_check --skip udp-timeout
call_agrees '(.checks[] | select(.id == "sip-alg.udp.5060") | .verdict == "fail" and (.evidence.calls.changes | index("content-length")) != null)' \
	"the ALG on udp/5060 is found, its wrong Content-Length named"
call_provider 60 3600
call_phone 600
call_place 3
call_expect_answered "a call through the ALG arrives, heard both ways"
report=$LAB_JSON
read -r length body < <(call_answer_length)
LAB_JSON=$LAB_TMP/none.json
echo '{}' > "$LAB_JSON"
lab_expect "$length - $body == 2" \
	"the phone's answer reached the caller $body bytes long, its Content-Length $length"
LAB_JSON=$report
call_alg_agrees sip-alg.udp.5060
call_end
