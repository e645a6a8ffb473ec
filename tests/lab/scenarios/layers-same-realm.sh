#!/usr/bin/env bash
# Ground truth: two NATs in one private block, the most common double NAT
# at home: our router (LAN 192.168.1.0/24, WAN 192.168.0.2) behind the
# provider's box (LAN 192.168.0.1).  Both answer TTL-limited probes, and
# neither speaks UPnP or NAT-PMP.  From the path, hop 2 may be a router of
# the same network or a second NAT: pinhole counts one, names hop 2 as
# uncertain, and warns rather than pass.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin layers-same-realm
lab_topology double 192.168.0
lab_router_nat
lab_pinholed
lab_check --skip sip-alg
lab_verdict nat.layers warn
lab_expect '(.checks[] | select(.id == "nat.layers") | .evidence | .count == 1 and .complete == false and .uncertain_hops == [2] and .unseen_hops == [])' \
	"one NAT counted, hop 2 uncertain"
lab_expect '[.checks[] | select(.id == "nat.layers") | .evidence.hops[] | [.address, .class]] == [["192.168.1.1", "private"], ["192.168.0.1", "private"]]' \
	"both hops answer from private addresses"
lab_expect '(.checks[] | select(.id == "nat.layers") | .summary) | contains("hop 2 (192.168.0.1) answers from the private range")' \
	"the summary names the uncertain hop"
lab_end
