#!/usr/bin/env bash
# pinholed's reachability responders speak the real protocols: HTTP GET is
# answered with the request echoed, POST /http-bind with a BOSH body, an
# XMPP stream open with features offering STARTTLS, SIP OPTIONS with 200 OK.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
srv_start
srv_py peer.py reach
