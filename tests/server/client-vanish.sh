#!/usr/bin/env bash
# The server vanishes in the middle of a check: every check that depended
# on it says error (lost the control connection), not blocked, and
# the exit status is 2.
set -euo pipefail
. "$(dirname "$0")/fake.sh"
fake_start vanish
fake_check
fake_assert 'checks["reach.tcp.in.20001"]["verdict"] == "error" and "lost the control connection" in checks["reach.tcp.in.20001"]["summary"] and "blocked" not in checks["reach.tcp.in.20001"]["summary"] and r["verdict"] == "error"'
fake_expect 2
