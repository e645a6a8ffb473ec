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
