#!/usr/bin/env bash
# Ground truth: the router forwards everything inbound from the provider,
# but the server allows one CONNECT in flight per session.  The TCP ports
# it did not try say nothing about the network: the check says error and
# lists them as untried, never "blocked" with a remedy to forward them.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
LAB_REACH=1
lab_begin reach-in-server-cap
lab_topology nat
lab_router_forward 203.0.113.10
LAB_LIMITS="session-connects = 1"
lab_pinholed
LAB_PROFILE=$LAB_ROOT/tests/lab/profiles/lab-inbound.ini
lab_check --skip nat --skip nat-layers
lab_expect '(.checks[] | select(.id == "reach.tcp.in.5060-5066") | .verdict == "error" and .evidence.blocked == "" and (.evidence.untried | length) > 0 and .remedy == null)' \
	"ports the server refused to try are untried, not blocked"
lab_expect '(.checks[] | select(.id == "reach.tcp.in.5060-5066") | .summary | contains("did not try"))' \
	"the summary says the server did not try them"
lab_end
