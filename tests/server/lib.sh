# tests/server/lib.sh - runs pinholed alone in a namespace of its own, on
# loopback, for the robustness tests.  Sourced.
SRV_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PINHOLED=${PINHOLED:-$SRV_ROOT/build/src/server/pinholed}
SRV_NS="phs$$"
SRV_TMP=$(mktemp -d)
chmod 755 "$SRV_TMP"
srv_pid=

srv_cleanup() {
	local status=$?
	set +e
	[ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null && wait "$srv_pid" 2>/dev/null
	ip netns del "$SRV_NS" 2>/dev/null
	rm -rf "$SRV_TMP"
	exit "$status"
}
trap srv_cleanup EXIT

srv_start() {	# srv_start [LIMITS...]: extra "key = value" lines for [limits];
	# SRV_SERVER_EXTRA: lines for [server]
	local extra
	extra=$(printf '%s\n' "$@")
	ip netns add "$SRV_NS"
	ip -n "$SRV_NS" link set lo up
	cat > "$SRV_TMP/pinholed.conf" <<-CONF
	[server]
	listen = 127.0.0.1
	control-port = 4443
	sip-udp-ports = 5060-5062
	sip-tcp-ports = 5060-5062
	stun-port = 3478
	allow-loopback = yes
	user = nobody
	${SRV_SERVER_EXTRA:-}
	[limits]
	conn-rate = 1000
	$extra
	CONF
	# SRV_NOFILE: the open-file limit pinholed starts with (hard and soft).
	ip netns exec "$SRV_NS" bash -c 'ulimit -n '"${SRV_NOFILE:-1024}"' &&
		exec "$0" -c "$1"' "$PINHOLED" "$SRV_TMP/pinholed.conf" \
		> "$SRV_TMP/log" 2>&1 &
	srv_pid=$!
	for _ in $(seq 50); do
		ip netns exec "$SRV_NS" bash -c 'exec 3<>/dev/tcp/127.0.0.1/4443' \
			2>/dev/null && return 0
		sleep 0.1
	done
	echo "pinholed did not start"; cat "$SRV_TMP/log"; exit 1
}

srv_rss_kb() {	# pinholed's resident set, in KiB
	awk '/^VmRSS:/ { print $2 }' "/proc/$srv_pid/status"
}

srv_cpu_ticks() {	# pinholed's user + system time, in clock ticks
	awk '{ print $14 + $15 }' "/proc/$srv_pid/stat"
}

srv_py() {	# srv_py SCRIPT ARGS: runs a python helper inside the namespace
	ip netns exec "$SRV_NS" python3 "$SRV_ROOT/tests/server/$1" "${@:2}"
}
