#!/usr/bin/env bash
# A client that sends PINGs and never reads is cut off at the output
# limit: pinholed's memory stays bounded.  The bound is on growth, 25 MiB
# over its resident set before the client (about 15 MiB, so 40 MiB as
# before): an ASan build starts at 30-45 MiB.  Under ASan the quarantine
# of freed memory is held to 1 MiB here, since the bound is on what
# pinholed keeps, not on what the sanitizer keeps of what it freed (256 MiB
# by default: measured 158 MiB after this client, 37 MiB with 1 MiB).
set -euo pipefail
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=1
. "$(dirname "$0")/lib.sh"
srv_start
before=$(srv_rss_kb)
srv_py abuse.py outq
rss=$(srv_rss_kb)
bound=$((before + 25600))
echo "pinholed RSS before: ${before} KiB, after: ${rss} KiB (bound ${bound})"
[ "$rss" -lt "$bound" ] || { echo "pinholed grew to ${rss} KiB"; exit 1; }
srv_stop
