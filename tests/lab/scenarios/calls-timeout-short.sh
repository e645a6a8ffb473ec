#!/usr/bin/env bash
# Real calls through a NAT with UDP timeouts of 10 s (unreplied) and 15 s
# (established), no ALG, and a registrar that lets the phone choose its
# interval (min_expires 5 s).  Ground truth: each registration keeps the
# binding for the unreplied 10 s only (the REGISTER and its 200 OK are
# over within milliseconds, so the flow never becomes a stream), and the
# phone re-registers at 90% of its interval.  First the phone follows
# pinhole's remedy and re-registers at the interval it recommends: the
# binding is absent between refreshes exactly when 0.9 x interval exceeds
# 10 s.  Then it re-registers every 6 s (5.4 s): the binding never lapses
# and a call placed after 16 s arrives, media both ways.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../calls.sh"
unreplied=10
lab_begin calls-timeout-short
lab_topology nat
lab_router_nat
lab_udp_timeout "$unreplied" 15
lab_pinholed
lab_check --udp-timeout-max 20
call_agrees '(.checks[] | select(.id == "udp-timeout") | .verdict == "fail" and .evidence.unreplied_s == 10 and .evidence.established_s == 15)' \
	"udp-timeout fails, 10 s unreplied and 15 s established"
call_provider 5 3600
advice=$(call_keepalive_advice)
if [ -n "$advice" ]; then
	call_phone "$advice"
	call_binding_sample 25
	# The phone refreshes every 0.9 x advice seconds: gaps when that
	# exceeds the unreplied timeout.
	if [ $((advice * 9)) -gt $((unreplied * 10)) ]; then
		lab_expect "$CALL_ABSENT > 0" "re-registering every $advice s (at 90%) leaves the binding absent between refreshes"
		call_disagrees "udp-timeout remedy recommends re-registering every $advice s or less, but a registration keeps the binding for the unreplied ${unreplied} s only (the flow never becomes a stream): at $advice s the binding was absent in $CALL_ABSENT of $CALL_SAMPLES samples, gaps up to $CALL_GAP_MAX s, and an INVITE landing in a gap is missed"
	else
		lab_expect "$CALL_ABSENT == 0" "re-registering every $advice s (at 90%) keeps the binding"
	fi
	call_phone_stop
else
	call_disagrees "udp-timeout fails but its remedy recommends no keepalive interval"
fi
call_phone 6
call_binding_sample 16
lab_expect "$CALL_ABSENT == 0" "re-registering every 6 s keeps the binding for 16 s without a gap"
call_place 3
call_expect_answered "a call after 16 s arrives"
call_reach_in_bound
call_no_false_open
call_end
