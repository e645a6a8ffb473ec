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
site=(--lan 192.168.1.0/24 --wan wan0 --lan-if lan0 --forward 192.168.1.10)
regen=0
[ "${1:-}" = --regen ] && regen=1
fail=0 n=0
formats=$("$pinhole" config --list-formats | awk '{print $1}')
for prof in "$root"/profiles/*.ini; do
	name=$(basename "$prof" .ini)
	for fmt in $formats; do
		ok="$dir/$name.$fmt.ok"
		out=$(mktemp)
		if ! "$pinhole" config --profile "$prof" --format "$fmt" "${site[@]}" \
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
echo "golden: $n outputs, $fail differ"
[ "$fail" -eq 0 ]
