#!/usr/bin/env bash
# Ground truth: one NAT, and on udp/5060 an ALG that translates every
# address and moves the phone's SDP media port by 10000 (tests/lab/alg,
# port-shift: 49170 becomes 59170); the profile's far end sends media
# where the SDP says (symmetric-rtp = no).  First the router forwards
# nothing to the moved port: media sent there never reaches the phone,
# one-way audio.  Then it forwards 59170 to 49170, as an ALG that opens
# the port it writes: calls work.  The second check must not be misled by
# the flow the first one's probe left toward 59170.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../calls.sh"
lab_begin alg-port-shift
lab_topology nat
lab_router_nat
lab_alg_vendor port-shift
lab_pinholed
call_profile_symmetric no
alg='(.checks[] | select(.id == "sip-alg.udp.5060"))'
# outcome FORWARDED CALLS SUMMARY: one check's statement of the moved port.
outcome() {
	lab_check --skip media --skip sip-size
	lab_verdict sip-alg.udp.5060 fail
	lab_expect "$alg.evidence.outbound.media_port == {\"sent\":49170,\"received\":59170,\"forwarded\":$1}" \
		"the INVITE's media port moved 49170 -> 59170, forwarded: $1"
	lab_expect "$alg.evidence.calls == $2" "calls: $4"
	lab_expect "$alg.summary | contains(\"$3\")" "the summary says: $3"
	lab_verdict sip-alg.udp.5062 pass
}
outcome false '{"outcome":"break","changes":["address","media-port"],"breaks":["one-way-audio"],"symmetric_rtp":false}' \
	"nothing forwards 59170 to the phone" "they break, one-way audio"
lab_alg_media_forward 59170 49170
outcome true '{"outcome":"work","changes":["address","media-port"],"breaks":[],"symmetric_rtp":false}' \
	"moved the SDP's media port 49170 to 59170 and forwards 59170 to the phone" "they work"
lab_alg_vendor_stats
lab_expect '(.outbound.elements | index("sdp.m")) != null and .errors == 0' \
	"the emulator moved the media port"
lab_end
