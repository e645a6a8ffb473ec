#!/usr/bin/env bash
# Operators can see what pinholed does: one log line per session (its
# source, its kind, the profile and verdict of the report it uploaded, its
# duration) and one per upload (its source, id, profile, verdict and size),
# both through the log's rate limit; a session that never uploaded says so.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store-lib.sh"
store_conf
srv_start
has() {	# has WHAT REGEX: a line of pinholed's log matches
	if grep -qE -- "$2" "$SRV_TMP/log"; then ok "$1"
	else bad "$1: no line like '$2'"; fi
}
# A session that uploads nothing.
if srv_py peer.py stun5780 > "$SRV_TMP/peer.out" 2>&1; then ok "a session"
else bad "a session: $(cat "$SRV_TMP/peer.out")"; fi
for _ in $(seq 50); do
	grep -q 'session from' "$SRV_TMP/log" && break
	sleep 0.1
done
has "its line: source, kind, no report, duration" \
	'session from 127\.0\.0\.1 ended: pinhole check, profile -, verdict none uploaded, [0-9]+ s$'
# A session that uploads a report naming it by its token, as pinhole check
# --share does.
session_hold
want_upload "an upload in the session" 201 "" nat-alg-udp.json "${HOLD_NAMES[@]}"
has "the upload's line: source, id, profile, verdict, size" \
	"upload from 127\.0\.0\.1 stored as $up_id: profile ringio-ip-phones, verdict fail, [0-9]+ bytes\$"
session_end
has "the session's line carries its report's profile and verdict" \
	'session from 127\.0\.0\.1 ended: pinhole check, profile ringio-ip-phones, verdict fail, [0-9]+ s$'
srv_end
