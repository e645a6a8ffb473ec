#!/usr/bin/env bash
# Ground truth: one router, two families, two sets of UDP timeouts: IPv4
# through the masquerade keeps a flow with no reply 12 s and a two-way one
# 40 s (the conntrack sysctls); IPv6 through the stateful firewall keeps
# them 8 s and 24 s (an ip6 ct timeout policy).  A check over each family
# must measure that family's own, on every port.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin ipv6-udp-timeout
lab_topology nat
lab_router_nat
lab_ipv6
lab_router_fw6
lab_udp_timeout 12 40
lab_ct_timeout6 8 24
lab_pinholed
lab_check --udp-timeout-max 50 --skip sip-alg --skip sip-size --skip media
lab_udp_port 3478 12 40
lab_udp_port 5060 12 40
LAB_SERVER="[$LAB_SERVER6]"
lab_check --udp-timeout-max 50 --skip sip-alg --skip sip-size --skip media
lab_udp_port 3478 8 24 udp-timeout@ipv6
lab_udp_port 5060 8 24 udp-timeout@ipv6
lab_expect '(.checks[] | select(.id == "udp-timeout@ipv6") | .remedy) | contains("every 6 s")' \
	"over IPv6, the keepalive fits the IPv6 flow's lifetime (8 s)"
lab_end
