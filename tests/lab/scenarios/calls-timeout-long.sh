#!/usr/bin/env bash
# Real calls through a NAT with UDP timeouts of 10 s (unreplied) and 15 s
# (established), no ALG, and a registrar that imposes kamailio's default
# min_expires of 60 s.  Ground truth: a REGISTER and its 200 OK finish
# within milliseconds, so Linux never promotes the flow to a stream and
# each registration keeps the binding for the unreplied 10 s only.  The
# phone asks for the interval pinhole recommends, the registrar raises it
# to 60 s (the phone re-registers after 54 s), and a call placed 12 s
# after the registration finds no binding: the INVITE is lost at the
# router and the registrar answers 408, with no media.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../calls.sh"
lab_begin calls-timeout-long
lab_topology nat
lab_router_nat
lab_udp_timeout 10 15
lab_pinholed
lab_check --udp-timeout-max 20
advice=$(call_keepalive_advice)
call_provider 60 3600
call_phone "${advice:-12}"
sleep 12
lab_expect "$(call_registrations) == 1" "the registrar's 60 s held: no re-registration within 12 s"
call_expect_binding no "the phone's binding has expired"
call_place 3
call_expect_missed "12 s after the registration the binding is gone and the call is missed"
call_agrees '(.checks[] | select(.id == "udp-timeout") | .verdict == "fail" and .evidence.unreplied_s == 10 and .evidence.established_s == 15)' \
	"udp-timeout fails, 10 s unreplied and 15 s established"
remedy=$(call_remedy udp-timeout)
case $remedy in
*min_expires*|*CRLF*|*"RFC 5626"*) call_agreed "udp-timeout's remedy names a keepalive that does not depend on the registrar's min_expires" ;;
*) call_disagrees "udp-timeout remedy \"$remedy\": the phone asked ${advice:-no interval} s, the registrar's min_expires (60 s, kamailio's default) overrode it, and the call was missed ($CALL_OUTCOMES); a re-register interval is often not the user's to set: a NAT keepalive (CRLF, OPTIONS or STUN, RFC 5626), a longer timeout or a forward is" ;;
esac
call_reach_in_bound
call_no_false_open
call_end
