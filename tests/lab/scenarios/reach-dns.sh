#!/usr/bin/env bash
# Ground truth: pbx.lab.example resolves to both server addresses,
# 203.0.113.10 and .11, and SIP OPTIONS reach each; nowhere.lab.example
# does not resolve, which is its own finding (fail, with the error).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
LAB_REACH=1
lab_begin reach-dns
lab_topology nat
lab_router_nat
lab_dns pbx.lab.example=203.0.113.10 pbx.lab.example=203.0.113.11
lab_pinholed
LAB_PROFILE=$LAB_ROOT/tests/lab/profiles/lab-dns.ini
lab_check --skip sip-alg --skip nat --skip nat-layers
lab_verdict reach.udp.out.5060 pass
lab_expect '[.checks[] | select(.id == "reach.udp.out.5060") | .evidence.ports[] | select(.outcome == "open") | .address] | sort == ["203.0.113.10:5060", "203.0.113.11:5060"]' \
	"every address of the name is probed, and open"
lab_verdict reach.tcp.out.443 fail
lab_expect '(.checks[] | select(.id == "reach.tcp.out.443") | .evidence.dns_error) | startswith("nowhere.lab.example does not resolve")' \
	"a name that does not resolve is reported as such"
lab_end
