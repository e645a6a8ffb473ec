#!/usr/bin/env bash
# lab: alone (it measures timing that another scenario beside it would disturb)
# Ground truth: one NAT, nothing lost, delayed or remarked.  Every media
# port carries RTP both ways, the call loses nothing and scores above 4.3
# both ways, EF arrives intact both ways, and 4 calls at once are good.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin media-clean
lab_topology nat
lab_router_nat
lab_pinholed
lab_media_check --calls 4 --media-seconds 5
lab_verdict media.rtp pass
lab_expect '(.checks[] | select(.id == "media.rtp") | .evidence | (.ports | length) == 16 and (.ports_blocked_up | length) == 0 and (.ports_blocked_down | length) == 0)' \
	"all 16 media ports carry RTP both ways"
lab_expect '(.checks[] | select(.id == "media.rtp") | .evidence | .up.lost == 0 and .down.lost == 0 and .up.sent == 250 and .down.received == 250)' \
	"the call loses nothing either way: 250 packets each"
lab_expect '(.checks[] | select(.id == "media.rtp") | .evidence | .up.mos > 4.3 and .down.mos > 4.3)' \
	"MOS above 4.3 both ways"
lab_expect '(.checks[] | select(.id == "media.rtp") | .evidence | .rtt_ms != null and .rtt_ms < 20)' \
	"the media path's round trip is measured"
lab_verdict qos.dscp pass
lab_expect '(.checks[] | select(.id == "qos.dscp") | .evidence | .up.result == "intact" and .down.result == "intact" and .up.received == 46)' \
	"EF arrives as EF both ways"
lab_verdict media.capacity pass
lab_expect '(.checks[] | select(.id == "media.capacity") | .evidence | .max_calls == 4 and ([.steps[].calls] == [1, 2, 4]))' \
	"1, 2 and 4 calls at once are good"
lab_end
