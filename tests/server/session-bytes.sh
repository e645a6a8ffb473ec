#!/usr/bin/env bash
# session-bytes (2000 here): WELCOME announces it; SENDs of 666, 666 and
# 669 bytes: the third would pass it and gets ERROR 429 "session byte cap
# reached" with its REQ_ID, uncharged; one of 668 fills it exactly and
# goes; one byte more is refused; only what went arrives, and the session
# goes on.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
srv_start "session-bytes = 2000"
srv_caps bytes 2000
