# tests/lab/calls.sh - real calls through the lab, sourced after lib.sh.
#
# The harness that proves pinhole's advice: real SIP software from Debian
# on the network a scenario built, and each call's real outcome.
#   - kamailio is the provider's registrar, on its own internet address
#     (CALL_REGISTRAR, 203.0.113.20): usrloc in memory, nathelper storing
#     the phone's public address and port (fix_nated_register) and fixing
#     the Contact of its replies, min and max expires as asked, and an
#     INVITE for the phone relayed to the registered contact (480 when
#     there is none, 408 when the contact does not answer in 3 s).
#   - baresip is the phone, on the client behind the router: registers
#     over UDP with the re-register interval asked, answers every call,
#     sends a 440 Hz tone (ausine) and plays into an audio bridge, so no
#     sound card is needed.
#   - sipp is the caller, on 203.0.113.21: an INVITE to phone@registrar
#     (peers/sipp-call-uac.xml), every RTP packet that arrives echoed to
#     its sender (-rtp_echo), BYE after the call's length.  That is a far
#     end that latches (symmetric RTP).  With CALL_FAR_END=sdp it is one
#     that follows the SDP instead: the same call, but once answered it
#     streams PCMU to the address and port of the phone's answer (sipp's
#     rtp_stream, added before the pause) and echoes nothing.
#   - nftables counters in the router's forward chain count the RTP of
#     each call both ways, so a call's outcome is (final response to the
#     INVITE, RTP packets upstream, downstream): CALL_CODE, CALL_UP,
#     CALL_DOWN.  Media the caller sends to a private address
#     (192.168.0.0/16) is counted too, CALL_PRIVATE, and dropped.
# The server namespace loses its route to the LAN, as on the internet: the
# phone is reached only through the router's public address.  A packet
# for a private address goes toward the router's WAN as on the internet
# it goes nowhere: the router counts it at its WAN, before any NAT, and
# drops it (the internet does not route private addresses).  Every
# process runs by lab_spawn (ended by PID in the EXIT trap); every config
# is written into the scenario's temp dir.

# A real-call scenario runs the whole check, reachability included, with
# the lab's phones profile (the provider is the lab's internet side).
LAB_REACH=1
LAB_PROFILE=$LAB_ROOT/tests/lab/profiles/lab-phones.ini
CALL_REGISTRAR=203.0.113.20
CALL_CALLER=203.0.113.21
CALL_MEDIA_PORT=6000
CALL_SIP_PORT=5060
CALL_RTP_PORTS=10000-10020
CALL_KAMAILIO_MODULES=${CALL_KAMAILIO_MODULES:-/usr/lib/x86_64-linux-gnu/kamailio/modules}
CALL_BARESIP_MODULES=${CALL_BARESIP_MODULES:-/usr/lib/baresip/modules}

# call_profile_symmetric yes|no: the lab's phones profile with its
# symmetric-rtp set as the far end the calls will meet (yes: sipp echoes,
# the default; no: CALL_FAR_END=sdp), as LAB_PROFILE (a profile's file is
# named as the profile, so each in a directory of its own).
call_profile_symmetric() {
	local d=$LAB_TMP/symmetric-$1
	mkdir -p "$d"
	sed "s/^symmetric-rtp = .*/symmetric-rtp = $1/" \
		"$LAB_ROOT/tests/lab/profiles/lab-phones.ini" > "$d/lab-phones.ini"
	grep -q "^symmetric-rtp = $1\$" "$d/lab-phones.ini" ||
		{ echo "lab: lab-phones.ini has no symmetric-rtp line" >&2; exit 1; }
	LAB_PROFILE=$d/lab-phones.ini
}

# call_provider MIN_EXPIRES MAX_EXPIRES: the registrar and the caller's
# address on the internet side, and the RTP counters on the router.
call_provider() {
	local d=$LAB_TMP/kamailio
	mkdir -p "$d"
	ip -n "${LAB_PREFIX}server" addr add "$CALL_REGISTRAR/24" dev eth0
	ip -n "${LAB_PREFIX}server" addr add "$CALL_CALLER/24" dev eth0
	lab_exec server ip route del "$LAB_CLIENT_NET" 2>/dev/null || true
	lab_exec server ip route add 192.168.0.0/16 via 203.0.113.2
	cat > "$d/kamailio.cfg" <<-CFG
	#!KAMAILIO
	debug=2
	log_stderror=yes
	# One worker: the phone's 180 and 200 reach the caller in order.
	children=1
	auto_aliases=no
	listen=udp:$CALL_REGISTRAR:5060
	alias=$CALL_REGISTRAR
	mpath="$CALL_KAMAILIO_MODULES"
	loadmodule "tm.so"
	loadmodule "sl.so"
	loadmodule "rr.so"
	loadmodule "pv.so"
	loadmodule "maxfwd.so"
	loadmodule "textops.so"
	loadmodule "siputils.so"
	loadmodule "usrloc.so"
	loadmodule "registrar.so"
	loadmodule "nathelper.so"
	loadmodule "xlog.so"
	modparam("usrloc", "db_mode", 0)
	modparam("registrar", "min_expires", $1)
	modparam("registrar", "max_expires", $2)
	modparam("registrar", "default_expires", $2)
	modparam("registrar", "received_avp", "\$avp(RECEIVED)")
	modparam("nathelper", "received_avp", "\$avp(RECEIVED)")
	modparam("tm", "fr_timer", 3000)
	modparam("tm", "fr_inv_timer", 10000)
	request_route {
		if (!mf_process_maxfwd_header("10")) {
			sl_send_reply("483", "Too Many Hops");
			exit;
		}
		force_rport();
		if (has_totag()) {
			if (loose_route()) {
				t_relay();
				exit;
			}
			if (is_method("ACK") && t_check_trans())
				t_relay();
			exit;
		}
		if (is_method("CANCEL")) {
			if (t_check_trans())
				t_relay();
			exit;
		}
		if (is_method("REGISTER")) {
			if (nat_uac_test("19"))
				fix_nated_register();
			if (!save("location"))
				sl_reply_error();
			xlog("L_INFO", "registered \$fu from \$si:\$sp\n");
			exit;
		}
		if (is_method("INVITE")) {
			record_route();
			if (!lookup("location")) {
				xlog("L_INFO", "no binding for \$ru\n");
				sl_send_reply("480", "Temporarily Unavailable");
				exit;
			}
			xlog("L_INFO", "INVITE to \$ru via \$du\n");
			t_on_reply("NATED");
			t_relay();
			exit;
		}
		sl_send_reply("405", "Method Not Allowed");
	}
	onreply_route[NATED] {
		if (nat_uac_test("1"))
			fix_nated_contact();
	}
	CFG
	lab_spawn server "$d/kamailio.log" kamailio -f "$d/kamailio.cfg" -DD -E \
		-m 32 -M 4 -Y "$d"
	lab_wait_udp server "$CALL_REGISTRAR:5060" "$d/kamailio.log"
	lab_exec router nft -f - <<-NFT
	table ip phl_rtp {
		counter up { }
		counter down { }
		counter private { }
		chain count {
			type filter hook forward priority filter - 10; policy accept;
			iifname "lan" ip daddr $CALL_CALLER udp dport $CALL_MEDIA_PORT counter name "up"
			iifname "wan" ip saddr $CALL_CALLER meta l4proto udp counter name "down"
		}
		chain internet {
			type filter hook prerouting priority raw; policy accept;
			iifname "wan" ip saddr $CALL_CALLER ip daddr 192.168.0.0/16 counter name "private" drop
		}
	}
	NFT
}

# call_phone REGINT: a baresip phone (one at a time) that asks to
# re-register every REGINT seconds (the registrar's min and max expires
# decide), waited for until registered (10 s).  CALL_PHONE_PID and
# CALL_PHONE_LOG are its own.
call_phone() {
	CALL_PHONES=$((${CALL_PHONES:-0} + 1))
	local d=$LAB_TMP/baresip$CALL_PHONES
	mkdir -p "$d"
	cat > "$d/config" <<-CONF
	poll_method		epoll
	sip_listen		192.168.1.10:$CALL_SIP_PORT
	call_local_timeout	120
	audio_player		aubridge,phone
	audio_source		ausine,440
	ausrc_srate		48000
	ausrc_channels		2
	audio_alert		aubridge,alert
	rtp_ports		$CALL_RTP_PORTS
	rtp_stats		yes
	module_path		$CALL_BARESIP_MODULES
	module			g711.so
	module			ausine.so
	module			aubridge.so
	module_tmp		account.so
	module_app		menu.so
	CONF
	echo "<sip:phone@$CALL_REGISTRAR;transport=udp>;regint=$1;answermode=auto;audio_codecs=PCMU" \
		> "$d/accounts"
	: > "$d/contacts"
	CALL_PHONE_LOG=$d/baresip.log
	# Line-buffered, so that its log tells what happened when it happened.
	lab_spawn client "$CALL_PHONE_LOG" stdbuf -oL -eL baresip -f "$d"
	CALL_PHONE_PID=$LAB_PID
	call_wait_registered 1
}

# call_phone_stop: ends the phone (it unregisters) and waits for it.
call_phone_stop() {
	kill "$CALL_PHONE_PID" 2>/dev/null || true
	wait "$CALL_PHONE_PID" 2>/dev/null || true
}

# call_registrations: how many registrations of the phone succeeded.
call_registrations() {
	grep -c '} 200 OK' "$CALL_PHONE_LOG" 2>/dev/null || true
}

# call_wait_registered N: waits (10 s) for the phone's Nth successful
# registration.
call_wait_registered() {
	local i n
	for i in $(seq 100); do
		n=$(call_registrations)
		[ "${n:-0}" -ge "$1" ] && return 0
		sleep 0.1
	done
	echo "lab: the phone did not register:" >&2
	tail -20 "$CALL_PHONE_LOG" "$LAB_TMP/kamailio/kamailio.log" >&2
	exit 1
}

# call_binding_exists: the router holds the phone's SIP binding toward
# the registrar (192.168.1.10:5060 to its 5060).
call_binding_exists() {
	lab_exec router conntrack -L -p udp --orig-src 192.168.1.10 \
		--orig-dst "$CALL_REGISTRAR" --sport "$CALL_SIP_PORT" --dport 5060 \
		2>/dev/null | grep -q udp
}

# call_expect_binding yes|no 'what': asserts on the binding's presence.
call_expect_binding() {
	local have=no
	call_binding_exists && have=yes
	lab_checks=$((lab_checks + 1))
	if [ "$have" = "$1" ]; then
		echo "ok - $2"
	else
		echo "not ok - $2 (binding present: $have)"
		lab_failed=$((lab_failed + 1))
	fi
}

# call_binding_sample SECONDS: watches the router's connection table for
# the phone's SIP binding every 0.1 s; CALL_SAMPLES samples, CALL_ABSENT
# of them without the binding, CALL_GAP_MAX the longest absence in seconds.
call_binding_sample() {
	local end now gap_start="" gap
	CALL_SAMPLES=0 CALL_ABSENT=0 CALL_GAP_MAX=0
	end=$(($(date +%s%N) + $1 * 1000000000))
	while now=$(date +%s%N); [ "$now" -lt "$end" ]; do
		CALL_SAMPLES=$((CALL_SAMPLES + 1))
		if call_binding_exists; then
			if [ -n "$gap_start" ]; then
				gap=$(((now - gap_start) / 1000000))
				[ "$gap" -gt "$CALL_GAP_MAX" ] && CALL_GAP_MAX=$gap
				gap_start=""
			fi
		else
			CALL_ABSENT=$((CALL_ABSENT + 1))
			[ -z "$gap_start" ] && gap_start=$now
		fi
		sleep 0.1
	done
	CALL_GAP_MAX=$(printf '%d.%03d' $((CALL_GAP_MAX / 1000)) $((CALL_GAP_MAX % 1000)))
	echo "# binding absent in $CALL_ABSENT of $CALL_SAMPLES samples over $1 s, longest gap $CALL_GAP_MAX s"
}

# call_place SECONDS: one call from the caller to phone@registrar, SECONDS
# long when answered; sets CALL_CODE (the final response to the INVITE,
# or "none"), CALL_UP and CALL_DOWN (RTP packets through the router) and
# CALL_PRIVATE (the caller's packets toward a private address, dropped).
# The far end latches, or follows the SDP with CALL_FAR_END=sdp.
call_place() {
	local n=$((${CALL_N:-0} + 1)) log far
	CALL_N=$n
	log=$LAB_TMP/sipp-call$n.log
	lab_exec router nft reset counters table ip phl_rtp >/dev/null
	set +e
	if [ "${CALL_FAR_END:-echo}" = sdp ]; then
		# 0xff is PCMU's silence: 20 s of it, streamed in 20 ms packets.
		head -c 160000 /dev/zero | tr '\0' '\377' > "$LAB_TMP/stream.pcmu"
		sed 's|^  <pause/>|  <nop><action><exec rtp_stream="stream.pcmu,-1,0"/></action></nop>\n&|' \
			"$LAB_ROOT/tests/lab/peers/sipp-call-uac.xml" > "$LAB_TMP/sipp-call-uac-sdp.xml"
		far=(-sf "$LAB_TMP/sipp-call-uac-sdp.xml")
	else
		far=(-sf "$LAB_ROOT/tests/lab/peers/sipp-call-uac.xml" -rtp_echo)
	fi
	# sipp opens the stream's file relative to its working directory.
	lab_exec server env -C "$LAB_TMP" timeout $(($1 + 30)) sipp "${far[@]}" \
		-i "$CALL_CALLER" -p 5060 -mi "$CALL_CALLER" -mp "$CALL_MEDIA_PORT" \
		-s phone -d "$(($1 * 1000))" -m 1 -l 1 -nostdin -timeout $(($1 + 25))s \
		-trace_logs -log_file "$log" -trace_err -error_file "$LAB_TMP/sipp-call$n.err" \
		-trace_msg -message_file "$LAB_TMP/sipp-call$n.msg" \
		"$CALL_REGISTRAR:5060" > "$LAB_TMP/sipp-call$n.out" 2>&1
	set -e
	CALL_CODE=$(sed -n 's/^final \([0-9]*\).*/\1/p' "$log" 2>/dev/null | head -1)
	CALL_CODE=${CALL_CODE:-none}
	CALL_UP=$(call_counter up)
	CALL_DOWN=$(call_counter down)
	CALL_PRIVATE=$(call_counter private)
	echo "# call $n: $CALL_CODE, RTP up $CALL_UP, down $CALL_DOWN, to a private address $CALL_PRIVATE"
	CALL_OUTCOMES="${CALL_OUTCOMES:+$CALL_OUTCOMES; }$CALL_CODE up $CALL_UP down $CALL_DOWN"
	[ "$CALL_PRIVATE" -gt 0 ] && CALL_OUTCOMES="$CALL_OUTCOMES private $CALL_PRIVATE"
	[ "$CALL_CODE" = 200 ] && CALL_ANSWERED=$((${CALL_ANSWERED:-0} + 1))
	return 0
}

call_counter() {
	lab_exec router nft -j list counter ip phl_rtp "$1" |
		jq '.nftables[] | select(.counter) | .counter.packets'
}

# call_expect_answered 'what': the last call was answered (200) and at
# least MIN (default 100) RTP packets crossed the router each way.
call_expect_answered() {
	local min=${2:-100}
	lab_checks=$((lab_checks + 1))
	if [ "$CALL_CODE" = 200 ] && [ "$CALL_UP" -ge "$min" ] && [ "$CALL_DOWN" -ge "$min" ]; then
		echo "ok - $1: 200, RTP up $CALL_UP, down $CALL_DOWN"
	else
		echo "not ok - $1: $CALL_CODE, RTP up $CALL_UP, down $CALL_DOWN (wanted 200, >= $min each way)"
		call_show_logs
		lab_failed=$((lab_failed + 1))
	fi
}

# call_expect_missed 'what': the last call never reached the phone: the
# registrar answered 408 or 480, and no RTP flowed.
call_expect_missed() {
	lab_checks=$((lab_checks + 1))
	case $CALL_CODE in
	408|480)
		if [ "$CALL_UP" -eq 0 ] && [ "$CALL_DOWN" -eq 0 ]; then
			echo "ok - $1: $CALL_CODE, no RTP"
			return 0
		fi ;;
	esac
	echo "not ok - $1: $CALL_CODE, RTP up $CALL_UP, down $CALL_DOWN (wanted 408 or 480, no RTP)"
	call_show_logs
	lab_failed=$((lab_failed + 1))
}

# call_expect_one_way 'what' [MIN]: the last call was answered (200), at
# least MIN (100) RTP packets went up, none came down, and at least MIN
# left the caller toward a private address: the phone hears nothing.
call_expect_one_way() {
	local min=${2:-100}
	lab_checks=$((lab_checks + 1))
	if [ "$CALL_CODE" = 200 ] && [ "$CALL_UP" -ge "$min" ] && [ "$CALL_DOWN" -eq 0 ] &&
	   [ "$CALL_PRIVATE" -ge "$min" ]; then
		echo "ok - $1: 200, RTP up $CALL_UP, down 0, $CALL_PRIVATE toward a private address"
	else
		echo "not ok - $1: $CALL_CODE, RTP up $CALL_UP, down $CALL_DOWN, toward a private address $CALL_PRIVATE (wanted 200, >= $min up, 0 down, >= $min toward a private address)"
		call_show_logs
		lab_failed=$((lab_failed + 1))
	fi
}

# call_alg_agrees ID [MIN]: what sip-alg check ID states of calls
# (evidence.calls and the summary's sentence) against what the last call
# did: answered with at least MIN (100) RTP packets each way is "work"
# (or "depend" on a wrong Content-Length alone: the lab's registrar and
# far end let one pass); answered with media up and none down is one-way
# audio; anything else (not answered, or answered without media up) is a
# call not set up: "break", with "no-media" or "missed-calls".  A call
# that contradicts the statement is a disagreement.
call_alg_agrees() {
	local id=$1 min=${2:-100} real want said why
	if [ "$CALL_CODE" = 200 ] && [ "$CALL_UP" -ge "$min" ] && [ "$CALL_DOWN" -ge "$min" ]; then
		real="heard both ways"
		want='(.evidence.calls | .outcome == "work" or .outcome == "features" or (.outcome == "depend" and .symmetric_rtp != null and (.changes | index("content-length")) != null)) and (.summary | test("calls can work through it|calls are heard both ways|lets that pass|calls are set up through it"))'
	elif [ "$CALL_CODE" = 200 ] && [ "$CALL_UP" -ge "$min" ] && [ "$CALL_DOWN" -eq 0 ]; then
		real="one-way audio: the phone heard nothing"
		want='.evidence.calls.outcome == "break" and (.evidence.calls.breaks | index("one-way-audio") != null) and (.summary | contains("calls break through it") and contains("one-way audio"))'
	else
		real="not set up"
		want='.evidence.calls.outcome == "break" and (.evidence.calls.breaks | index("no-media") != null or index("missed-calls") != null) and (.summary | contains("calls break through it"))'
	fi
	why=$(lab_json_problem "$LAB_JSON")
	if [ -n "$why" ]; then
		call_disagrees "$id: no report to compare call $CALL_N with ($why)"
		return 0
	fi
	said=$(jq -r --arg id "$id" '.checks[] | select(.id == $id) | "\(.evidence.calls | tostring) \"\(.summary)\""' "$LAB_JSON")
	if jq -e --arg id "$id" "[.checks[] | select(.id == \$id) | $want] == [true]" "$LAB_JSON" >/dev/null; then
		call_agreed "$id states what call $CALL_N did ($real: $CALL_CODE, RTP up $CALL_UP, down $CALL_DOWN)"
	else
		call_disagrees "$id states $said; call $CALL_N: $real ($CALL_CODE, RTP up $CALL_UP, down $CALL_DOWN, toward a private address $CALL_PRIVATE)"
	fi
}

# call_answer_length: "CONTENT-LENGTH BODY-BYTES" of the first answer
# with a body the caller received in the last call (sipp's message log:
# the datagram's size, less its headers).
call_answer_length() {
	python3 - "$LAB_TMP/sipp-call$CALL_N.msg" <<-'PY'
	import re, sys
	t = open(sys.argv[1], 'rb').read()
	for m in re.finditer(rb'UDP message received \[(\d+)\] bytes :\n\n', t):
	    msg = t[m.end():]
	    h = msg.find(b'\r\n\r\n')
	    cl = re.search(rb'(?im)^(?:content-length|l)[ \t]*:[ \t]*(\d+)', msg[:max(h, 0)])
	    if msg.startswith(b'SIP/2.0 ') and h > 0 and cl and int(cl.group(1)) > 0:
	        print(int(cl.group(1)), int(m.group(1)) - h - 4)
	        break
	PY
}

# call_show_logs: the peers' last lines; a log that is missing (sipp
# writes its error file only on an error) must not end the scenario
# under pipefail before its verdict.
call_show_logs() {
	echo "    sipp:"; { tail -5 "$LAB_TMP/sipp-call$CALL_N.err" 2>/dev/null || true; } | sed 's/^/      /'
	echo "    kamailio:"; { tail -5 "$LAB_TMP/kamailio/kamailio.log" 2>/dev/null || true; } | sed 's/^/      /'
	echo "    baresip:"; { grep -v '^\[' "$CALL_PHONE_LOG" 2>/dev/null || true; } | tail -12 | sed 's/^/      /'
}

# call_agrees 'JQ' 'what': pinhole's prediction agrees with the calls;
# asserted on the report like any lab expectation.
call_agrees() {
	lab_expect "$1" "pinhole agrees: $2"
}

# call_disagrees 'what': pinhole's advice contradicts the real calls: a
# failed expectation, "not ok - disagrees: SCENARIO: what".  Advice that
# a real call refutes costs a user an afternoon; the scenario fails.
call_disagrees() {
	CALL_DISAGREEMENTS=$((${CALL_DISAGREEMENTS:-0} + 1))
	lab_checks=$((lab_checks + 1))
	lab_failed=$((lab_failed + 1))
	echo "not ok - disagrees: $LAB_NAME: $1"
}

# call_agreed 'what': one expectation met about pinhole's advice
# against the real calls (the counterpart of call_disagrees).
call_agreed() {
	lab_checks=$((lab_checks + 1))
	echo "ok - pinhole agrees: $1"
}

# call_no_false_open: on a router that forwards nothing, no port may be
# reported open by reach.udp.in (a port left open by pinhole's own traffic
# is a false open).
call_no_false_open() {
	local open
	if ! jq -e 'any(.checks[]; (.id | startswith("reach.udp.in.")) and .verdict != "skip")' "$LAB_JSON" >/dev/null; then
		echo "# reach.udp.in did not run: no false open to look for"
		return 0
	fi
	open=$(jq -r '.checks[] | select(.id | startswith("reach.udp.in.")) | .evidence.open // ""' "$LAB_JSON")
	if [ -n "$open" ]; then
		call_disagrees "reach.udp.in lists ports open on a router that forwards nothing: $open"
	else
		call_agreed "reach.udp.in lists no port open on a router that forwards nothing"
	fi
}

# call_reach_in_bound: where reach.udp.in fails on a router that forwards
# nothing although registered calls arrived, the remedy must say that
# calls still arrive through the binding the registration keeps open.
call_reach_in_bound() {
	local id remedy
	[ "${CALL_ANSWERED:-0}" -gt 0 ] || return 0
	id=$(jq -r '.checks[] | select((.id | startswith("reach.udp.in.")) and .verdict == "fail") | .id' "$LAB_JSON" | head -1)
	[ -n "$id" ] || return 0
	remedy=$(call_remedy "$id")
	case $remedy in
	*binding*) call_agreed "$id's remedy says calls arrive through the phone's own binding" ;;
	*) call_disagrees "$id fail, remedy \"$remedy\"; but registered calls arrived through the phone's own binding ($CALL_OUTCOMES): unsolicited inbound UDP is blocked, calls depend on the binding (UDP timeout, keepalive), a forward from the provider's ranges would make them independent of both" ;;
	esac
}

# call_keepalive_advice: the keepalive or re-register interval that
# udp-timeout's remedy recommends, in seconds ("" for none).
call_keepalive_advice() {
	call_remedy udp-timeout | grep -oE '[0-9]+ s or less' | head -1 | grep -oE '^[0-9]+' || true
}

# call_remedy ID: the remedy pinhole gave for check ID ("" for none).
call_remedy() {
	jq -r --arg id "$1" '.checks[] | select(.id == $id) | .remedy // ""' "$LAB_JSON"
}

# call_row: the scenario's line of the table of real calls against
# pinhole's prediction: scenario | real outcome (final response, RTP
# packets up and down, per call) | verdicts of the sip-alg, udp-timeout,
# reach.udp.in and nat checks | their remedies.
call_row() {
	local sel='.checks[] | select(.id | test("^(sip-alg\\.|udp-timeout$|reach\\.udp\\.in\\.|nat\\.)"))'
	local verdicts remedies
	verdicts=$(jq -r "[$sel] | group_by(.verdict) | map(\"\(.[0].verdict): \(map(.id) | join(\" \"))\") | join(\"; \")" "$LAB_JSON")
	remedies=$(jq -r "[$sel | select(.remedy != null and .remedy != \"\") | \"\(.id): \(.remedy)\"] | join(\" / \")" "$LAB_JSON")
	echo "| $LAB_NAME | ${CALL_OUTCOMES:-no call} | $verdicts | ${remedies:-none} |"
}

# call_end: the table row, the count of disagreements, and lab_end.
call_end() {
	call_row
	echo "# $LAB_NAME: ${CALL_DISAGREEMENTS:-0} disagreements with pinhole's advice"
	lab_end
}
