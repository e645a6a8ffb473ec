#!/usr/bin/env bash
# The check page over HTTPS on the control port, pinholed started as root
# and sandboxed: GET / and /static/ from page-dir with their types and a
# CSP that allows no inline script and nothing from elsewhere; a dot
# segment, an unknown file and a name outside the page are refused; the
# WebSocket at /ws: the handshake (Sec-WebSocket-Accept, Origin, version),
# hello, ping/pong, offer answered "webrtc not available", results judged
# and stored (the report read back by id: browser.tls-ws.4443 pass, a
# host the page could not fetch fails); unmasked frames are 1002, frames
# over 16 KiB 1009 (from the header), fragments 1008, binary 1003, bad
# UTF-8 1007; the per-source caps on sessions and on connections that have
# not said hello; the hello deadline; the page's ICE-check lists
# ("candidates") as hostile input: junk dropped, counts bounded; the
# daemon survives under the filter.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store-lib.sh"
page_conf
srv_start "max-unauth-per-source = 4" "max-sessions-per-source = 2" \
	"hello-timeout = 3" "store-uploads-per-session = 1"

want "GET /" "$(hc "$U/")" 200
want "the page's type" "$(hdr content-type)" "text/html; charset=utf-8"
cmp -s "$SRV_TMP/body" "$SRV_ROOT/www/index.html" && ok "the page is www/index.html" ||
	bad "the page differs from www/index.html"
csp=$(hdr content-security-policy)
case "$csp" in
"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self' wss://127.0.0.1:4443 https://chunderw-gll.twilio.com "*"; frame-ancestors 'none'")
	ok "the page's CSP: self only, the WebSocket and the profile's hosts" ;;
*) bad "the page's CSP: $csp" ;;
esac
grep -qi '<script>' "$SRV_TMP/body" && bad "inline script in the page" || ok "no inline script"
want "check.js" "$(hc "$U/static/check.js")" 200
want "its type" "$(hdr content-type)" "text/javascript; charset=utf-8"
want "check.css" "$(hc "$U/static/check.css")" 200
want "its type" "$(hdr content-type)" "text/css; charset=utf-8"
want "an unknown file" "$(hc "$U/static/nothing.js")" 404
want "a dot segment" "$(hc --path-as-is "$U/static/../../etc/passwd")" 400
want "an escape" "$(hc "$U/static/%2e%2e/index.html")" 400
want "the directory itself" "$(hc "$U/static/")" 404
want "POST to the page" "$(hc -X POST --data x "$U/")" 405
want "GET /ws without an Upgrade" "$(hc "$U/ws")" 400

st=0
srv_py ws.py "$SRV_TMP/cert.pem" 4 2 3 > "$SRV_TMP/ws.out" 2>&1 || st=$?
grep -v '^report-id' "$SRV_TMP/ws.out"
[ "$st" -eq 0 ] || fail=1
id=$(sed -n 's/^report-id //p' "$SRV_TMP/ws.out")
want "the stored report" "$(hc "$U/r/$id.json")" 200
want "browser.tls-ws.4443" "$(jq -r '.checks[] | select(.id == "browser.tls-ws.4443") | .verdict' "$SRV_TMP/body")" pass
want "a host reached" "$(jq -r '.checks[] | select(.id == "browser.fetch.chunderw-gll.twilio.com") | .verdict' "$SRV_TMP/body")" pass
want "a host not reached" "$(jq -r '.checks[] | select(.id == "browser.fetch.eventgw.twilio.com") | .verdict' "$SRV_TMP/body")" fail
want "a host the page did not report" "$(jq -r '.checks[] | select(.id == "browser.fetch.chunderw-vpc-gll.twilio.com") | .verdict' "$SRV_TMP/body")" skip
want "a host outside the profile is not in the report" \
	"$(jq '[.checks[] | select(.id | test("elsewhere"))] | length' "$SRV_TMP/body")" 0
want "the report's address" "$(jq -r .public_address.tcp "$SRV_TMP/body")" 127.0.0.1
want "its HTML page" "$(hc "$U/r/$id")" 200
grep -q 'browser.tls-ws.4443' "$SRV_TMP/body" && ok "the page names the checks" || bad "the HTML page"

# The hostile ICE-check lists: junk dropped, one port's sum held at the
# bound, the port the browser sent no check to untested.
read -r cid p0 p1 <<<"$(sed -n 's/^report-id-cands //p' "$SRV_TMP/ws.out")"
want "the report of the hostile lists" "$(hc "$U/r/$cid.json")" 200
wp='.checks[] | select(.id == "browser.webrtc") | .evidence.ports[]'
want "junk counts on $p0 are dropped: untested" \
	"$(jq -c "[$wp | select(.port == $p0) | .browser_requests, .status]" "$SRV_TMP/body")" '[0,"untested"]'
want "$p1's sum held at 1000000, no check came: blocked" \
	"$(jq -c "[$wp | select(.port == $p1) | .browser_requests, .browser_responses, .status]" "$SRV_TMP/body")" '[1000000,0,"blocked"]'
want "every count an integer within bounds" \
	"$(jq "[$wp | .browser_requests, .browser_responses | select(type != \"number\" or . < 0 or . > 1000000 or . != floor)] | length" "$SRV_TMP/body")" 0
grep -q 'Seccomp:.*2' "/proc/$srv_pid/status" && ok "under the seccomp filter" || bad "no filter"
srv_end
