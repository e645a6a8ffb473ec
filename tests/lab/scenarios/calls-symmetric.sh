#!/usr/bin/env bash
# Real calls through a symmetric NAT: masquerade with fully random ports,
# so the public port changes with each destination.  Ground truth: the
# registrar stores the public port the REGISTER came from (nathelper) and
# reaches the phone through it, and the caller sends its media back where
# the phone's media comes from (symmetric RTP, as providers' media
# servers do): calls through the provider arrive, media both ways.  What a
# symmetric NAT breaks is media sent straight between peers, which this
# lab does not place.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../calls.sh"
lab_begin calls-symmetric
lab_topology nat
lab_router_symmetric
lab_pinholed
lab_check --skip udp-timeout
call_provider 60 3600
call_phone 600
lab_grep "$LAB_TMP/kamailio/kamailio.log" "registered sip:phone@$CALL_REGISTRAR from 203.0.113.2:" \
	"the registrar saw the phone's public address"
call_place 3
call_expect_answered "a call through the provider arrives, media both ways"
call_place 3
call_expect_answered "a second call arrives too"
call_agrees '(.checks[] | select(.id == "nat.mapping") | .verdict != "pass" and .evidence.behavior == "address-and-port-dependent")' \
	"nat.mapping finds the symmetric (address-and-port-dependent) mapping"
call_agrees '(.checks[] | select(.id == "nat.mapping") | .remedy) | test("peer")' \
	"nat.mapping puts media between peers at risk (calls through the provider worked)"
call_reach_in_bound
call_no_false_open
call_end
