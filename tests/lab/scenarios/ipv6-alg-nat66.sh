#!/usr/bin/env bash
# Ground truth: over IPv6 the router masquerades the ULA LAN fd00:1::/64 to
# 2001:db8:ff::2 (NAT66) and runs the kernel's SIP ALG (nf_conntrack_sip,
# nf_nat_sip) for IPv6 on UDP 5060 only.  pinhole check over IPv6 must find
# SIP over UDP 5060 rewritten, the client's bracketed literal
# [fd00:1::10] in Via and Contact and its IN IP6 address in the SDP
# translated to 2001:db8:ff::2, judged a consistent translation (calls can
# work), and SIP over UDP 5062 and over TCP untouched.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin ipv6-alg-nat66
lab_topology nat
lab_router_nat
lab_ipv6 nat66
lab_alg udp 5060 ip6
lab_pinholed
LAB_PROFILE=$LAB_ROOT/tests/lab/profiles/lab-phones.ini
LAB_SERVER="[$LAB_SERVER6]"
lab_check --skip media
lab_verdict sip-alg.udp.5060@ipv6 fail
lab_expect 'any(.checks[] | select(.id == "sip-alg.udp.5060@ipv6") | .evidence.outbound.rewritten[]; .message == "INVITE" and .element == "Via" and (.sent | contains("[fd00:1::10]:")) and (.received | contains("[2001:db8:ff::2]:")))' \
	"the INVITE's Via: [fd00:1::10] translated to [2001:db8:ff::2]"
lab_rewritten sip-alg.udp.5060@ipv6 outbound Contact
lab_expect 'any(.checks[] | select(.id == "sip-alg.udp.5060@ipv6") | .evidence.outbound.rewritten[]; .message == "INVITE" and .element == "sdp.c" and .sent == "IN IP6 fd00:1::10" and .received == "IN IP6 2001:db8:ff::2")' \
	"the SDP's c=: IN IP6 fd00:1::10 translated to 2001:db8:ff::2"
lab_expect '(.checks[] | select(.id == "sip-alg.udp.5060@ipv6") | .evidence.calls | .outcome == "work" and (.changes | index("address") != null))' \
	"judged a consistent translation of the IPv6 address: calls can work"
lab_verdict sip-alg.udp.5062@ipv6 pass
lab_verdict sip-alg.tcp.5060@ipv6 pass
lab_end
