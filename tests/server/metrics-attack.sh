#!/usr/bin/env bash
# The metrics listener is an attack surface like the public ports:
# paths other than /metrics and /health are 404, methods other than GET
# 405, junk 400; a huge request is cut at 4096 bytes; trickling clients and
# clients that never read are closed 5 s after accept whatever they send;
# past 8 connections a new one is closed at once and counted; a control
# session still opens on the public port meanwhile; afterwards pinholed
# answers, with its descriptors back and its memory bounded.  All within
# 60 s (tests/server/metrics-attack.py).  pinholed alone in a namespace.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
SRV_SERVER_EXTRA="metrics-listen = 127.0.0.1:9464" srv_start
st=0
timeout 60 ip netns exec "$SRV_NS" python3 "$SRV_ROOT/tests/server/metrics-attack.py" || st=1
srv_stop || st=1
exit "$st"
