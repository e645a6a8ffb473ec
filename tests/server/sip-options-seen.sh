#!/usr/bin/env bash
# SIP OPTIONS on a probe port: answered 200 OK as a SIP server would, and,
# when it carries a nonce its session watches, reported on the session's
# control connection (SEEN) like any other probe; never reported to a
# session whose client is another address.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
srv_ns
ip -n "$SRV_NS" addr add 127.0.0.2/8 dev lo
srv_start
st=0
srv_py sipopts.py || st=1
srv_stop || st=1
exit "$st"
