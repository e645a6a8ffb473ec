#!/usr/bin/env bash
# Ground truth: IPv6 behind a stateful firewall (RFC 6092) whose router
# runs miniupnpd with IPv6 on, so the gateway opens inbound pinholes on
# request: UPnP IGDv2's WANIPv6FirewallControl (firewall enabled, inbound
# pinholes allowed) and PCP on its LAN address 2001:db8:1::1.  pinhole check
# over IPv6 must report both as the gateway's firewall control in
# nat.layers, name them in the remedy of the blocked inbound traffic beside
# the rule for the provider's ranges, and leave the router's rules as they
# were (GetFirewallStatus and a PCP ANNOUNCE change nothing).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin layers-upnp-ipv6
lab_topology nat
lab_router_nat
lab_ipv6
lab_router_fw6
lab_pinholed
lab_upnpd
LAB_PROFILE=$LAB_ROOT/tests/lab/profiles/lab-phones.ini
LAB_REACH=1
LAB_SERVER="[$LAB_SERVER6]"
before=$(lab_exec router nft list ruleset | sha256sum)
lab_check --skip sip-alg
after=$(lab_exec router nft list ruleset | sha256sum)
lab_verdict nat.layers@ipv6 pass
lab_expect '(.checks[] | select(.id == "nat.layers@ipv6") | .evidence.methods.upnp_ipv6fc | .firewall_enabled == true and .inbound_pinhole_allowed == true and .offered == true)' \
	"UPnP IGDv2: the firewall is on and admits inbound pinholes"
lab_expect '(.checks[] | select(.id == "nat.layers@ipv6") | .evidence.methods.pcp | .gateway == "2001:db8:1::1" and .result == "SUCCESS" and .offered == true)' \
	"PCP: the gateway answers an ANNOUNCE on its LAN address"
lab_expect '(.checks[] | select(.id == "nat.layers@ipv6") | .evidence.pinhole_control) == ["UPnP IGDv2 (WANIPv6FirewallControl)", "PCP"]' \
	"nat.layers names both ways of opening a pinhole"
lab_expect '(.checks[] | select(.id == "nat.layers@ipv6") | .evidence.methods | has("natpmp") or has("upnp") | not)' \
	"no IPv4 external address is reported in the IPv6 run"
lab_verdict reach.udp.in.1-65535@ipv6 fail
lab_expect 'any(.checks[]; .id == "reach.udp.in.1-65535@ipv6" and (.remedy | contains("The gateway can open pinholes for the phones (see nat.layers): enable UPnP IGDv2 (WANIPv6FirewallControl) or PCP on the phones, or add a rule admitting the provider'"'"'s IPv6 ranges.")))' \
	"the inbound remedy names the gateway's pinholes and the rule"
lab_checks=$((lab_checks + 1))
if [ "$before" = "$after" ]; then
	echo "ok - the router's nftables ruleset is as before the check"
else
	echo "not ok - the check changed the router's nftables ruleset"
	lab_failed=$((lab_failed + 1))
fi
lab_end
