#!/usr/bin/env bash
# tests/golden/semantic.sh: the semantic test of 'pinhole config' (every
# profile, every format, read back into rules and checked for the safety
# invariants; see tests/golden/semantic.py).  -v also lists what passed.
set -uo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
exec python3 "$dir/semantic.py" "$@"
