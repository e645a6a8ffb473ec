#!/usr/bin/env bash
# With an open-file limit of 256, 16 rounds of 800 connections at once
# from 200 addresses, on the control port and a SIP TCP port (where
# pinholed closes what no session's client opens): the table is full, and
# each round closes as many unauthenticated connections as it brings, in
# the same turns of pinholed's loop as it accepts, while their descriptors
# wait for the reaper.  Accepting never pauses (there is always an
# unauthenticated connection to close), a session opens at once, and
# pinholed is idle afterwards.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
SRV_NOFILE=256 srv_start "max-sessions = 64" "max-unauth = 2048" \
	"max-unauth-per-source = 64"
srv_py abuse.py fd_burst 800 200 16
fail=0
full=$(grep -c "connection descriptors in use: closing" "$SRV_TMP/log" || true)
paused=$(grep -c "not accepting" "$SRV_TMP/log" || true)
if [ "$full" -gt 0 ]; then echo "ok - the descriptor table was full"
else echo "not ok - the descriptor table never filled"; fail=1; fi
if [ "$paused" -eq 0 ]; then echo "ok - pinholed never stopped accepting"
else
	echo "not ok - pinholed stopped accepting $paused times:" \
		"$(grep -m1 "not accepting" "$SRV_TMP/log")"
	fail=1
fi
ticks0=$(srv_cpu_ticks); sleep 2; ticks1=$(srv_cpu_ticks)
idle=$(( (ticks1 - ticks0) * 100 / (2 * $(getconf CLK_TCK)) ))
if [ "$idle" -lt 50 ]; then echo "ok - pinholed idle afterwards (${idle}% of a core)"
else echo "not ok - pinholed spins afterwards (${idle}% of a core)"; fail=1; fi
srv_stop || fail=1
exit "$fail"
