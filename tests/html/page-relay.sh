#!/usr/bin/env bash
# The check page's relay-only connections (iceTransportPolicy "relay"),
# one per transport of pinholed's [relay] urls, through Debian's coturn
# (use-auth-secret, on 203.0.113.13: UDP and TCP 3478, TLS 443) to
# pinholed's WebRTC peer, which takes their ICE from relay-from alone.
# Ground truth: one NAT, and
#
#   open     nothing dropped: relay.udp, relay.tcp and relay.tls relay
#            media (a MOS of 4 or more both ways); the page lists each as
#            carrying media and no relay is needed;
#   udp      the router drops UDP from the LAN: no relay candidate over
#            UDP (relay.udp fails at the step gather), TCP and TLS carry
#            media; direct media passes over ICE-TCP only, so the page
#            says a relay is needed;
#   denied   the relay refuses to relay toward pinholed's address
#            (coturn's denied-peer-ip): each transport gets its relay
#            candidate, and each fails at the step connect;
#   only443  the router lets out TCP to port 443 alone
#            (lab_lan_only_443, as relay-only-443): no relay candidate
#            over UDP nor over TCP 3478 (step gather), TLS on 443
#            carries media, and the page says a relay is needed (direct
#            media passes over ICE-TCP to pinholed's 443 only);
#   intercepted  a TLS-inspecting proxy on the router answers the
#            relay's 443 with its own certificate (lab_middlebox tls, as
#            relay-tls-intercepted): relay.tls gets no candidate, and
#            since TURN over TCP to the same relay got one the judge
#            names it "TLS refused or intercepted" (step gather); UDP
#            and TCP carry media.
#
# With no argument, every mode, two side by side (PAGE_RELAY_JOBS), each
# timed.  PAGE_RELAY_RUNS
# (default 3) runs the page that many times in a row on the same network
# (one lab per mode, a fresh chromium per run), each asserted alike.  The
# credentials pinholed hands out (EXPIRY:pinhole) are in neither the
# page's text, its console, the report nor pinholed's log.  Needs root,
# chromium and coturn.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -eq 0 ]; then
	# The modes side by side, PAGE_RELAY_JOBS (2) at a time, each in
	# its own namespaces; each one's output printed whole, in order.
	st=0 times="" out=$(mktemp -d) running=0
	trap 'rm -rf "$out"' EXIT
	modes=(open udp denied only443 intercepted)
	for mode in "${modes[@]}"; do
		if [ "$running" -ge "${PAGE_RELAY_JOBS:-2}" ]; then
			wait -n || true
			running=$((running - 1))
		fi
		{ t0=$SECONDS; bash "$0" $mode > "$out/$mode.log" 2>&1
		  echo "$? $((SECONDS - t0))" > "$out/$mode.rc"; } &
		running=$((running + 1))
	done
	wait
	for mode in "${modes[@]}"; do
		cat "$out/$mode.log"
		read -r rc took < "$out/$mode.rc" || rc=1 took=?
		[ "$rc" = 0 ] || { echo "page-relay $mode: status $rc"; st=1; }
		times="$times $mode $took s,"
	done
	echo "page-relay: ${PAGE_RELAY_RUNS:-3} run(s) per mode, ${PAGE_RELAY_JOBS:-2} modes at a time;${times%,}; total $SECONDS s"
	exit $st
fi
. "$here/../lab/lib.sh"
. "$here/browser.sh"

for t in "$HTML_CHROMIUM" /usr/bin/turnserver; do
	[ -x "$t" ] || { echo "html: $t is missing (apt-get install chromium coturn)" >&2; exit 1; }
done
case $1 in
open|udp|denied|only443|intercepted) ;;
*) echo "usage: page-relay.sh [open|udp|denied|only443|intercepted]" >&2; exit 2 ;;
esac
lab_begin "page-relay-$1"
lab_topology nat
lab_router_nat
lab_tls_cert
# pinholed listens on .10 and .11: the relay gets an address of its own.
LAB_RELAY=203.0.113.13
ip -n "${LAB_PREFIX}server" addr add $LAB_RELAY/24 dev eth0
if [ "$1" = denied ]; then
	# pinholed answers with candidates on both its addresses
	lab_turnserver --denied-peer-ip=203.0.113.10-203.0.113.11
else
	lab_turnserver
fi
case $1 in
udp) lab_lan_drop_udp ;;
only443) lab_lan_only_443 ;;
# Only the relay's 443: the page's own 443 on pinholed is left alone.
# The proxy lives through every run (60 s by default).
intercepted) PROXY_SECONDS=600 lab_middlebox tls $LAB_RELAY ;;
esac
html_lab_profile
printf '%s\n' "$LAB_TURN_SECRET" > "$LAB_TMP/turn-secret"
chmod 600 "$LAB_TMP/turn-secret"
LAB_LIMITS="[relay]
secret-file = $LAB_TMP/turn-secret
relay-from = $LAB_RELAY/32
urls = turn:$LAB_RELAY:3478?transport=udp turn:$LAB_RELAY:3478?transport=tcp turns:$LAB_RELAY:443?transport=tcp"
html_lab_pinholed

# relays ID: the check says "relays media", with no failing step: pass,
# or warn when the machine's load made packets late for the jitter
# buffer (seen on a loaded 2-core host over TCP: MOS 4.16, not a relay
# failure); never fail.
relays() {
	lab_expect "any(.checks[]; .id == \"$1\" and (.verdict == \"pass\" or .verdict == \"warn\") and (.summary | startswith(\"relays media\")) and .evidence.step == null)" \
		"$1 relays media"
}

# gather ID: the page got no relay candidate over ID, and the judge names
# no more than that (no TLS failure).
gather() {
	lab_verdict "$1" fail
	lab_expect "$r | select(.id == \"$1\") | .evidence | (.step == \"gather\" and .candidate == false and .failed == null)" \
		"$1 failed at the step gather: no relay candidate"
}

r='.checks[] | select(.id | startswith("relay."))'
for run in $(seq "${PAGE_RELAY_RUNS:-3}"); do
	echo "# run $run"
	html_lab_page 60
	LAB_JSON=$LAB_TMP/report.json
	case $1 in
	open)
		relays relay.udp
		relays relay.tcp
		relays relay.tls
		lab_expect "[$r | .evidence | select(.from == \"browser\" and .candidate and .connected and .dtls and .up.mos >= 4 and .down.mos >= 4 and .up.received > 150)] | length == 3" \
			"media crossed each relay both ways, with a MOS"
		LAB_JSON=$LAB_TMP/page.json lab_expect \
			'[.relay_rows[] | .result] == ["good", "good", "good"] and (.relay | startswith("The relays carry media"))' \
			"the page lists each relay as carrying media, no relay needed"
		;;
	udp)
		gather relay.udp
		relays relay.tcp
		relays relay.tls
		lab_expect "[$r | select(.id != \"relay.udp\") | .evidence | select(.up.mos >= 4 and .down.mos >= 4)] | length == 2" \
			"TCP and TLS carried media both ways, with a MOS"
		LAB_JSON=$LAB_TMP/page.json lab_expect \
			'[.relay_rows[] | .result] == ["bad", "good", "good"] and (.relay | startswith("Relay needed"))' \
			"the page shows UDP failing, TCP and TLS carrying, and that a relay is needed"
		;;
	denied)
		lab_verdict relay.udp fail
		lab_verdict relay.tcp fail
		lab_verdict relay.tls fail
		lab_expect "[$r | .evidence | select(.candidate and .step == \"connect\")] | length == 3" \
			"each relay gave a candidate, and each failed at the step connect"
		LAB_JSON=$LAB_TMP/page.json lab_expect \
			'[.relay_rows[] | .result] == ["bad", "bad", "bad"] and (.relay | startswith("No relay carried media"))' \
			"the page shows each relay failing, and that none carried media"
		;;
	only443)
		gather relay.udp
		gather relay.tcp
		relays relay.tls
		lab_expect "$r | select(.id == \"relay.tls\") | .evidence | (.up.mos >= 4 and .down.mos >= 4)" \
			"TLS on 443 carried media both ways, with a MOS"
		LAB_JSON=$LAB_TMP/page.json lab_expect \
			'[.relay_rows[] | .result] == ["bad", "bad", "good"] and (.relay | startswith("Relay needed"))' \
			"the page shows UDP and TCP failing, TLS carrying, and that a relay is needed"
		;;
	intercepted)
		relays relay.udp
		relays relay.tcp
		lab_verdict relay.tls fail
		lab_expect "$r | select(.id == \"relay.tls\") | (.evidence | .step == \"gather\" and .candidate == false and .failed == \"TLS refused or intercepted\") and (.summary | startswith(\"TLS refused or intercepted\")) and (.remedy | contains(\"TLS inspection\"))" \
			"relay.tls failed at the step gather, named TLS refused or intercepted"
		LAB_JSON=$LAB_TMP/page.json lab_expect \
			'[.relay_rows[] | .result] == ["good", "good", "bad"] and (.relay | startswith("The relays carry media"))' \
			"the page shows UDP and TCP carrying, TLS failing"
		;;
	esac
	echo "page-relay $1 run $run: the page took $(jq -r '.elapsed_s' "$LAB_TMP/page.json") s"
	href=$(jq -r '.href // ""' "$LAB_TMP/page.json")
	lab_exec client curl -sS --max-time 10 --cacert "$LAB_TMP/cert.pem" \
		-o "$LAB_TMP/report.html" "https://$LAB_SERVER$href" || true
	LAB_JSON=$LAB_TMP/page.json lab_expect \
		"$(grep -c 'relay\.tls' "$LAB_TMP/report.html" || true) > 0" \
		"the stored report's HTML page shows the relay checks"
	LAB_JSON=$LAB_TMP/page.json lab_expect \
		"[.. | strings | select(test(\"[0-9]:pinhole\"))] | length == 0" \
		"no credentials in the page's text or console"
	LAB_JSON=$LAB_TMP/report.json lab_expect \
		"[.. | strings | select(test(\"[0-9]:pinhole\"))] | length == 0" \
		"no credentials in the report"
	echo "page-relay $1: $(jq -r .relay "$LAB_TMP/page.json")"
	jq -r '.checks[] | select(.id | startswith("relay.")) | "  \(.id) \(.verdict): \(.summary)"' "$LAB_TMP/report.json"
done
if [ "$1" = intercepted ]; then
	# What the page cannot see: its turns: connections met the proxy.
	echo "page-relay intercepted: the proxy saw $(sort "$LAB_TMP/proxy-tls.log" | uniq -c | paste -sd ';')"
	LAB_JSON=$LAB_TMP/page.json lab_expect \
		"$(grep -c '^tls: handshake' "$LAB_TMP/proxy-tls.log" || true) >= ${PAGE_RELAY_RUNS:-3}" \
		"each run's TURN over TLS met the inspecting proxy"
fi
LAB_JSON=$LAB_TMP/page.json lab_expect \
	"$(grep -cE '[0-9]+:pinhole' "$LAB_TMP/pinholed.log" || true) == 0" \
	"no credentials in pinholed's log"
LAB_JSON=$LAB_TMP/page.json lab_expect \
	"$(grep -cE 'AddressSanitizer|UndefinedBehaviorSanitizer|runtime error:' "$LAB_TMP/pinholed.log" || true) == 0" \
	"no sanitizer report in pinholed's log (PINHOLED may be the ASan build's)"
lab_end
