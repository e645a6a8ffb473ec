#!/usr/bin/env bash
# Ground truth: a dual-stack site (IPv4 masqueraded, IPv6 routed behind a
# stateful firewall) whose provider runs its relay (coturn) on both
# families: relay.lab.example has an A (203.0.113.13) and an AAAA
# (2001:db8:ff::13) record, pbx.lab.example likewise for pinholed.  In
# each family the relay is reached at its address of that family and
# relays toward pinholed's address of that family (an IPv6 allocation,
# REQUESTED-ADDRESS-FAMILY), so every transport relays media in both, its
# relayed address in the family; the outbound reach probes of the relays'
# ports go to the address of each family too.  A relay whose name has
# only an A record is not tested over IPv6, neither its relaying nor its
# ports (skip, never a failure).  Three runs in a row.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin relay-dual-stack
lab_topology nat
lab_router_nat
lab_ipv6
lab_router_fw6
LAB_RELAY_SAN="DNS:relay.lab.example,DNS:relay4.lab.example" lab_relay_setup
lab_dns pbx.lab.example=203.0.113.10 pbx.lab.example=2001:db8:ff::10 \
	relay.lab.example=203.0.113.13 relay.lab.example=2001:db8:ff::13 \
	relay4.lab.example=203.0.113.13
LAB_SERVER=pbx.lab.example
LAB_RELAY_PROFILE=lab-relay-dual
for run in 1 2 3; do
	echo "# run $run"
	LAB_REACH=1 lab_relay_check --skip reach-in
	# The relays' ports too, each family at its own address: STUN's
	# Binding over UDP, a TLS handshake (the relay's certificate, with
	# --turn-ca) on 443.
	for r in "udp.out.3478 STUN Binding" "tcp.out.3478 connect" "tcp.out.443 TLS handshake"; do
		set -- $r
		lab_expect "any(.checks[]; .id == \"reach.$1\" and .verdict == \"pass\" and .evidence.spoken == \"${*:2}\" and .evidence.ports[0].address == \"203.0.113.13:${1##*.}\") and any(.checks[]; .id == \"reach.$1@ipv6\" and .verdict == \"pass\" and .evidence.ports[0].address == \"[2001:db8:ff::13]:${1##*.}\" and (.evidence.ports | length) == 1)" \
			"reach.$1: ${*:2} to the relay, at its address of each family"
	done
	lab_expect '.families.ipv4.tested and .families.ipv6.tested' \
		"both families tested"
	for t in udp tcp tls; do
		lab_relay relay.$t pass
		lab_relay relay.$t@ipv6 pass
		lab_expect "any(.checks[]; .id == \"relay.$t\" and (.evidence.relayed | startswith(\"203.0.113.13:\"))) and any(.checks[]; .id == \"relay.$t@ipv6\" and (.evidence.relayed | startswith(\"[2001:db8:ff::13]:\")))" \
			"relay.$t: the relayed address in each family"
	done
	lab_verdict relay.needed pass
	lab_verdict relay.needed@ipv6 pass
done
# The relay's name has no AAAA: over IPv6 it is not tested.
sed 's/^host = relay.lab.example/host = relay4.lab.example/; s/^name = .*/name = lab-relay4/' \
	"$LAB_ROOT/tests/lab/profiles/lab-relay-dual.ini" > "$LAB_TMP/lab-relay4.ini"
LAB_REACH=1 LAB_PROFILE=$LAB_TMP/lab-relay4.ini lab_check -6 --skip nat \
	--skip nat-layers --skip sip-alg --skip sip-size --skip reach-in \
	--turn-ca "$LAB_TMP/relay.pem"
for id in udp.out.3478 tcp.out.3478 tcp.out.443; do
	lab_expect "any(.checks[]; .id == \"reach.$id@ipv6\" and .verdict == \"skip\" and (.summary | contains(\"relay4.lab.example has no IPv6 address\")))" \
		"reach.$id@ipv6 is skip: the relay's name has no IPv6 address"
done
for t in udp tcp tls; do
	lab_expect "any(.checks[]; .id == \"relay.$t@ipv6\" and .verdict == \"skip\" and .evidence.failed == \"no address in this family\" and (.summary | contains(\"no IPv6 address\")))" \
		"relay.$t@ipv6 is skip: the relay's name has no IPv6 address"
done
lab_end
