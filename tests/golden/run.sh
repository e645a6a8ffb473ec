#!/usr/bin/env bash
# tests/golden/run.sh [--regen]: pinhole config for every profile in
# profiles/ and every format, compared with the committed
# tests/golden/PROFILE.FORMAT.ok (diff -u).  After a deliberate change to a
# generator, regenerate with:  tests/golden/run.sh --regen
# and review the diff before committing it.
set -uo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$dir/../.." && pwd)
pinhole=${PINHOLE:-$root/build/src/client/pinhole}
# Each run of pinhole config gets 10 s: a hang is a failure, not a wait.
config() { timeout -k 2 10 "$pinhole" config "$@"; }
site=(--lan 192.168.1.0/24 --wan wan0 --lan-if lan0 --forward 192.168.1.10)
regen=0
[ "${1:-}" = --regen ] && regen=1
fail=0 n=0
if ! formats=$(config --list-formats | awk '{print $1}') ||
   [ -z "$formats" ]; then
	echo "FAIL pinhole config --list-formats listed no formats"
	formats=
	fail=$((fail + 1))
fi
for prof in "$root"/profiles/*.ini; do
	name=$(basename "$prof" .ini)
	for fmt in $formats; do
		ok="$dir/$name.$fmt.ok"
		out=$(mktemp)
		if ! config --profile "$prof" --format "$fmt" "${site[@]}" \
			> "$out" 2>/dev/null; then
			echo "FAIL $name.$fmt: pinhole config failed"
			fail=$((fail + 1))
		elif [ "$regen" = 1 ]; then
			cp "$out" "$ok"
		elif ! diff -u "$ok" "$out"; then
			echo "FAIL $name.$fmt differs from $(basename "$ok")"
			fail=$((fail + 1))
		fi
		n=$((n + 1))
		rm -f "$out"
	done
done
# Every committed .ok must have been compared: a profile or format that
# disappeared, or a pinhole that lists no formats, compares nothing.
oks=0
for ok in "$dir"/*.ok; do
	[ -e "$ok" ] || continue
	oks=$((oks + 1))
	name=$(basename "$ok" .ok)
	if ! [ -f "$root/profiles/${name%.*}.ini" ] ||
	   ! grep -qx -- "${name##*.}" <<< "$formats"; then
		echo "FAIL $name.ok: no such profile and format to compare it with"
		fail=$((fail + 1))
	fi
done
if [ "$n" -eq 0 ] || [ "$n" -lt "$oks" ]; then
	echo "FAIL compared $n outputs, but there are $oks .ok files"
	fail=$((fail + 1))
fi
echo "golden: $n outputs, $oks .ok files, $fail failed"
[ "$fail" -eq 0 ]
