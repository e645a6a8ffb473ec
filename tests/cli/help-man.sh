#!/usr/bin/env bash
# --help and the man pages say the same: every option in both, with the
# same names, argument, numbers, and names of formats and families
# (tests/cli/helpman.py says what it compares).  PINHOLE and PINHOLED name
# the binaries when the build is not in build/.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
exec python3 "$root/tests/cli/helpman.py" "${PINHOLE:-$root/build/src/client/pinhole}" \
	"${PINHOLED:-$root/build/src/server/pinholed}" "$root/man"
