#!/usr/bin/env bash
# Bad configuration files are refused with FILE:LINE; a good one passes -n.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
pinholed=${PINHOLED:-$root/build/src/server/pinholed}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() {	# bad LINE CONTENT
	printf '%b' "$2" > "$tmp/c.conf"
	out=$("$pinholed" -n -c "$tmp/c.conf" 2>&1); st=$?
	if [ "$st" -eq 2 ] && grep -q "$tmp/c.conf:$1:" <<< "$out"; then
		echo "ok - refused at line $1: $out"
	else
		echo "not ok - expected exit 2 with line $1, got $st: $out"; fail=1
	fi
}
bad 2 '[server]\ncolour = red\n'
bad 3 '[server]\nlisten = 127.0.0.1\ncontrol-port = 0\n'
bad 2 '[server]\nsip-udp-ports = 5066-5060\n'
bad 2 '[server]\nlisten = example.com\n'
bad 2 '[nonsense]\nx = 1\n'
bad 3 '[limits]\nmax-sessions = 10\nsession-seconds = 1\n'
bad 2 '[server]\nnot a line\n'
out=$("$pinholed" -n -c "$tmp/missing.conf" 2>&1); st=$?
if [ "$st" -eq 2 ] && grep -q "missing.conf:0: cannot open" <<< "$out"; then
	echo "ok - a missing file is refused"
else
	echo "not ok - missing file: $st $out"; fail=1
fi
if "$pinholed" -n -c "$root/etc/pinholed.conf" > /dev/null; then
	echo "ok - etc/pinholed.conf is valid"
else
	echo "not ok - etc/pinholed.conf"; fail=1
fi
exit "$fail"
