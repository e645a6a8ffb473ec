#!/usr/bin/env bash
# lab: alone (it measures timing that another scenario beside it would disturb)
# Ground truth: IPv6 behind the RFC 6092 stateful firewall, no NAT, no SIP
# ALG; the router clears EF's precedence bits in the traffic class of what
# goes up (ip6 dscp 46 to 6) and leaves what comes down intact.  pinhole
# check over IPv6 must find SIP untouched (over UDP and TCP, with the
# client's bracketed IPv6 literals in Via, Contact and the SDP's IP6
# addresses), SIP over UDP whole up to its largest size, media both ways,
# and the traffic class remarked upstream only.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin ipv6-media-dscp
lab_topology nat
lab_router_nat
lab_ipv6
lab_router_fw6
lab_pinholed
lab_dscp_rewrite router up 46 6 ip6
LAB_PROFILE=$LAB_ROOT/tests/lab/profiles/lab-phones.ini
LAB_SERVER="[$LAB_SERVER6]"
lab_check --media-seconds 3
lab_expect '[.checks[] | select(.id | startswith("sip-alg.")) | .verdict] | length > 0 and all(. == "pass")' \
	"every SIP ALG probe passes over IPv6"
lab_expect '[.checks[] | select(.id | startswith("sip-alg.")) | .evidence.outbound.rewritten | length] | length > 0 and all(. == 0)' \
	"nothing rewritten on the way out"
lab_verdict sip.udp-size@ipv6 pass
lab_verdict media.rtp@ipv6 pass
lab_expect '(.checks[] | select(.id == "media.rtp@ipv6") | .evidence.up.received > 0 and .evidence.down.received > 0)' \
	"media arrives both ways over IPv6"
lab_verdict qos.dscp@ipv6 warn
lab_expect '(.checks[] | select(.id == "qos.dscp@ipv6") | .evidence | .up.result == "precedence-bleached" and .up.received == 6 and .down.result == "intact" and .down.received == 46)' \
	"the traffic class: EF to 6 upstream, intact downstream"
lab_end
