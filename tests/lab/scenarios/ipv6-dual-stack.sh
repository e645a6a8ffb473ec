#!/usr/bin/env bash
# Ground truth: a dual-stack site, as most broadband lines are now.  IPv4
# masqueraded (one NAT); IPv6 routed, no NAT, behind the stateful firewall
# home gateways ship (RFC 6092).  pbx.lab.example has an A and an AAAA
# record in the lab's DNS.  pinhole check pbx.lab.example tests both
# families, one after the other: a NAT over IPv4 and none over IPv6, the
# filtering address-and-port dependent and inbound UDP and TCP blocked in
# both, media both ways in both, hairpinning only a question over IPv4; so
# the families agree on what a phone needs (dual-stack passes).  With
# IPv6's media range dropped, dual-stack warns that media works only over
# IPv4.  The same
# verdicts side by side in JSON, HTML and text, on 3 runs.  -4 and -6 test
# one family and say why not the other; a client with no IPv4 address
# tests IPv6 and says IPv4 was not tested for want of an address.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin ipv6-dual-stack
lab_topology nat
lab_router_nat
lab_ipv6
lab_router_fw6
lab_dns pbx.lab.example=203.0.113.10 pbx.lab.example=2001:db8:ff::10
lab_pinholed
LAB_PROFILE=$LAB_ROOT/tests/lab/profiles/lab-phones.ini
LAB_REACH=1
LAB_SERVER=pbx.lab.example
# What tells the families apart; the rest adds nothing here.
skip=(--skip reach --skip sip-alg --skip sip-size)
html=$LAB_TMP/report.html

# ID4 VERDICT4 VERDICT6: the requirement's verdict in each family.
both() {
	lab_expect "any(.checks[]; .id == \"$1\" and .verdict == \"$2\") and any(.checks[]; .id == \"$1@ipv6\" and .verdict == \"$3\")" \
		"json: $1 is $2 over IPv4, $3 over IPv6"
}

# ID VERDICT4 VERDICT6: the HTML summary's row of the requirement.
html_row() {
	local got
	got=$(python3 - "$html" "$1" <<-'PY'
	import re, sys
	page = open(sys.argv[1]).read()
	row = re.search(r'<tr data-requirement="%s">(.*?)</tr>' % re.escape(sys.argv[2]), page)
	cells = [re.search(r'chip-(\w+)', c).group(1) if 'chip-' in c else '-' for c in
	         re.findall(r'<td data-family="ipv[46]">(.*?)</td>', row.group(1))] if row else []
	print(' '.join(cells))
	PY
	)
	lab_expect "\"$got\" == \"$2 $3\"" "html: $1 is $2 over IPv4, $3 over IPv6, one row"
}

# ID VERDICT4 VERDICT6: the text summary's row, "  PASS WARN id".
text_row() {
	local tag4 tag6
	tag4=$(echo "$2" | tr a-z A-Z) tag6=$(echo "$3" | tr a-z A-Z)
	lab_text_expect "grep -Eq '^  $tag4 $tag6 ${1//./\\.}( |\$)' \"\$LAB_TEXT\"" \
		"text: $1 is $tag4 over IPv4, $tag6 over IPv6, one row"
}

for run in 1 2 3; do
	echo "# run $run"
	lab_check "${skip[@]}" --html "$html"
	lab_expect '.families.ipv4.tested and .families.ipv6.tested and .families.ipv4.server_address == "203.0.113.10" and .families.ipv6.server_address == "2001:db8:ff::10"' \
		"both families tested, each against its own address of the name"
	lab_expect 'any(.checks[]; .id == "nat.present" and .evidence.nat == true) and any(.checks[]; .id == "nat.present@ipv6" and .evidence.nat == false and (.summary | startswith("no NAT")))' \
		"json: a NAT over IPv4, none over IPv6"
	both nat.filtering warn warn
	lab_behavior nat.filtering@ipv6 address-and-port-dependent warn
	both nat.hairpin warn skip
	both reach.udp.in.1-65535 fail fail
	both reach.tcp.in.5060-5066 fail fail
	both media.rtp pass pass
	lab_verdict dual-stack pass
	lab_expect 'any(.checks[]; .id == "reach.udp.in.1-65535@ipv6" and (.remedy | contains("admits the provider'"'"'s IPv6 ranges to the phones")) and (.remedy | test("port forward|1:1 NAT") | not)) and any(.checks[]; .id == "reach.udp.in.1-65535" and (.remedy | contains("port forward")))' \
		"remedies per family: a forward over IPv4, the provider's IPv6 ranges admitted over IPv6"
	html_row nat.filtering warn warn
	html_row nat.hairpin warn skip
	html_row reach.udp.in.1-65535 fail fail
	html_row media.rtp pass pass
	lab_check_text "${skip[@]}"
	lab_text_expect 'grep -q "IPv4 tested (server 203.0.113.10" "$LAB_TEXT" && grep -q "IPv6 tested (server 2001:db8:ff::10" "$LAB_TEXT"' \
		"text: both families tested, with their addresses"
	text_row nat.filtering warn warn
	text_row nat.hairpin warn skip
	text_row reach.udp.in.1-65535 fail fail
	text_row media.rtp pass pass
done

echo "# IPv6 drops what the LAN sends to the media range: the families disagree"
lab_exec router nft insert rule ip6 phl_fw6 forward iifname lan udp dport 10000-20000 drop
lab_check "${skip[@]}" --skip reach-in
both media.rtp pass fail
lab_expect 'any(.checks[]; .id == "dual-stack" and .verdict == "warn" and (.summary | startswith("media works only over IPv4: a phone that signals over IPv6 gets calls without audio")) and (.remedy | contains("Make IPv6 meet the profile as IPv4 does")) and (.evidence.works.media == {"ipv4": true, "ipv6": false}))' \
	"dual-stack warns: media works only over IPv4, with a remedy"
lab_exec router nft delete table ip6 phl_fw6
lab_router_fw6

echo "# -4 and -6"
lab_check "${skip[@]}" --skip reach-in -4
lab_expect '.families.ipv4.tested and (.families.ipv6.tested | not) and .families.ipv6.why == "-4 given" and ([.checks[].id | select(endswith("@ipv6"))] == [])' \
	"-4: IPv4 alone, IPv6 not tested: -4 given"
lab_verdict media.rtp pass
lab_check "${skip[@]}" --skip reach-in -6
lab_expect '.families.ipv6.tested and (.families.ipv4.tested | not) and .families.ipv4.why == "-6 given" and ([.checks[].id | select(endswith("@ipv6") | not)] == [])' \
	"-6: IPv6 alone, IPv4 not tested: -6 given"
lab_verdict media.rtp@ipv6 pass

echo "# a client with IPv6 only"
ip -n "${LAB_PREFIX}client" -4 addr flush dev eth0
lab_check "${skip[@]}" --skip reach-in
lab_expect '.families.ipv6.tested and (.families.ipv4.tested | not) and .families.ipv4.why == "no global IPv4 address"' \
	"IPv6 only: IPv4 not tested, for want of an IPv4 address"
lab_verdict media.rtp@ipv6 pass
lab_check_text "${skip[@]}" --skip reach-in
lab_text_expect 'grep -q "IPv4 not tested: no global IPv4 address" "$LAB_TEXT"' \
	"text: IPv4 not tested, and why"
lab_end
