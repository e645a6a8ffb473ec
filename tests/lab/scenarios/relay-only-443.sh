#!/usr/bin/env bash
# Ground truth: a masquerading NAT whose router lets out TCP to port 443
# alone (and the replies); the provider's relay (coturn) on 203.0.113.13,
# given on the command line with static credentials, the password in the
# environment.  Direct media fails; the relay over UDP fails at allocate
# with no answer, over TCP 3478 at connect with no answer; TLS on 443
# carries the test call both ways, and relay.needed says a relay is
# needed.  The password is in neither the report nor the verbose log.
# Three runs in a row.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin relay-only-443
lab_topology nat
lab_router_nat
lab_relay_setup
lab_lan_only_443
export PINHOLE_TURN_PASSWORD=$LAB_TURN_PASS
for run in 1 2 3; do
	echo "# run $run"
	LAB_RELAY_PROFILE=lab-media lab_relay_check -v \
		--turn "turn:$LAB_RELAY?transport=udp" --turn "turn:$LAB_RELAY?transport=tcp" \
		--turn "turns:$LAB_RELAY:443" --turn-user "$LAB_TURN_USER"
	lab_verdict media.rtp fail
	lab_relay relay.udp fail "no answer" allocate
	lab_relay relay.tcp fail "no answer" connect
	lab_relay relay.tls pass
	lab_expect '(.checks[] | select(.id == "relay.tls") | .evidence.credentials == "command line" and .evidence.relayed != null)' \
		"relay.tls used the command line's credentials and got a relay address"
	lab_verdict relay.needed warn
	lab_checks=$((lab_checks + 1))
	if grep -qF -- "$LAB_TURN_PASS" "$LAB_JSON" "$LAB_TMP/check.err" ||
		grep -qF -- "$LAB_TURN_USER" "$LAB_JSON" "$LAB_TMP/check.err"; then
		echo "not ok - the credentials are in the report or the log"
		lab_failed=$((lab_failed + 1))
	elif ! grep -q "relay" "$LAB_TMP/check.err"; then
		echo "not ok - the verbose log says nothing of the relays (nothing to search)"
		lab_failed=$((lab_failed + 1))
	else
		echo "ok - the credentials are in neither the report nor the verbose log"
	fi
done
lab_end
