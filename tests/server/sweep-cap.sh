#!/usr/bin/env bash
# Back-to-back SWEEPs are charged when accepted: the first two of 1000
# ports fill the session's sweep-ports cap of 2000 and are sent, the other
# four are refused with 429.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
srv_start "sweep-ports = 2000"
srv_py abuse.py sweep_cap 2000 1000 6
srv_stop
