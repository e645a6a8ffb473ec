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
#            candidate, and each fails at the step connect.  Not in the
#            default run (three ICE timeouts: about 30 s more).
#
# PAGE_RELAY_RUNS (default 1) runs the page that many times in a row on
# the same network, each asserted alike.  The credentials pinholed hands
# out (EXPIRY:pinhole) are in neither the page's text, its console, the
# report nor pinholed's log.  Needs root, chromium and coturn.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -eq 0 ]; then
	st=0
	bash "$0" open || st=1
	bash "$0" udp || st=1
	exit $st
fi
. "$here/../lab/lib.sh"
. "$here/browser.sh"

for t in "$HTML_CHROMIUM" /usr/bin/turnserver; do
	[ -x "$t" ] || { echo "html: $t is missing (apt-get install chromium coturn)" >&2; exit 1; }
done
case $1 in
open|udp|denied) ;;
*) echo "usage: page-relay.sh [open|udp|denied]" >&2; exit 2 ;;
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
if [ "$1" = udp ]; then
	lab_exec router nft -f - <<-NFT
	table ip phl_relay {
		chain forward {
			type filter hook forward priority filter; policy accept;
			iifname "lan" meta l4proto udp drop
		}
	}
	NFT
fi
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

for run in $(seq "${PAGE_RELAY_RUNS:-1}"); do
	echo "# run $run"
	html_lab_page 60
	LAB_JSON=$LAB_TMP/report.json
	r='.checks[] | select(.id | startswith("relay."))'
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
		lab_verdict relay.udp fail
		relays relay.tcp
		relays relay.tls
		lab_expect "$r | select(.id == \"relay.udp\") | .evidence | (.step == \"gather\" and .candidate == false)" \
			"relay.udp failed at the step gather: no relay candidate"
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
	esac
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
LAB_JSON=$LAB_TMP/page.json lab_expect \
	"$(grep -cE '[0-9]+:pinhole' "$LAB_TMP/pinholed.log" || true) == 0" \
	"no credentials in pinholed's log"
LAB_JSON=$LAB_TMP/page.json lab_expect \
	"$(grep -cE 'AddressSanitizer|UndefinedBehaviorSanitizer|runtime error:' "$LAB_TMP/pinholed.log" || true) == 0" \
	"no sanitizer report in pinholed's log (PINHOLED may be the ASan build's)"
lab_end
