#!/usr/bin/env bash
# Ground truth: a transparent HTTP proxy on port 80 adds Via and
# X-Forwarded-For to requests, and a TLS-inspecting proxy answers port 443
# with a certificate of its own.  HTTP is reported as changed by a proxy
# (warn), TLS as intercepted (fail).  The control connection uses port 4443,
# and pinholed's TLS responder port 443, since an inspecting proxy on 443
# would also stop the control protocol there.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
LAB_REACH=1
lab_begin reach-middlebox
lab_topology nat
lab_router_nat
lab_tls_cert
lab_middlebox http
lab_middlebox tls
LAB_CONTROL_PORT=4443
LAB_CONF_EXTRA="tls-ports = 443"
lab_pinholed
LAB_PROFILE=$LAB_ROOT/profiles/ringio-desktop.ini
lab_check --skip sip-alg --skip nat --skip nat-layers
lab_verdict reach.tcp.out.80 warn
lab_expect '(.checks[] | select(.id == "reach.tcp.out.80") | .evidence.ports[0].detail) | contains("transparent proxy")' \
	"the HTTP request arrived changed"
lab_verdict reach.tcp.out.443 fail
lab_expect '[.checks[] | select(.id == "reach.tcp.out.443") | .evidence.ports[].outcome] == ["intercepted"]' \
	"TLS is intercepted"
lab_verdict reach.tcp.out.5222 pass
lab_end
