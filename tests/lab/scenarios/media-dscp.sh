#!/usr/bin/env bash
# lab: alone (it measures timing that another scenario beside it would disturb)
# Ground truth: the router rewrites DSCP as RFC 9435's pathologies do:
# first it bleaches every mark to 0 both ways, then it clears EF's
# precedence bits (46 to 6) upstream only.  qos.dscp names what happened
# each way.  (Intact marks: media-clean.)
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin media-dscp
lab_topology nat
lab_router_nat
lab_pinholed
lab_dscp_rewrite router up any 0
lab_dscp_rewrite router down any 0
lab_media_check --media-seconds 2
lab_verdict qos.dscp warn
lab_expect '(.checks[] | select(.id == "qos.dscp") | .evidence | .up.result == "bleached" and .down.result == "bleached" and .up.received == 0 and .down.received == 0)' \
	"bleached to 0 both ways"
lab_expect '(.checks[] | select(.id == "qos.dscp") | .remedy | test("Upstream: .*Downstream: "))' \
	"the remedy speaks of both directions"
lab_exec router nft delete table ip phl_dscp_up
lab_exec router nft delete table ip phl_dscp_down
lab_dscp_rewrite router up 46 6
lab_media_check --media-seconds 2
lab_verdict qos.dscp warn
lab_expect '(.checks[] | select(.id == "qos.dscp") | .evidence | .up.result == "precedence-bleached" and .up.received == 6 and .down.result == "intact" and .down.received == 46)' \
	"EF to 6 upstream (precedence bleaching), intact downstream"
lab_expect '(.checks[] | select(.id == "qos.dscp") | .remedy | test("Upstream: ") and (test("Downstream: ") | not))' \
	"the remedy speaks of upstream only"
lab_end
