#!/usr/bin/env bash
# Ground truth: the lab's ALG scenario (one NAT, the kernel SIP ALG on UDP
# 5060) with short UDP timeouts (unreplied 5 s, established 10 s) and the
# inbound sweep.  pinhole check writes --json and --html; the page, opened
# in headless chromium, renders without console errors, and its DOM holds
# every check id and verdict of the JSON, the overall verdict, and the
# timeline, port map and SIP diff.  A screenshot is kept in
# build/html-report/ (the path is printed).  Needs root and chromium.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lab/lib.sh"
. "$here/browser.sh"

# html_expect 'what it means' COMMAND...: counts like lab_expect.
html_expect() {
	local what=$1
	shift
	lab_checks=$((lab_checks + 1))
	if "$@"; then
		echo "ok - $what"
	else
		echo "not ok - $what"
		lab_failed=$((lab_failed + 1))
	fi
}

if [ ! -x "$HTML_CHROMIUM" ]; then
	echo "html: $HTML_CHROMIUM is missing (apt-get install chromium)" >&2
	exit 1
fi
lab_begin html-report
lab_topology nat
lab_router_nat
lab_alg udp 5060
lab_udp_timeout 5 10
lab_pinholed
LAB_REACH=1
html=$LAB_TMP/report.html
lab_check --udp-timeout-max 15 --html "$html"
lab_verdict sip-alg.udp.5060 fail
lab_verdict udp-timeout fail
lab_udp_port 3478 5 10
if [ ! -s "$html" ]; then
	echo "not ok - pinhole check --html wrote no page (status $LAB_STATUS)"
	cat "$LAB_TMP/check.err"
	lab_failed=$((lab_failed + 1))
	lab_end
fi

# The detector sees console messages: a page that logs one must be caught.
printf '<!DOCTYPE html><p>x</p><script>console.error("html-probe")</script>' \
	> "$LAB_TMP/probe.html"
html_chromium "$LAB_TMP/probe.dom" "$LAB_TMP/probe.log" --dump-dom \
	"file://$LAB_TMP/probe.html" || true
html_expect "the console detector catches a page's console.error" \
	grep -q html-probe <(html_console "$LAB_TMP/probe.log")

st=0
html_chromium "$LAB_TMP/dom.html" "$LAB_TMP/chromium.log" --dump-dom \
	"file://$html" || st=$?
html_expect "chromium loads the report" test "$st" -eq 0
console=$(html_console "$LAB_TMP/chromium.log")
html_expect "no console messages (errors, CSP violations) ${console:0:300}" \
	test -z "$console"
st=0
python3 "$here/domcheck.py" "$LAB_JSON" "$LAB_TMP/dom.html" \
	> "$LAB_TMP/dom.out" || st=$?
html_expect "the DOM holds every check and verdict of the JSON, and the plots" \
	test "$st" -eq 0
sed 's/^/    /' "$LAB_TMP/dom.out"

# The checker can fail: a check that the page does not show.
jq '.checks += [{"id": "html.absent", "verdict": "pass"}]' "$LAB_JSON" \
	> "$LAB_TMP/extra.json"
html_expect "the DOM checker fails on a check missing from the page" \
	bash -c '! python3 "$0" "$1" "$2" > /dev/null' "$here/domcheck.py" \
	"$LAB_TMP/extra.json" "$LAB_TMP/dom.html"

art=$LAB_BUILD/html-report
mkdir -p "$art"
cp "$LAB_JSON" "$art/report.json"
cp "$html" "$art/report.html"
rm -f "$art/report.png"
html_chromium /dev/null "$LAB_TMP/shot.log" --screenshot="$art/report.png" \
	--window-size=1200,2000 "file://$html" || true
html_expect "a 1200x2000 screenshot: $art/report.png" python3 -c '
import struct, sys
d = open(sys.argv[1], "rb").read(24)
sys.exit(d[:8] != b"\x89PNG\r\n\x1a\n" or
         struct.unpack(">II", d[16:24]) != (1200, 2000))' "$art/report.png"
lab_end
