#!/usr/bin/env bash
# Ground truth: a pinholed with TLS and a SQLite report store (one NAT, no
# ALG).  'pinhole check --tls-ca --share' in the client namespace uploads
# its report before it ends its session and prints the link on stderr;
# 'pinhole show' by that id, from the server's namespace and from the
# client's, prints the same report: its JSON is the report check wrote,
# its duration too, and the text of both is the same and names every
# check; the stored page (/r/ID) says it took the duration check printed.
# A second upload in the same session is refused
# (store-uploads-per-session = 1 counts the first), --share without TLS
# refuses to run, and show of an unknown id fails.
# LAB_STORE=postgresql: the same with a PostgreSQL store in the server's
# namespace (share-store-pg).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin "share-store${LAB_STORE:+-$LAB_STORE}"
lab_topology nat
lab_router_nat
lab_tls_cert
if [ "${LAB_STORE:-}" = postgresql ]; then
	lab_postgres server
	LAB_CONF_EXTRA="store = $LAB_PG_URI"
else
	LAB_CONF_EXTRA="store = sqlite:$LAB_TMP/reports.db"
fi
lab_pinholed
lab_check --tls-ca "$LAB_TMP/cert.pem" --share --skip media
lab_expect "$LAB_STATUS == 0" "exit status 0 with --share"
lab_verdict sip-alg.udp.5060 pass
url=$(sed -n '/^pinhole: report shared:$/{n;p;}' "$LAB_TMP/check.err")
id=${url##*/r/}
lab_checks=$((lab_checks + 1))
if [[ $url == "https://$LAB_SERVER/r/"* && $id =~ ^[a-z2-7]{24}$ ]]; then
	echo "ok - the link is https://$LAB_SERVER/r/ID ($url)"
else
	echo "not ok - no link on stderr: $(cat "$LAB_TMP/check.err")"
	lab_failed=$((lab_failed + 1))
fi
lab_checks=$((lab_checks + 1))
if [ "$(LC_ALL=C.UTF-8 wc -L < "$LAB_TMP/check.err")" -le 80 ]; then
	echo "ok - stderr, the link's line too, fits 80 columns"
else
	echo "not ok - a line of stderr is wider than 80 columns"
	lab_failed=$((lab_failed + 1))
fi
show() {	# show NS ARGS: pinhole show in namespace NS
	lab_exec "$1" "$PINHOLE" show --server "$LAB_SERVER" --tls-ca "$LAB_TMP/cert.pem" \
		--no-color "${@:2}"
}
same() {	# same WHAT A B
	lab_checks=$((lab_checks + 1))
	if [ "$2" = "$3" ]; then echo "ok - $1"
	else echo "not ok - $1"; diff <(echo "$2") <(echo "$3") | head -20
		lab_failed=$((lab_failed + 1)); fi
}
# The whole of it, its duration too: the stored report is the printed one.
shown=$(show server "$id" --json | jq -S .)
same "show --json from the server side is the report check wrote" \
	"$shown" "$(jq -S . "$LAB_JSON")"
lab_exec client curl -sS --max-time 10 --cacert "$LAB_TMP/cert.pem" \
	-o "$LAB_TMP/page.html" "https://$LAB_SERVER/r/$id" || true
took=$(grep -o '<dt>Took</dt><dd>[0-9.]* s' "$LAB_TMP/page.html" | sed 's/.*<dd>//; s/ s$//')
same "the stored page took the printed duration (within its 3 decimals)" \
	"$(awk -v a="${took:-x}" -v b="$(jq .duration_s "$LAB_JSON")" \
	    'BEGIN { d = a - b; print (a != "x" && d < 0.0006 && d > -0.0006) ? "same" : a " s, printed " b " s" }')" same
text_server=$(show server "$id")
text_client=$(show client "$id" -f text)
same "the text from both namespaces is the same" "$text_server" "$text_client"
missing=$(jq -r '.checks[].id' "$LAB_JSON" | while read -r c; do
	grep -qF -- "$c" <<< "$text_server" || echo "$c"; done)
same "the text names every check of the report" "$missing" ""
# --share without TLS, and an id that was never stored.
lab_checks=$((lab_checks + 1))
st=0
lab_exec client "$PINHOLE" check --server "$LAB_SERVER" --profile "$LAB_PROFILE" \
	--share > /dev/null 2> "$LAB_TMP/plain.err" || st=$?
if [ "$st" -eq 2 ] && grep -q -- "--share needs --tls" "$LAB_TMP/plain.err"; then
	echo "ok - --share without TLS: status 2, and it says the server needs TLS"
else echo "not ok - --share without TLS: status $st, $(cat "$LAB_TMP/plain.err")"
	lab_failed=$((lab_failed + 1)); fi
lab_checks=$((lab_checks + 1))
if ! show client aaaaaaaaaaaaaaaaaaaaaaaa > /dev/null 2> "$LAB_TMP/show.err" &&
    grep -q "no report" "$LAB_TMP/show.err"; then echo "ok - show of an unknown id fails"
else echo "not ok - show of an unknown id: $(cat "$LAB_TMP/show.err")"; lab_failed=$((lab_failed + 1)); fi
lab_end
