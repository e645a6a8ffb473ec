#!/usr/bin/env bash
# pinholed sends on request only to the session client's own address, and
# runs without root once its ports are bound.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
srv_start
srv_py peer.py rules
uid=$(awk '/^Uid:/ {print $2}' "/proc/$srv_pid/status")
if [ "$uid" != "$(id -u nobody)" ]; then
	echo "pinholed still runs as uid $uid"; exit 1
fi
echo "pinholed runs as nobody (uid $uid) after binding port 4443"
