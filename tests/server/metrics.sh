#!/usr/bin/env bash
# pinholed's metrics (metrics-listen) during a real pinhole check: curl of
# GET /metrics while the check runs shows its session open and its
# requests counted (MEDIA), and after it the session opened once and none
# open, datagrams counted on the SIP UDP listener; by responder (none
# while idle): the call's datagrams both ways for rtp, the session's bytes
# both ways for control, an HTTPS request's for https; the whole exposition
# passes a strict reader of the text format (promcheck.py: names,
# HELP/TYPE, labels, values, no series twice, no label that could name a
# client) and promtool check metrics, when installed (Debian's prometheus,
# which also checks pinholed(8)'s sample scrape configuration);
# GET /health is 200 "ok" without a store, and with a SQLite store; with a
# PostgreSQL store that cannot be reached it is 503 with the reason and
# pinholed_store_up is 0; the listener is on loopback only, and not when
# metrics-listen is unset.  pinholed alone in a namespace, on 127.0.0.1.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/client-lib.sh"
M=http://127.0.0.1:9464

mc() {	# mc PATH [CURL-ARGS]: status; the body in $SRV_TMP/mbody
	ip netns exec "$SRV_NS" curl -sS --max-time 5 -o "$SRV_TMP/mbody" \
		-w '%{http_code}' "${@:2}" "$M$1" 2> /dev/null
}
# scrape NAME: GET /metrics into $SRV_TMP/NAME.prom, read by promcheck.py
# into $SRV_TMP/NAME.series; promtool's word too when it is installed.
scrape() {
	want "$1: GET /metrics" "$(mc /metrics)" 200
	cp "$SRV_TMP/mbody" "$SRV_TMP/$1.prom"
	if python3 "$SRV_ROOT/tests/server/promcheck.py" "$SRV_TMP/$1.prom" \
	    > "$SRV_TMP/$1.series" 2> "$SRV_TMP/$1.err"; then
		ok "$1: the exposition reads strictly ($(wc -l < "$SRV_TMP/$1.series") series)"
	else
		bad "$1: $(cat "$SRV_TMP/$1.err")"
	fi
	if command -v promtool > /dev/null; then
		if promtool check metrics < "$SRV_TMP/$1.prom" > "$SRV_TMP/$1.pt" 2>&1; then
			ok "$1: promtool check metrics"
		else
			bad "$1: promtool: $(head -5 "$SRV_TMP/$1.pt")"
		fi
	else
		echo "# promtool not installed (Debian's prometheus): skipped"
	fi
}
val() {	# val NAME SERIES: the value of one series of the last scrape NAME
	awk -v k="$2" '$1 == k { print $2 }' "$SRV_TMP/$1.series"
}
# moved SCRAPE RESPONDER METRIC...: each pinholed_responder_METRIC of
# RESPONDER in scrape SCRAPE is at least 1 (at least 50 for a count of
# datagrams).
moved() {
	local m v least
	for m in "${@:3}"; do
		v=$(val "$1" "pinholed_responder_$m{responder=\"$2\"}")
		case $m in datagrams_*) least=50 ;; *) least=1 ;; esac
		if [ "${v:-0}" -ge "$least" ]; then ok "$1: $2's $m moved ($v)"
		else bad "$1: $2's $m: '$v', want at least $least"; fi
	done
}

# A check with a call (MEDIA requests) and the web endpoints.
{
	printf '[profile]\nname = m\ntitle = Metrics\ndescription = a call\n\n'
	printf '[media]\nudp = 10000-20000\n\n'
	sed -n '/^\[endpoint/,$p' "$SRV_TMP/web.ini"
} > "$SRV_TMP/m.ini"

SRV_SERVER_EXTRA="metrics-listen = 9464" srv_start
scrape idle
want "idle: no session open" "$(val idle 'pinholed_sessions_open{kind="control"}')" 0
want "idle: no responder counted anything" \
	"$(grep -c '^pinholed_responder_.* [1-9]' "$SRV_TMP/idle.series")" 0
ip netns exec "$SRV_NS" timeout 60 "$PINHOLE" check --json \
	--server 127.0.0.1:4443 --profile "$SRV_TMP/m.ini" --skip nat \
	--skip nat-layers --skip sip-alg --skip udp-timeout --skip reach-in \
	--media-seconds 6 --timeout 2 > "$SRV_TMP/report.json" 2> "$SRV_TMP/stderr" &
cpid=$!
# During the call: the session open, its requests counted.
for _ in $(seq 40); do
	sleep 0.25
	mc /metrics > /dev/null
	grep -q '^pinholed_checks_total{request="media"} [1-9]' "$SRV_TMP/mbody" && break
done
scrape during
want "during: the check's session open" "$(val during 'pinholed_sessions_open{kind="control"}')" 1
media=$(val during 'pinholed_checks_total{request="media"}')
if [ "${media:-0}" -ge 1 ]; then ok "during: its MEDIA requests counted ($media)"
else bad "during: MEDIA requests counted: '$media'"; fi
wait "$cpid"; st=$?
want "pinhole check status" "$st" 0
want "the check's verdict" "$(jq -r .verdict "$SRV_TMP/report.json")" pass
scrape after
want "after: no session open" "$(val after 'pinholed_sessions_open{kind="control"}')" 0
want "after: one session opened" "$(val after 'pinholed_sessions_opened_total{kind="control"}')" 1
want "after: none refused" "$(grep -c '^pinholed_sessions_refused_total.* [1-9]' "$SRV_TMP/after.series")" 0
dg=$(val after 'pinholed_datagrams_received_total{listener="sip-udp"}')
if [ "${dg:-0}" -ge 100 ]; then ok "after: the call's datagrams counted ($dg)"
else bad "after: datagrams on sip-udp: '$dg'"; fi
moved after rtp datagrams_received_total datagram_bytes_received_total \
	datagrams_sent_total datagram_bytes_sent_total
moved after control stream_bytes_received_total stream_bytes_sent_total
for m in process_resident_memory_bytes process_open_fds uptime_seconds; do
	v=$(val after "pinholed_$m")
	if awk -v v="${v:-0}" 'BEGIN { exit !(v > 0) }'; then ok "after: $m $v"
	else bad "after: $m '$v'"; fi
done
want "build_info" "$(grep -c '^pinholed_build_info{version="[0-9]' "$SRV_TMP/after.series")" 1
want "GET /health without a store" "$(mc /health)" 200
want "its body" "$(cat "$SRV_TMP/mbody")" ok
# The man page's sample scrape configuration, read by promtool.
if command -v promtool > /dev/null; then
	sed -n '/^scrape_configs:/,/^\.fi/p' "$SRV_ROOT/man/pinholed.8" | sed '$d' |
		sed 's/\\-/-/g' > "$SRV_TMP/prometheus.yml"
	if grep -q "127.0.0.1:9464" "$SRV_TMP/prometheus.yml" &&
	    promtool check config "$SRV_TMP/prometheus.yml" > "$SRV_TMP/pc" 2>&1; then
		ok "pinholed(8)'s scrape configuration: promtool check config"
	else
		bad "pinholed(8)'s scrape configuration: $(cat "$SRV_TMP/prometheus.yml" "$SRV_TMP/pc")"
	fi
fi
# Only on loopback: not on the namespace's other address.
ip -n "$SRV_NS" addr add 10.99.0.1/24 dev lo
want "not on another address" "$(ip netns exec "$SRV_NS" curl -s --max-time 2 \
	-o /dev/null -w '%{http_code}' http://10.99.0.1:9464/metrics)" 000
srv_stop || cl_fail=1

# Unset: no listener.
SRV_SERVER_EXTRA="" srv_start
want "metrics-listen unset: nothing listens" "$(mc /metrics)" 000
srv_stop || cl_fail=1

# With a SQLite store: healthy, and the store's latency histogram fills.
. "$SRV_ROOT/tests/server/store-lib.sh"
fail=0
store_conf
SRV_SERVER_EXTRA="$SRV_SERVER_EXTRA
metrics-listen = 127.0.0.1:9464" srv_start
want "GET /health with SQLite" "$(mc /health)" 200
want "its body" "$(cat "$SRV_TMP/mbody")" ok
scrape sqlite
g=$(val sqlite 'pinholed_store_duration_seconds_count{op="get"}')
if [ "${g:-0}" -ge 1 ]; then ok "sqlite: the health probe's GET timed ($g)"
else bad "sqlite: store GETs timed: '$g'"; fi
want "sqlite: store up" "$(val sqlite pinholed_store_up)" 1
want "sqlite: a listing without the token" "$(hc "$U/api/reports")" 401
scrape https
moved https https stream_bytes_received_total stream_bytes_sent_total
srv_stop || cl_fail=1

# With PostgreSQL, stopped after the start: 503 and the reason.
. "$SRV_ROOT/tests/postgres.sh"
pg_pid=$(pg_start "$SRV_TMP/pg" "$SRV_NS")
srv_cleanup_extra() { [ -z "$pg_pid" ] || kill -KILL "$pg_pid" 2>/dev/null; }
store_conf "$PG_URI"
SRV_SERVER_EXTRA="$SRV_SERVER_EXTRA
metrics-listen = 127.0.0.1:9464" srv_start
want "GET /health with PostgreSQL" "$(mc /health)" 200
kill -INT "$pg_pid"	# fast shutdown: its sessions end too
for _ in $(seq 100); do kill -0 "$pg_pid" 2>/dev/null || break; sleep 0.1; done
pg_pid=
want "GET /health, PostgreSQL stopped" "$(mc /health)" 503
echo "# body: $(cat "$SRV_TMP/mbody")"
if grep -q '^store get failed: ' "$SRV_TMP/mbody"; then ok "the reason said"
else bad "the reason: '$(cat "$SRV_TMP/mbody")'"; fi
scrape pgdown
want "pgdown: store down" "$(val pgdown pinholed_store_up)" 0
e=$(val pgdown 'pinholed_store_errors_total{op="get"}')
if [ "${e:-0}" -ge 1 ]; then ok "pgdown: the failed GET counted ($e)"
else bad "pgdown: store GET errors: '$e'"; fi
srv_stop || cl_fail=1
[ "$fail" -eq 0 ] || cl_fail=1
exit "$cl_fail"
