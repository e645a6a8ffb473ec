#!/usr/bin/env bash
# A server that sends PINGs and never reads: pinhole check bounds what it
# queues toward the server, and reports a broken session, not a finding.
set -euo pipefail
. "$(dirname "$0")/fake.sh"
fake_start pingflood
fake_check
fake_assert 'r["verdict"] == "error" and "does not read" in json.dumps(r)'
fake_expect 2 40000
