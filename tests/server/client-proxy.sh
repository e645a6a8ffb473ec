#!/usr/bin/env bash
# --proxy and the proxy variables of the environment, as the man page
# says: HTTP, BOSH and TLS endpoints blocked directly are tried once more
# through the proxy (http://, https:// or socks5://), and one that works
# there is a warning with "works through the proxy URL"; the proxy itself
# (tests/lab/proxy.py, which logs every request) shows each retry went
# through it, and that neither the control connection nor an endpoint that
# was open directly did.  http_proxy serves HTTP and BOSH, https_proxy and
# HTTPS_PROXY TLS, all_proxy and ALL_PROXY both; HTTP_PROXY is not read;
# --proxy comes first; no_proxy does not keep the retry from the proxy.
# An https:// proxy must have a certificate the system's CAs vouch for
# (here in a mount namespace of the client's own).  pinholed alone in a
# namespace, on 127.0.0.1, with direct connections from root to 80, 5280
# and 8443 reset; the proxies run as nobody, whose connections pass.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/client-lib.sh"
cl_cert srv "IP:127.0.0.1"
cl_cert proxy "IP:127.0.0.1"
SRV_SERVER_EXTRA="tls-cert = $SRV_TMP/srv.pem
tls-key = $SRV_TMP/srv.key
tls-ports = 8443"
srv_start
ip netns exec "$SRV_NS" nft -f - <<-NFT
table inet proxy_test {
	chain output {
		type filter hook output priority filter; policy accept;
		meta skuid 0 tcp dport { 80, 5280, 8443 } reject with tcp reset
	}
}
NFT
# web.ini's HTTP, BOSH and XMPP, and pinholed's TLS responder on 8443.
{
	sed -n 's/^name = web$/name = proxy/; /^\[endpoint sip\]/q; p' "$SRV_TMP/web.ini"
	printf '[endpoint tls]\nproto = tcp\nports = 8443\ndirection = out\nservice = tls\n'
} > "$SRV_TMP/proxy.ini"
CL_PROFILE=$SRV_TMP/proxy.ini
# Every proxy variable unset, then the case's own.
NOENV=(env -u http_proxy -u HTTP_PROXY -u https_proxy -u HTTPS_PROXY
	-u all_proxy -u ALL_PROXY -u no_proxy -u NO_PROXY)
HTTP=http://127.0.0.1:3128 HTTPS=https://127.0.0.1:3129 SOCKS=socks5://127.0.0.1:1080
# The interpreter as nobody can run it (not one under root's home).
PY=/usr/bin/python3
px_pids=()
srv_cleanup_extra() {
	local p
	for p in "${px_pids[@]}"; do kill "$p" 2>/dev/null && wait "$p"; done
}

# px_start: the three proxies, fresh logs; px_stop ends them
px_start() {
	local m port
	px_pids=()
	for m in "connect 3128" "connect-tls 3129 $SRV_TMP/proxy.pem $SRV_TMP/proxy.key" \
	    "socks5 1080"; do
		ip netns exec "$SRV_NS" setpriv --reuid=nobody --regid=nogroup \
			--clear-groups "$PY" "$SRV_ROOT/tests/lab/proxy.py" $m \
			> "$SRV_TMP/proxy-${m%% *}.log" 2>&1 &
		px_pids+=($!)
	done
	for port in 3128 3129 1080; do
		for _ in $(seq 50); do
			[ -n "$(ip netns exec "$SRV_NS" ss -Hltn "sport = :$port")" ] && break
			sleep 0.1
		done
	done
}
px_stop() {
	local p
	for p in "${px_pids[@]}"; do kill "$p" 2>/dev/null; wait "$p"; done
	px_pids=()
}
# px_log MODE: what the proxy saw, sorted, on one line
px_log() { sort "$SRV_TMP/proxy-$1.log" | paste -sd '|'; }
# detail PORT: what the retry of PORT found, or "none" when not tried
detail() {
	jq -r ".checks[] | select(.id == \"reach.tcp.out.$1\") | .evidence.ports[0].proxy // \"none\"" \
		"$SRV_TMP/report.json"
}
# carried WHAT URL: every blocked endpoint works through the proxy URL
carried() {
	want "$1: exit 0 (warnings)" "$cl_status" 0
	jqwant "$1: the verdicts" '[.checks[] | select(.id | startswith("reach.")) | "\(.id) \(.verdict)"] | join(", ")' \
		"reach.tcp.out.80 warn, reach.tcp.out.5280 warn, reach.tcp.out.5222 pass, reach.tcp.out.8443 warn"
	jqwant "$1: HTTP said" '.checks[] | select(.id == "reach.tcp.out.80") | .summary' \
		"HTTP GET tcp out: blocked 80 (but it works through the proxy)"
	want "$1: HTTP through $2" "$(detail 80)" "works through the proxy $2 (HTTP 405)"
	want "$1: BOSH through $2" "$(detail 5280)" "works through the proxy $2 (HTTP 200)"
	want "$1: TLS through $2" "$(detail 8443)" "works through the proxy $2"
	want "$1: XMPP, open directly, not tried" "$(detail 5222)" none
}
# Exactly what each proxy logs when it carries all three.
SEEN_HTTP="PROXY CONNECT 127.0.0.1:8443 HTTP/1.1|PROXY HEAD http://127.0.0.1/pinhole/proxy HTTP/1.1|PROXY POST http://127.0.0.1:5280/http-bind HTTP/1.1"
SEEN_SOCKS="SOCKS5 CONNECT 127.0.0.1:5280|SOCKS5 CONNECT 127.0.0.1:80|SOCKS5 CONNECT 127.0.0.1:8443"
# logs WHAT CONNECT CONNECT-TLS SOCKS5: what each proxy saw
logs() {
	want "$1: the http:// proxy saw" "$(px_log connect)" "$2"
	want "$1: the https:// proxy saw" "$(px_log connect-tls)" "$3"
	want "$1: the socks5:// proxy saw" "$(px_log socks5)" "$4"
}
# case WHAT ENV-VARS... -- ARGS: one run with fresh proxies
run_case() {
	local what=$1 vars=()
	shift
	while [ "$1" != -- ]; do vars+=("$1"); shift; done
	shift
	px_start
	CL_PRE=("${NOENV[@]}" "${vars[@]}")
	cl_check 60 "$@"
	CL_PRE=()
	px_stop
}

# Without a proxy: blocked, nothing tried.
run_case "no proxy" --
want "no proxy: exit 1" "$cl_status" 1
want "no proxy: HTTP not tried" "$(detail 80)" none
want "no proxy: TLS not tried" "$(detail 8443)" none
logs "no proxy" "" "" ""

run_case "--proxy http://" -- --proxy "$HTTP"
carried "--proxy http://" "$HTTP"
logs "--proxy http://" "$SEEN_HTTP" "" ""
run_case "--proxy socks5://" -- --proxy "$SOCKS"
carried "--proxy socks5://" "$SOCKS"
logs "--proxy socks5://" "" "" "$SEEN_SOCKS"

# https://: the proxy's certificate is checked against the system's CAs.
run_case "--proxy https://, a certificate no CA vouches for" -- --proxy "$HTTPS"
want "untrusted https:// proxy: exit 1" "$cl_status" 1
want "untrusted https:// proxy: said" "$(detail 80)" \
	"fails through the proxy $HTTPS too: SSL peer certificate or SSH remote key was not OK"
want "untrusted https:// proxy: nothing carried" "$(px_log connect-tls | tr '|' '\n' | grep -c '^PROXY')" 0
want "untrusted https:// proxy: three handshakes refused" \
	"$(grep -c 'TLS handshake failed' "$SRV_TMP/proxy-connect-tls.log")" 3
# The proxy's certificate as the system's CA bundle, in the client's own
# mount namespace.
bundle=$(curl-config --ca 2>/dev/null || echo /etc/ssl/certs/ca-certificates.crt)
px_start
cl_status=0
ip netns exec "$SRV_NS" "${NOENV[@]}" unshare -m --propagation private sh -c \
	'mount --bind "$1" "$2" && shift 2 && exec "$@"' sh "$SRV_TMP/proxy.pem" "$bundle" \
	timeout 60 "$PINHOLE" check --json --server 127.0.0.1:4443 --profile "$CL_PROFILE" \
	--skip nat --skip nat-layers --skip sip-alg --skip udp-timeout --skip reach-in \
	--skip media --proxy "$HTTPS" > "$SRV_TMP/report.json" 2> "$SRV_TMP/stderr" ||
	cl_status=$?
px_stop
carried "--proxy https://, trusted" "$HTTPS"
logs "--proxy https://, trusted" "" "$SEEN_HTTP" ""
has "the system's bundle untouched" "$bundle" "BEGIN CERTIFICATE"
hasnt "the system's bundle is not the proxy's" "$bundle" "$(sed -n 2p "$SRV_TMP/proxy.pem")"

# The environment.
run_case "all_proxy" all_proxy="$HTTP" --
carried "all_proxy" "$HTTP"
logs "all_proxy" "$SEEN_HTTP" "" ""
run_case "ALL_PROXY" ALL_PROXY="$SOCKS" --
carried "ALL_PROXY" "$SOCKS"
logs "ALL_PROXY" "" "" "$SEEN_SOCKS"
run_case "http_proxy alone" http_proxy="$HTTP" --
want "http_proxy alone: exit 1 (TLS blocked)" "$cl_status" 1
want "http_proxy alone: HTTP through it" "$(detail 80)" "works through the proxy $HTTP (HTTP 405)"
want "http_proxy alone: BOSH through it" "$(detail 5280)" "works through the proxy $HTTP (HTTP 200)"
want "http_proxy alone: TLS not tried" "$(detail 8443)" none
logs "http_proxy alone" "PROXY HEAD http://127.0.0.1/pinhole/proxy HTTP/1.1|PROXY POST http://127.0.0.1:5280/http-bind HTTP/1.1" "" ""
for v in https_proxy HTTPS_PROXY; do
	run_case "$v alone" "$v=$SOCKS" --
	want "$v alone: exit 1 (HTTP blocked)" "$cl_status" 1
	want "$v alone: TLS through it" "$(detail 8443)" "works through the proxy $SOCKS"
	want "$v alone: HTTP not tried" "$(detail 80)" none
	logs "$v alone" "" "" "SOCKS5 CONNECT 127.0.0.1:8443"
done
run_case "https_proxy before HTTPS_PROXY" https_proxy="$SOCKS" HTTPS_PROXY="$HTTP" --
want "https_proxy before HTTPS_PROXY" "$(detail 8443)" "works through the proxy $SOCKS"
run_case "https_proxy and all_proxy" https_proxy="$SOCKS" all_proxy="$HTTP" --
want "https_proxy and all_proxy: exit 0 (warnings)" "$cl_status" 0
want "https_proxy and all_proxy: HTTP through all_proxy" "$(detail 80)" "works through the proxy $HTTP (HTTP 405)"
want "https_proxy and all_proxy: TLS through https_proxy" "$(detail 8443)" "works through the proxy $SOCKS"
logs "https_proxy and all_proxy" \
	"PROXY HEAD http://127.0.0.1/pinhole/proxy HTTP/1.1|PROXY POST http://127.0.0.1:5280/http-bind HTTP/1.1" "" \
	"SOCKS5 CONNECT 127.0.0.1:8443"
run_case "HTTP_PROXY is not read" HTTP_PROXY="$HTTP" --
want "HTTP_PROXY: HTTP not tried" "$(detail 80)" none
logs "HTTP_PROXY" "" "" ""
run_case "--proxy before the environment" all_proxy="$SOCKS" -- --proxy "$HTTP"
carried "--proxy before the environment" "$HTTP"
logs "--proxy before the environment" "$SEEN_HTTP" "" ""
run_case "no_proxy" no_proxy=127.0.0.1 NO_PROXY='*' -- --proxy "$HTTP"
carried "no_proxy does not keep the retry from the proxy" "$HTTP"
logs "no_proxy" "$SEEN_HTTP" "" ""

# A proxy that is not there: the retry's failure, said.
run_case "a proxy that is not there" -- --proxy http://127.0.0.1:3130
want "no proxy there: exit 1" "$cl_status" 1
want "no proxy there: said" "$(detail 80)" \
	"fails through the proxy http://127.0.0.1:3130 too: Couldn't connect to server"
# Usage.
cl_check 10 --proxy ftp://127.0.0.1:21
want "--proxy ftp://: exit 2" "$cl_status" 2
has "--proxy ftp://: said" "$SRV_TMP/stderr" \
	"pinhole: --proxy wants a URL such as http://proxy.example:3128, not 'ftp://127.0.0.1:21'"
kill -0 "$srv_pid" 2>/dev/null && ok "pinholed alive" || bad "pinholed died"
[ "$cl_fail" -eq 0 ] || { echo "# pinholed log:"; cat "$SRV_TMP/log"; }
exit "$cl_fail"
