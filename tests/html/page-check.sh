#!/usr/bin/env bash
# Ground truth: one NAT; the lab's DNS names good.lab.example 203.0.113.10
# and blocked.lab.example 203.0.113.11 (both pinholed, HTTPS on 443), and
# the router drops the LAN's TCP to 203.0.113.11:443.  pinholed serves the
# check page with a SQLite store and a profile of those two hosts.  Headless
# chromium in the client namespace opens https://203.0.113.10/ (the lab's
# certificate is accepted with --ignore-certificate-errors: the lab CA is
# not in chromium's store), the page runs its WebSocket and fetches, and
# links to the stored report; that report, read by id from /r/ID.json,
# has browser.tls-ws.443 pass, browser.fetch.good.lab.example pass and
# browser.fetch.blocked.lab.example fail, browser.webrtc pass with a MOS
# both ways (the page's RTCPeerConnection to pinholed's media ports over
# the open UDP path, ICE on a host pair over UDP), and the page logged no
# CSP violation or error.  The page itself shows the overall verdict, fail,
# with advice for the blocked host, and each host's row from the start of
# its fetch ("checking…").  The page's time to its verdict is printed.
# Needs root and chromium; at most 60 s in chromium.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lab/lib.sh"
. "$here/browser.sh"

if [ ! -x "$HTML_CHROMIUM" ]; then
	echo "html: $HTML_CHROMIUM is missing (apt-get install chromium)" >&2
	exit 1
fi
lab_begin page-check
lab_topology nat
lab_router_nat
lab_tls_cert
lab_dns good.lab.example=203.0.113.10 blocked.lab.example=203.0.113.11
lab_exec router nft -f - <<-NFT
table ip phl_page {
	chain forward {
		type filter hook forward priority filter; policy accept;
		iifname "lan" ip daddr 203.0.113.11 tcp dport 443 drop
	}
}
NFT
cat > "$LAB_TMP/lab-web.ini" <<-INI
[profile]
name = lab-web
title = The lab's web phone
[endpoint good]
proto = tcp
ports = 443
direction = out
host = good.lab.example
service = tls
[endpoint blocked]
proto = tcp
ports = 443
direction = out
host = blocked.lab.example
service = tls
INI
html_lab_pinholed

html_lab_page 40
lab_expect '.href | test("^/r/[a-z2-7]{24}$")' "the page links to its report"
# Its own verdict and advice once the checks end, and the hosts' rows shown
# as their fetches start: the blocked host's was seen "checking…" while it
# ran, and none is left so.
lab_expect '.verdict == "fail"' "the page shows the overall verdict, fail"
lab_expect '[.advice[] | select(startswith("browser.fetch.blocked.lab.example (fail): "))] | length == 1' \
	"the page's advice names the blocked host, with what to do"
lab_expect '[.advice[] | select(startswith("browser.fetch.good.lab.example"))] | length == 0' \
	"no advice for the host that was reached"
lab_expect '.pending_max >= 1 and .pending == 0' \
	"host rows shown as their fetches start (checking…), none left pending"
# A fetch that fails logs "Failed to load resource: net::ERR_..."; any
# other message (a CSP violation, an error of the script) is a defect.
lab_expect '([.console[] | select(startswith("Failed to load resource: net::ERR_") | not)] | length) == 0 and (.exceptions | length) == 0' \
	"no console messages but failed fetches, no exceptions (CSP violations are logged there)"
LAB_JSON=$LAB_TMP/report.json
lab_verdict browser.tls-ws.443 pass
lab_verdict browser.fetch.good.lab.example pass
lab_verdict browser.fetch.blocked.lab.example fail
lab_verdict browser.webrtc pass
lab_expect '.checks[] | select(.id == "browser.webrtc") | .evidence | (.up.mos >= 4 and .down.mos >= 4 and .pair.protocol == "udp" and .up.received > 300 and .down.received > 300 and .dtls)' \
	"browser.webrtc: MOS both ways over UDP, audio for the test's 8 s"
echo "page-check: verdict after $(jq -r .elapsed_s "$LAB_TMP/page.json") s; $(jq -r '.checks[] | select(.id == "browser.webrtc") | .summary' "$LAB_JSON")"
lab_expect '.public_address.tcp == "203.0.113.2"' "the browser's public address is the NAT's"
lab_expect '.profiles == ["lab-web"]' "the report names the page's profile"
# The page's report and one uploaded by 'pinhole check --share' are one
# contract and one renderer: /r/ID of each is the same page around its
# checks (the same head, CSP and style included, and the same header,
# counts and summary table).
page_id=$(jq -r '.href' "$LAB_TMP/page.json"); page_id=${page_id#/r/}
# The page's report by its id from another namespace: the server's side.
lab_exec server "$PINHOLE" show --server "$LAB_SERVER" --tls-ca "$LAB_TMP/cert.pem" \
	--json "$page_id" > "$LAB_TMP/shown.json" 2>&1 || true
lab_json_merge shown="$LAB_TMP/shown.json" page="$LAB_TMP/report.json"
lab_expect '[.shown.checks[] | [.id, .verdict]] == [.page.checks[] | [.id, .verdict]] and (.shown.checks | length) >= 4' \
	"pinhole show from the server's namespace opens the page's report by its id"
LAB_PROFILE=$LAB_TMP/lab-web.ini lab_check --tls-ca "$LAB_TMP/cert.pem" --share \
	--skip media --skip reach --skip reach-in
cli_url=$(sed -n '/^pinhole: report shared:$/{n;p;}' "$LAB_TMP/check.err")
for w in page:$page_id cli:${cli_url##*/r/}; do
	lab_exec client curl -sS --max-time 10 --cacert "$LAB_TMP/cert.pem" \
		-o "$LAB_TMP/${w%%:*}.html" "https://$LAB_SERVER/r/${w#*:}"
done
head_of() {	# the page's head but its title (which names the verdict)
	sed -e 's/.*<head>\(.*\)<\/head>.*/\1/' -e 's/<title>[^<]*<\/title>//' "$1"
}
lab_checks=$((lab_checks + 1))
if [ -s "$LAB_TMP/page.html" ] && [ -s "$LAB_TMP/cli.html" ] &&
    diff <(head_of "$LAB_TMP/page.html") <(head_of "$LAB_TMP/cli.html") > "$LAB_TMP/skel.diff" &&
    [ "$(grep -o 'class="verdict-big"\|class="counts"\|class="summary"' "$LAB_TMP/page.html" | wc -l)" -eq 3 ] &&
    [ "$(grep -o 'class="verdict-big"\|class="counts"\|class="summary"' "$LAB_TMP/cli.html" | wc -l)" -eq 3 ]; then
	echo "ok - /r/ID of the page's report and of check --share's: the same page (head, CSP, verdict header)"
else
	echo "not ok - /r/ID of the page's and check --share's reports differ:"; head -20 "$LAB_TMP/skel.diff"
	lab_failed=$((lab_failed + 1))
fi
lab_end
