#!/usr/bin/env bash
# lab: alone (it measures timing that another scenario beside it would disturb)
# Ground truth: 2% random loss upstream only (seeded, at the router, on
# UDP to the media ports); what pinholed reports lost of the test call is
# exactly what the router dropped of that flow, downstream loses nothing,
# and the verdict names the upstream loss.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin media-loss-up
lab_topology nat
lab_router_nat
lab_pinholed
lab_impair router lan up --seed 11 --loss 2
lab_media_check --media-seconds 10
rep=$LAB_MEDIA_JSON
sport=$(lab_media .client_port)
dport=$(lab_media .server_port)
lab_impair_stop
truth=$(lab_drops_of "$sport" "$dport")
LAB_JSON=$rep
echo "# the router dropped $truth of the call's 500 upstream packets"
lab_expect "(.checks[] | select(.id == \"media.rtp\") | .evidence | .up.lost == $truth and .up.sent == 500)" \
	"upstream loss is exactly what the router dropped ($truth)"
lab_expect "$truth >= 5 and $truth <= 20" "the router dropped about 2% ($truth of 500)"
lab_expect '(.checks[] | select(.id == "media.rtp") | .evidence | .down.lost == 0)' \
	"downstream loses nothing"
lab_verdict media.rtp warn
lab_expect '(.checks[] | select(.id == "media.rtp") | .remedy | test("lost upstream"))' \
	"the remedy names the upstream loss"
lab_expect '(.checks[] | select(.id == "media.rtp") | .evidence | .up.mos < .down.mos and .up.limit == "loss")' \
	"upstream scores lower, limited by loss"
lab_end
