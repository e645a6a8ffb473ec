#!/usr/bin/env bash
# One session cannot hold descriptors without bound through CONNECT: at most
# session-connects (64 by default) are in flight, the rest get 429 at once.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
srv_start
# Port 9 of the client's address never answers a SYN, so connects hang.
ip netns exec "$SRV_NS" nft -f - <<'NFT'
table inet phs_blackhole {
	chain output {
		type filter hook output priority filter; policy accept;
		ip daddr 127.0.0.2 tcp dport 9 drop
	}
}
NFT
srv_py abuse.py connect_cap 300 64 "$srv_pid"
