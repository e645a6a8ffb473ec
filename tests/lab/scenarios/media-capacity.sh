#!/usr/bin/env bash
# lab: alone (it measures timing that another scenario beside it would disturb)
# Ground truth: the uplink is a 500 kbit/s token bucket, which carries 4
# G.711 calls (86 kbit/s each at the wire) but not 8.  media.capacity
# ramps 1, 2, 4, 8: 4 calls are good, 8 are not, and upstream broke.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin media-capacity
lab_topology nat
lab_router_nat
lab_pinholed
lab_rate router wan 500kbit
lab_media_check --media-seconds 3 --calls 8
echo "# $(jq -c '.checks[] | select(.id == "media.capacity") | .evidence | [.steps[] | {calls, ok, up: .worst_up_loss_pct, down: .worst_down_loss_pct}]' "$LAB_JSON")"
lab_verdict media.rtp pass
lab_verdict media.capacity warn
lab_expect '(.checks[] | select(.id == "media.capacity") | .evidence | .max_calls == 4 and [.steps[].calls] == [1, 2, 4, 8] and [.steps[].ok] == [true, true, true, false])' \
	"4 calls at once are good, 8 are not"
lab_expect '(.checks[] | select(.id == "media.capacity") | .evidence | .broke | test("^upstream at 8 calls"))' \
	"upstream broke first"
lab_expect '(.checks[] | select(.id == "media.capacity") | .evidence.steps[3] | .worst_up_loss_pct > 5 and .worst_down_loss_pct < 1)' \
	"at 8 calls upstream loses, downstream does not"
lab_expect '(.checks[] | select(.id == "media.capacity") | .remedy | test("4 good calls"))' \
	"the remedy gives the number"
lab_end
