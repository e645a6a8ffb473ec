#!/usr/bin/env bash
# Ground truth: the router drops direct HTTP, HTTPS and BOSH from the LAN;
# a forward proxy on the router carries them.  Those endpoints are blocked
# directly but reported as working through the proxy (warn, not fail);
# XMPP on 5222, not blocked, passes directly.  The control connection uses
# port 4443 and pinholed's TLS responder 443, since 443 is blocked here.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
LAB_REACH=1
lab_begin reach-proxy
lab_topology nat
lab_router_nat
lab_tls_cert
lab_forward_proxy
LAB_CONTROL_PORT=4443
LAB_CONF_EXTRA="tls-ports = 443"
lab_pinholed
LAB_PROFILE=$LAB_ROOT/profiles/ringio-desktop.ini
lab_check --proxy http://192.168.1.1:3128 --skip sip-alg --skip nat --skip nat-layers --skip reach-in
for id in reach.tcp.out.80 reach.tcp.out.443 reach.tcp.out.5280; do
	lab_verdict "$id" warn
	lab_expect "(.checks[] | select(.id == \"$id\") | .summary) | contains(\"works through the proxy\")" \
		"$id works through the proxy"
done
lab_expect '(.checks[] | select(.id == "reach.tcp.out.80") | .evidence.blocked) == "80"' \
	"directly, port 80 is blocked"
lab_verdict reach.tcp.out.5222 pass
lab_end
