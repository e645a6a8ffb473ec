#!/usr/bin/env bash
# Ground truth: IPv6 as home gateways ship it (RFC 6092), beside the IPv4
# masquerade: no NAT, a stateful firewall that lets out what the LAN
# starts and in only its replies.  pinhole check over IPv6 must find no
# NAT (the client seen as itself), address-and-port-dependent filtering,
# inbound UDP and TCP blocked, media both ways, and advise a firewall rule,
# never a port forward or a 1:1 NAT, since there is no NAT to forward.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin ipv6-stateful-fw
lab_topology nat
lab_router_nat
lab_ipv6
lab_router_fw6
lab_pinholed
LAB_PROFILE=$LAB_ROOT/tests/lab/profiles/lab-phones.ini
LAB_REACH=1
LAB_SERVER="[$LAB_SERVER6]"
lab_check
lab_expect 'any(.checks[]; .id == "nat.present@ipv6" and .verdict == "pass" and (.summary | startswith("no NAT")) and (.summary | contains("2001:db8:1::10")))' \
	"nat.present: no NAT, the client seen as itself over IPv6"
lab_behavior nat.filtering@ipv6 address-and-port-dependent warn
lab_verdict reach.udp.in.1-65535@ipv6 fail
lab_verdict reach.tcp.in.5060-5066@ipv6 fail
lab_verdict media.rtp@ipv6 pass
lab_expect 'all(.checks[]; (.remedy // "") | test("port forward|1:1 NAT|forward[^.]* to the phone"; "i") | not)' \
	"no remedy speaks of a port forward or a 1:1 NAT"
lab_expect 'any(.checks[]; .id == "reach.udp.in.1-65535@ipv6" and (.remedy | contains("a firewall rule that accepts it is enough")))' \
	"the inbound remedy asks for a firewall rule"
lab_end
