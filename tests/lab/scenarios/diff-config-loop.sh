#!/usr/bin/env bash
# pinhole diff names what pinhole config's rules fixed.  A broken router
# (SIP ALG on 5060 over UDP and TCP, UDP timeouts of 10 s, port 5062
# closed) is checked, the nftables configuration pinhole config writes from
# that report is loaded, the check runs again, and pinhole diff of the two
# reports says exactly this: nothing worse; the ALG gone on 5060 with the
# elements it rewrote; 5062 opened; the binding lifetimes past the
# measurement; and no requirement changed that the rules do not touch.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
LAB_PROFILE=$LAB_ROOT/tests/lab/profiles/lab-phones.ini
LAB_REACH=1
lab_begin diff-config-loop
lab_topology nat
lab_broken_router nft
lab_pinholed
lab_check --udp-timeout-max 45
cp "$LAB_JSON" "$LAB_TMP/before.json"
"$PINHOLE" config --profile "$LAB_PROFILE" --format nftables \
	--lan "$LAB_CLIENT_NET" --wan wan --forward 192.168.1.10 \
	--report "$LAB_TMP/before.json" > "$LAB_TMP/pinhole.nft" 2>/dev/null
lab_apply_config "$LAB_TMP/pinhole.nft" nft
lab_check --udp-timeout-max 45
cp "$LAB_JSON" "$LAB_TMP/after.json"

set +e
"$PINHOLE" diff "$LAB_TMP/before.json" "$LAB_TMP/after.json" --no-color \
	> "$LAB_TMP/diff.txt"
diff_status=$?
"$PINHOLE" diff "$LAB_TMP/before.json" "$LAB_TMP/after.json" --json \
	> "$LAB_TMP/diff.json"
"$PINHOLE" diff "$LAB_TMP/after.json" "$LAB_TMP/before.json" --json \
	> "$LAB_TMP/back.json"
back_status=$?
set -e
sed 's/^/# | /' "$LAB_TMP/diff.txt"
LAB_JSON=$LAB_TMP/diff.json
lab_expect ".schema == \"pinhole.diff/1\" and .worse == false and $diff_status == 0" \
	"diff: nothing got worse, exit 0"
lab_expect '.counts.worse == 0 and .counts.changed == 0 and .counts.unmeasured == 0 and .counts.added == 0 and .counts.removed == 0' \
	"diff: no other kind of change"
lab_expect '[.checks[] | select(.change == "better") | .id] | sort ==
	(["nat.filtering", "nat.hairpin", "reach.tcp.in.5060-5066",
	  "reach.tcp.out.5060-5066", "reach.udp.in.1-65535",
	  "reach.udp.out.5060-5066", "sip-alg.tcp.5060", "sip-alg.tcp.5062",
	  "sip-alg.udp.5060", "sip-alg.udp.5062", "sip.udp-size",
	  "udp-timeout"] | sort)' \
	"diff: exactly the requirements the rules fixed got better"
for t in udp tcp; do
	lab_expect "[.checks[] | select(.id == \"sip-alg.$t.5060\") | .facts[] |
		select(.what == \"SIP ALG\") | [.before, .after]] == [[\"on the path\", \"gone\"]]" \
		"diff: the SIP ALG on $t 5060 gone"
	lab_expect "[.checks[] | select(.id == \"sip-alg.$t.5060\") | .facts[] |
		select(.what == \"outbound no longer rewritten\") | .after | split(\", \") |
		contains([\"Via\", \"Contact\"])] == [true]" \
		"diff: the elements the ALG rewrote on $t 5060 named"
	lab_expect "[.checks[] | select(.id == \"reach.$t.out.5060-5066\") | .facts[] |
		select(.direction == \"better\") | [.what, .after]] == [[\"ports opened\", \"5062\"]]" \
		"diff: $t 5062 opened outbound, and nothing else"
done
lab_expect '[.checks[] | select(.id == "udp-timeout") | .facts[] | [.what, .before, .after]] ==
	[["established timeout", "10 s", "over 45 s"], ["unreplied timeout", "10 s", "over 45 s"]]' \
	"diff: the binding lifetimes from 10 s to past the measurement"
lab_expect '[.checks[].facts[] | select(.direction == "worse")] == []' \
	"diff: no fact got worse"
LAB_JSON=$LAB_TMP/back.json
lab_expect ".worse == true and .counts.worse == 12 and $back_status == 1" \
	"diff backwards: the same 12 got worse, exit 1"
lab_end
