#!/usr/bin/env bash
# pinholed's WebRTC peer over IPv6, with a real one (aiortc): pinholed
# listens on 2001:db8::1 beside 127.0.0.1 and is reached over IPv6, so it
# must offer IPv6 host candidates only (on that address), connect ICE,
# DTLS-SRTP and Opus both ways over IPv6, and refuse ICE checks from
# another IPv6 source (2001:db8::3) or with a wrong password.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3	# Debian's, which has python3-aiortc
"$PY" -c 'import aiortc' 2>/dev/null || { echo "python3-aiortc missing"; exit 1; }
srv_ns
for a in 1 2 3; do ip -n "$SRV_NS" addr add "2001:db8::$a/64" dev lo nodad; done
SRV_SERVER_EXTRA="media-udp-ports = 10000-10007
listen = 2001:db8::1" srv_start
status=0
ip netns exec "$SRV_NS" env WEBRTC_IPV6=1 timeout 60 "$PY" \
	"$SRV_ROOT/tests/server/webrtc.py" "${WEBRTC_SECONDS:-5}" || status=$?
if srv_stop; then
	[ "$status" -eq 0 ] || { echo "# pinholed log:"; cat "$SRV_TMP/log"; }
else
	status=1
fi
exit "$status"
