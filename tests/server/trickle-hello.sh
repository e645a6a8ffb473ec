#!/usr/bin/env bash
# A HELLO trickled a byte a second is cut at the HELLO deadline, which
# bytes do not push back.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
srv_start "hello-timeout = 5"
srv_py abuse.py trickle_hello 5
