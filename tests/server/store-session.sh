#!/usr/bin/env bash
# store-uploads-per-session: while an address holds a control session, it
# may upload that many reports in it (2 here), the next is 429 "too many
# uploads in this session"; a refused upload is not charged to the
# address's hourly bucket; the session's end ends its share, and the next
# session of that address has a share of its own.  The hourly
# store-uploads-per-source (6 here) still holds across sessions, with
# its own reason.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store-lib.sh"
SESSION_MSG="too many uploads in this session"
SOURCE_MSG="too many uploads from this address"
store_conf
srv_start "store-uploads-per-session = 2" "store-uploads-per-source = 6"
R=nat-alg-udp.json

session_hold
want_upload "session 1, upload 1" 201 "" $R
want_upload "session 1, upload 2" 201 "" $R
want_upload "session 1, upload 3" 429 "$SESSION_MSG" $R
want_upload "session 1, upload 4" 429 "$SESSION_MSG" $R
session_end
want_upload "no session, upload 3 of the address" 201 "" $R
session_hold
want_upload "session 2, upload 1" 201 "" $R
want_upload "session 2, upload 2" 201 "" $R
want_upload "session 2, upload 3" 429 "$SESSION_MSG" $R
session_end
# 5 of the 6 an hour are spent (the refused ones were not charged).
want_upload "no session, upload 6 of the address" 201 "" $R
want_upload "no session, upload 7 of the address" 429 "$SOURCE_MSG" $R
session_hold
want_upload "session 3, with the address's hour spent" 429 "$SOURCE_MSG" $R
session_end
want "reports stored" "$(hc -H "Authorization: Bearer $TOKEN" "$U/api/reports")" 200
want "6 reports listed" "$(jq '.reports | length' "$SRV_TMP/body")" 6
srv_end
