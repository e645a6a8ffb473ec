#!/usr/bin/env bash
# Bytes that never complete a frame do not keep a session alive past
# the idle timeout.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
srv_start "idle-timeout = 5"
srv_py abuse.py trickle_idle 5
