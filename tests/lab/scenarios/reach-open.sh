#!/usr/bin/env bash
# Ground truth: one NAT that lets everything out.  Every outbound endpoint
# of the guide's desktop and IP phone profiles is open, each spoken in its
# own protocol (HTTP, TLS with the server's own certificate, BOSH, XMPP
# with STARTTLS offered, SIP OPTIONS over UDP and TCP), in well under 5 s.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
LAB_REACH=1
lab_begin reach-open
lab_topology nat
lab_router_nat
lab_tls_cert
lab_pinholed
LAB_PROFILE=$LAB_ROOT/profiles/ringio-desktop.ini
lab_check --profile "$LAB_ROOT/profiles/ringio-ip-phones.ini" --tls-ca "$LAB_TMP/cert.pem" --skip sip-alg --skip nat --skip nat-layers
lab_reach reach.tcp.out.80 pass 80 ""
lab_reach reach.tcp.out.443 pass 443 ""
lab_reach reach.tcp.out.5280 pass 5280 ""
lab_reach reach.tcp.out.5222 pass 5222 ""
lab_reach reach.udp.out.5060 pass 5060 ""
lab_reach reach.tcp.out.5060-5066 pass 5060-5066 ""
lab_expect '(.checks[] | select(.id == "reach.tcp.out.5222") | .evidence.ports[0].detail) | contains("STARTTLS offered")' \
	"the XMPP server offers STARTTLS"
lab_expect '(.checks[] | select(.id == "reach.tcp.out.443") | .evidence.ports[0].detail) | contains("own certificate")' \
	"TLS shows the server's own certificate"
lab_expect '[.checks[] | select(.id | startswith("reach.") and contains(".out.")) | .duration_s] | max < 1' \
	"every probe answered within a second"
lab_end
