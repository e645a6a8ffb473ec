#!/usr/bin/env bash
# pinhole diff on report files: the exit status (0 nothing worse, 1 a
# requirement got worse, 2 an error), every format, text in 80 columns;
# and what it cannot compare: a missing file, a directory, not JSON, another
# schema, a JSON array, an id without --server, an id or a link of the
# wrong shape, a third argument: a message naming it, status 2, nothing on
# standard output.  No network: nothing here opens a socket.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
reports=$root/tests/unit/data/reports
alg=$reports/nat-alg-udp.json		# the SIP ALG on UDP 5060
clean=$reports/udp-timeout-split.json	# no ALG; short UDP timeouts

run "$pinhole" diff "$alg" "$alg"
expect "a report with itself" 0 out "pinhole diff: 0 worse, 0 better, 0 changed"
expect "a report with itself: nothing changed" 0 out "Nothing that matters changed."
run "$pinhole" diff "$alg" "$clean" --no-color
expect "the ALG gone: exit 0" 0 out "  fail  -> pass  sip-alg.udp.5060"
expect "the ALG gone: said" 0 out "      SIP ALG: on the path -> gone"
expect "the ALG gone: its elements" 0 out "      inbound no longer rewritten: Request-URI, To"
long=$(awk 'length > 80' <<< "$out")
want "text: 80 columns" "$long" ""
run "$pinhole" diff "$clean" "$alg" --no-color
expect "the ALG back: exit 1" 1 out "Worse"
expect "the ALG back: said" 1 out "      SIP ALG: not seen -> on the path"
run "$pinhole" diff "$clean" "$alg" --json
want "--json: the schema" "$(jq -r .schema <<< "$out")" "pinhole.diff/1"
want "--json: worse" "$(jq -c '[.worse, .counts.worse, ([.checks[] | select(.change == "worse") | .id])]' <<< "$out")" \
	'[true,1,["sip-alg.udp.5060"]]'
want "--json: udp-timeout measured in one only" \
	"$(jq -r '.checks[] | select(.id == "udp-timeout") | "\(.change) \(.before) \(.after)"' <<< "$out")" \
	"unmeasured fail skip"
run "$pinhole" diff -f html "$clean" "$alg"
want "-f html: exit 1" "$st" 1
want "-f html: a page" "$(head -1 <<< "$out")" "<!DOCTYPE html>"
lacks "-f html: no script" out "<script"

# What cannot be compared.
refused() {	# refused NAME MESSAGE: status 2, MESSAGE on stderr, no stdout
	expect "$1" 2 err "pinhole: $2"
	want "$1: nothing on stdout" "$out" ""
}
run "$pinhole" diff "$tmp/none.json" "$alg"
refused "a missing file" "$tmp/none.json: cannot read: No such file or directory"
run "$pinhole" diff "$alg" "$tmp"
refused "a directory" "$tmp: is a directory, not a report"
echo 'not JSON {' > "$tmp/bad.json"
run "$pinhole" diff "$alg" "$tmp/bad.json"
refused "not JSON" "$tmp/bad.json: not JSON: "
: > "$tmp/empty.json"
run "$pinhole" diff "$tmp/empty.json" "$alg"
refused "an empty file" "$tmp/empty.json: not JSON: "
jq '.schema = "pinhole.report/2"' "$alg" > "$tmp/other.json"
run "$pinhole" diff "$alg" "$tmp/other.json"
refused "another schema" "$tmp/other.json is not a pinhole.report/1 report"
echo '[1,2]' > "$tmp/array.json"
run "$pinhole" diff "$tmp/array.json" "$alg"
refused "a JSON array" "$tmp/array.json is not a pinhole.report/1 report"
run "$pinhole" diff abcdefghijklmnopqrstuvwx "$alg"
refused "an id without --server" "abcdefghijklmnopqrstuvwx: a report id needs --server"
run "$pinhole" diff -s 127.0.0.1:1 ABCDEFGH "$alg"
refused "neither a file nor an id" "ABCDEFGH: cannot read: No such file or directory"
run "$pinhole" diff https://127.0.0.1:1/r/short "$alg"
refused "a link with a bad id" "'short' is not a report id (24 letters a-z and digits 2-7)"
run "$pinhole" diff https://127.0.0.1:1/x/abcdefghijklmnopqrstuvwx "$alg"
refused "not a report link" "'https://127.0.0.1:1/x/abcdefghijklmnopqrstuvwx' is not a report link (want https://HOST/r/ID)"
run "$pinhole" diff "$alg"
refused "one report" "diff needs two reports"
run "$pinhole" diff "$alg" "$alg" "$alg"
refused "three reports" "unexpected argument '$alg'"
exit "$fail"
