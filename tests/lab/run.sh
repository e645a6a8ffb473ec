#!/usr/bin/env bash
# tests/lab/run.sh [--repeat N] [SCENARIO...]: runs lab scenarios (all by
# default), each N times; prints one PASS/FAIL line per run.
set -uo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
repeat=1
if [ "${1:-}" = --repeat ]; then repeat=$2; shift 2; fi
names=("$@")
[ ${#names[@]} -eq 0 ] && for f in "$dir"/scenarios/*.sh; do names+=("$(basename "$f" .sh)"); done
pass=0 fail=0
for n in "${names[@]}"; do
	for i in $(seq "$repeat"); do
		if out=$("$dir/scenarios/$n.sh" 2>&1); then
			echo "PASS lab/$n"; pass=$((pass + 1))
		else
			echo "FAIL lab/$n"; echo "$out" | tail -40; fail=$((fail + 1))
		fi
	done
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
