#!/usr/bin/env bash
# lab: alone (it measures timing that another scenario beside it would disturb)
# Side by side with irtt: the same impairment (seeded) measured by irtt
# and by pinhole.  Upstream 2% random loss, downstream 1% loss and 2-18 ms
# of delay (no reordering at 20 ms spacing).  Each tool's flow gets its
# own run of the router's tool with the same seeds, so both see the same
# sequence of drops and delays: irtt's 1050 packets are the sequence's
# first 1050, pinhole's test call (after the 50 packets of the port sweep
# on the same port) the 50th to the 1050th.  Loss per direction agrees
# within 0.5 points; each matches what the router dropped exactly; the
# jitter figures are compared within their definitions (irtt: the mean
# |IPDV| of successive packets; pinhole: RFC 3550's smoothed |D|).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin media-irtt
lab_topology nat
lab_router_nat
lab_pinholed
impair_both() {	# impair_both PORT: the same seeds, on PORT's flows
	lab_impair router lan up "$1:$1" --seed 41 --loss 2
	up_q=$LAB_IMPAIR up_drops=$LAB_IMPAIR_DROPS
	lab_impair router wan down "$1:$1" --seed 42 --loss 1 --delay 10 --jitter 8
	down_q=$LAB_IMPAIR down_drops=$LAB_IMPAIR_DROPS
}
lab_irtt_server server 16100
impair_both 16100
lab_irtt_client client 203.0.113.10:16100 -i 20ms -d 21s -l 172 --wait=500ms
irtt=$LAB_JSON
lab_impair_stop "$up_q"
lab_impair_stop "$down_q"
irtt_up_drops=$(jq -s length "$up_drops")
irtt_down_drops=$(jq -s length "$down_drops")
impair_both 15333
lab_media_check --media-seconds 20
ph=$LAB_MEDIA_JSON
sport=$(lab_media .client_port)
lab_impair_stop "$up_q"
lab_impair_stop "$down_q"
ph_up_drops=$(jq -s "[.[] | select(.sport == $sport and .dport == 15333)] | length" "$up_drops")
ph_down_drops=$(jq -s "[.[] | select(.sport == 15333 and .n > 50)] | length" "$down_drops")
lab_json_merge irtt="$irtt" pinhole="$ph"
e='(.pinhole.checks[] | select(.id == "media.rtp") | .evidence)'
s='.irtt.stats'
printf '# %-28s %10s %10s\n' "" irtt pinhole
printf '# %-28s %10s %10s\n' "packets sent up" "$(jq "$s.packets_sent" "$LAB_JSON")" "$(jq "$e.up.sent" "$LAB_JSON")"
printf '# %-28s %10s %10s\n' "upstream loss %" "$(jq "$s.upstream_loss_percent | . * 1000 | round / 1000" "$LAB_JSON")" "$(jq "$e.up.loss_pct" "$LAB_JSON")"
printf '# %-28s %10s %10s\n' "downstream loss %" "$(jq "$s.downstream_loss_percent | . * 1000 | round / 1000" "$LAB_JSON")" "$(jq "$e.down.loss_pct" "$LAB_JSON")"
printf '# %-28s %10s %10s\n' "router dropped up/down" "$irtt_up_drops/$irtt_down_drops" "$ph_up_drops/$ph_down_drops"
printf '# %-28s %10s %10s\n' "jitter down ms (see above)" "$(jq "$s.ipdv_receive.mean / 1e6 | . * 1000 | round / 1000" "$LAB_JSON")" "$(jq "$e.down.jitter_ms" "$LAB_JSON")"
printf '# %-28s %10s %10s\n' "jitter up ms" "$(jq "$s.ipdv_send.mean / 1e6 | . * 1000 | round / 1000" "$LAB_JSON")" "$(jq "$e.up.jitter_ms" "$LAB_JSON")"
lab_expect "($s.upstream_loss_percent - $e.up.loss_pct | fabs) <= 0.5" \
	"upstream loss agrees within 0.5 points"
lab_expect "($s.downstream_loss_percent - $e.down.loss_pct | fabs) <= 0.5" \
	"downstream loss agrees within 0.5 points"
lab_expect "$e.up.lost == $ph_up_drops" "pinhole's upstream loss is what the router dropped"
lab_expect "($s.packets_sent - $s.packets_received) >= $irtt_up_drops" \
	"irtt's missing replies include every upstream drop"
lab_expect "($s.ipdv_receive.mean / 1e6) as \$i | $e.down.jitter_ms as \$p | \$p > 0.5 * \$i and \$p < 1.6 * \$i and \$i > 2" \
	"downstream jitter: RFC 3550's within the spread of irtt's mean |IPDV|"
lab_expect "$e.up.jitter_ms < 1.5 and ($s.ipdv_send.mean / 1e6) < 1.5" \
	"no jitter upstream by either"
lab_end
