#!/usr/bin/env bash
# Real calls through a NAT whose ALG on udp/5060 holds SIP in a 512-byte
# buffer and cuts what is longer (tests/lab/alg, cut-body), translating
# nothing.  Ground truth: the registrar's INVITE to the phone (two Vias,
# a Record-Route and an SDP: about 900 bytes) loses its end on the way
# in, the phone never answers it, and the registrar gives up: 408, no
# media.  The call is missed.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../calls.sh"
lab_begin calls-alg-cut-body
lab_topology nat
lab_router_nat
lab_alg_vendor cut-body
lab_pinholed
lab_check --skip udp-timeout
report=$LAB_JSON
call_provider 60 3600
call_phone 600
lab_alg_vendor_stats
cut=$(jq .inbound.cut "$LAB_JSON")
LAB_JSON=$report
call_place 3
call_expect_missed "a call to the registered phone is missed"
lab_alg_vendor_stats
lab_expect ".inbound.cut > $cut and .errors == 0" \
	"the emulator cut what came in for the phone during the call"
LAB_JSON=$report
call_alg_agrees sip-alg.udp.5060
call_end
