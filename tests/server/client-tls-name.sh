#!/usr/bin/env bash
# --tls and --tls-ca: pinhole check accepts the server's certificate only
# when it chains to the CAs trusted (the system's, or those of --tls-ca)
# and names the server given with --server: its IP address, or its name.
# A certificate for another address or name, or one no CA vouches for,
# ends the check before it starts: status 2, one "session" entry with the
# verdict error that says why (the mismatch named), the same on stderr,
# and no check passed.  pinholed alone in a namespace, on 127.0.0.1.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/client-lib.sh"

# tls_server NAME: pinholed with the certificate NAME (restarted)
tls_server() {
	if [ -n "$srv_pid" ]; then kill "$srv_pid"; wait "$srv_pid"; srv_pid=; fi
	SRV_SERVER_EXTRA="tls-cert = $SRV_TMP/$1.pem
tls-key = $SRV_TMP/$1.key"
	srv_start
}
# accepted WHAT ARGS: the session opened over TLS, every check passed
accepted() {
	local what=$1
	shift
	cl_check 30 "$@"
	want "$what: exit 0" "$cl_status" 0
	jqwant "$what: verdict pass" .verdict pass
	jqwant "$what: the reach checks ran" '[.checks[] | select(.verdict == "pass") | .id] | join(" ")' \
		"reach.tcp.out.80 reach.tcp.out.5280 reach.tcp.out.5222 reach.tcp.out.5060"
	want "$what: nothing on stderr" "$(cat "$SRV_TMP/stderr")" ""
}
# refused WHAT SERVER WHY ARGS: no session with SERVER, for the reason WHY
refused() {
	local what=$1 server=$2 why=$3
	shift 3
	cl_check 30 --server "$server" "$@"
	want "$what: exit 2" "$cl_status" 2
	jqwant "$what: verdict error" .verdict error
	jqwant "$what: the session alone, in error" '[.checks[] | "\(.id) \(.verdict)"] | join(",")' \
		"session error"
	jqwant "$what: why, in the report" '.checks[0].summary' \
		"no session with $server: TLS on the control connection: the server's certificate was refused: $why"
	has "$what: why, on stderr" "$SRV_TMP/stderr" \
		"pinhole: TLS on the control connection: the server's certificate was refused: $why"
	jqwant "$what: the remedy names --tls-ca" '.checks[0].remedy | test("--tls-ca")' true
}

cl_cert ip "IP:127.0.0.1"
cl_cert otherip "IP:127.0.0.2"
cl_cert localhost "DNS:localhost"
cl_cert othername "DNS:voip-check.example.net"

tls_server ip
accepted "a certificate for 127.0.0.1, --tls-ca" --tls-ca "$SRV_TMP/ip.pem"
refused "127.0.0.1's certificate, the server named localhost" localhost:4443 \
	"hostname mismatch" --tls-ca "$SRV_TMP/ip.pem"
refused "no CA of the system's vouches for it (--tls)" 127.0.0.1:4443 \
	"self-signed certificate" --tls
refused "--tls-ca with another CA" 127.0.0.1:4443 \
	"self-signed certificate" --tls-ca "$SRV_TMP/otherip.pem"
# The text report says it too.
cl_check 30 --tls-ca "$SRV_TMP/ip.pem" --server localhost:4443 --format text --no-color
want "text: exit 2" "$cl_status" 2
want "text: the verdict first" "$(head -1 "$SRV_TMP/report.json" | cut -d' ' -f1-2)" "verdict: error"
has "text: the mismatch said" "$SRV_TMP/report.json" "refused: hostname mismatch"
hasnt "text: nothing passed" "$SRV_TMP/report.json" "PASS"
# An --tls-ca that cannot be read: a usage error, before anything runs.
cl_check 30 --tls-ca "$SRV_TMP/none.pem"
want "a missing --tls-ca: exit 2" "$cl_status" 2
want "a missing --tls-ca: no report" "$(cat "$SRV_TMP/report.json")" ""
has "a missing --tls-ca: said" "$SRV_TMP/stderr" \
	"pinhole: --tls-ca $SRV_TMP/none.pem: No such file or directory"

tls_server otherip
refused "a certificate for 127.0.0.2" 127.0.0.1:4443 \
	"IP address mismatch" --tls-ca "$SRV_TMP/otherip.pem"

tls_server othername
refused "a certificate for voip-check.example.net" localhost:4443 \
	"hostname mismatch" --tls-ca "$SRV_TMP/othername.pem"

tls_server localhost
accepted "a certificate for localhost, the server named localhost" \
	--server localhost:4443 --tls-ca "$SRV_TMP/localhost.pem"
refused "a certificate for localhost, the server named 127.0.0.1" 127.0.0.1:4443 \
	"IP address mismatch" --tls-ca "$SRV_TMP/localhost.pem"
kill -0 "$srv_pid" 2>/dev/null && ok "pinholed alive" || bad "pinholed died"
[ "$cl_fail" -eq 0 ] || { echo "# pinholed log:"; cat "$SRV_TMP/log"; }
exit "$cl_fail"
