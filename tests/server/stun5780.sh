#!/usr/bin/env bash
# pinholed's RFC 5780 responder on one address with two ports: CHANGE-REQUEST
# for the port is honoured and for the address refused (420), RESPONSE-PORT
# moves only the port, PADDING pads the answer to the request's length and is
# refused (400) with RESPONSE-PORT, and an indication is never answered.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
srv_start
srv_py peer.py stun5780
