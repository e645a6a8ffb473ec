#!/usr/bin/env bash
# Real calls through a NAT whose ALG on udp/5060 knows RFC 3261's six
# methods and nothing else (tests/lab/alg, drop-methods): every address
# translated consistently, every other request dropped both ways.  The
# far end latches (symmetric-rtp = yes, sipp echoing).  Ground truth: a
# call needs INVITE, ACK and BYE alone, so calls arrive and are heard
# both ways; pinhole must say calls are set up through it (outcome
# "features"), the features it names aside.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../calls.sh"
lab_begin calls-alg-drop-methods
lab_topology nat
lab_router_nat
lab_alg_vendor drop-methods
lab_pinholed
call_profile_symmetric yes
lab_check --skip udp-timeout --skip reach --skip reach-in --skip media --skip sip-size
call_agrees '(.checks[] | select(.id == "sip-alg.udp.5060") | .verdict == "fail" and .evidence.calls.outcome == "features")' \
	"the ALG on udp/5060 is found, and it drops methods beyond a call's own"
call_provider 60 3600
call_phone 600
call_place 3
call_expect_answered "a call through the ALG arrives, heard both ways"
call_alg_agrees sip-alg.udp.5060
report=$LAB_JSON
lab_alg_vendor_stats
lab_expect '.outbound.dropped >= 6 and .outbound.changed >= 2 and .errors == 0' \
	"the emulator dropped the method probes and rewrote the phone's messages"
LAB_JSON=$report
call_end
