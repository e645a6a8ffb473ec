#!/usr/bin/env bash
# With an open-file limit of 256, 400 silent connections from 50 addresses
# fill the descriptor budget (max-unauth, 256, is above it); a session's
# CONNECT still gets a descriptor, the oldest silent connection's, instead
# of ERROR 429 "out of descriptors", which a customer's check would read
# as an inbound port that is blocked.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
SRV_NOFILE=256 srv_start "max-sessions = 64"
srv_py abuse.py fd_connect 400 50
