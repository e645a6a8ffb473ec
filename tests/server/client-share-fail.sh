#!/usr/bin/env bash
# pinhole check --share when the upload fails, as the man page says: the
# report is still printed in full (the same checks and verdicts as without
# --share), the reason is said on standard error as "pinhole: cannot share
# the report: ...", and the exit status is 2.  The server without a store,
# refusing the report (413 over store-max-bytes, 429 past
# store-uploads-per-source) and unreachable for the upload (a second
# connection to the control port reset); --share without --tls refused
# before anything runs.  And when it works: the link on stderr, status 0,
# and pinhole show prints that report back.  pinholed alone in a namespace,
# on 127.0.0.1.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/client-lib.sh"
cl_cert ip "IP:127.0.0.1"
CA=$SRV_TMP/ip.pem
U=https://127.0.0.1:4443

# server [LIMITS...]: pinholed with TLS, restarted; STORE=1: with a store
server() {
	if [ -n "$srv_pid" ]; then kill "$srv_pid"; wait "$srv_pid"; srv_pid=; fi
	SRV_SERVER_EXTRA="tls-cert = $SRV_TMP/ip.pem
tls-key = $SRV_TMP/ip.key
${STORE:+store = sqlite:$SRV_TMP/reports-$RANDOM.db}"
	srv_start "$@"
}
checks() { jq -c '[.checks[] | [.id, .verdict]]' "$1"; }
# shared_fail WHAT BASE REASON ARGS: check --share fails for REASON; the
# report is BASE's (a report of the same run without --share)
shared_fail() {
	local what=$1 base=$2 reason=$3
	shift 3
	cl_check 60 --tls-ca "$CA" --share "$@"
	want "$what: exit 2" "$cl_status" 2
	want "$what: the report in full" "$(checks "$SRV_TMP/report.json")" "$(checks "$base")"
	jqwant "$what: its verdict" .verdict "$(jq -r .verdict "$base")"
	has "$what: the reason on stderr" "$SRV_TMP/stderr" "pinhole: cannot share the report: $reason"
	hasnt "$what: no link" "$SRV_TMP/stderr" "report shared"
}
# base NAME ARGS: the report of a run without --share, and its status 0
base() {
	local name=$1
	shift
	cl_check 60 --tls-ca "$CA" "$@"
	want "without --share ($name): exit 0" "$cl_status" 0
	cp "$SRV_TMP/report.json" "$SRV_TMP/$name.json"
}

# No store: pinholed closes the request unanswered.
server
base small
shared_fail "no store" "$SRV_TMP/small.json" \
	"$U/api/reports: Empty reply from server (the server has no report store)"
cl_check 60 --tls-ca "$CA" --share --format text --no-color
want "no store, text: exit 2" "$cl_status" 2
want "no store, text: the report on stdout" "$(head -1 "$SRV_TMP/report.json" | cut -d' ' -f1-2)" \
	"verdict: pass"
has "no store, text: every check" "$SRV_TMP/report.json" "PASS reach.tcp.out.5060"
want "no store, text: the reason, last on stderr" "$(tail -1 "$SRV_TMP/stderr")" \
	"pinhole: cannot share the report: $U/api/reports: Empty reply from server (the server has no report store)"
cl_check 60 --share
want "--share without --tls: exit 2" "$cl_status" 2
want "--share without --tls: nothing run" "$(cat "$SRV_TMP/report.json")" ""
has "--share without --tls: said" "$SRV_TMP/stderr" \
	"pinhole: --share needs --tls (or --tls-ca): the report is uploaded over HTTPS"

# A report over store-max-bytes: 413.
STORE=1 server "store-max-bytes = 4096"
base big -p sip-generic
shared_fail "over store-max-bytes" "$SRV_TMP/big.json" \
	"the server did not store the report: HTTP 413: request too large" -p sip-generic

# Past store-uploads-per-source: 429.  The first upload works.
STORE=1 server "store-uploads-per-source = 1"
cl_check 60 --tls-ca "$CA" --share
want "shared: exit 0" "$cl_status" 0
want "shared: the link, last on stderr" \
	"$(tail -1 "$SRV_TMP/stderr" | sed -E 's#/r/[a-z2-7]{24}$#/r/ID#')" "pinhole: report shared: $U/r/ID"
cp "$SRV_TMP/report.json" "$SRV_TMP/shared.json"
id=$(tail -1 "$SRV_TMP/stderr" | sed 's#.*/r/##')
ip netns exec "$SRV_NS" timeout 20 "$PINHOLE" show -s 127.0.0.1:4443 --tls-ca "$CA" \
	-f json "$id" > "$SRV_TMP/shown.json" 2> "$SRV_TMP/stderr"
want "show of the shared report: its checks" "$(checks "$SRV_TMP/shown.json")" \
	"$(checks "$SRV_TMP/shared.json")"
ip netns exec "$SRV_NS" timeout 20 "$PINHOLE" show -s 127.0.0.1:4443 --tls-ca "$CA" \
	-f html "$id" > "$SRV_TMP/shown.html" 2> "$SRV_TMP/stderr"
has "show -f html of the shared report" "$SRV_TMP/shown.html" 'data-check="reach.tcp.out.5222"'
shared_fail "past store-uploads-per-source" "$SRV_TMP/small.json" \
	"the server did not store the report: HTTP 429: too many uploads from this address"

# The upload cannot connect: a second connection to the control port is
# reset, the session's own goes through.  The rule counts connections not
# yet closed, so it waits until the start's own probe of the port is gone.
server
for _ in $(seq 100); do
	[ -z "$(ip netns exec "$SRV_NS" ss -Htn state established state syn-recv state close-wait state fin-wait-1 state fin-wait-2 state last-ack state closing '( sport = :4443 or dport = :4443 )')" ] && break
	sleep 0.1
done
ip netns exec "$SRV_NS" nft -f - <<-NFT
table inet share_fail {
	chain output {
		type filter hook output priority filter; policy accept;
		tcp dport 4443 ct state new ct count over 1 reject with tcp reset
	}
}
NFT
shared_fail "unreachable for the upload" "$SRV_TMP/small.json" \
	"$U/api/reports: Failed to connect to 127.0.0.1 port 4443 after"
kill -0 "$srv_pid" 2>/dev/null && ok "pinholed alive" || bad "pinholed died"
[ "$cl_fail" -eq 0 ] || { echo "# pinholed log:"; cat "$SRV_TMP/log"; }
exit "$cl_fail"
