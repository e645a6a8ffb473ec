#!/usr/bin/env bash
# pinholed's WebRTC peer with a real one (aiortc): ICE-lite, DTLS-SRTP and
# Opus both ways on loopback media ports, the session's statistics, and
# ICE checks refused from another source or with a wrong password.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3	# Debian's, which has python3-aiortc
"$PY" -c 'import aiortc' 2>/dev/null || { echo "python3-aiortc missing"; exit 1; }
SRV_SERVER_EXTRA="media-udp-ports = 10000-10007" srv_start
ip -n "$SRV_NS" addr add 127.0.0.2/8 dev lo
ip -n "$SRV_NS" addr add 127.0.0.3/8 dev lo
status=0
ip netns exec "$SRV_NS" timeout 60 "$PY" "$SRV_ROOT/tests/server/webrtc.py" \
	"${WEBRTC_SECONDS:-5}" || status=$?
if srv_stop; then
	[ "$status" -eq 0 ] || { echo "# pinholed log:"; cat "$SRV_TMP/log"; }
else
	status=1
fi
exit "$status"
