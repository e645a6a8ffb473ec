#!/usr/bin/env bash
# Ground truth: the closed loop on a dual-stack site with nftables.  A router
# that masquerades IPv4 and runs the stateful IPv6 firewall of home
# gateways fails inbound in both families; pinhole config's nftables
# ruleset for the site's IPv4 and IPv6 LANs is loaded; then the checks pass
# over IPv4 and over IPv6, IPv6 reached through firewall accepts, no NAT
# (see lab_config_loop_dual).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_config_loop_dual nftables nft
