#!/usr/bin/env bash
# With an open-file limit of 256, 400 silent connections from 50 addresses
# neither fill the descriptor table nor make pinholed spin: a session opens
# at once, and pinholed is idle again afterwards.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
SRV_NOFILE=256 srv_start "max-sessions = 64"
t0=$(srv_cpu_ticks)
srv_py abuse.py fd_fill 400 50
sleep 3
t1=$(srv_cpu_ticks)
cpu=$(( (t1 - t0) * 100 / $(getconf CLK_TCK) ))
echo "pinholed CPU over the test and 3 s after: ${cpu}% of one core-second"
[ "$cpu" -lt 100 ] || { echo "pinholed spun while the descriptors were full"; exit 1; }
kill -0 "$srv_pid"
ticks0=$(srv_cpu_ticks); sleep 2; ticks1=$(srv_cpu_ticks)
idle=$(( (ticks1 - ticks0) * 100 / (2 * $(getconf CLK_TCK)) ))
echo "pinholed CPU while idle: ${idle}%"
[ "$idle" -lt 50 ] || { echo "pinholed spins"; exit 1; }
echo "--- pinholed log:"; cat "$SRV_TMP/log"
