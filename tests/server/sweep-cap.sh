#!/usr/bin/env bash
# Back-to-back SWEEPs are charged when accepted: together they never pass
# the session's sweep-ports cap.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
srv_start "sweep-ports = 2000"
srv_py abuse.py sweep_cap 2000 1000 6
