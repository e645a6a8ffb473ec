#!/usr/bin/env bash
# A bounded flood of random and truncated datagrams and connections on every
# port neither crashes nor stalls pinholed: a new session opens right after.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
srv_start
srv_py peer.py flood
srv_stop
