#!/usr/bin/env bash
# Ground truth: over IPv6 (no NAT) the router drops every IPv6 fragment it
# receives on both interfaces, before conntrack (priority -400) reassembles
# them.  Over a 1500-byte MTU IPv6 carries at most 1452 bytes of UDP
# payload unfragmented (40 bytes of IPv6 header, not IPv4's 20), so
# pinhole check over IPv6 must find SIP over UDP whole up to 1400 bytes
# each way, 1472 bytes and more fragmented and lost, and advise SIP over TCP
# or letting fragments through.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin ipv6-sip-udp-size
lab_topology nat
lab_router_nat
lab_ipv6
lab_pinholed
lab_exec router nft -f - <<-NFT
table ip6 phl_nofrag6 {
	chain pre {
		type filter hook prerouting priority -450; policy accept;
		iifname { "lan", "wan" } exthdr frag exists drop
	}
}
NFT
LAB_PROFILE=$LAB_ROOT/tests/lab/profiles/lab-phones.ini
LAB_SERVER="[$LAB_SERVER6]"
size_ev='(.checks[] | select(.id == "sip.udp-size@ipv6") | .evidence)'
lab_check --skip media --skip sip-alg
lab_verdict sip.udp-size@ipv6 warn
lab_expect "$size_ev | .mtu_assumed == 1500 and .largest_unfragmented == 1452" \
	"1452 bytes the largest unfragmented over IPv6 and a 1500-byte MTU"
for dir in outbound inbound; do
	lab_expect "$size_ev.$dir | .largest_ok == 1400 and .smallest_failed == 1472 and .fragments_pass == false" \
		"$dir: up to 1400 bytes, nothing fragmented"
	lab_expect "$size_ev.$dir | all(.sizes[]; (.fragmented == false and .result == \"intact\" and .size <= 1452) or (.fragmented == true and .result == \"lost\" and .size > 1452))" \
		"$dir: above 1452 bytes fragmented and lost, the rest intact"
done
lab_expect '(.checks[] | select(.id == "sip.udp-size@ipv6") | .summary) | contains("drops IP fragments")' \
	"the summary names dropped fragments"
lab_end
