#!/usr/bin/env bash
# Ground truth: pinhole runs as an ordinary user, with no raw socket.  The
# router forwards inbound UDP from 203.0.113.10 to the client.  The sweep
# of 10000-10999 is received with a socket per port, and every port is
# open; a sweep of 1-65535 would need a raw socket, and the check says so
# (skip) instead of guessing.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
LAB_REACH=1
lab_begin reach-in-unprivileged
lab_topology nat
lab_router_forward 203.0.113.10
lab_pinholed
LAB_PROFILE=$LAB_ROOT/tests/lab/profiles/lab-inbound-media.ini
LAB_AS=nobody
lab_check --skip nat --skip nat-layers
lab_reach reach.udp.in.10000-10999 pass 10000-10999 ""
lab_expect '(.checks[] | select(.id == "reach.udp.in.10000-10999") | .evidence.receiver) == "a socket per port"' \
	"received with a socket per port"
lab_verdict reach.udp.in.1-65535 skip
lab_expect '(.checks[] | select(.id == "reach.udp.in.1-65535") | .summary) | contains("raw socket")' \
	"the skip says what it needs"
lab_end
