#!/usr/bin/env bash
# store-uploads-per-session: an upload that names a control session by
# its token (Pinhole-Session, as pinhole check --share sends it), from
# that session's client, counts against it: 2 here, the next is 429 "too
# many uploads in this session"; a refused upload is not charged to the
# address's hourly bucket; the session's end ends its share, and the next
# session of that address has a share of its own.  An upload that names no
# session, or a wrong token, while the address holds one, is the
# address's alone: its session is found by its token, never by the
# address (many users share one behind a NAT).  The hourly
# store-uploads-per-source (6 here) still holds across sessions, with
# its own reason.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store-lib.sh"
SESSION_MSG="too many uploads in this session"
SOURCE_MSG="too many uploads from this address"
WRONG=(-H "Pinhole-Session: 000102030405060708090a0b0c0d0e0f")
store_conf
srv_start "store-uploads-per-session = 2" "store-uploads-per-source = 6"
R=nat-alg-udp.json

session_hold
want_upload "session 1, upload 1" 201 "" $R "${HOLD_NAMES[@]}"
want_upload "session 1, upload 2" 201 "" $R "${HOLD_NAMES[@]}"
want_upload "session 1, upload 3" 429 "$SESSION_MSG" $R "${HOLD_NAMES[@]}"
want_upload "session 1, upload 4" 429 "$SESSION_MSG" $R "${HOLD_NAMES[@]}"
want_upload "session 1 held, an upload naming none: the address's" 201 "" $R
want_upload "session 1 held, a wrong token: the address's" 201 "" $R \
	"${WRONG[@]}"
session_end
want_upload "no session, upload 5 of the address" 201 "" $R
session_hold
want_upload "session 2, upload 1" 201 "" $R "${HOLD_NAMES[@]}"
want_upload "session 2, upload 2, with the address's hour spent" 429 "$SOURCE_MSG" $R "${HOLD_NAMES[@]}"
session_end
want_upload "no session, upload 7 of the address" 429 "$SOURCE_MSG" $R
want "reports stored" "$(hc -H "Authorization: Bearer $TOKEN" "$U/api/reports")" 200
want "6 reports listed" "$(jq '.reports | length' "$SRV_TMP/body")" 6
srv_end
