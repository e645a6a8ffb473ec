#!/usr/bin/env bash
# sweep-pps (1000 here), measured where the datagrams arrive: two SWEEPs
# of 1000 ports asked back to back run one after the other, each at 1000
# datagrams a second (80-105%), one datagram per port, SENT after the
# last; the session as a whole is never faster than sweep-pps.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
srv_start "sweep-pps = 1000"
srv_caps sweep_pps 1000 1000
