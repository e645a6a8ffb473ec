#!/usr/bin/env bash
# A dual-stack pinholed (two IPv4 and two IPv6 listen addresses, IPv4
# first, the IPv6 pair after) serves RFC 5780 in each family: OTHER-ADDRESS
# and CHANGE-REQUEST use the family's own second address.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
srv_ns
ip -n "$SRV_NS" addr add 127.0.0.2/8 dev lo
ip -n "$SRV_NS" addr add 2001:db8::1/64 dev lo nodad
ip -n "$SRV_NS" addr add 2001:db8::2/64 dev lo nodad
SRV_SERVER_EXTRA="listen = 127.0.0.2
listen = 2001:db8::1
listen = 2001:db8::2"
srv_start
st=0
srv_py stun5780pair.py 127.0.0.1 127.0.0.2 || st=1
srv_py stun5780pair.py 2001:db8::1 2001:db8::2 || st=1
srv_stop || st=1
exit "$st"
