#!/usr/bin/env bash
# Ground truth: one NAT with the kernel SIP ALG (nf_nat_sip) on UDP 5060
# only.  Outbound SIP on udp/5060 has its private address rewritten to the
# router's in Via, From, Contact and SDP c=/o= (and so Content-Length);
# inbound, the public address in the Request-URI and To becomes the private
# one.  Call-ID is left alone.  udp/5062 and TCP are untouched.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin nat-alg-udp
lab_topology nat
lab_router_nat
lab_alg udp 5060
lab_pinholed
lab_check
lab_expect "$LAB_STATUS == 1" "exit status 1 (a check failed)"
lab_verdict sip-alg.udp.5060 fail
for e in Via Contact sdp.c sdp.o; do
	lab_rewritten sip-alg.udp.5060 outbound "$e"
done
lab_elements sip-alg.udp.5060 outbound '["Contact","Content-Length","From","Via","sdp.c","sdp.o"]'
lab_elements sip-alg.udp.5060 inbound '["Request-URI","To"]'
lab_expect '(.checks[] | select(.id == "sip-alg.udp.5060") | .evidence.outbound.delivered and .evidence.inbound.delivered)' \
	"every message was delivered on udp/5060, rewritten"
lab_expect '(.checks[] | select(.id == "sip-alg.udp.5060") | .evidence.outbound.rewritten[] | select(.element == "Via") | .received) | contains("203.0.113.2")' \
	"Via now carries the router's public address"
lab_verdict sip-alg.udp.5062 pass
lab_verdict sip-alg.tcp.5060 pass
lab_verdict sip-alg.tcp.5062 pass
lab_expect '(.checks[] | select(.id == "sip-alg.udp.5060") | .remedy) | contains("udp/5062")' \
	"the remedy names the clean port as a workaround"
lab_end
