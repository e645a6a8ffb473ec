# tests/server/fake.sh - runs the real 'pinhole check' against a hostile
# fake server (hostile.py), both in a namespace of their own, on loopback.
# Sourced; defines fake_start MODE, fake_check ARGS, fake_expect and
# fake_assert.
# The namespace, the temporary directory and the cleanup are lib.sh's.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
PINHOLE=${PINHOLE:-$SRV_ROOT/build/src/client/pinhole}
FAKE_NS=$SRV_NS
FAKE_TMP=$SRV_TMP

if ip netns list | grep -q "^$FAKE_NS\b"; then
	echo "namespace $FAKE_NS is left over; refusing to run"; exit 1
fi
ip netns add "$FAKE_NS"
ip -n "$FAKE_NS" link set lo up
cat > "$FAKE_TMP/hostile.ini" <<-INI
[profile]
name = hostile
title = Against a hostile server
description = One bare UDP port the server hears, one inbound TCP port

[endpoint media]
proto = udp
ports = 20000
direction = out

[endpoint callback]
proto = tcp
ports = 20001
direction = in
INI

fake_start() {	# fake_start MODE: the fake server on 127.0.0.1:4443
	# Emptied here, not by the child's redirection: a log left by the
	# last server would say "listening" before this one does.
	: > "$FAKE_TMP/server.log"
	ip netns exec "$FAKE_NS" python3 "$SRV_ROOT/tests/server/hostile.py" \
		"$1" 4443 > "$FAKE_TMP/server.log" 2>&1 &
	srv_pid=$!
	for _ in $(seq 50); do
		grep -q listening "$FAKE_TMP/server.log" && return 0
		sleep 0.1
	done
	echo "the fake server did not start"; cat "$FAKE_TMP/server.log"; exit 1
}

# fake_check: runs pinhole check (bounded to 120 s); sets fake_status and
# fake_rss_kb (peak resident size), leaves the report in $FAKE_TMP/report.json.
fake_check() {
	fake_status=0
	ip netns exec "$FAKE_NS" timeout 120 /usr/bin/time -f %M \
		-o "$FAKE_TMP/rss" "$PINHOLE" check --json \
		--server 127.0.0.1:4443 --profile "$FAKE_TMP/hostile.ini" \
		--skip nat --skip nat-layers --timeout 2 "$@" \
		> "$FAKE_TMP/report.json" 2> "$FAKE_TMP/stderr" || fake_status=$?
	fake_rss_kb=$(tail -1 "$FAKE_TMP/rss")
	echo "pinhole check: exit $fake_status, peak RSS $fake_rss_kb kB"
	sed 's/^/  server: /' "$FAKE_TMP/server.log"
	sed 's/^/  stderr: /' "$FAKE_TMP/stderr" | head -5
}

# fake_expect STATUS [MAX_RSS_KB]: the exit status, and a bound on memory.
fake_expect() {
	if [ "$fake_status" -ne "$1" ]; then
		echo "not ok - exit $fake_status, want $1"; exit 1
	fi
	if [ -n "${2:-}" ] && [ "$fake_rss_kb" -ge "$2" ]; then
		echo "not ok - peak RSS $fake_rss_kb kB, want < $2"; exit 1
	fi
	echo "ok - exit $fake_status, peak RSS $fake_rss_kb kB"
}

# fake_assert PYTHON-EXPR: true for the report 'r' (a dict), else fails.
fake_assert() {
	if python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
checks = {c["id"]: c for c in r["checks"]}
ok = eval(sys.argv[2])
for c in r["checks"]:
    print("  %-24s %-5s %s" % (c["id"], c["verdict"], c["summary"]))
sys.exit(0 if ok else 1)' "$FAKE_TMP/report.json" "$1"; then
		echo "ok - $1"
	else
		echo "not ok - $1"; exit 1
	fi
}
