#!/usr/bin/env bash
# Ground truth: the control connection runs inside TLS on port 443, which
# pinholed tells apart from the plain protocol by the first byte.  With the
# server's CA the session opens and the checks run as in the clear (one NAT,
# no ALG); with a CA that did not sign it, the session is refused with a
# TLS error, exit status 2.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin tls-control
lab_topology nat
lab_router_nat
lab_tls_cert
lab_pinholed
lab_check --tls-ca "$LAB_TMP/cert.pem"
lab_expect "$LAB_STATUS == 0" "exit status 0 over TLS"
lab_verdict nat.present pass
lab_verdict sip-alg.udp.5060 pass
lab_verdict sip-alg.tcp.5062 pass
# The plain protocol still works on the same port.
lab_check
lab_verdict sip-alg.udp.5060 pass
# A CA that did not sign the server's certificate.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=other" \
	-keyout "$LAB_TMP/other.key" -out "$LAB_TMP/other.pem" 2>/dev/null
lab_check --tls-ca "$LAB_TMP/other.pem"
lab_expect "$LAB_STATUS == 2" "exit status 2 with the wrong CA"
lab_expect '.checks[0].id == "session" and .checks[0].verdict == "error"' "the session is refused"
lab_expect '.checks[0].summary | contains("TLS")' "the summary says TLS failed"
lab_end
