#!/usr/bin/env bash
# lab: alone (it measures timing that another scenario beside it would disturb)
# Ground truth: the same average loss upstream, 10%, once at random and
# once in bursts (Gilbert-Elliott: bad spells of 5 packets on average,
# everything lost in them), on the test call's port only.  The bursty
# call's BurstR is well above 1, the random one's near 1, and the bursty
# call scores lower, as G.107's BurstR says it must.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin media-burst
lab_topology nat
lab_router_nat
lab_pinholed
# The call goes to the middle one of the 16 media ports: 15333.
lab_impair router lan up 15333:15333 --seed 21 --loss 10
lab_media_check --media-seconds 20
random=$LAB_MEDIA_JSON
lab_impair_stop
# P = 2.222% good to bad, R = 20% back: 10% of packets in bad spells.
lab_impair router lan up 15333:15333 --seed 22 --ge 2.2222,20,100,0
lab_media_check --media-seconds 20
bursty=$LAB_MEDIA_JSON
lab_impair_stop
lab_json_merge random="$random" bursty="$bursty"
q='(.checks[] | select(.id == "media.rtp") | .evidence.up)'
echo "# random: $(jq -c ".random | $q | {ppl_pct, burstr, mos}" "$LAB_JSON"); bursty: $(jq -c ".bursty | $q | {ppl_pct, burstr, mos}" "$LAB_JSON")"
lab_expect "(.random | $q | .ppl_pct) as \$a | (.bursty | $q | .ppl_pct) as \$b | (\$a - \$b | fabs) < 2.5 and \$a > 6 and \$b > 6" \
	"both lose about 10% upstream"
lab_expect "(.random | $q | .burstr) < 1.5 and (.bursty | $q | .burstr) > 2.5" \
	"BurstR: near 1 at random, above 2.5 in bursts"
lab_expect "(.bursty | $q | .burst_max) > (.random | $q | .burst_max)" \
	"the bursty call has the longer loss runs"
lab_expect "(.bursty | $q | .mos) < (.random | $q | .mos)" \
	"the bursty call scores lower"
lab_expect "(.random | .checks[] | select(.id == \"media.rtp\") | .verdict) != \"pass\" and (.bursty | .checks[] | select(.id == \"media.rtp\") | .verdict) != \"pass\"" \
	"neither passes"
lab_end
