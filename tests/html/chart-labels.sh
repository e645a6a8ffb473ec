#!/usr/bin/env bash
# The UDP timeout chart's labels never overlap, as chromium draws them.
# pinholed (in a namespace of its own, on loopback) stores reports whose
# udp-timeout evidence puts the profile's minimum ("required N s") and the
# measurement's limit ("measured up to N s") at the same second (the
# default case: 120 and 120), a second apart, apart either way, and every
# binding outliving the limit; the test reads each page from /r/ID and
# headless chromium, in the same namespace, lays it out 1200 and 380 css
# pixels wide; tests/html/boxes.py reads the boxes of the chart's texts.
# Each marker label must keep a third of a line's height from every other
# text of the chart (labels that touch read as one), and lie inside the
# chart.  A screenshot of the default case is kept in
# build/html-report/chart-labels.png (the path is printed).  Needs root
# and chromium.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../server/lib.sh"
. "$here/../server/store-lib.sh"
. "$here/browser.sh"

if [ ! -x "$HTML_CHROMIUM" ]; then
	echo "html: $HTML_CHROMIUM is missing (apt-get install chromium)" >&2
	exit 1
fi
store_conf
srv_start "store-uploads-per-source = 100" "http-rate = 1000"

# page NAME MINIMUM LIMIT LIFE: a report of one udp-timeout check (LIFE:
# the bindings' lifetime in seconds, or null: outlived the limit), stored;
# its page in $SRV_TMP/NAME.html.
page() {
	jq -n --argjson min "$2" --argjson lim "$3" --argjson life "$4" '{
	  schema: "pinhole.report/1", version: "0.1.0", server: "192.0.2.1:443",
	  profiles: ["lab"], local_address: "192.0.2.2",
	  public_address: {udp: null, tcp: null}, started: "2026-01-01T00:00:00Z",
	  duration_s: 130, verdict: "pass",
	  checks: [{id: "udp-timeout", section: "s", verdict: "pass",
	    summary: "", evidence: {minimum_s: $min, limit_s: $lim,
	      resolution_s: 1, inbound_refresh: true,
	      ports: [{port: 3478, unreplied_s: $life, established_s: $life},
	              {port: 5060, unreplied_s: $life, established_s: $life}]}}]}' \
		> "$SRV_TMP/$1.json"
	want "$1: stored" "$(hc --data-binary @"$SRV_TMP/$1.json" "$U/api/reports")" 201
	hc "$U/r/$(jq -r .id "$SRV_TMP/body")" > /dev/null
	cp "$SRV_TMP/body" "$SRV_TMP/$1.html"
}
page default 120 120 null
page near 120 121 null
page near-below 121 120 null
page apart 30 120 null
page apart-below 120 60 null
page expired 120 120 45

profile=$(mktemp -d)
ip netns exec "$SRV_NS" timeout 120 "$HTML_CHROMIUM" --headless=new --no-sandbox \
	--disable-gpu --no-first-run --disable-background-networking \
	--disable-component-update --disable-sync --user-data-dir="$profile" \
	--remote-debugging-address=127.0.0.1 --remote-debugging-port=9222 \
	about:blank > "$SRV_TMP/chromium.log" 2>&1 &
chromium_pid=$!
for name in default near near-below apart apart-below expired; do
	for width in 1200 380; do
		ip netns exec "$SRV_NS" python3 "$here/boxes.py" 9222 \
			"file://$SRV_TMP/$name.html" "$width" \
			'article[data-check="udp-timeout"] svg, article[data-check="udp-timeout"] svg text' \
			> "$SRV_TMP/boxes.json" 2> "$SRV_TMP/boxes.err"
		# The first box is the chart's; marker labels are the texts
		# that start with "required" or "measured up to".
		st=0
		python3 - "$SRV_TMP/boxes.json" > "$SRV_TMP/overlap.out" <<-'PY' || st=$?
		import json, sys
		boxes = json.load(open(sys.argv[1]))
		svg, texts = boxes[0], boxes[1:]
		marks = [t for t in texts if t["text"].startswith(("required", "measured up to"))]
		# Apart by at least a third of a line's height: labels that
		# touch read as one ("required 120 smeasured up to 120 s").
		def meet(a, b):
		    g = (a["bottom"] - a["top"]) / 3
		    return (a["left"] - g < b["right"] and b["left"] - g < a["right"] and
		            a["top"] - g < b["bottom"] and b["top"] - g < a["bottom"])
		bad = []
		if len(marks) != 2:
		    bad.append("%d marker labels, want 2" % len(marks))
		for m in marks:
		    for t in texts:
		        if t is not m and meet(m, t):
		            bad.append("%r meets %r" % (m["text"], t["text"]))
		    if (m["left"] < svg["left"] or m["right"] > svg["right"] or
		            m["top"] < svg["top"]):
		        bad.append("%r is outside the chart" % m["text"])
		print("; ".join(bad) or " / ".join(
		    "%s at %.0f-%.0f,%.0f" % (m["text"], m["left"], m["right"], m["top"])
		    for m in marks))
		sys.exit(1 if bad else 0)
		PY
		if [ "$st" -eq 0 ]; then
			ok "$name, $width px: $(cat "$SRV_TMP/overlap.out")"
		else
			bad "$name, $width px: $(cat "$SRV_TMP/overlap.out" "$SRV_TMP/boxes.err")"
		fi
	done
done
kill "$chromium_pid" 2>/dev/null
wait "$chromium_pid" 2>/dev/null
rm -rf "$profile"

art=$SRV_ROOT/build/html-report
mkdir -p "$art"
rm -f "$art/chart-labels.png"
cp "$SRV_TMP/default.html" "$art/chart-labels.html"
html_chromium /dev/null "$SRV_TMP/shot.log" --screenshot="$art/chart-labels.png" \
	--window-size=1200,900 "file://$art/chart-labels.html" || true
if [ -s "$art/chart-labels.png" ]; then
	ok "screenshot: $art/chart-labels.png"
else
	bad "no screenshot of the default case"
fi
srv_stop || fail=1
exit "$fail"
