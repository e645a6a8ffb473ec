#!/usr/bin/env bash
# bench/relay.sh [--full]: media through the provider's TURN relay, as
# pinhole's relay client measures it (src/client/relay.c, driven by
# pinhole-turnprobe), as pinhole check's relay checks measure a test call
# through it to pinholed (relay.udp, relay.tcp, relay.tls: RTP at G.711
# pacing), and as coturn's own turnutils_uclient does, on the same paths:
# loss and round trip, through a masquerading NAT to Debian's coturn
# (use-auth-secret) and its echo peer, turnutils_peer.
#
#   paths: UDP, TCP and TLS clean; UDP with 20 ms of delay and a seeded
#   5 % loss toward the relay (pinhole-impair on the router's forwarding).
#   short (default, run by the test suite): 200 datagrams a run, 20 ms
#   apart; --full: 1000.
#
# Prints one row per tool and path: sent, received, loss %, round trip
# (pinhole: the median; check: the media path's median, its loss both
# ways together, sent up and received down; uclient: its average, whole
# ms).  Targets
# (bench/figures.sh): every datagram crosses on the clean paths; on the
# impaired one both tools see the loss within 3 points of each other and
# of 5 %, pinhole's median round trip within 20-30 ms, and so do the
# check's loss and round trip.
set -euo pipefail
. "$(dirname "$0")/../tests/lab/lib.sh"
. "$(dirname "$0")/figures.sh"
count=200
[ "${1:-}" = --full ] && count=1000

lab_begin bench-relay
lab_topology nat
lab_router_nat
lab_relay_setup
PEER=203.0.113.10
lab_spawn server "$LAB_TMP/peer.log" turnutils_peer -L $PEER -p 3480
lab_wait_udp server $PEER:3480 "$LAB_TMP/peer.log"

ours() {	# ours TRANSPORT PORT [ARGS]: "sent received loss rtt"
	local out=$LAB_TMP/ours-$1.json
	lab_exec client timeout 120 "$LAB_TURNPROBE" --relay "$LAB_RELAY:$2" \
		--transport "$1" --user "$LAB_TURN_USER" --pass "$LAB_TURN_PASS" \
		--peer $PEER:3480 --count "$count" --timeout-ms 5000 "${@:3}" \
		> "$out" || { echo "BROKEN: pinhole-turnprobe over $1: $(cat "$out")" >&2; exit 1; }
	jq -r '"\(.sent) \(.received) \(.loss_pct) \(.rtt_ms_median)"' "$out"
}

theirs() {	# theirs FLAGS...: "sent received loss rtt" of turnutils_uclient
	local out=$LAB_TMP/uclient.txt
	lab_exec client timeout 120 turnutils_uclient -W "$LAB_TURN_SECRET" \
		-e $PEER -r 3480 -n "$count" -l 172 -z 20 -c "$@" $LAB_RELAY \
		> "$out" 2>&1 || { echo "BROKEN: turnutils_uclient $*" >&2; tail -5 "$out" >&2; exit 1; }
	awk '/tot_send_msgs=.*tot_recv_msgs=/ && !/msz=/ {
		split($0, a, "tot_send_msgs="); split(a[2], b, ",")
		split($0, c, "tot_recv_msgs="); s = b[1]; r = c[2] + 0 }
	     /Total lost packets/ { for (i = 1; i <= NF; i++) if ($i == "packets") l = $(i + 1) }
	     /Average round trip delay/ { for (i = 1; i <= NF; i++) if ($i == "delay") t = $(i + 1) }
	     END { printf "%s %s %s %s\n", s, r, (s > 0 ? 100 * l / s : ""), t }' "$out"
}

check() {	# check URI...: pinhole check's relay entries, $LAB_TMP/check.json
	local turn=() u
	for u in "$@"; do turn+=(--turn "$u"); done
	lab_exec client env PINHOLE_TURN_PASSWORD="$LAB_TURN_PASS" timeout 120 \
		"$PINHOLE" check --server "$LAB_SERVER:443" \
		--profile "$LAB_ROOT/tests/lab/profiles/lab-media.ini" --json \
		--skip nat --skip nat-layers --skip sip-alg --skip sip-size \
		--skip udp-timeout --skip reach --skip reach-in --skip media \
		--media-seconds $((count / 50)) --turn-ca "$LAB_TMP/relay.pem" \
		--turn-user "$LAB_TURN_USER" "${turn[@]}" > "$LAB_TMP/check.json" || true
}
check_row() {	# check_row ID: "sent received loss rtt" of that relay entry
	jq -r --arg id "$1" '.checks[] | select(.id == $id) | .evidence |
		"\(.up.sent) \(.down.received) \(100 - (100 - .up.loss_pct) *
		(100 - .down.loss_pct) / 100) \(.rtt_ms)"' "$LAB_TMP/check.json"
}

printf '%-10s %-8s %6s %8s %7s %9s\n' path tool sent received loss% rtt_ms
row() {	# row PATH TOOL "sent received loss rtt"
	local f
	read -r -a f <<< "$3"
	for i in 0 1 2 3; do bench_num "$1 $2 figure $i" "${f[$i]:-}"; done
	printf '%-10s %-8s %6s %8s %7.2f %9.2f\n' "$1" "$2" "${f[0]}" "${f[1]}" "${f[2]}" "${f[3]}"
}

declare -A got
check "turn:$LAB_RELAY?transport=udp" "turn:$LAB_RELAY?transport=tcp" "turns:$LAB_RELAY:443"
for t in udp tcp tls; do got[$t-check]=$(check_row relay.$t); done
for t in udp tcp tls; do
	case $t in
	udp) args=(); port=3478; uc=() ;;
	tcp) args=(); port=3478; uc=(-t) ;;
	tls) args=(--host "$LAB_RELAY" --ca "$LAB_TMP/relay.pem"); port=443; uc=(-t -S -p 443) ;;
	esac
	got[$t-ours]=$(ours $t $port "${args[@]}")
	got[$t-uclient]=$(theirs "${uc[@]}")
	row "$t" pinhole "${got[$t-ours]}"
	row "$t" uclient "${got[$t-uclient]}"
	row "$t" check "${got[$t-check]}"
done
lab_impair router lan up 3478:3478 --seed 7 --loss 5 --delay 20
got[imp-ours]=$(ours udp 3478)
got[imp-uclient]=$(theirs)
check "turn:$LAB_RELAY?transport=udp"
got[imp-check]=$(check_row relay.udp)
lab_impair_stop > /dev/null
row "udp+5%+20ms" pinhole "${got[imp-ours]}"
row "udp+5%+20ms" uclient "${got[imp-uclient]}"
row "udp+5%+20ms" check "${got[imp-check]}"

for t in udp tcp tls; do
	read -r -a f <<< "${got[$t-ours]}"
	bench_target "pinhole over $t: received of $count" "${f[1]}" ">=" "$count"
done
for t in udp tcp tls; do
	read -r -a f <<< "${got[$t-check]}"
	bench_target "check over $t: loss %" "${f[2]}" "<=" 0
done
read -r -a o <<< "${got[imp-ours]}"
read -r -a u <<< "${got[imp-uclient]}"
bench_target "impaired: pinhole's loss %, distance from 5" \
	"$(awk -v a="${o[2]}" 'BEGIN { d = a - 5; print d < 0 ? -d : d }')" "<=" 3
bench_target "impaired: uclient's loss %, distance from pinhole's" \
	"$(awk -v a="${o[2]}" -v b="${u[2]}" 'BEGIN { d = a - b; print d < 0 ? -d : d }')" "<=" 3
bench_target "impaired: pinhole's median round trip, ms" "${o[3]}" ">=" 20
bench_target "impaired: pinhole's median round trip, ms" "${o[3]}" "<=" 30
read -r -a c <<< "${got[imp-check]}"
bench_target "impaired: check's loss %, distance from 5" \
	"$(awk -v a="${c[2]}" 'BEGIN { d = a - 5; print d < 0 ? -d : d }')" "<=" 3
bench_target "impaired: check's round trip, ms" "${c[3]}" ">=" 20
bench_target "impaired: check's round trip, ms" "${c[3]}" "<=" 30
bench_finish
