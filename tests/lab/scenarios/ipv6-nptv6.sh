#!/usr/bin/env bash
# Ground truth: over IPv6 the router maps the ULA LAN fd00:1::/64 onto 2001:db8:2::/64 both ways (RFC 6296 NPTv6 as nftables' prefix NAT does it: the interface identifier kept, anything sent to the mapped address let in).
# pinhole check over IPv6 must find the translation and name its kind
# (nptv6), the address the server sees, and the filtering it leaves.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin ipv6-nptv6
lab_topology nat
lab_router_nat
lab_ipv6 nptv6
lab_pinholed
LAB_PROFILE=$LAB_ROOT/tests/lab/profiles/lab-phones.ini
LAB_SERVER="[$LAB_SERVER6]"
lab_check
lab_expect 'any(.checks[]; .id == "nat.present@ipv6" and .evidence.nat == true and .evidence.nat6 == "nptv6" and (.evidence.udp.public | startswith("[2001:db8:2::10]:")) and (.summary | startswith("NPTv6 on the path: local fd00:1::10 is seen as 2001:db8:2::10")))' \
	"nat.present: NPTv6, fd00:1::10 seen as 2001:db8:2::10"
lab_behavior nat.filtering@ipv6 endpoint-independent pass
lab_verdict media.rtp@ipv6 pass
lab_end
