#!/usr/bin/env bash
# Ground truth, in two parts on one topology: first a plain NAT (Linux
# masquerade), through which SIP over UDP of every size passes both ways,
# fragmented or not; then the same router dropping IPv4 fragments both
# ways, as routers with a 'drop fragments' protection do, so that nothing
# larger than 1472 bytes of UDP payload (1500 with the IP and UDP headers)
# arrives in either direction.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin sip-udp-size
lab_topology nat
lab_router_nat
lab_pinholed

sizes='[.sizes[] | select(.size >= 1200) | .size] == [1200, 1400, 1472, 1500, 2000, 3000, 4000]'
size_ev='(.checks[] | select(.id == "sip.udp-size") | .evidence)'

lab_check
lab_verdict sip.udp-size pass
for dir in outbound inbound; do
	lab_expect "$size_ev.$dir | $sizes" "$dir: the sizes tried"
	lab_expect "$size_ev.$dir | all(.sizes[]; .result == \"intact\" and .received_bytes == .size)" \
		"$dir: every size arrives byte for byte"
	lab_expect "$size_ev.$dir | .largest_ok == 4000 and .smallest_failed == null and .fragments_pass == true" \
		"$dir: up to 4000 bytes, fragments pass"
done
lab_expect "$size_ev | .port == 5060 and .mtu_assumed == 1500 and .largest_unfragmented == 1472" \
	"SIP port 5060, 1472 bytes the largest unfragmented over a 1500-byte MTU"
lab_expect "$size_ev.outbound.sizes[0] | .size < 1200 and .fragmented == false" \
	"the first INVITE goes as it comes, unpadded"

# The router now drops every IPv4 fragment it receives, on both its
# interfaces, before conntrack (priority -400) reassembles them.
lab_exec router nft -f - <<-NFT
table ip phl_nofrag {
	chain pre {
		type filter hook prerouting priority -450; policy accept;
		iifname { "lan", "wan" } ip frag-off & 0x1fff != 0 drop
		iifname { "lan", "wan" } ip frag-off & 0x2000 != 0 drop
	}
}
NFT
lab_check
lab_verdict sip.udp-size warn
for dir in outbound inbound; do
	lab_expect "$size_ev.$dir | $sizes" "$dir: the sizes tried"
	lab_expect "$size_ev.$dir | .largest_ok == 1472 and .smallest_failed == 1500 and .fragments_pass == false" \
		"$dir: up to 1472 bytes, nothing fragmented"
	lab_expect "$size_ev.$dir | all(.sizes[]; (.fragmented == false and .result == \"intact\") or (.fragmented == true and .result == \"lost\" and .received_bytes == null))" \
		"$dir: what needs fragments is lost, the rest arrives intact"
	lab_expect "$size_ev.$dir | all(.sizes[] | select(.result == \"lost\"); .sends == 3)" \
		"$dir: each lost size was sent three times"
done
lab_expect '(.checks[] | select(.id == "sip.udp-size") | .summary) | contains("drops IP fragments")' \
	"the summary names dropped fragments"
lab_expect '(.checks[] | select(.id == "sip.udp-size") | .remedy) | contains("SIP over TCP") and contains("fragment")' \
	"the remedy: SIP over TCP, or let fragments through"
lab_expect '(.checks[] | select(.id == "sip.udp-size") | .duration_s) < 10' \
	"the size check takes less than 10 s"
lab_verdict sip-alg.udp.5060 pass
lab_check_text
lab_text_expect 'grep -q "WARN sip.udp-size  *up to 1472 bytes both ways; fragments dropped$" "$LAB_TEXT"' \
	"the text table: the largest size each way, fragments dropped"
lab_text_expect 'grep -q "Outbound, to the server (bytes): intact [0-9]*, 1200, 1400, 1472; lost" "$LAB_TEXT"' \
	"the text detail: the sizes grouped by what became of them"
lab_end
