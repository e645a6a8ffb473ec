#!/usr/bin/env bash
# The control protocol as docs/protocol.md has it: a version-0 preamble
# is not answered, oversized and malformed frames get ERROR 400, an unknown
# type with a REQ_ID is not fatal, and OPTIONS is answered without NUL.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
srv_start
srv_py abuse.py protocol
