#!/usr/bin/env bash
# Real calls through a NAT with the kernel SIP ALG on udp/5060 and UDP
# timeouts of 10 s (unreplied) and 15 s (established).  Ground truth: the
# ALG rewrites the phone's private address to the router's public one,
# consistently (Via, Contact, SDP), so calls arrive with media both ways;
# and the SIP helper gives its own flows its own timeout (an hour), so the
# phone's binding toward the registrar's 5060 outlives the 15 s: a call
# placed after 17 s of silence still arrives, although every other UDP
# binding is gone by then.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../calls.sh"
lab_begin calls-alg
lab_topology nat
lab_router_nat
lab_alg udp 5060
lab_udp_timeout 10 15
lab_pinholed
lab_check --udp-timeout-max 20
call_provider 60 3600
call_phone 600
call_place 3
call_expect_answered "a call arrives through the ALG, media both ways"
sleep 17
lab_expect "$(call_registrations) == 1" "the phone did not re-register while idle"
call_expect_binding yes "the SIP helper kept the phone's binding"
call_place 3
call_expect_answered "after 17 s idle (past both UDP timeouts) a call still arrives on the helper's flow"
call_agrees 'any(.checks[]; .id == "sip-alg.udp.5060" and .verdict == "fail")' \
	"the ALG on udp/5060 is found"
call_agrees '[.checks[] | select(.id != "sip-alg.udp.5060" and (.id | startswith("sip-alg."))) | .verdict] | all(. == "pass")' \
	"the other SIP ports pass unchanged"
call_agrees '(.checks[] | select(.id == "udp-timeout") | .evidence | .differs_on_sip_port == true and any(.ports[]; .port == 5060 and .unreplied_s == null))' \
	"the binding toward udp/5060 outlives the limit"
alg=$(jq -r '.checks[] | select(.id == "sip-alg.udp.5060") | "\(.summary) \(.remedy)"' "$LAB_JSON")
case $alg in
*consistent*) call_agreed "sip-alg.udp.5060 says the ALG rewrote the addresses consistently" ;;
*) call_disagrees "sip-alg.udp.5060 fail (\"$(jq -r '.checks[] | select(.id == "sip-alg.udp.5060") | .summary' "$LAB_JSON")\") does not say what this ALG did to calls: it rewrote the private address to the public one consistently and every call worked ($CALL_OUTCOMES); only truncation, drops or inconsistent addresses break calls" ;;
esac
remedy=$(call_remedy udp-timeout)
case $remedy in
*helper*) call_agreed "udp-timeout's remedy says the SIP helper keeps udp/5060 alive" ;;
*) call_disagrees "udp-timeout remedy \"$remedy\" does not say that the SIP helper keeps udp/5060 alive: a call after 17 s idle arrived; the short timeout puts the media and other ports at risk, not the registration's binding" ;;
esac
call_reach_in_bound
call_no_false_open
call_end
