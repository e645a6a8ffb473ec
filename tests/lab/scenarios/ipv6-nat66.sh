#!/usr/bin/env bash
# Ground truth: over IPv6 the router masquerades the ULA LAN fd00:1::/64 to its own address 2001:db8:ff::2 (the interface identifier lost).
# pinhole check over IPv6 must find the translation and name its kind
# (nat66), the address the server sees, and the filtering it leaves.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin ipv6-nat66
lab_topology nat
lab_router_nat
lab_ipv6 nat66
lab_pinholed
LAB_PROFILE=$LAB_ROOT/tests/lab/profiles/lab-phones.ini
LAB_SERVER="[$LAB_SERVER6]"
lab_check
lab_expect 'any(.checks[]; .id == "nat.present@ipv6" and .evidence.nat == true and .evidence.nat6 == "nat66" and (.evidence.udp.public | startswith("[2001:db8:ff::2]:")) and (.summary | startswith("NAT66 on the path: local fd00:1::10 is seen as 2001:db8:ff::2")))' \
	"nat.present: NAT66, fd00:1::10 seen as 2001:db8:ff::2"
lab_behavior nat.filtering@ipv6 address-and-port-dependent warn
lab_verdict media.rtp@ipv6 pass
lab_end
