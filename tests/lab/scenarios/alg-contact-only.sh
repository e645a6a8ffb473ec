#!/usr/bin/env bash
# Ground truth: one NAT, and on udp/5060 an ALG that rewrites the Contact
# alone (tests/lab/alg, contact-only): Via and the SDP keep the private
# address, inbound nothing changes.  What calls do then depends on the far
# end's media: one that sends media back to where it comes from
# (symmetric RTP) is heard both ways, one that follows the SDP is not.
# Three checks: the profile not saying (the outcome depends, and the
# sentence says on what), saying yes (calls work), saying no (one-way
# audio).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin alg-contact-only
lab_topology nat
lab_router_nat
lab_alg_vendor contact-only
lab_pinholed
alg='(.checks[] | select(.id == "sip-alg.udp.5060"))'
lab_check --skip media --skip sip-size
lab_verdict sip-alg.udp.5060 fail
lab_elements sip-alg.udp.5060 outbound '["Contact"]'
lab_clean sip-alg.udp.5060 inbound
lab_expect "$alg.evidence.calls == {\"outcome\":\"depend\",\"changes\":[\"address\",\"sdp-address-kept\"],\"breaks\":[],\"symmetric_rtp\":null}" \
	"not said: the outcome depends on the far end"
lab_expect "$alg.summary | contains(\"left the SDP's media address 192.168.1.10\") and contains(\"only if the far end sends media back to where it comes from\") and contains(\"The profile does not say\")" \
	"... and the sentence says on what"
sed 's/^symmetric-rtp = yes$/symmetric-rtp = no/' \
	"$LAB_ROOT/tests/lab/profiles/lab-phones.ini" > "$LAB_TMP/lab-phones.ini"
LAB_PROFILE=$LAB_ROOT/tests/lab/profiles/lab-phones.ini lab_check --skip media --skip sip-size --skip nat --skip nat-layers
lab_expect "$alg.evidence.calls == {\"outcome\":\"work\",\"changes\":[\"address\",\"sdp-address-kept\"],\"breaks\":[],\"symmetric_rtp\":true}" \
	"symmetric-rtp = yes: calls work"
lab_expect "$alg.summary | contains(\"sends media back to where it comes from (symmetric RTP), so calls are heard both ways\")" \
	"... and the sentence says why"
LAB_PROFILE=$LAB_TMP/lab-phones.ini lab_check --skip media --skip sip-size --skip nat --skip nat-layers
lab_expect "$alg.evidence.calls == {\"outcome\":\"break\",\"changes\":[\"address\",\"sdp-address-kept\"],\"breaks\":[\"one-way-audio\"],\"symmetric_rtp\":false}" \
	"symmetric-rtp = no: one-way audio"
lab_expect "$alg.summary | contains(\"calls break through it\") and contains(\"one-way audio, the phones hear nothing\")" \
	"... and the sentence says so"
lab_alg_vendor_stats
lab_expect '.outbound.elements == ["Contact"] and .inbound.changed == 0 and .errors == 0' \
	"the emulator changed the Contact only"
lab_end
