#!/usr/bin/env bash
# Two check pages behind one address (tests/server/webrtc_pages.py): both
# pages' WebRTC peers complete ICE and DTLS side by side with real peers
# (aiortc), however the address's sessions are ordered.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store-lib.sh"
PY=/usr/bin/python3	# Debian's, which has python3-aiortc
"$PY" -c 'import aiortc' 2>/dev/null || { echo "python3-aiortc missing"; exit 1; }
page_conf "media-udp-ports = 10000-10007"
srv_start
ip -n "$SRV_NS" addr add 127.0.0.2/8 dev lo
timeout 90 ip netns exec "$SRV_NS" "$PY" \
	"$SRV_ROOT/tests/server/webrtc_pages.py" "$SRV_TMP/cert.pem" || fail=1
srv_end
