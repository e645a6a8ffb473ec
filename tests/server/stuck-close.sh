#!/usr/bin/env bash
# A session that stops reading with output queued cannot hold its slot:
# it is cut at the output limit, or at session-seconds plus the close deadline.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
srv_start "max-sessions-per-source = 1" "session-seconds = 10"
srv_py abuse.py stuck_close
