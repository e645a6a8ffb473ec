#!/usr/bin/env bash
# Ground truth: a routed path with no NAT and no SIP ALG.  The server sees
# the client's own address; SIP passes unchanged on every port, both ways.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin routed-no-nat
lab_topology routed
lab_pinholed
lab_check
lab_expect '.schema == "pinhole.report/1"' "the report is pinhole.report/1"
lab_verdict nat.present pass
lab_expect '(.checks[] | select(.id == "nat.present") | .evidence.nat) == false' "no NAT is seen"
lab_expect '.public_address.udp == "198.51.100.10"' "public UDP address is the client's own"
lab_verdict nat.layers pass
lab_expect '(.checks[] | select(.id == "nat.layers") | .evidence | .count == 0 and .cgnat == false)' \
	"no NAT layer"
for id in sip-alg.udp.5060 sip-alg.udp.5062 sip-alg.tcp.5060 sip-alg.tcp.5062; do
	lab_verdict "$id" pass
done
lab_expect '[.checks[] | select(.id | startswith("sip-alg."))] | length == 4' "four SIP ALG checks"
lab_behavior nat.mapping endpoint-independent pass
lab_behavior nat.filtering endpoint-independent pass
lab_verdict nat.hairpin skip
lab_end
