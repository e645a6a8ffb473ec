#!/usr/bin/env bash
# bench/reach.sh: how long a full reachability run of the IP phones profile
# (the lab's form of it, tests/lab/profiles/lab-phones.ini: inbound UDP
# 1-65535 and TCP 5060-5066, outbound SIP over UDP and TCP and STUN) takes
# on an open path and on a path that silently drops every probe, and how
# long the inbound sweep of 65535 UDP ports takes.  Targets
# (bench/figures.sh: a miss exits 10, a broken run 1): the open run under
# 5 s, the dropped run under 10 s, each sweep under 5 s.
set -euo pipefail
. "$(dirname "$0")/../tests/lab/lib.sh"
. "$(dirname "$0")/figures.sh"
LAB_PROFILE=$LAB_ROOT/tests/lab/profiles/lab-phones.ini
LAB_REACH=1
targets=()

reach_run() {	# reach_run LABEL MAX_S
	local total sweep ports
	lab_check --skip nat --skip nat-layers --skip sip-alg --skip sip-size --skip media
	[ "$lab_failed" -eq 0 ] || bench_finish
	total=$(jq '.duration_s' "$LAB_JSON")
	sweep=$(jq '.checks[] | select(.id == "reach.udp.in.1-65535") | .duration_s' "$LAB_JSON")
	bench_num "total_s ($1)" "$total"
	bench_num "sweep_s ($1)" "$sweep"
	ports=$(jq -r '[.checks[] | select(.id | startswith("reach.")) | "\(.id)=\(.verdict)"] | join(" ")' "$LAB_JSON")
	printf '%-13s %8s %10s   %s\n' "$1" "$total" "$sweep" "$ports"
	targets+=("$1|$total|$2|$sweep")
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
for x in "${targets[@]}"; do
	IFS='|' read -r label total max sweep <<< "$x"
	bench_target "reachability run on the $label path, total_s" "$total" "<" "$max"
	bench_target "inbound sweep of 1-65535 on the $label path, sweep_s" "$sweep" "<" 5
done
bench_finish
