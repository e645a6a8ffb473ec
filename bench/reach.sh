#!/usr/bin/env bash
# bench/reach.sh: how long a full reachability run of the IP phones profile
# (the lab's form of it, tests/lab/profiles/lab-phones.ini: inbound UDP
# 1-65535 and TCP 5060-5066, outbound SIP over UDP and TCP and STUN) takes
# on an open path and on a path that silently drops every probe, and how
# long the inbound sweep of 65535 UDP ports takes.  Exits 1 when the open
# run takes 5 s or more, the dropped run 10 s or more, or the sweep 5 s or
# more.
set -euo pipefail
. "$(dirname "$0")/../tests/lab/lib.sh"
LAB_PROFILE=$LAB_ROOT/tests/lab/profiles/lab-phones.ini
LAB_REACH=1
bad=0

reach_run() {	# reach_run LABEL MAX_S
	local total sweep ports
	lab_check --skip nat --skip nat-layers --skip sip-alg --skip sip-size --skip media
	total=$(jq '.duration_s' "$LAB_JSON")
	sweep=$(jq '.checks[] | select(.id == "reach.udp.in.1-65535") | .duration_s' "$LAB_JSON")
	ports=$(jq -r '[.checks[] | select(.id | startswith("reach.")) | "\(.id)=\(.verdict)"] | join(" ")' "$LAB_JSON")
	printf '%-13s %8s %10s   %s\n' "$1" "$total" "$sweep" "$ports"
	awk -v t="$total" -v m="$2" -v s="$sweep" 'BEGIN { exit !(t < m && s < 5) }' ||
		bad=$((bad + 1))
}

lab_begin bench-reach
lab_topology nat
lab_router_forward 203.0.113.10
lab_pinholed
printf '%-13s %8s %10s   %s\n' path total_s sweep_s verdicts
reach_run open 5
lab_exec router nft flush ruleset
lab_router_nat
lab_exec router nft -f - <<-NFT
table ip phl_drop {
	chain forward {
		type filter hook forward priority filter; policy accept;
		ct state established,related accept
		iifname "lan" meta l4proto { udp, tcp } th dport { 3478-3479, 5060-5066 } drop
		iifname "wan" drop
	}
}
NFT
lab_exec router conntrack -F >/dev/null 2>&1 || true
reach_run dropped 10
[ "$bad" -eq 0 ]
