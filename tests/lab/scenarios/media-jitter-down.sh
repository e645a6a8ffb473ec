#!/usr/bin/env bash
# lab: alone (it measures timing that another scenario beside it would disturb)
# Ground truth: 30 ms of jitter downstream only (the router delays the
# server's RTP by 0-60 ms, uniformly, seeded; upstream untouched).  The
# downstream jitter and delay variation show it and the upstream ones do
# not; a 60 ms jitter buffer absorbs it (no discards, the call is good),
# a 20 ms one does not (packets discarded, limited by discards, and the
# remedy says delay varies).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin media-jitter-down
lab_topology nat
lab_router_nat
lab_pinholed
lab_impair router wan down --seed 31 --delay 30 --jitter 30
lab_media_check --media-seconds 10
jb60=$LAB_MEDIA_JSON
lab_media_check lab-media-jb20 --media-seconds 10
jb20=$LAB_MEDIA_JSON
lab_impair_stop
lab_json_merge jb60="$jb60" jb20="$jb20"
q='(.checks[] | select(.id == "media.rtp") | .evidence)'
echo "# 60 ms buffer: $(jq -c ".jb60 | $q | {up: .up.jitter_ms, down: .down.jitter_ms, p99: .down.ipdv_p99_ms, discarded: .down.discarded}" "$LAB_JSON")"
echo "# 20 ms buffer: $(jq -c ".jb20 | $q | {down: .down.jitter_ms, discarded: .down.discarded, limit: .down.limit, mos: .down.mos}" "$LAB_JSON")"
lab_expect ".jb60 | $q | .down.jitter_ms > 10 and .down.jitter_ms < 35 and .up.jitter_ms < 3" \
	"RFC 3550 jitter downstream about 20 ms (uniform 0-60 ms delays), upstream near 0"
lab_expect ".jb60 | $q | .down.ipdv_p99_ms > 40 and .up.ipdv_p99_ms < 5" \
	"the delay variation is downstream"
lab_expect ".jb60 | $q | .down.lost == 0 and .up.lost == 0 and .down.reordered > 0" \
	"nothing lost; downstream reordered"
lab_expect ".jb60 | $q | .down.discarded == 0" "a 60 ms jitter buffer discards nothing"
lab_expect ".jb20 | $q | .down.discarded > 0 and .down.limit == \"discards\" and .up.discarded == 0" \
	"a 20 ms jitter buffer discards late packets downstream: they limit the call"
lab_expect "(.jb20 | $q | .down.mos) < (.jb60 | $q | .down.mos)" \
	"the smaller buffer scores lower"
lab_expect '.jb20 | (.checks[] | select(.id == "media.rtp") | .verdict != "pass" and (.remedy | test("Delay varies")))' \
	"with 20 ms the verdict is not pass, and the remedy names the jitter"
lab_end
