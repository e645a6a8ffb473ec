#!/usr/bin/env bash
# A client that sends PINGs and never reads is cut off at the output
# limit: pinholed's memory stays bounded (not judged for an AddressSanitizer
# build, whose RSS holds its quarantine).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
srv_start
srv_py abuse.py outq
rss=$(srv_rss_kb)
echo "pinholed RSS after: ${rss} KiB (bound 40960)"
if srv_asan; then
	echo "ok - # skip the RSS bound: an AddressSanitizer build"
else
	[ "$rss" -lt 40960 ] || { echo "pinholed grew to ${rss} KiB"; exit 1; }
fi
