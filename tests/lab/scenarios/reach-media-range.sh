#!/usr/bin/env bash
# Ground truth: pinholed listens on 16 ports spread over 10000-20000, edges
# included.  On an open path the media range passes and says it tested 16
# of its 10001 ports; behind a router that lets out only 10000-14999, the
# samples above it are blocked and the check fails naming them.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
LAB_REACH=1
lab_begin reach-media-range
lab_topology nat
lab_router_nat
lab_pinholed
LAB_PROFILE=$LAB_ROOT/tests/lab/profiles/lab-media-out.ini
lab_check --skip sip-alg --skip nat --skip nat-layers --skip udp-timeout --skip reach-in
lab_expect '(.checks[] | select(.id == "reach.udp.out.10000-20000") | .verdict == "pass" and .evidence.coverage.tested == 16 and .evidence.coverage.of == 10001)' \
	"an open path passes, on 16 of 10001 ports"
lab_expect '(.checks[] | select(.id == "reach.udp.out.10000-20000") | .summary | contains("16 of 10001 ports, sampled across the range"))' \
	"the summary says what was covered"
lab_exec router nft -f - <<-NFT
table ip phl_media {
	chain forward {
		type filter hook forward priority filter; policy accept;
		iifname "lan" udp dport 15000-20000 drop
	}
}
NFT
lab_check --skip sip-alg --skip nat --skip nat-layers --skip udp-timeout --skip reach-in
lab_expect '(.checks[] | select(.id == "reach.udp.out.10000-20000") | .verdict == "fail" and (.evidence.blocked | startswith("15333")) and (.evidence.blocked | endswith("20000")))' \
	"a range open only in part fails, naming the blocked samples"
lab_end
