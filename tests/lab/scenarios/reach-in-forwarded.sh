#!/usr/bin/env bash
# Ground truth: the router forwards inbound UDP and TCP from the provider's
# address 203.0.113.10 only to the phone, and drops 2% of that UDP at
# random.  Every UDP port comes out open (the lost ones are asked for
# again), every TCP port open, and a sample from 203.0.113.11, outside the
# profile's source ranges, is kept out.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
LAB_REACH=1
lab_begin reach-in-forwarded
lab_topology nat
lab_router_forward 203.0.113.10 2
lab_pinholed
LAB_PROFILE=$LAB_ROOT/tests/lab/profiles/lab-inbound.ini
lab_check --skip nat --skip nat-layers
lab_reach reach.udp.in.1-65535 pass 1-65535 ""
lab_reach reach.tcp.in.5060-5066 pass 5060-5066 ""
lab_expect '(.checks[] | select(.id == "reach.udp.in.1-65535") | .evidence | .passes >= 2 and .source_in_ranges == true and .outside_source.address == "203.0.113.11" and .outside_source.arrived == 0)' \
	"lost datagrams are asked for again; the outside source is kept out"
lab_expect '(.checks[] | select(.id == "reach.udp.in.1-65535") | .duration_s) < 5' \
	"the sweep of 65535 ports took under 5 s"
lab_end
