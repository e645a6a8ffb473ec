#!/usr/bin/env bash
# One owner for every connection (tests/server/owner.py): a closed ICE-TCP
# connection whose peer's session is not the newest of its address must
# not be written to (use after free; another address's connection got
# its DTLS flight), connections closed in every phase of the control
# port's demultiplexing, and first bytes two responders could claim.
# OWNER_MODE: foreign (the finding's sequence alone) or phases (default:
# both).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store-lib.sh"
page_conf "media-udp-ports = 10000-10007"
srv_start "max-sessions-per-source = 8" "max-unauth-per-source = 64"
ip -n "$SRV_NS" addr add 127.0.0.3/8 dev lo
for mode in ${OWNER_MODE:-foreign phases}; do
	echo "# $mode"
	timeout 90 ip netns exec "$SRV_NS" python3 \
		"$SRV_ROOT/tests/server/owner.py" "$SRV_TMP/cert.pem" "$mode" || fail=1
done
srv_end
