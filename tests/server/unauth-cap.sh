#!/usr/bin/env bash
# Connections that have not said HELLO are capped per source (the oldest
# goes), and a HELLO from that source still gets in.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
srv_start
srv_py abuse.py unauth_cap 40 8
