#!/usr/bin/env bash
# Responder connections reset by the peer before the answer is read
# are all freed: 560 of them, then an ordinary GET is answered.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
srv_start
srv_py abuse.py reach_reset 560
