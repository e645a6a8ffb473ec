#!/usr/bin/env bash
# session-probes (6 here): WELCOME announces it; two new WATCH nonces (one
# watched twice, charged once), a CONNECT and three SENDs use it up; the
# next SEND and CONNECT get ERROR 429 "session probe cap reached" with
# their REQ_ID and the session goes on; only the SENDs within the cap
# arrive; a WATCH past it gets ERROR 429 and the connection is closed.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
srv_start "session-probes = 6"
srv_caps probes 6
