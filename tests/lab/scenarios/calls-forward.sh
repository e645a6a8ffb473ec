#!/usr/bin/env bash
# Real calls through a NAT that forwards inbound UDP and TCP from the
# provider's ranges (203.0.113.0/24) to the phone, with UDP timeouts of
# 10 s (unreplied) and 15 s (established) and a phone that re-registers
# only every 10 minutes.  Ground truth: the forward makes calls
# independent of the binding: a call placed 17 s after the registration,
# when the binding has long expired, still arrives, media both ways.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../calls.sh"
lab_begin calls-forward
lab_topology nat
lab_router_forward 203.0.113.0/24
lab_udp_timeout 10 15
lab_pinholed
lab_check --skip udp-timeout
call_provider 60 3600
call_phone 600
call_place 3
call_expect_answered "a call arrives"
sleep 17
lab_expect "$(call_registrations) == 1" "the phone did not re-register while idle"
call_expect_binding no "the phone's binding has expired"
call_place 3
call_expect_answered "17 s after the registration, the binding gone, a call still arrives through the forward"
call_agrees '(.checks[] | select(.id | startswith("reach.udp.in.")) | .verdict == "pass" and .evidence.open == "1-65535")' \
	"reach.udp.in passes: every port is forwarded from the provider's ranges"
call_agrees '[.checks[] | select(.id | startswith("sip-alg.")) | .verdict] | all(. == "pass")' \
	"no SIP ALG"
call_end
