# tests/server/lib.sh - runs pinholed alone in a namespace of its own, on
# loopback, for the robustness tests.  Sourced.
SRV_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PINHOLED=${PINHOLED:-$SRV_ROOT/build/src/server/pinholed}
# srv_asan: whether $PINHOLED is an AddressSanitizer build, whose RSS
# holds shadow memory and freed blocks in quarantine, so that a bound on
# RSS says nothing about pinholed's own memory there.
# (No grep -q: under pipefail, ldd's SIGPIPE would make it false.)
srv_asan() { case $(ldd "$PINHOLED" 2>/dev/null) in *libasan*) ;; *) false ;; esac; }
# pinholed's ASAN_OPTIONS: a sanitizer build runs under its filter without
# the leak check and the threads' signal stacks (docs/decisions.md);
# other programs keep the caller's.
PINHOLED_ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:use_sigaltstack=0}
SRV_NS="phs$$"
SRV_TMP=$(mktemp -d)
chmod 755 "$SRV_TMP"
srv_pid=

srv_cleanup() {
	local status=$?
	set +e
	[ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null && wait "$srv_pid" 2>/dev/null
	# A test's own servers (tests/server/store.sh's PostgreSQL), by PID.
	declare -F srv_cleanup_extra > /dev/null && srv_cleanup_extra
	ip netns del "$SRV_NS" 2>/dev/null
	rm -rf "$SRV_TMP"
	exit "$status"
}
trap srv_cleanup EXIT

srv_ns() {	# the namespace, once: a test may start its own servers there first
	[ -e "/run/netns/$SRV_NS" ] && return 0
	ip netns add "$SRV_NS"
	ip -n "$SRV_NS" link set lo up
}

srv_start() {	# srv_start [LIMITS...]: extra "key = value" lines for [limits]
	# (SRV_SERVER_EXTRA: lines for [server])
	local extra
	extra=$(printf '%s\n' "$@")
	srv_ns
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
	http-rate = 1000
	$extra
	CONF
	# SRV_NOFILE: the open-file limit pinholed starts with (hard and soft).
	ip netns exec "$SRV_NS" env ASAN_OPTIONS="$PINHOLED_ASAN_OPTIONS" \
		bash -c 'ulimit -n '"${SRV_NOFILE:-1024}"' &&
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

srv_state() {	# srv_state PID: its state letter (R, S, Z...), empty once reaped
	{ sed 's/.*) //' "/proc/$1/stat" 2>/dev/null || true; } | cut -d' ' -f1
}

# srv_stop: ends the test's pinholed and says whether it held.  It must
# still run (a zombie has died), end within 10 s of SIGTERM with status 0
# (not 143, SIGTERM unhandled; 159, SIGSYS from the filter; 134, an abort)
# and leave no sanitizer report in its log.  Prints an ok or not ok line
# for each; returns 1 on any failure, with the log.
srv_stop() {
	local pid=$srv_pid status=0 fail=0 state
	srv_pid=
	state=$(srv_state "$pid")
	if [ -n "$pid" ] && [ -n "$state" ] && [ "$state" != Z ]; then
		echo "ok - pinholed still running"
		kill -TERM "$pid"
	else
		echo "not ok - pinholed died during the test"; fail=1
	fi
	for _ in $(seq 100); do
		state=$(srv_state "$pid")
		[ -z "$state" ] || [ "$state" = Z ] && break
		sleep 0.1
	done
	if [ -n "$state" ] && [ "$state" != Z ]; then
		echo "not ok - pinholed still running 10 s after SIGTERM"; fail=1
		kill -KILL "$pid"
	fi
	wait "$pid" || status=$?
	if [ "$status" -eq 0 ]; then echo "ok - pinholed exit status 0"
	else echo "not ok - pinholed exit status $status, want 0"; fail=1; fi
	if grep -qE 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:' \
	    "$SRV_TMP/log"; then
		echo "not ok - a sanitizer report in pinholed's log"; fail=1
	else
		echo "ok - no sanitizer report in pinholed's log"
	fi
	[ "$fail" -eq 0 ] || { echo "# pinholed log:"; cat "$SRV_TMP/log"; }
	return "$fail"
}

# srv_caps CASE ARGS...: tests/server/caps.py CASE ARGS in the namespace
# (at most 60 s), its session's client on 127.0.0.2, then srv_stop; exits,
# 1 on any failure.
srv_caps() {
	local st=0
	ip -n "$SRV_NS" addr add 127.0.0.2/8 dev lo
	timeout 60 ip netns exec "$SRV_NS" python3 "$SRV_ROOT/tests/server/caps.py" "$@" || st=1
	srv_stop || st=1
	exit "$st"
}
