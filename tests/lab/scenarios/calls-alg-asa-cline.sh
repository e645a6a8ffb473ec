#!/usr/bin/env bash
# Real calls through a NAT whose ALG on udp/5060 behaves as Cisco ASA's
# 'inspect sip' (tests/lab/alg, asa-cline): the router's address in Via,
# From, Contact and the SDP's c=, o= left private, Content-Length
# corrected; inbound the private address in the Request-URI.  The far
# end follows the SDP (no latching), and the profile says so
# (symmetric-rtp = no).  Ground truth: the phone's answer names the
# public address in c=, so even a far end that sends where the SDP says
# reaches the phone: calls arrive, heard both ways.  pinhole must say
# calls can work through it.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../calls.sh"
lab_begin calls-alg-asa-cline
lab_topology nat
lab_router_nat
lab_alg_vendor asa-cline
lab_pinholed
call_profile_symmetric no
lab_check --skip udp-timeout
call_agrees '(.checks[] | select(.id == "sip-alg.udp.5060") | .verdict == "fail" and .evidence.calls.symmetric_rtp == false)' \
	"the ALG on udp/5060 is found, the profile's far end follows the SDP"
call_provider 60 3600
call_phone 600
CALL_FAR_END=sdp call_place 3
call_expect_answered "a call through the ALG arrives, heard both ways though the far end follows the SDP"
call_alg_agrees sip-alg.udp.5060
report=$LAB_JSON
lab_alg_vendor_stats
lab_expect '.outbound.changed >= 2 and (.outbound.elements | index("sdp.c")) != null and .inbound.changed >= 1 and .errors == 0' \
	"the emulator rewrote the phone's REGISTER and answer, c= included, and the INVITE to it"
LAB_JSON=$report
call_end
