#!/usr/bin/env bash
# Real calls through a NAT whose ALG on udp/5060 behaves as ScreenOS's
# (tests/lab/alg, callid): every address translated, the SDP's and those
# inside Call-ID and Record-Route too, back again on the way in,
# Content-Length corrected.  The far end follows the SDP (no latching)
# and the profile says so.  Ground truth: the phone's answer names the
# public address in c=, so calls arrive, heard both ways.  (The Call-ID of
# these calls is the caller's and carries no address of the phone: what
# the call proves is the consistent translation, not the Call-ID's.)
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../calls.sh"
lab_begin calls-alg-callid
lab_topology nat
lab_router_nat
lab_alg_vendor callid
lab_pinholed
call_profile_symmetric no
lab_check --skip udp-timeout
call_agrees '(.checks[] | select(.id == "sip-alg.udp.5060") | .verdict == "fail" and .evidence.calls.symmetric_rtp == false and (.evidence.calls.changes | index("call-id")) != null)' \
	"the ALG on udp/5060 is found, the Call-ID's translation named, the far end following the SDP"
call_provider 60 3600
call_phone 600
CALL_FAR_END=sdp call_place 3
call_expect_answered "a call through the ALG arrives, heard both ways though the far end follows the SDP"
call_alg_agrees sip-alg.udp.5060
call_end
