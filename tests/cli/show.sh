#!/usr/bin/env bash
# pinhole show: a stored report fetched by its id over HTTPS and printed
# with check's renderers (text, --json or -f json, -f html), status 0
# whatever the report's verdict; a report that is not there, an answer
# that is empty, not JSON or not a pinhole.report/1 report, an id of the
# wrong shape, a store that is down or busy and a certificate that is not
# trusted or names another host: a message that says which, status 2, and
# nothing on standard output.  The store is tests/cli/fakestore.py on
# 127.0.0.1 (a port the kernel picks), serving files as they are, so that
# answers pinholed would never store can be tried.  Loopback only, no root.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
reports=$root/tests/unit/data/reports
store_pid=
cli_cleanup_extra() {
	[ -n "$store_pid" ] && kill "$store_pid" 2>/dev/null && wait "$store_pid"
}

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" \
	-addext "subjectAltName=IP:127.0.0.1" \
	-keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null
mkdir "$tmp/store"
# Ids are 24 letters a-z and digits 2-7; one per stored file.
id_of() { printf '%-24s' "$1" | tr ' ' a; }
for r in nat-alg-udp reach-proxy media-loopback; do
	cp "$reports/$r.json" "$tmp/store/$(id_of "${r//-/}").json"
done
: > "$tmp/store/$(id_of empty).json"
echo 'this is not JSON' > "$tmp/store/$(id_of notjson).json"
jq '.schema = "pinhole.report/2"' "$reports/routed-no-nat.json" \
	> "$tmp/store/$(id_of otherschema).json"
echo '{"schema":"pinhole.report/1"}' > "$tmp/store/$(id_of nochecks).json"
echo '[1,2,3]' > "$tmp/store/$(id_of array).json"
timeout 130 python3 "$root/tests/cli/fakestore.py" "$tmp/store" \
	"$tmp/cert.pem" "$tmp/key.pem" > "$tmp/store.out" 2> "$tmp/store.log" &
store_pid=$!
for _ in $(seq 50); do
	port=$(awk '/^port / { print $2 }' "$tmp/store.out")
	[ -n "$port" ] && break
	sleep 0.1
done
[ -n "$port" ] || { echo "not ok - the store did not start"; cat "$tmp/store.log"; exit 1; }
S=127.0.0.1:$port

show() {	# show ARGS: pinhole show against the store, trusting its certificate
	run timeout 20 "$pinhole" show -s "$S" --tls-ca "$tmp/cert.pem" --no-color "$@"
}
# printed NAME: exit 0, nothing on stderr
printed() {
	want "$1: exit 0" "$st" 0
	want "$1: nothing on stderr" "$err" ""
}
# refused NAME MESSAGE: exit 2, MESSAGE on stderr, nothing on stdout
refused() {
	expect "$1" 2 err "pinhole: $2"
	want "$1: nothing on stdout" "$out" ""
}

# Every format, for reports of every verdict.
for r in nat-alg-udp reach-proxy media-loopback; do
	id=$(id_of "${r//-/}")
	src=$reports/$r.json
	verdict=$(jq -r .verdict "$src")
	ids=$(jq -r '.checks[].id' "$src")
	lines=$(jq -r '.checks[] | "\(.verdict | ascii_upcase) \(.id)"' "$src")

	show -f html "$id"
	printed "$r -f html"
	want "$r -f html: an HTML page" "$(head -1 <<< "$out")" "<!DOCTYPE html>"
	want "$r -f html: the page ends" "${out: -7}" "</html>"
	missing=$(while read -r c; do grep -qF -- "$c" <<< "$out" || echo "$c"; done <<< "$ids")
	want "$r -f html: each of its $(wc -l <<< "$ids") checks" "$missing" ""
	lacks "$r -f html: no script" out "<script"
	html=$out

	show -f json "$id"
	printed "$r -f json"
	want "$r -f json: the same checks, verdicts and summaries" \
		"$(jq -c '[.checks[] | [.id, .verdict, .summary]]' <<< "$out")" \
		"$(jq -c '[.checks[] | [.id, .verdict, .summary]]' "$src")"
	want "$r -f json: the overall verdict" "$(jq -r .verdict <<< "$out")" "$verdict"
	want "$r -f json: the server" "$(jq -r .server <<< "$out")" "$(jq -r .server "$src")"
	json=$out
	show --json "$id"
	want "$r --json is -f json" "$out" "$json"

	show "$id"
	printed "$r text"
	want "$r text: the overall verdict first" "$(head -1 <<< "$out" | cut -d' ' -f1-2)" \
		"verdict: $verdict"
	missing=$(while read -r c; do grep -qE -- "^ +$c( |\$)" <<< "$out" || echo "$c"; done <<< "$lines")
	want "$r text: each of its checks with its verdict" "$missing" ""
	show -f text "$id"
	printed "$r -f text"
	lacks "$r text is not HTML" out "<!DOCTYPE"
	show -f html "$id"
	want "$r -f html the same twice" "$out" "$html"
done
want "show asks for /r/ID.json" \
	"$(grep -c "\"GET /r/$(id_of natalgudp).json HTTP/1.1\" 200" "$tmp/store.log")" 6

# The link that check --share prints and support receives: the server is
# the link's, so --server is not needed.
natid=$(id_of natalgudp)
want_text=$(timeout 20 "$pinhole" show -s "$S" --tls-ca "$tmp/cert.pem" --no-color "$natid")
for link in "https://$S/r/$natid" "https://$S/r/$natid.json" "https://$S/r/$natid/"; do
	run timeout 20 "$pinhole" show --tls-ca "$tmp/cert.pem" --no-color "$link"
	printed "show $link"
	want "show $link: the report" "$out" "$want_text"
done
run timeout 20 "$pinhole" show --tls-ca "$tmp/cert.pem" -f json "https://$S/r/$natid"
want "show LINK -f json" "$(jq -r .verdict <<< "$out")" "$(jq -r .verdict "$reports/nat-alg-udp.json")"
for bad in "https://$S/x/$natid" "https://$S/r/" "https://$S" "https://$S/r/$natid/more" \
    "https://user@$S/r/$natid" "https://[::1/r/$natid" "https:///r/$natid"; do
	run timeout 20 "$pinhole" show --tls-ca "$tmp/cert.pem" "$bad"
	want "link '$bad' refused: exit 2" "$st" 2
	want "link '$bad' refused: nothing on stdout" "$out" ""
done
run timeout 20 "$pinhole" show --tls-ca "$tmp/cert.pem" "https://$S/r/$natid" 
lacks "a link is not 'not a report id'" err "is not a report id"

# What is not a report to print.
show -f html "$(id_of absent)"
refused "no such report" "no report $(id_of absent) on $S"
show "$(id_of empty)"
refused "an empty answer" "the server's answer is not JSON"
show -f html "$(id_of notjson)"
refused "an answer that is not JSON" "the server's answer is not JSON"
show -f html "$(id_of otherschema)"
refused "another schema" "report $(id_of otherschema) is not a pinhole.report/1 report"
show "$(id_of nochecks)"
refused "a report without checks" "report $(id_of nochecks) is not a pinhole.report/1 report"
show -f json "$(id_of array)"
refused "a JSON array" "report $(id_of array) is not a pinhole.report/1 report"
show busybusybusybusybusybusy
refused "a busy store" \
	"the server did not send the report: HTTP 503: the store is busy"

# Ids of the wrong shape are refused before any request.
n=$(wc -l < "$tmp/store.log")
for bad in NATALGUDPAAAAAAAAAAAAAAA natalgudpaaaaaaaaaaaaaa natalgudpaaaaaaaaaaaaaaaa \
    natalgudpaaaaaaaaaaaaaa1 ../../../../etc/passwdaaa 'natalgudpaaaaaaaaaaaaa a'; do
	show "$bad"
	refused "id '$bad'" "'$bad' is not a report id (24 letters a-z and digits 2-7)"
done
want "no request for a bad id" "$(wc -l < "$tmp/store.log")" "$n"

# Usage.
run timeout 5 "$pinhole" show "$(id_of natalgudp)"
refused "show without --server" "show needs --server HOST[:PORT] and a report id"
run timeout 5 "$pinhole" show -s "$S"
refused "show without an id" "show needs --server HOST[:PORT] and a report id"
run timeout 5 "$pinhole" show -s "$S" -f pdf "$(id_of natalgudp)"
refused "show -f pdf" "unknown format 'pdf' (text, json or html)"
run timeout 5 "$pinhole" show -s "$S" "$(id_of natalgudp)" "$(id_of empty)"
refused "two ids" "unexpected argument '$(id_of empty)'"

# Trust: the system's CAs do not hold the store's certificate, and it names
# 127.0.0.1, not localhost.
run timeout 20 "$pinhole" show -s "$S" "$(id_of natalgudp)"
refused "a certificate no CA vouches for" "https://$S/r/$(id_of natalgudp).json: SSL certificate problem: self-signed certificate"
run timeout 20 "$pinhole" show -s "localhost:$port" --tls-ca "$tmp/cert.pem" "$(id_of natalgudp)"
refused "a certificate for another name" \
	"https://localhost:$port/r/$(id_of natalgudp).json: SSL: no alternative certificate subject name matches target host name 'localhost'"
# A --tls-ca that is not there is a usage error, said before any request,
# for show, diff and check alike (not a failed connection).
n=$(wc -l < "$tmp/store.log")
run timeout 20 "$pinhole" show -s "$S" --tls-ca "$tmp/none.pem" "$(id_of natalgudp)"
refused "show: an --tls-ca that is not there" "--tls-ca $tmp/none.pem: No such file or directory"
run timeout 20 "$pinhole" diff --tls-ca "$tmp/none.pem" "https://$S/r/$(id_of natalgudp)" "$reports/nat-alg-udp.json"
refused "diff: an --tls-ca that is not there" "--tls-ca $tmp/none.pem: No such file or directory"
run timeout 20 "$pinhole" check -s "$S" -p sip-generic --tls-ca "$tmp/none.pem"
refused "check: an --tls-ca that is not there" "--tls-ca $tmp/none.pem: No such file or directory"
lacks "check: an --tls-ca that is not there: no network remedy" err "outbound TCP"
want "no request for a missing --tls-ca" "$(wc -l < "$tmp/store.log")" "$n"

# A self-signed server without --tls-ca: the check names the certificate
# and the remedy --tls-ca, not the server's name or the network.
run timeout 20 "$pinhole" check -s "$S" -p sip-generic --tls --json --skip reach
want "check, self-signed: exit 2" "$st" 2
want "check, self-signed: the cause" "$(jq -r '.checks[0].summary' <<< "$out")" \
	"no session with $S: TLS on the control connection: the server's certificate was refused: self-signed certificate"
want "check, self-signed: the remedy names --tls-ca" \
	"$(jq -r '.checks[0].remedy | test("with --tls-ca FILE")' <<< "$out")" true

# The store gone: the connection's failure, said.
kill "$store_pid"; wait "$store_pid"; store_pid=
show -f html "$(id_of natalgudp)"
refused "a store that is down" "https://$S/r/$(id_of natalgudp).json: Failed to connect to 127.0.0.1 port $port"
exit "$fail"
