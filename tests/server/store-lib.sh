# tests/server/store-lib.sh - what the report store's tests share: their
# ok/not ok lines, a certificate for the control port's HTTPS, the store
# and support token in pinholed's [server] section, and curl inside the
# namespace.  Sourced, after lib.sh.
fail=0
ok() { echo "ok - $1"; }
bad() { echo "not ok - $1"; fail=1; }
want() {	# want WHAT GOT EXPECTED
	if [ "$2" = "$3" ]; then ok "$1: $2"; else bad "$1: got '$2', want '$3'"; fi
}
want_le() {	# want_le WHAT GOT MAX: a figure (a number) at most MAX
	if awk -v a="$2" -v b="$3" 'BEGIN { exit !(a != "" && a <= b) }'; then
		ok "$1: $2 (at most $3)"
	else
		bad "$1: $2, want at most $3"
	fi
}
REPORTS=$SRV_ROOT/tests/unit/data/reports
TOKEN=support-token-0123456789abcdef
U=https://127.0.0.1:4443

# store_conf [STORE]: a certificate for 127.0.0.1, and the [server] lines
# for it, STORE (default SQLite in $SRV_TMP/reports.db) and the token.
store_conf() {
	openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" \
		-addext "subjectAltName=IP:127.0.0.1" \
		-keyout "$SRV_TMP/key.pem" -out "$SRV_TMP/cert.pem" 2>/dev/null
	SRV_SERVER_EXTRA="tls-cert = $SRV_TMP/cert.pem
tls-key = $SRV_TMP/key.pem
store = ${1:-sqlite:$SRV_TMP/reports.db}
support-token = $TOKEN"
}

# page_conf [LINES]: store_conf, and the check page from the source tree
# (www/, the web phone's profile) in [server], with LINES more there.
page_conf() {
	store_conf
	chmod 644 "$SRV_TMP/key.pem"
	SRV_SERVER_EXTRA="$SRV_SERVER_EXTRA
page-dir = $SRV_ROOT/www
page-profile = $SRV_ROOT/profiles/ringio-web-phone.ini
${1:-}"
}

hc() {	# hc CURL-ARGS: curl inside the namespace; prints the status, body in $SRV_TMP/body
	ip netns exec "$SRV_NS" curl -sS --max-time 10 --cacert "$SRV_TMP/cert.pem" \
		-o "$SRV_TMP/body" -D "$SRV_TMP/head" -w '%{http_code}' "$@"
}
hdr() { grep -i "^$1:" "$SRV_TMP/head" | cut -d' ' -f2- | tr -d '\r'; }

# want_upload WHAT STATUS ERROR REPORT [CURL-ARGS]: POST /api/reports of
# tests/unit/data/reports/REPORT; its status, and the "error" of its body
# unless ERROR is empty.  The new report's id in $up_id.
want_upload() {
	local what=$1 st=$2 err=$3 report=$4
	shift 4
	want "$what" "$(hc "$@" --data-binary @"$REPORTS/$report" "$U/api/reports")" "$st"
	up_id=$(jq -r '.id // empty' "$SRV_TMP/body" 2>/dev/null)
	[ -z "$err" ] || want "$what: the reason" "$(jq -r .error "$SRV_TMP/body")" "$err"
}

# session_hold: a control session from 127.0.0.1 (curl's address), held
# until session_end, which waits until pinholed has closed it.  An upload
# names it with "${HOLD_NAMES[@]}" among curl's arguments (its token, as
# pinhole check --share sends it).
hold_pid=
HOLD_NAMES=()
session_hold() {
	# (Not srv_py: $! must be python's PID, not a subshell's.)
	ip netns exec "$SRV_NS" python3 "$SRV_ROOT/tests/server/peer.py" hold 25 \
		> "$SRV_TMP/hold.out" 2>&1 &
	hold_pid=$!
	for _ in $(seq 50); do
		if grep -q '^held' "$SRV_TMP/hold.out"; then
			HOLD_NAMES=(-H "Pinhole-Session: $(awk '/^held/ { print $2 }' \
				"$SRV_TMP/hold.out")")
			return 0
		fi
		sleep 0.1
	done
	bad "no control session: $(cat "$SRV_TMP/hold.out")"
}
session_end() {
	kill "$hold_pid" 2>/dev/null
	wait "$hold_pid" 2>/dev/null || true
	hold_pid=
	ctl_quiet 50 || bad "pinholed did not close the session"
}
# ctl_quiet N: waits up to N tenths of a second until pinholed holds no
# connection on its control port; false if it still does.
ctl_quiet() {
	for _ in $(seq "$1"); do
		[ -z "$(ip netns exec "$SRV_NS" ss -Htn state established \
		    state close-wait '( sport = :4443 )')" ] && return 0
		sleep 0.1
	done
	return 1
}
# (store.sh, which holds none, ends its PostgreSQL in its own.)
srv_cleanup_extra() { [ -z "$hold_pid" ] || kill "$hold_pid" 2>/dev/null; }

# srv_end: srv_stop, with the log when an earlier check failed; exits.
srv_end() {
	if srv_stop; then
		[ "$fail" -eq 0 ] || { echo "# pinholed log:"; cat "$SRV_TMP/log"; }
	else
		fail=1
	fi
	exit "$fail"
}

. "$SRV_ROOT/tests/postgres.sh"
pg_pid=
# store_pg_start: PostgreSQL in the test's namespace on 127.0.0.1, as the
# postgres user, in a directory of its own, for STORE_SPEC; stopped by its
# PID at the end.
store_pg_start() {
	srv_ns
	pg_pid=$(pg_start "$SRV_TMP/pg" "$SRV_NS")
	STORE_SPEC=$PG_URI
}
srv_cleanup_extra() {
	[ -n "$pg_pid" ] || return 0
	kill -TERM "$pg_pid" 2>/dev/null
	for _ in $(seq 100); do kill -0 "$pg_pid" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$pg_pid" 2>/dev/null || true
}
