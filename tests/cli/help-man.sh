#!/usr/bin/env bash
# --help and the man pages say the same: every option in both, with the
# same names, argument, numbers, and names of formats and families
# (tests/cli/helpman.py says what it compares).
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
exec python3 "$root/tests/cli/helpman.py" "$root/build/src/client/pinhole" \
	"$root/build/src/server/pinholed" "$root/man"
