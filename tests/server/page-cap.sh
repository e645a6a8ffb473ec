#!/usr/bin/env bash
# Page sessions and check sessions have caps of their own: with
# max-sessions = 8, 12 page sessions (4 from each of 3 addresses) held
# open leave room for a check from a fourth address; with
# max-page-sessions = 12, a 13th page session is closed 1013 and a check
# still opens.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store-lib.sh"
page_conf
srv_start "max-sessions = 8" "max-unauth-per-source = 8"
srv_py page-cap.py "$SRV_TMP/cert.pem" 12 0 || fail=1
srv_stop || fail=1
srv_start "max-sessions = 8" "max-page-sessions = 12" "max-unauth-per-source = 8"
srv_py page-cap.py "$SRV_TMP/cert.pem" 12 1 || fail=1
srv_end
