# bench/lib.sh - a network namespace of the benchmark's own, with only
# loopback in it, the servers and load programs started there, and the
# cleanup; for bench/media.sh, a second namespace linked to it by a veth
# pair.  Sourced by the bench/*.sh that need namespaces.
#
# Every process is started here and ended by its PID, in the EXIT trap
# too, whatever failed; the namespace and the temp dir go with it.
BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_BUILD=${BENCH_BUILD:-$BENCH_ROOT/build}
PINHOLED=${PINHOLED:-$BENCH_BUILD/src/server/pinholed}
STUNLOAD=$BENCH_BUILD/bench/stunload
UDPECHO=$BENCH_BUILD/bench/udpecho
SESSIONS=$BENCH_BUILD/bench/sessions
MEDIALOAD=$BENCH_BUILD/bench/mediaload
BENCH_NS="phb$$"
BENCH_NS_CLIENT=
BENCH_TMP=
bench_pids=()

bench_cleanup() {
	local status=$? i
	set +e
	for ((i = ${#bench_pids[@]} - 1; i >= 0; i--)); do
		kill "${bench_pids[i]}" 2>/dev/null &&
			wait "${bench_pids[i]}" 2>/dev/null
	done
	ip netns del "$BENCH_NS" 2>/dev/null
	[ -n "$BENCH_NS_CLIENT" ] && ip netns del "$BENCH_NS_CLIENT" 2>/dev/null
	[ -n "$BENCH_TMP" ] && rm -rf "$BENCH_TMP"
	exit "$status"
}

# bench_fail MESSAGE: something is broken; the trap cleans up.
bench_fail() {
	echo "BROKEN: $*" >&2
	exit 1
}

# bench_begin NOFILE: the namespace, the temp dir, the trap, and an
# open-file limit of at least NOFILE for everything started afterwards.
bench_begin() {
	local need=$1 hard
	[ "$(id -u)" = 0 ] || { echo "bench: needs root (namespaces)" >&2; exit 1; }
	for f in "$PINHOLED" "$STUNLOAD" "$UDPECHO" "$SESSIONS" "$MEDIALOAD"; do
		[ -x "$f" ] || { echo "bench: build first (meson setup build &&" \
			"ninja -C build): $f is missing" >&2; exit 1; }
	done
	if ip netns list | grep -q "^${BENCH_NS}c\?\b"; then
		echo "bench: namespace $BENCH_NS or ${BENCH_NS}c exists already" >&2
		exit 1
	fi
	hard=$(ulimit -Hn)
	[ "$hard" = unlimited ] && hard=1048576
	[ "$hard" -ge "$need" ] ||
		{ echo "bench: needs $need open files, the hard limit is $hard" >&2; exit 1; }
	ulimit -n "$hard"
	BENCH_TMP=$(mktemp -d)
	chmod 755 "$BENCH_TMP"	# pinholed runs as nobody
	trap bench_cleanup EXIT
	ip netns add "$BENCH_NS"
	ip -n "$BENCH_NS" link set lo up
}

# bench_veth CLIENT SERVER: a second namespace, ${BENCH_NS}c, the client's,
# linked to the bench's by a veth pair, with CLIENT/24 at its end and
# SERVER/24 at the bench's, each routed to the other's /24: the internet
# side of the lab (tests/lab/lib.sh) without a router between.  Nothing
# else is linked to either.
bench_veth() {
	BENCH_NS_CLIENT="${BENCH_NS}c"
	ip netns add "$BENCH_NS_CLIENT"
	ip -n "$BENCH_NS_CLIENT" link set lo up
	ip -n "$BENCH_NS" link add veth0 type veth peer name veth0 \
		netns "$BENCH_NS_CLIENT"
	ip -n "$BENCH_NS_CLIENT" addr add "$1/24" dev veth0
	ip -n "$BENCH_NS" addr add "$2/24" dev veth0
	ip -n "$BENCH_NS_CLIENT" link set veth0 up
	ip -n "$BENCH_NS" link set veth0 up
	ip -n "$BENCH_NS_CLIENT" route add "${2%.*}.0/24" dev veth0
	ip -n "$BENCH_NS" route add "${1%.*}.0/24" dev veth0
}

# bench_client_exec CMD...: runs CMD in the client's namespace, in the
# foreground.
bench_client_exec() {
	ip netns exec "$BENCH_NS_CLIENT" "$@"
}

# bench_spawn LOG CMD...: runs CMD in the namespace; its PID in BENCH_PID.
bench_spawn() {
	local log=$1
	shift
	ip netns exec "$BENCH_NS" "$@" > "$log" 2>&1 &
	BENCH_PID=$!
	bench_pids+=("$BENCH_PID")
}

# bench_stop PID: ends one process started by bench_spawn.
bench_stop() {
	local i
	kill "$1" 2>/dev/null && wait "$1" 2>/dev/null
	for i in "${!bench_pids[@]}"; do
		[ "${bench_pids[i]}" = "$1" ] && unset 'bench_pids[i]'
	done
	bench_pids=("${bench_pids[@]}")
}

# bench_exec CMD...: runs CMD in the namespace, in the foreground.
bench_exec() {
	ip netns exec "$BENCH_NS" "$@"
}

# bench_wait_listen PROTO ADDR PORT PID LOG: waits up to 5 s until ADDR:PORT
# (tcp or udp) listens; fails with the log when PID died or it never did.
bench_wait_listen() {
	local i
	for i in $(seq 50); do
		[ -n "$(bench_exec ss -Hln -A "$1" "src $2:$3")" ] && return 0
		kill -0 "$4" 2>/dev/null || break
		sleep 0.1
	done
	cat "$5" >&2
	bench_fail "nothing listens on $1 $2:$3"
}

# bench_pinholed NAME ADDR [LINE...]: pinholed on ADDR (control 4443, STUN
# 3478), with limits that let thousands of sessions in from a few
# addresses, and each LINE added to [limits].  allow-loopback only when
# ADDR is loopback.  Its PID in BENCH_PID, its log in $BENCH_TMP/NAME.log.
bench_pinholed() {
	local conf=$BENCH_TMP/$1.conf lo=no
	[[ $2 == 127.* ]] && lo=yes
	cat > "$conf" <<-CONF
	[server]
	listen = $2
	control-port = 4443
	sip-udp-ports = 5060
	sip-tcp-ports = 5060
	stun-port = 3478
	allow-loopback = $lo
	user = nobody
	[limits]
	max-sessions = 12000
	max-sessions-per-source = 1000
	max-unauth-per-source = 1000
	session-seconds = 7200
	conn-rate = 100000
	CONF
	[ $# -gt 2 ] && printf '%s\n' "${@:3}" >> "$conf"
	bench_spawn "$BENCH_TMP/$1.log" "$PINHOLED" -c "$conf"
	bench_wait_listen tcp "$2" 4443 "$BENCH_PID" "$BENCH_TMP/$1.log"
	bench_wait_listen udp "$2" 3478 "$BENCH_PID" "$BENCH_TMP/$1.log"
}

# bench_sessions NAME SERVER SOURCE COUNT SECONDS: COUNT idle sessions to
# SERVER (ADDR:PORT) from SOURCE on (100 per address), kept SECONDS at
# most; returns once they are all open.  PID in BENCH_PID; the time they
# took to open in BENCH_OPEN_S.
bench_sessions() {
	local log=$BENCH_TMP/$1.log i
	bench_spawn "$log" "$SESSIONS" --server "$2" --source "$3" \
		--count "$4" --per-source 100 --seconds "$5"
	for i in $(seq 1200); do
		if grep -qs '^open ' "$log"; then
			BENCH_OPEN_S=$(awk '/^open / { print $(NF - 1) }' "$log")
			return 0
		fi
		kill -0 "$BENCH_PID" 2>/dev/null || break
		sleep 0.1
	done
	cat "$log" >&2
	bench_fail "$4 sessions to $2 from $3 did not open"
}

# bench_alive PID NAME: fails unless PID still runs (a sessions program
# exits as soon as one of its sessions is lost).
bench_alive() {
	kill -0 "$1" 2>/dev/null && return 0
	cat "$BENCH_TMP/$2.log" >&2
	bench_fail "$2 stopped early"
}

# bench_cpu_ticks PID: utime + stime of PID, in clock ticks.
bench_cpu_ticks() {
	# Fields after the command name, which is in parentheses.
	sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

# bench_cpu_pct PID TICKS0 NS0: the % of one core PID used since it had
# TICKS0 at monotonic-enough time NS0 (date +%s%N).
bench_cpu_pct() {
	awk -v t0="$2" -v t1="$(bench_cpu_ticks "$1")" -v n0="$3" \
		-v n1="$(date +%s%N)" -v hz="$(getconf CLK_TCK)" \
		'BEGIN { printf "%.1f", (t1 - t0) / hz / ((n1 - n0) / 1e9) * 100 }'
}

# bench_status_kb PID FIELD: a "kB" field of /proc/PID/status (VmRSS ...).
bench_status_kb() {
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}

# bench_median N...: the median of the numbers given.
bench_median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
		END { if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2];
		      else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# bench_machine: one line on the machine's state, for the figures.
bench_machine() {
	echo "# machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" \
		"(1/5/15 min) at $(date -u '+%Y-%m-%d %H:%M UTC')"
}
