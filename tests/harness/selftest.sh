#!/usr/bin/env bash
# tests/harness/selftest.sh: the suite's own test.  Stand-ins for pinhole
# that crash, hang, or write an empty, truncated, doubled or repeated-id
# report must make a lab scenario, the golden tests and a benchmark fail;
# a stand-in that replays a real report with its real status must let the
# scenario pass (so that the failures come from the stand-ins, not from
# a scenario that cannot pass).  Needs root (namespaces) and the build.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
real=${PINHOLE:-$root/build/src/client/pinhole}
scenario=$root/tests/lab/scenarios/nat-no-alg.sh
tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
fail=0

[ "$(id -u)" = 0 ] || { echo "selftest: needs root (namespaces)"; exit 1; }
[ -x "$real" ] || { echo "selftest: build first ($real is missing)"; exit 1; }

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; fail=1; }

# A real report of the scenario, and the status pinhole gave with it.
if ! LAB_REPORTS=$tmp/reports "$scenario" > "$tmp/real.log" 2>&1; then
	not_ok "the scenario passes with the real pinhole"
	sed 's/^/    /' "$tmp/real.log" | tail -20
	exit 1
fi
report=$tmp/reports/nat-no-alg-0.json
status=$(jq '[.checks[].verdict] as $v | if any($v[]; . == "error") then 2
	elif any($v[]; . == "fail") then 1 else 0 end' "$report")
ok "the scenario passes with the real pinhole (status $status)"

# stand_in NAME BODY: an executable pinhole stand-in, $tmp/bin/NAME; BODY
# is shell run for every command line ("$1" is the subcommand); REPORT
# and STATUS name the real report and its status.
mkdir -p "$tmp/bin"
stand_in() {
	{
		echo '#!/usr/bin/env bash'
		echo "REPORT='$report' STATUS=$status REAL='$real'"
		echo "$2"
	} > "$tmp/bin/$1"
	chmod 755 "$tmp/bin/$1"
}
stand_in replay   'cat "$REPORT"; exit "$STATUS"'
stand_in crash    'kill -SEGV $$'
stand_in late-crash 'cat "$REPORT"; kill -SEGV $$'
stand_in hang     'exec sleep 600'
stand_in empty    'exit "$STATUS"'
stand_in truncated 'head -c $(($(stat -c %s "$REPORT") / 2)) "$REPORT"; exit "$STATUS"'
stand_in doubled  'cat "$REPORT" "$REPORT"; exit "$STATUS"'
stand_in repeated 'jq ".checks += [.checks[0]]" "$REPORT"; exit "$STATUS"'
stand_in wrong-status 'cat "$REPORT"; exit 3'
# For pinhole config: the real output cut in half, or nothing at all.
stand_in config-empty 'exit 0'
stand_in config-cut 'case " $* " in *" --list-formats "*) exec "$REAL" "$@" ;; esac
out=$("$REAL" "$@"); st=$?; printf "%s" "${out:0:$((${#out} / 2))}"; exit $st'

# expect_fail WHAT STAND-IN LIMIT CMD...: CMD, with PINHOLE set to the
# stand-in, must end nonzero (not by its own time limit) within LIMIT s.
expect_fail() {
	local what=$1 who=$2 lim=$3 st
	shift 3
	PINHOLE=$tmp/bin/$who LAB_CHECK_LIMIT=5 timeout -k 5 "$lim" "$@" \
		> "$tmp/out" 2>&1
	st=$?
	case $st in
	0)	not_ok "$what passed with a pinhole that is '$who'"
		sed 's/^/    /' "$tmp/out" | tail -15 ;;
	124|137)
		not_ok "$what hung with a pinhole that is '$who' (no verdict in $lim s)" ;;
	10)	not_ok "$what called a pinhole that is '$who' a missed target, not broken" ;;
	*)	ok "$what fails (status $st) with a pinhole that is '$who':" \
			"$(grep -m1 -E '^not ok|BROKEN|^FAIL' "$tmp/out" | cut -c1-110)" ;;
	esac
}

PINHOLE=$tmp/bin/replay timeout 120 "$scenario" > "$tmp/out" 2>&1 &&
	ok "the scenario passes with the replayed report" ||
	{ not_ok "the scenario fails with the replayed report"; sed 's/^/    /' "$tmp/out" | tail -15; }
for who in crash late-crash hang empty truncated doubled repeated wrong-status; do
	expect_fail "lab/nat-no-alg" "$who" 120 "$scenario"
done

for t in run semantic; do
	timeout 120 "$root/tests/golden/$t.sh" > "$tmp/out" 2>&1 &&
		ok "golden/$t passes with the real pinhole" ||
		{ not_ok "golden/$t fails with the real pinhole"; tail -5 "$tmp/out" | sed 's/^/    /'; }
done
for who in crash hang config-empty config-cut; do
	expect_fail "golden/run" "$who" 60 "$root/tests/golden/run.sh"
	expect_fail "golden/semantic" "$who" 120 "$root/tests/golden/semantic.sh"
done

for who in crash empty truncated late-crash; do
	expect_fail "bench/reach" "$who" 120 "$root/bench/reach.sh"
done

[ "$fail" -eq 0 ] && echo "# every stand-in was caught"
exit "$fail"
