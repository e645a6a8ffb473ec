#!/usr/bin/env bash
# A server that floods ERRORs for requests nobody made, then SEEN reports
# for a watched nonce: pinhole check keeps neither without bound.
set -euo pipefail
. "$(dirname "$0")/fake.sh"
fake_start seenflood
fake_check
fake_assert 'r["verdict"] == "error" and "more SEEN reports" in checks["reach.udp.out.20000"]["summary"]'
fake_expect 2 60000
