#!/usr/bin/env bash
# The check page's WebRTC media through a router that filters UDP.  Ground
# truth: one NAT; pinholed's default media ports (16 single ports over
# 10000-20000), of which the page's peer offers 10000, 12666, 15333 and
# 18000 as host candidates.  Two scenarios, each in a process of its own:
#
#   blocked  the router drops UDP 10000-20000 both ways: no ICE check
#            reaches pinholed's UDP ports, the browser falls back to the
#            passive ICE-TCP candidate on 443 (RFC 6544), the call runs
#            over TCP with a MOS, and browser.webrtc fails, saying that
#            media did not pass over UDP, naming the four ports, and that
#            it passed over TCP 443;
#   partial  the router drops UDP to and from ports 15001-20000: checks
#            reach 10000 and 12666 only, the call runs on one of them with
#            a MOS, and browser.webrtc fails, naming 15333 and 18000 as the
#            offered ports that carried nothing;
#   click    nothing dropped, and chromium keeps its autoplay policy (as
#            for a user, a page's audio starts only after a click): the
#            page shows its button, the test clicks it, and browser.webrtc
#            passes with a MOS both ways;
#   ipv6     nothing dropped, the lab dual-stack with the router's RFC 6092
#            stateful firewall on IPv6, and chromium opens the page over
#            IPv6 (https://[2001:db8:ff::10]/): pinholed's peer offers IPv6
#            host candidates, ICE and the call run over IPv6 UDP with a
#            MOS both ways, browser.webrtc's pair has the family ipv6 and
#            its summary says "over IPv6 udp", and browser.webrtc
#            passes: where chromium sees no NAT on its path (IPv6 here;
#            a routed IPv4 line does the same) it stops checking at the
#            first pair that answers, so no check reaches the other
#            ports; the page lists the checks the browser sent per port
#            (getStats()), and the judge reads a port the browser sent no
#            check to as untested ("not tried by the browser"), not as
#            blocked.  No port is blocked, and every port pinholed saw
#            no check on is one the browser did not try.
#
# In 'blocked' and 'partial' the page's lists show that chromium sent
# checks to the dropped ports: they are blocked, not untested.
#
# Asserted on the stored report read by id (/r/ID.json).  Needs root and
# chromium; each scenario at most 60 s in chromium.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -eq 0 ]; then
	st=0
	bash "$0" blocked || st=1
	bash "$0" partial || st=1
	bash "$0" click || st=1
	bash "$0" ipv6 || st=1
	exit $st
fi
. "$here/../lab/lib.sh"
. "$here/browser.sh"

if [ ! -x "$HTML_CHROMIUM" ]; then
	echo "html: $HTML_CHROMIUM is missing (apt-get install chromium)" >&2
	exit 1
fi
case $1 in
blocked) ports=10000-20000 ;;
partial) ports=15001-20000 ;;
click|ipv6) ports= ;;
*) echo "usage: page-media.sh [blocked|partial|click|ipv6]" >&2; exit 2 ;;
esac
lab_begin "page-media-$1"
lab_topology nat
lab_router_nat
if [ "$1" = ipv6 ]; then
	lab_ipv6
	lab_router_fw6
fi
lab_tls_cert
if [ -n "$ports" ]; then
	lab_exec router nft -f - <<-NFT
	table ip phl_media {
		chain forward {
			type filter hook forward priority filter; policy accept;
			iifname "lan" udp dport $ports drop
			oifname "lan" udp sport $ports drop
		}
	}
	NFT
fi
html_lab_profile
html_lab_pinholed
# The page over IPv6: its URL and the stored report's.
[ "$1" = ipv6 ] && LAB_SERVER="[$LAB_SERVER6]"

html_lab_page 60 "$([ "$1" = click ] && echo click)"
LAB_JSON=$LAB_TMP/report.json
lab_verdict browser.tls-ws.443 pass
w='.checks[] | select(.id == "browser.webrtc")'
case $1 in
click)
	LAB_JSON=$LAB_TMP/page.json lab_expect '.clicked' \
		"the page showed its button, and it was clicked"
	lab_verdict browser.webrtc pass
	lab_expect "$w | .evidence | (.up.mos >= 4 and .down.mos >= 4 and .up.received > 300)" \
		"audio both ways after the click, with a MOS"
	;;
ipv6)
	lab_expect "$w | .evidence | (.pair.family == \"ipv6\" and .pair.protocol == \"udp\" and .up.mos >= 4 and .down.mos >= 4 and .up.received > 300)" \
		"the call ran over IPv6 UDP, with a MOS both ways"
	lab_expect "$w | .summary | test(\"over IPv6 udp to port\")" \
		"the summary says media went over IPv6"
	lab_verdict browser.webrtc pass
	lab_expect "$w | .evidence | (.ports_blocked == [] and .ports_unreached == .ports_untested and all(.ports[]; .browser_requests != null))" \
		"no port blocked; the ports without checks are those the browser did not try"
	lab_expect "$w | (.evidence.ports_untested == [] or (.summary | test(\"not tried by the browser: UDP\")))" \
		"the summary names the ports the browser did not try"
	;;
blocked|partial)
	lab_verdict browser.webrtc fail
	;;
esac
case $1 in
blocked)
	lab_expect "$w | .summary | test(\"media did not pass over UDP\")" \
		"the summary says media did not pass over UDP"
	lab_expect "$w | .remedy | test(\"UDP 10000, 12666, 15333, 18000\")" \
		"the remedy names the offered ports"
	lab_expect "$w | .summary | test(\"it passed over TCP 443 \\\\(ICE-TCP\\\\)\")" \
		"the summary says it passed over TCP 443 (ICE-TCP)"
	lab_expect "$w | .evidence | (.ports_blocked == [10000, 12666, 15333, 18000] and .ports_untested == [] and all(.ports[]; .browser_requests > 0))" \
		"the browser sent checks to every UDP port: all blocked, none untested"
	lab_expect "$w | .evidence | (.ports_unreached == [10000, 12666, 15333, 18000] and .tcp_port == 443 and .tcp_checks > 0 and .pair.protocol == \"tcp\" and .pair.server_port == 443 and .up.mos >= 4 and .down.mos >= 4)" \
		"no ICE check on UDP; the call over ICE-TCP on 443 with a MOS"
	;;
partial)
	lab_expect "$w | .evidence | (.ports_reached == [10000, 12666] and .ports_unreached == [15333, 18000])" \
		"ICE checks reached 10000 and 12666, not 15333 and 18000"
	lab_expect "$w | .evidence | (.ports_blocked == [15333, 18000] and .ports_untested == [])" \
		"the browser sent checks to 15333 and 18000: blocked, not untested"
	lab_expect "$w | .evidence | (.pair.server_port == 10000 or .pair.server_port == 12666) and .up.mos >= 4 and .down.mos >= 4" \
		"the call ran on an open port with a MOS"
	lab_expect "$w | .remedy | test(\"whole media range\")" \
		"the remedy asks for the whole media range"
	;;
esac
echo "page-media $1: UDP port, pinholed's checks/the browser's requests, status: $(jq -r "$w | .evidence.ports | map(\"\\(.port) \\(.checks)/\\(.browser_requests) \\(.status)\") | join(\", \")" "$LAB_JSON")"
echo "page-media $1: verdict after $(jq -r .elapsed_s "$LAB_TMP/page.json") s; $(jq -r "$w | .summary" "$LAB_JSON")"
lab_end
