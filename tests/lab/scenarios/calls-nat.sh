#!/usr/bin/env bash
# Real calls through a clean NAT: masquerade with the kernel's default UDP
# timeouts, no ALG, nothing forwarded.  Ground truth: the phone registers,
# the registrar stores its public address and port, and calls placed while
# it is registered arrive through that binding, with media both ways (the
# caller sends its media back where the phone's comes from).  Unsolicited
# inbound UDP is blocked, yet calls arrive.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../calls.sh"
lab_begin calls-nat
lab_topology nat
lab_router_nat
lab_pinholed
lab_check --skip udp-timeout
call_provider 60 3600
call_phone 600
call_place 3
call_expect_answered "a call to the registered phone arrives"
call_place 3
call_expect_answered "a second call arrives too"
call_agrees '[.checks[] | select(.id | startswith("sip-alg.")) | .verdict] | all(. == "pass")' \
	"no SIP ALG, and SIP passed unchanged"
call_agrees 'any(.checks[]; .id == "nat.mapping" and .verdict == "pass")' \
	"endpoint-independent mapping"
call_reach_in_bound
call_no_false_open
call_end
