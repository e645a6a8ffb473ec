#!/usr/bin/env bash
# Ground truth: the closed loop on a dual-stack site with iptables.  The
# router's IPv4 masquerade and IPv6 stateful firewall are built with
# iptables and ip6tables; pinhole config's iptables file is loaded, its
# IPv6 part ("#6 " lines) with ip6tables-restore; then the checks pass over
# IPv4 and over IPv6 (see lab_config_loop_dual).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_config_loop_dual iptables iptables
