#!/usr/bin/env bash
# Bare STUN requests bearing a validated address draw no more bytes
# than they carry: larger answers are charged to the session's quota.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
srv_start
srv_py abuse.py stun_spoof 5000
