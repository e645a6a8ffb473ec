#!/usr/bin/env bash
# MEDIA through a relay (docs/protocol.md, FLAGS VIA_RELAY): refused (403)
# without [relay] relay-from; with it, the stream latches on to a packet
# from an address of relay-from alone, never the client's own nor anyone
# else's, and a plain MEDIA still latches on to the client's address only.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
srv_ns
ip -n "$SRV_NS" addr add 127.0.0.2/8 dev lo
ip -n "$SRV_NS" addr add 127.0.0.3/8 dev lo
st=0
srv_start
srv_py relaymedia.py refused || st=1
srv_stop || st=1
srv_start "[relay]" "relay-from = 127.0.0.3/32"
srv_py relaymedia.py latch || st=1
srv_stop || st=1
exit "$st"
