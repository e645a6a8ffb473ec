#!/usr/bin/env bash
# Ground truth: one NAT, and on udp/5060 an ALG that knows RFC 3261 and
# none of its extensions (tests/lab/alg, drop-methods): every address
# translated consistently, and every request whose method is not one of
# RFC 3261's six (INVITE, ACK, BYE, CANCEL, REGISTER, OPTIONS) dropped.
# pinhole must see REGISTER and INVITE pass (rewritten), OPTIONS pass,
# SUBSCRIBE, NOTIFY, INFO, UPDATE, REFER and MESSAGE dropped, and say
# that calls are set up but busy lamps and voicemail indicators, DTMF as
# SIP INFO, session refresh, transfer and text fail; udp/5062, without
# the ALG, delivers every method.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin alg-drop-methods
lab_topology nat
lab_router_nat
lab_alg_vendor drop-methods
lab_pinholed
lab_check --skip media --skip sip-size
lab_verdict sip-alg.udp.5060 fail
alg='(.checks[] | select(.id == "sip-alg.udp.5060"))'
lab_expect "[$alg.evidence.outbound.methods[] | select(.delivered | not) | .method] == [\"SUBSCRIBE\",\"NOTIFY\",\"INFO\",\"UPDATE\",\"REFER\",\"MESSAGE\"]" \
	"outbound: SUBSCRIBE, NOTIFY, INFO, UPDATE, REFER, MESSAGE dropped"
lab_expect "[$alg.evidence.outbound.methods[] | select(.delivered) | .method] == [\"OPTIONS\"]" \
	"outbound: OPTIONS delivered"
lab_expect "[$alg.evidence.outbound.messages[] | .delivered] == [true, true]" \
	"REGISTER and INVITE delivered"
lab_expect "$alg.evidence.calls == {\"outcome\":\"features\",\"changes\":[\"address\",\"methods-dropped\"],\"breaks\":[\"events\",\"info-dtmf\",\"session-refresh\",\"transfer\",\"messages\"],\"symmetric_rtp\":null}" \
	"calls: set up, features fail; events, DTMF as INFO, refresh, transfer, text"
lab_expect "$alg.summary | contains(\"outbound SUBSCRIBE, NOTIFY, INFO, UPDATE, REFER, MESSAGE dropped\") and contains(\"calls are set up through it, but these fail: busy lamps\")" \
	"the summary names the methods dropped and what fails"
lab_verdict sip-alg.udp.5062 pass
lab_expect '[.checks[] | select(.id == "sip-alg.udp.5062") | .evidence.outbound.methods[] | .delivered] == [true,true,true,true,true,true,true]' \
	"udp/5062 delivers every method"
lab_check_text --skip media --skip sip-size
lab_text_expect 'tr -s "\n " "  " < "$LAB_TEXT" | grep -qF "Outbound (to the server): SUBSCRIBE, NOTIFY, INFO, UPDATE, REFER, MESSAGE dropped; delivered: OPTIONS."' \
	"the text report lists the methods dropped and delivered"
lab_alg_vendor_stats
lab_expect '.outbound.dropped >= 12 and .errors == 0' \
	"the emulator dropped the six methods it does not know"
lab_end
