#!/usr/bin/env bash
# The check page's relay message (docs/protocol.md, the check page's
# WebSocket): without [relay], refused and the session goes on; with it,
# credentials made from the secret and the relays of [relay] urls, each
# charged to the session's probe cap, then refused; relay offers that are
# malformed or come without relay-from refused; a relay peer takes ICE
# from relay-from alone.  Neither the secret nor any password handed out
# is in pinholed's log.  A [relay] url that is no TURN URI stops the start.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store-lib.sh"
page_conf "media-udp-ports = 10000-10007"
srv_start
srv_py relay_page.py "$SRV_TMP/cert.pem" none || fail=1
srv_stop || fail=1

secret=$SRV_TMP/turn-secret
printf 'lab-turn-secret-%s\n' "$$" > "$secret"
chmod 600 "$secret"
ip -n "$SRV_NS" addr add 127.0.0.2/8 dev lo
srv_start "session-probes = 4" "[relay]" "secret-file = $secret" \
	"credential-seconds = 120" "relay-from = 127.0.0.2/32" \
	"urls = turn:127.0.0.1:3478?transport=udp turn:127.0.0.1:3478?transport=tcp" \
	"urls = turns:127.0.0.1:443?transport=tcp"
srv_py relay_page.py "$SRV_TMP/cert.pem" creds "$secret" 120 4 127.0.0.2 \
	> "$SRV_TMP/py.out" 2>&1 || fail=1
grep -v '^password ' "$SRV_TMP/py.out"
n=0
while read -r _ pw; do
	n=$((n + 1))
	grep -qF -- "$pw" "$SRV_TMP/log" && bad "password $n is in pinholed's log"
done < <(grep '^password ' "$SRV_TMP/py.out")
want "passwords handed out" "$n" 4
grep -qF "lab-turn-secret-$$" "$SRV_TMP/log" && bad "the secret is in pinholed's log" ||
	ok "neither the secret nor a password is in pinholed's log"
srv_stop || fail=1

sed -i 's|^urls = turns:.*|urls = http://127.0.0.1/|' "$SRV_TMP/pinholed.conf"
if ip netns exec "$SRV_NS" "$PINHOLED" -n -c "$SRV_TMP/pinholed.conf" \
	> "$SRV_TMP/n.out" 2>&1; then
	bad "a url that is no TURN URI was taken"
else
	grep -q "urls" "$SRV_TMP/n.out" && ok "a url that is no TURN URI stops the start" ||
		bad "refused without naming urls: $(cat "$SRV_TMP/n.out")"
fi
exit "$fail"
