#!/usr/bin/env bash
# -v logs on stderr what pinhole sends and what comes back, as --help and
# pinhole(1) say; without it, none of that.  Loopback only: a STUN request
# to a port where nothing answers (status 2: no answer is an error).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

run timeout 20 "$pinhole" -v nat --stun 127.0.0.1:9 --timeout 1
expect "-v nat: each request sent" 2 err "pinhole: stun: binding request to 127.0.0.1:9 (send 1)"
expect "-v nat: retransmitted" 2 err "(send 2)"
expect "-v nat: the report still on stdout" 2 out "verdict: "
run timeout 20 "$pinhole" nat --stun 127.0.0.1:9 --timeout 1
lacks "without -v: no debug lines" err "binding request"
exit $fail
