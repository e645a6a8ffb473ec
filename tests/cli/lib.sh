# tests/cli/lib.sh - what the command-line tests share: the binaries, a
# temporary directory removed at exit, and run/expect/lacks.  Sourced.
# PINHOLE and PINHOLED name the binaries when the build is not in build/.
# A test that starts processes of its own defines cli_cleanup_extra, which
# the EXIT trap calls first.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
pinhole=${PINHOLE:-$root/build/src/client/pinhole}
pinholed=${PINHOLED:-$root/build/src/server/pinholed}
tmp=$(mktemp -d)
chmod 755 "$tmp"
fail=0

cli_cleanup() {
	local status=$?
	set +e
	declare -F cli_cleanup_extra > /dev/null && cli_cleanup_extra
	rm -rf "$tmp"
	exit "$status"
}
trap cli_cleanup EXIT

run() {	# run CMD...: sets st, out (stdout) and err (stderr)
	"$@" > "$tmp/out" 2> "$tmp/err"; st=$?
	out=$(cat "$tmp/out"); err=$(cat "$tmp/err")
}
expect() {	# expect NAME STATUS STREAM TEXT: STREAM (out|err) contains TEXT
	local text
	[ "$3" = out ] && text=$out || text=$err
	if [ "$st" -eq "$2" ] && grep -qF -- "$4" <<< "$text"; then
		echo "ok - $1"
	else
		echo "not ok - $1: want exit $2 and '$4' on std$3, got $st"
		echo "    stdout: ${out:0:300}"; echo "    stderr: ${err:0:300}"
		fail=1
	fi
}
lacks() {	# lacks NAME STREAM TEXT
	local text
	[ "$2" = out ] && text=$out || text=$err
	if grep -qF -- "$3" <<< "$text"; then
		echo "not ok - $1: '$3' in std$2: ${text:0:300}"; fail=1
	else
		echo "ok - $1"
	fi
}
want() {	# want NAME GOT EXPECTED: equal strings
	if [ "$2" = "$3" ]; then
		echo "ok - $1"
	else
		echo "not ok - $1: got '${2:0:300}', want '${3:0:300}'"; fail=1
	fi
}
