#!/usr/bin/env bash
# Bare STUN requests bearing a validated address, from another port, draw
# full answers at session-stun-rate (after a burst of twice that), no more
# and no fewer, and so no more bytes than they carry; a padded request,
# whose answer is no larger, is answered with that quota spent.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
srv_start "session-stun-rate = 100"
srv_py abuse.py stun_spoof 4000 100 2
srv_stop
