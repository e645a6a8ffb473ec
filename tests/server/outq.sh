#!/usr/bin/env bash
# A client that sends PINGs and never reads is cut off at the output
# limit: pinholed's memory stays bounded.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
srv_start
srv_py abuse.py outq
rss=$(srv_rss_kb)
echo "pinholed RSS after: ${rss} KiB (bound 40960)"
[ "$rss" -lt 40960 ] || { echo "pinholed grew to ${rss} KiB"; exit 1; }
