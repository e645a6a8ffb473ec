#!/usr/bin/env bash
set -euo pipefail
. tests/lab/lib.sh
lab_begin show
lab_topology nat
lab_router_nat
lab_exec server turnserver -n --listening-ip=203.0.113.10 --listening-ip=203.0.113.11 --listening-port=3478 --alt-listening-port=3479 --no-tls --no-dtls --stun-only --no-cli --log-file=stdout --simple-log > $LAB_TMP/turn.log 2>&1 &
lab_pids+=($!)
for i in $(seq 50); do lab_exec server ss -lun | grep -q 203.0.113.11:3479 && break; sleep 0.2; done; sleep 0.5

kill ${lab_pids[0]}; wait ${lab_pids[0]} 2>/dev/null || true
lab_pids=()
lab_pinholed
for o in "-m -P" "-f -P"; do echo "== $o"; lab_exec client timeout 20 stdbuf -oL turnutils_natdiscovery $o 203.0.113.10 2>&1; done
