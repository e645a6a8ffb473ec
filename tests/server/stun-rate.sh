#!/usr/bin/env bash
# The answer rate for sources without a session is the stun-rate key: a
# burst of twice it, then stun-rate a second.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
srv_start "stun-rate = 50"
srv_py abuse.py stun_rate 50 200
srv_stop
