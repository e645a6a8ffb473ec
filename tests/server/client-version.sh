#!/usr/bin/env bash
# A server whose preamble names a version above the client's: refused as
# docs/protocol.md section 2 says, with or without its ERROR 505.
set -euo pipefail
. "$(dirname "$0")/fake.sh"
for mode in version newer; do
	fake_start "$mode"
	fake_check
	fake_assert 'list(checks) == ["session"] and "version 2" in checks["session"]["summary"] and "newer pinhole" in checks["session"]["summary"]'
	[ "$mode" = newer ] ||
		fake_assert '"server says: this server speaks version 2 only)" in checks["session"]["summary"]'
	fake_expect 2
	wait "$srv_pid" 2>/dev/null || true
	srv_pid=
done
