#!/usr/bin/env bash
# Real calls through a NAT with UDP timeouts of 10 s (unreplied) and 15 s
# (established), no ALG, and a registrar that lets the phone choose its
# interval (min_expires 5 s).  Ground truth: each registration keeps the
# binding for the unreplied 10 s only (the REGISTER and its 200 OK are
# over within milliseconds, so the flow never becomes a stream), and the
# phone re-registers at 90% of its interval.  First the phone follows
# pinhole's remedy and re-registers at the interval it recommends: the
# binding is absent between refreshes exactly when 0.9 x interval exceeds
# 10 s: the scenario fails unless the advised interval keeps the binding.
# Then it re-registers every 6 s (5.4 s): the binding never lapses
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
	# The phone refreshes every 0.9 x advice seconds; whether the
	# binding lapses between refreshes is what the router does, sampled
	# from its connection table, not worked out here.
	if [ "$CALL_ABSENT" -eq 0 ]; then
		call_agreed "re-registering every $advice s, as udp-timeout's remedy advises, keeps the binding for 25 s without a gap"
	else
		call_disagrees "udp-timeout remedy recommends re-registering every $advice s or less, but a registration keeps the binding for the unreplied ${unreplied} s only (the flow never becomes a stream): at $advice s the binding was absent in $CALL_ABSENT of $CALL_SAMPLES samples, gaps up to $CALL_GAP_MAX s, and an INVITE landing in a gap is missed"
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
