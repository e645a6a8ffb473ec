#!/usr/bin/env bash
# Real calls through a NAT whose ALG on udp/5060 moves the phone's SDP
# media port by 10000 (tests/lab/alg, port-shift), to a far end that
# sends media where the SDP says (symmetric-rtp = no).  First the router
# forwards nothing to the ports the ALG wrote: the far end's media is
# dropped at the router, the phone hears nothing, and pinhole must say
# one-way audio.  Then the router forwards each moved port to the
# phone's own (as an ALG that opens the ports it writes): heard both
# ways, and pinhole must say calls work.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../calls.sh"
lab_begin calls-alg-port-shift
lab_topology nat
lab_router_nat
lab_alg_vendor port-shift
lab_pinholed
call_profile_symmetric no
lab_check --skip udp-timeout --skip reach --skip reach-in --skip media --skip sip-size
closed=$LAB_TMP/report-closed.json
cp "$LAB_JSON" "$closed"
call_provider 60 3600
call_phone 600
CALL_FAR_END=sdp call_place 3
lab_checks=$((lab_checks + 1))
if [ "$CALL_CODE" = 200 ] && [ "$CALL_UP" -ge 100 ] && [ "$CALL_DOWN" -eq 0 ]; then
	echo "ok - the moved media port is not forwarded: 200, RTP up $CALL_UP, down 0"
else
	echo "not ok - the moved media port is not forwarded: $CALL_CODE, up $CALL_UP, down $CALL_DOWN (wanted 200, >= 100 up, 0 down)"
	lab_failed=$((lab_failed + 1))
fi
call_alg_agrees sip-alg.udp.5060
# The ALG's ports opened: the phone's range, and the check's own 49170.
{
	echo 'table ip phl_algfwd { chain pre {'
	echo 'type nat hook prerouting priority dstnat; policy accept;'
	for p in $(seq 10000 10020) 49170; do
		echo "iifname \"wan\" udp dport $((p + 10000)) dnat to 192.168.1.10:$p"
	done
	echo '}'
	echo '}'
} | lab_exec router nft -f -
# The first call's media toward the moved ports left unreplied flows in
# the router's connection table, which would carry the second call's
# (the same addresses and ports) past the new forwards for their 30 s:
# those flows go, as a router that applies a new firewall drops them (the
# phone's own bindings stay, so it stays registered).
for p in $(seq 20000 20020) 59170; do
	lab_exec router conntrack -D -p udp --dport "$p" >/dev/null 2>&1 || true
done
lab_check --skip udp-timeout --skip reach --skip reach-in --skip media --skip sip-size
CALL_FAR_END=sdp call_place 3
call_expect_answered "the moved media port is forwarded: heard both ways"
call_alg_agrees sip-alg.udp.5060
report=$LAB_JSON
lab_alg_vendor_stats
lab_expect '(.outbound.elements | index("sdp.m")) != null and .errors == 0' \
	"the emulator moved the media ports of the check and the phone"
LAB_JSON=$report
call_end
