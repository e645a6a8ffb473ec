#!/usr/bin/env bash
# Before a source has a session, pinholed never sends back more packets or
# bytes than it received; once it has one, it answers in full.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
srv_start
srv_py peer.py amplification
