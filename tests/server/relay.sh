#!/usr/bin/env bash
# RELAY (docs/protocol.md): without a [relay] secret, ERROR 404 and the
# session goes on; with one, credentials in coturn's REST form made from
# it (checked against an HMAC computed here), the secret in no answer and
# not in the log, malformed requests refused with 400, each RELAY charged
# to the session's probe cap, then 429.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
st=0
srv_start
timeout 30 ip netns exec "$SRV_NS" python3 "$SRV_ROOT/tests/server/relay.py" none || st=1
srv_stop || st=1

secret=$SRV_TMP/turn-secret
printf 'lab-turn-secret-%s\n' "$$" > "$secret"
chmod 600 "$secret"
srv_start "session-probes = 6" "[relay]" "secret-file = $secret" \
	"credential-seconds = 120"
timeout 30 ip netns exec "$SRV_NS" python3 "$SRV_ROOT/tests/server/relay.py" \
	creds "$secret" 120 6 || st=1
if grep -qF "lab-turn-secret-$$" "$SRV_TMP/log"; then
	echo "not ok - the secret is in pinholed's log"; st=1
else
	echo "ok - the secret is not in pinholed's log"
fi
srv_stop || st=1
exit "$st"
