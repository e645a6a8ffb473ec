#!/usr/bin/env bash
# Ground truth: the closed loop on a dual-stack site.  The router masquerades
# IPv4 and runs the stateful IPv6 firewall home gateways ship (RFC 6092):
# inbound fails in both families.  pinhole config --format nftables for the
# site's two LANs (192.168.1.0/24 and 2001:db8:1::/64) is loaded on the
# router; then the checks pass over IPv4 and over IPv6, and IPv6 is reached
# through a firewall accept, never a NAT.  Over IPv6 the inbound reach
# checks are not asserted (pinhole check's inbound listeners are IPv4 only
# in this version); inbound IPv6 is proven by nat.filtering and by a UDP
# and a TCP packet from the provider's range to the phone.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
LAB_PROFILE=$LAB_ROOT/tests/lab/profiles/lab-phones-dual.ini
LAB_REACH=1
lab_begin config-loop-dual
conf=$LAB_TMP/pinhole.nftables
server4=$LAB_SERVER

# probe6 udp|tcp PORT: whether a packet from the server's IPv6 address
# reaches the client's, on PORT ("arrived" or "blocked").
probe6() {
	local got=$LAB_TMP/probe6.$1.$2
	rm -f "$got"
	lab_exec client timeout 3 python3 -c '
import socket, sys
t = socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM
s = socket.socket(socket.AF_INET6, t)
s.bind(("::", int(sys.argv[2])))
if t == socket.SOCK_STREAM:
    s.listen(1)
    s = s.accept()[0]
print(s.recv(16).decode())' "$1" "$2" > "$got" 2>/dev/null &
	local pid=$!
	sleep 0.5
	lab_exec server timeout 2 python3 -c '
import socket, sys
t = socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM
s = socket.socket(socket.AF_INET6, t)
s.bind((sys.argv[3], 0))
s.settimeout(1.5)
if t == socket.SOCK_STREAM:
    s.connect((sys.argv[4], int(sys.argv[2])))
    s.send(b"probe6")
else:
    s.sendto(b"probe6", (sys.argv[4], int(sys.argv[2])))' \
		"$1" "$2" "$LAB_SERVER6" "$LAB_CLIENT6" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	if grep -q probe6 "$got"; then echo arrived; else echo blocked; fi
}

# expect_probe6 udp|tcp PORT arrived|blocked
expect_probe6() {
	local got
	got=$(probe6 "$1" "$2")
	lab_expect "\"$got\" == \"$3\"" "inbound IPv6 $1 $2 from the provider $3 (ground truth)"
}

lab_topology nat
lab_router_nat
lab_ipv6
lab_router_fw6
lab_pinholed

# Before: inbound blocked in both families.
lab_check
lab_verdict reach.udp.in.1-65535 fail
lab_verdict reach.tcp.in.5060-5066 fail
LAB_SERVER="[$LAB_SERVER6]"
lab_check
lab_behavior nat.filtering address-and-port-dependent warn
expect_probe6 udp 40000 blocked
expect_probe6 tcp 5062 blocked

"$PINHOLE" config --profile "$LAB_PROFILE" --format nftables \
	--lan "$LAB_CLIENT_NET" --lan 2001:db8:1::/64 --wan wan \
	--forward 192.168.1.10 > "$conf"
lab_expect "$(grep -c 'ip6 saddr @provider6 ip6 daddr @lan6 [a-z]* dport' "$conf") == 2" \
	"the configuration admits the provider's IPv6 range to the LAN, once per inbound endpoint"
lab_expect "$(grep -cE 'table (ip6|inet) [a-z_]*nat|ip6 .*(dnat|masquerade|snat)' "$conf") == 0" \
	"the configuration translates nothing over IPv6"
lab_apply_config "$conf" nft

# After: every check passes over IPv4; over IPv6 every check but the
# inbound sweeps (see above), and the inbound packets arrive.
LAB_SERVER=$server4
lab_check
lab_all_pass
lab_verdict reach.udp.in.1-65535 pass
lab_verdict reach.tcp.in.5060-5066 pass
LAB_SERVER="[$LAB_SERVER6]"
lab_check
lab_expect '[.checks[] | select(.verdict != "skip" and (.id | test("^reach\\.(udp|tcp)\\.in\\.") | not))] as $ran |
	($ran | length) > 5 and ([$ran[] | select(.verdict != "pass")] == [])' \
	"over IPv6 every check that ran passes (the inbound sweeps aside)"
lab_expect 'any(.checks[]; .id == "nat.present" and (.summary | startswith("no NAT")))' \
	"nat.present over IPv6: no NAT after the configuration either"
lab_verdict nat.filtering pass
lab_verdict media.rtp pass
lab_verdict qos.dscp pass
expect_probe6 udp 40000 arrived
expect_probe6 tcp 5062 arrived
lab_end
