#!/usr/bin/env bash
# tests/html/browser.sh: helpers that open an HTML report in Debian's
# headless chromium, sourced by the HTML tests.  chromium runs without the
# network: every fetch, update and sync is switched off, and the page must
# need none.
HTML_CHROMIUM=${HTML_CHROMIUM:-/usr/bin/chromium}

# html_chromium OUT ERR ARGS... URL: one headless run, at most 60 s; its
# stdout to OUT, its log (console messages included) to ERR.
html_chromium() {
	local out=$1 err=$2 profile rc
	shift 2
	profile=$(mktemp -d)
	timeout 60 "$HTML_CHROMIUM" --headless --no-sandbox --disable-gpu \
		--disable-quic --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync \
		--user-data-dir="$profile" --enable-logging=stderr --v=0 \
		"$@" > "$out" 2> "$err"
	rc=$?
	rm -rf "$profile"
	return $rc
}

# html_console ERR: the console messages of the page in a chromium log.
html_console() {
	grep -F ':CONSOLE' "$1" || true
}

# html_lab_profile: $LAB_TMP/lab-web.ini, the lab's web phone: signalling
# over TLS to pinholed on 443, nothing else.
html_lab_profile() {
	cat > "$LAB_TMP/lab-web.ini" <<-INI
	[profile]
	name = lab-web
	title = The lab's web phone
	[endpoint signalling]
	proto = tcp
	ports = 443
	direction = out
	host = $LAB_SERVER
	service = tls
	INI
}

# html_lab_pinholed: the scenario's pinholed serving the check page for
# the profile $LAB_TMP/lab-web.ini, with a SQLite store.
html_lab_pinholed() {
	LAB_CONF_EXTRA="store = sqlite:$LAB_TMP/reports.db
page-dir = $LAB_ROOT/www
page-profile = $LAB_TMP/lab-web.ini"
	lab_pinholed
}

# html_lab_page WAIT [click]: in a lab scenario whose pinholed serves the check
# page, headless chromium in the client namespace (at most 60 s, ended by
# its PID) opens https://$LAB_SERVER/ and cdp.py waits at most WAIT s for
# the page's verdict: its state, link, time and console in
# $LAB_TMP/page.json, and the stored report it links to, read by id
# from /r/ID.json, in $LAB_TMP/report.json; expects that the page
# finished.  With "click", chromium keeps its autoplay policy (a page's
# audio starts only after a user's gesture, as for a user) and cdp.py
# clicks the page's button.
html_lab_page() {
	local wait=$1 click=${2:-} profile chromium_pid href
	local autoplay=--autoplay-policy=no-user-gesture-required
	[ "$click" = click ] && autoplay=--autoplay-policy=document-user-activation-required
	profile=$(mktemp -d)
	lab_spawn client "$LAB_TMP/chromium.log" timeout 60 "$HTML_CHROMIUM" \
		--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--ignore-certificate-errors "$autoplay" \
		--user-data-dir="$profile" \
		--remote-debugging-address=127.0.0.1 --remote-debugging-port=9222 about:blank
	chromium_pid=$LAB_PID
	lab_exec client python3 "$here/cdp.py" 9222 "https://$LAB_SERVER/" "$wait" $click \
		> "$LAB_TMP/page.json" 2> "$LAB_TMP/cdp.err" || true
	kill "$chromium_pid" 2>/dev/null || true
	wait "$chromium_pid" 2>/dev/null || true
	rm -rf "$profile"
	href=$(jq -r '.href // ""' "$LAB_TMP/page.json" 2>/dev/null || true)
	lab_exec client curl -sS --max-time 10 --cacert "$LAB_TMP/cert.pem" \
		-o "$LAB_TMP/report.json" "https://$LAB_SERVER$href.json" || true
	LAB_JSON=$LAB_TMP/page.json
	lab_expect '.state == "done"' "the page finished ($(jq -r .status "$LAB_JSON" 2>/dev/null || cat "$LAB_TMP/cdp.err"))"
}
