#!/usr/bin/env bash
# tests/golden/run.sh [--regen]: pinhole config for every profile in
# profiles/ and every format, compared with the committed
# tests/golden/PROFILE.FORMAT.ok (diff -u); and for a dual-stack site (an
# IPv4 and an IPv6 --lan), every profile of profiles/ and of
# tests/golden/profiles/, compared with PROFILE.FORMAT.dual.ok.  After a deliberate change to a
# generator, regenerate with:  tests/golden/run.sh --regen
# and review the diff before committing it.
set -uo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$dir/../.." && pwd)
pinhole=${PINHOLE:-$root/build/src/client/pinhole}
# Each run of pinhole config gets 10 s: a hang is a failure, not a wait.
config() { timeout -k 2 10 "$pinhole" config "$@"; }
site=(--lan 192.168.1.0/24 --wan wan0 --lan-if lan0 --forward 192.168.1.10)
dual=(--lan 192.168.1.0/24 --lan 2001:db8:1::/64 --wan wan0 --lan-if lan0
	--forward 192.168.1.10)
regen=0
[ "${1:-}" = --regen ] && regen=1
fail=0 n=0
if ! formats=$(config --list-formats | awk '{print $1}') ||
   [ -z "$formats" ]; then
	echo "FAIL pinhole config --list-formats listed no formats"
	formats=
	fail=$((fail + 1))
fi
# compare PROFILE FORMAT SUFFIX SITE-OPTIONS...
compare() {
	local prof=$1 fmt=$2 sfx=$3 name ok out
	shift 3
	name=$(basename "$prof" .ini)
	ok="$dir/$name.$fmt$sfx.ok"
	out=$(mktemp)
	if ! config --profile "$prof" --format "$fmt" "$@" > "$out" 2>/dev/null
	then
		echo "FAIL $name.$fmt$sfx: pinhole config failed"
		fail=$((fail + 1))
	elif [ "$regen" = 1 ]; then
		cp "$out" "$ok"
	elif ! diff -u "$ok" "$out"; then
		echo "FAIL $name.$fmt$sfx differs from $(basename "$ok")"
		fail=$((fail + 1))
	fi
	n=$((n + 1))
	rm -f "$out"
}
for prof in "$root"/profiles/*.ini; do
	for fmt in $formats; do
		compare "$prof" "$fmt" "" "${site[@]}"
	done
done
for prof in "$root"/profiles/*.ini "$dir"/profiles/*.ini; do
	for fmt in $formats; do
		compare "$prof" "$fmt" .dual "${dual[@]}"
	done
done
# Every committed .ok must have been compared: a profile or format that
# disappeared, or a pinhole that lists no formats, compares nothing.
oks=0
for ok in "$dir"/*.ok; do
	[ -e "$ok" ] || continue
	oks=$((oks + 1))
	name=$(basename "$ok" .ok)
	name=${name%.dual}
	if ! [ -f "$root/profiles/${name%.*}.ini" ] &&
	   ! { [ "$name" != "$(basename "$ok" .ok)" ] &&
	       [ -f "$dir/profiles/${name%.*}.ini" ]; } ||
	   ! grep -qx -- "${name##*.}" <<< "$formats"; then
		echo "FAIL $(basename "$ok"): no such profile and format to compare it with"
		fail=$((fail + 1))
	fi
done
if [ "$n" -eq 0 ] || [ "$n" -lt "$oks" ]; then
	echo "FAIL compared $n outputs, but there are $oks .ok files"
	fail=$((fail + 1))
fi
echo "golden: $n outputs, $oks .ok files, $fail failed"
[ "$fail" -eq 0 ]
