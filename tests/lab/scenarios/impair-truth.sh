#!/usr/bin/env bash
# lab: alone (it measures timing that another scenario beside it would disturb)
# Ground truth for the lab's impairments: numbered UDP streams
# (tests/lab/udpflow.py) through a routed router, each receiver's count
# held against what the impairment says it did.
#   (a) random loss upstream: the receiver misses exactly the datagrams
#       the tool's drop list names; downstream loses nothing; the same
#       seed drops the same datagrams again.
#   (b) Gilbert-Elliott loss of about the same average: longer bursts.
#   (c) delay 20 ms, jitter 15 ms downstream: reordered as the tool
#       counted, delays within [5, 35] ms; with --no-reorder, in order.
#   (d) a 400 kbit/s token bucket: 200 kbit/s passes, 800 kbit/s loses.
#   (e) DSCP 46 rewritten to 6 upstream, bleached to 0 downstream.
#   (f) fragments dropped: only before conntrack's reassembly (-400).
#   (g) irtt's upstream loss through random loss is the tool's ratio.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin impair-truth
lab_topology routed
CLIENT=198.51.100.10
FLOW=$LAB_ROOT/tests/lab/udpflow.py
declare -A flow_pid=()

# flow_recv NAME NS ADDR:PORT COUNT [TIMEOUT]: a receiver expecting COUNT
# datagrams; its report goes to $LAB_TMP/NAME.json.
flow_recv() {
	lab_spawn "$2" "$LAB_TMP/$1.log" python3 "$FLOW" recv --bind "$3" \
		--count "$4" --out "$LAB_TMP/$1.json" --idle 0.5 --timeout "${5:-15}"
	flow_pid[$1]=$LAB_PID
	lab_wait_udp "$2" "$3" "$LAB_TMP/$1.log"
}

# flow_send NS ADDR:PORT COUNT PPS [ARGS...]: a paced sender, to its end.
flow_send() {
	local ns=$1 to=$2 n=$3 pps=$4
	shift 4
	lab_exec "$ns" python3 "$FLOW" send --to "$to" --count "$n" --pps "$pps" "$@"
}

# flow_wait NAME: until the receiver wrote its report.
flow_wait() {
	wait "${flow_pid[$1]}"
}

echo "# (a) --loss 2 upstream, nothing downstream"
lab_impair router lan up --loss 2 --seed 1
flow_recv up-random server 203.0.113.10:10000 3000
flow_recv down-clean client "$CLIENT:10002" 3000
lab_spawn server "$LAB_TMP/down-send.log" python3 "$FLOW" send \
	--to "$CLIENT:10002" --bind 203.0.113.10:10004 --count 3000 --pps 1000
down_send=$LAB_PID
flow_send client 203.0.113.10:10000 3000 1000 --ssrc 0xa1
wait "$down_send"
flow_wait up-random
flow_wait down-clean
lab_impair_stats
lab_expect '.final == false and .seen == 3000' "the tool's stats on SIGUSR1, while it runs"
lab_impair_stop
jq -s '[.[] | select(.rtp_ssrc == 161) | .rtp_seq]' "$LAB_IMPAIR_DROPS" > "$LAB_TMP/drops-a.json"
lab_json_merge rx="$LAB_TMP/up-random.json" down="$LAB_TMP/down-clean.json" \
	tool="$LAB_IMPAIR_STATS" drops="$LAB_TMP/drops-a.json"
lab_expect '.tool.seen == 3000 and .tool.missed == 0 and .tool.overflow == 0' \
	"the tool saw each of the 3000 upstream datagrams once"
lab_expect '.tool.dropped > 30 and .tool.dropped < 100' \
	"it dropped about 2 % of them: $(jq .tool.dropped "$LAB_JSON")"
lab_expect '.rx.lost == .tool.dropped and .rx.received + .rx.lost == 3000' \
	"the receiver lost exactly as many as the tool dropped"
lab_expect '.rx.lost_seqs == .drops' \
	"... and exactly the datagrams its drop list names (RTP SSRC and sequence)"
lab_expect '.down.received == 3000 and .down.lost == 0' \
	"downstream lost nothing"
cp "$LAB_TMP/up-random.json" "$LAB_TMP/random.json"
lab_impair router lan up --loss 2 --seed 1
flow_recv up-again server 203.0.113.10:10000 3000
flow_send client 203.0.113.10:10000 3000 2000 --ssrc 0xa2
flow_wait up-again
lab_impair_stop
lab_json_merge again="$LAB_TMP/up-again.json" first="$LAB_TMP/random.json"
lab_expect '.again.lost_seqs == .first.lost_seqs' \
	"the same seed drops the same datagrams, at another pace"

echo "# (b) Gilbert-Elliott: about 2 % in bursts of 4 on average"
lab_impair router lan up --ge 0.5,25,100,0 --seed 1
flow_recv up-ge server 203.0.113.10:10000 3000
flow_send client 203.0.113.10:10000 3000 1000 --ssrc 0xb1
flow_wait up-ge
lab_impair_stop
lab_json_merge rx="$LAB_TMP/up-ge.json" random="$LAB_TMP/random.json" tool="$LAB_IMPAIR_STATS"
lab_expect '.rx.lost == .tool.dropped and .rx.loss_bursts == .tool.drop_bursts' \
	"the receiver's losses and bursts are the tool's"
lab_expect '.rx.lost > 20 and .rx.lost < 150' \
	"the bursty loss averages a few percent: $(jq .rx.lost "$LAB_JSON") of 3000 in $(jq .rx.loss_bursts "$LAB_JSON") bursts"
lab_expect '.random.loss_burst_mean < 1.3 and .rx.loss_burst_mean > 2.5' \
	"bursts: random $(jq '.loss_burst_mean * 100 | round / 100' "$LAB_TMP/random.json"), Gilbert-Elliott $(jq '.loss_burst_mean * 100 | round / 100' "$LAB_TMP/up-ge.json") datagrams on average"

echo "# (c) --delay 20 --jitter 15 downstream"
lab_impair router wan down --delay 20 --jitter 15 --seed 1
flow_recv down-jitter client "$CLIENT:10010" 1000
flow_send server "$CLIENT:10010" 1000 1000 --bind 203.0.113.10:10010
flow_wait down-jitter
lab_impair_stop
lab_json_merge rx="$LAB_TMP/down-jitter.json" tool="$LAB_IMPAIR_STATS"
lab_expect '.rx.received == 1000 and .tool.delayed == 1000' "every datagram came, delayed"
lab_expect '.rx.reordered > 100 and .rx.reordered == .tool.reordered' \
	"reordered: $(jq .reordered "$LAB_TMP/down-jitter.json") at the receiver, as the tool counted"
lab_expect '.tool.planned_ms.min >= 5 and .tool.planned_ms.max <= 35 and .tool.planned_ms.max - .tool.planned_ms.min > 25' \
	"the tool's planned delays $(jq -c '.planned_ms' "$LAB_IMPAIR_STATS") spread over [5, 35] ms"
# What a receiver sees is later still by the machine's scheduling (the
# tool's verdicts late by up to late_ms_max) and the path's own delay.
lab_expect '.rx.delay_ms.min >= .tool.planned_ms.min and .rx.delay_ms.max >= .tool.delay_ms.max and .rx.delay_ms.max <= 35 + .tool.late_ms_max + 5' \
	"one-way delays $(jq -c '.delay_ms | map_values(. * 10 | round / 10)' "$LAB_TMP/down-jitter.json") ms at the receiver, verdicts late by $(jq .late_ms_max "$LAB_IMPAIR_STATS") ms at most"
lab_expect '.rx.delay_ms.mean > 19 and .rx.delay_ms.mean < 23' "a mean delay of about 20 ms"
lab_impair router wan down --delay 20 --jitter 15 --no-reorder --seed 1
flow_recv down-fifo client "$CLIENT:10010" 1000
flow_send server "$CLIENT:10010" 1000 1000 --bind 203.0.113.10:10010
flow_wait down-fifo
lab_impair_stop
lab_json_merge rx="$LAB_TMP/down-fifo.json" tool="$LAB_IMPAIR_STATS"
lab_expect '.rx.received == 1000 and .rx.reordered == 0 and .tool.reordered == 0 and .rx.delay_ms.min >= 5' \
	"with --no-reorder the same jitter keeps the order"

echo "# (d) a 400 kbit/s token bucket upstream"
lab_rate router wan 400kbit
# 222 bytes of UDP payload are 250 bytes of IPv4: 100/s is 200 kbit/s.
flow_recv rate-200 server 203.0.113.10:10020 300
flow_send client 203.0.113.10:10020 300 100 --size 222
flow_wait rate-200
flow_recv rate-800 server 203.0.113.10:10020 1200
flow_send client 203.0.113.10:10020 1200 400 --size 222
flow_wait rate-800
lab_rate router wan off
lab_json_merge r200="$LAB_TMP/rate-200.json" r800="$LAB_TMP/rate-800.json"
lab_expect '.r200.lost == 0' "200 kbit/s passes whole"
lab_expect '.r800.lost > 1200 * 0.3 and .r800.lost < 1200 * 0.7' \
	"800 kbit/s loses $(jq .lost "$LAB_TMP/rate-800.json") of 1200"

echo "# (e) DSCP rewritten"
lab_dscp_rewrite router up 46 6
lab_dscp_rewrite router down any 0
flow_recv tos-up server 203.0.113.10:10030 50
flow_send client 203.0.113.10:10030 50 200 --tos 184
flow_wait tos-up
flow_recv tos-up-af server 203.0.113.10:10030 50
flow_send client 203.0.113.10:10030 50 200 --tos 136
flow_wait tos-up-af
flow_recv tos-down client "$CLIENT:10030" 50
flow_send server "$CLIENT:10030" 50 200 --tos 184
flow_wait tos-down
lab_json_merge up="$LAB_TMP/tos-up.json" af="$LAB_TMP/tos-up-af.json" down="$LAB_TMP/tos-down.json"
lab_expect '.up.tos == {"24": 50}' "EF (46) upstream arrives as 6 (TOS 0x18)"
lab_expect '.af.tos == {"136": 50}' "AF41 upstream is left alone"
lab_expect '.down.tos == {"0": 50}' "EF downstream arrives bleached to 0"
lab_exec router nft delete table ip phl_dscp_up
lab_exec router nft delete table ip phl_dscp_down

echo "# (f) IPv4 fragments dropped"
# A rule that needs connection tracking, so that the router reassembles.
lab_exec router nft -f - <<-NFT
table ip phl_ct {
	chain forward {
		type filter hook forward priority filter; policy accept;
		ct state new counter
	}
}
NFT
frag_run() {
	flow_recv "frag-$1" server 203.0.113.10:10040 20 3
	flow_send client 203.0.113.10:10040 10 100 --size 3000
	flow_send client 203.0.113.10:10040 10 100 --size 1000 --start 10
	flow_wait "frag-$1"
}
frag_run open
lab_drop_fragments router -350
frag_run late
lab_exec router nft delete table ip phl_frag
lab_drop_fragments router
frag_run early
lab_exec router nft -j list counter ip phl_frag fragments |
	jq '.nftables[] | select(.counter) | .counter' > "$LAB_TMP/frag-counter.json"
lab_json_merge open="$LAB_TMP/frag-open.json" late="$LAB_TMP/frag-late.json" \
	early="$LAB_TMP/frag-early.json" counter="$LAB_TMP/frag-counter.json"
lab_expect '.open.sizes == {"3000": 10, "1000": 10}' "without the rule, 3000 and 1000 bytes arrive"
lab_expect '.late.sizes == {"3000": 10, "1000": 10}' "a chain after reassembly (-350) drops nothing"
lab_expect '.early.sizes == {"1000": 10} and .early.lost_seqs == [range(10)]' \
	"at -450 the 3000-byte datagrams are lost, the 1000-byte ones arrive"
lab_expect '.counter.packets >= 20' "the rule counted their fragments"
lab_exec router nft delete table ip phl_frag

echo "# (g) irtt through --loss 2 upstream"
lab_irtt_server server 12112 203.0.113.10
lab_impair router lan up --loss 2 --seed 3
lab_irtt_client client 203.0.113.10:12112 -i 10ms -d 5s --wait=500ms
cp "$LAB_JSON" "$LAB_TMP/irtt.json"
lab_impair_stop
lab_json_merge irtt="$LAB_TMP/irtt.json" tool="$LAB_IMPAIR_STATS"
lab_expect '.tool.dropped > 0 and .irtt.stats.packets_sent >= 490' "irtt ran through the loss"
lab_expect '(.irtt.stats.upstream_loss_percent - 100 * .tool.dropped / .tool.seen | fabs) <= 0.5' \
	"irtt's upstream loss $(jq '.stats.upstream_loss_percent * 100 | round / 100' "$LAB_TMP/irtt.json") % is the tool's $(jq '100 * .tool.dropped / .tool.seen * 100 | round / 100' "$LAB_JSON") %"
lab_expect '.irtt.stats.downstream_loss_percent == 0' "and nothing was lost downstream"
lab_end
