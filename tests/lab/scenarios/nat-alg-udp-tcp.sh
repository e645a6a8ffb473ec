#!/usr/bin/env bash
# Ground truth: one NAT with the kernel SIP ALG on UDP and TCP 5060.  Both
# transports are rewritten on 5060 (Via, From, Contact, SDP c=/o= outbound;
# Request-URI and To inbound); over TCP the kernel helper also drops the
# inbound INVITE.  5062 is untouched.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin nat-alg-udp-tcp
lab_topology nat
lab_router_nat
lab_alg udp 5060
lab_alg tcp 5060
lab_pinholed
lab_check
lab_verdict sip-alg.udp.5060 fail
lab_verdict sip-alg.tcp.5060 fail
for id in sip-alg.udp.5060 sip-alg.tcp.5060; do
	lab_rewritten "$id" outbound Via
	lab_rewritten "$id" outbound Contact
done
for id in sip-alg.udp.5060 sip-alg.tcp.5060; do
	lab_elements "$id" outbound '["Contact","Content-Length","From","Via","sdp.c","sdp.o"]'
	lab_elements "$id" inbound '["Request-URI","To"]'
done
lab_expect '[.checks[] | select(.id == "sip-alg.tcp.5060") | .evidence.inbound.messages[] | {method, delivered}] == [{"method":"REGISTER","delivered":true},{"method":"INVITE","delivered":false}]' \
	"over TCP the inbound INVITE is dropped, the REGISTER delivered"
lab_verdict sip-alg.udp.5062 pass
lab_verdict sip-alg.tcp.5062 pass
lab_end
