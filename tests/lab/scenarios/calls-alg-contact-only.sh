#!/usr/bin/env bash
# Real calls through a NAT whose ALG on udp/5060 rewrites the Contact
# alone (tests/lab/alg, contact-only): Via and the SDP keep the phone's
# private address.  Two checks, one for each kind of far end, the profile
# saying which (symmetric-rtp), and a call with each.  Ground truth: the
# registrar finds the phone by where its REGISTER came from, so calls
# arrive; the phone's answer names 192.168.1.10 in c=.  A far end that
# sends media back to where the phone's comes from (sipp echoing) is
# heard both ways; one that follows the SDP sends its media to the
# private address, which the internet does not route: answered, media
# up, none down, the phone hears nothing.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../calls.sh"
lab_begin calls-alg-contact-only
lab_topology nat
lab_router_nat
lab_alg_vendor contact-only
lab_pinholed
call_profile_symmetric no
lab_check --skip udp-timeout --skip reach --skip reach-in --skip media --skip sip-size \
	--skip nat --skip nat-layers
follows=$LAB_TMP/report-follows-sdp.json
cp "$LAB_JSON" "$follows"
call_profile_symmetric yes
lab_check --skip udp-timeout
latching=$LAB_TMP/report-latching.json
cp "$LAB_JSON" "$latching"
call_provider 60 3600
call_phone 600
LAB_JSON=$follows
CALL_FAR_END=sdp call_place 3
call_expect_one_way "the far end follows the SDP: its media goes to 192.168.1.10, the phone hears nothing"
call_alg_agrees sip-alg.udp.5060
LAB_JSON=$latching
call_place 3
call_expect_answered "the far end latches: heard both ways, the SDP's private address notwithstanding"
call_alg_agrees sip-alg.udp.5060
report=$LAB_JSON
lab_alg_vendor_stats
lab_expect '.outbound.elements == ["Contact"] and .outbound.changed >= 2 and .inbound.changed == 0 and .errors == 0' \
	"the emulator rewrote the Contact of the phone's messages, nothing else"
LAB_JSON=$report
call_end
