#!/usr/bin/env bash
# Ground truth: the same IPv6 stateful firewall and miniupnpd as
# layers-upnp-ipv6, but miniupnpd with IPv6 disabled (ipv6_disable=yes): it
# still serves UPnP-IGD and NAT-PMP over IPv4, and nothing over IPv6.
# pinhole check over IPv6 must find no firewall control (no IGDv2 device
# answers SSDP over IPv6, PCP's port on the gateway is closed), and its
# inbound remedy must not speak of the gateway's pinholes.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin layers-upnp-ipv6-off
lab_topology nat
lab_router_nat
lab_ipv6
lab_router_fw6
lab_pinholed
LAB_UPNPD_CONF=ipv6_disable=yes
lab_upnpd
LAB_PROFILE=$LAB_ROOT/tests/lab/profiles/lab-phones.ini
LAB_REACH=1
LAB_SERVER="[$LAB_SERVER6]"
lab_check --skip sip-alg
lab_verdict nat.layers@ipv6 pass
lab_expect '(.checks[] | select(.id == "nat.layers@ipv6") | .evidence | .pinhole_control == [] and .methods.upnp_ipv6fc.offered == false and .methods.pcp.offered == false)' \
	"nat.layers: the gateway offers no IPv6 pinhole control"
lab_expect '(.checks[] | select(.id == "nat.layers@ipv6") | .evidence.methods.pcp.error | test("does not speak PCP|no answer"))' \
	"PCP is not spoken on the gateway's IPv6 address"
lab_expect '(.checks[] | select(.id == "nat.layers@ipv6") | .summary) == "no NAT between us and the server"' \
	"the summary claims no pinhole control"
lab_verdict reach.udp.in.1-65535@ipv6 fail
lab_expect 'any(.checks[]; .id == "reach.udp.in.1-65535@ipv6" and (.remedy | contains("a firewall rule that accepts it is enough")) and (.remedy | contains("pinholes") | not))' \
	"the inbound remedy asks for a rule, not the gateway's pinholes"
lab_end
