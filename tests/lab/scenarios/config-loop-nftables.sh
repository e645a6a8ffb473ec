#!/usr/bin/env bash
# Ground truth: the closed loop.  A broken router (SIP ALG on 5060, UDP
# timeouts of 10 s, SIP's port 5062 closed) fails the checks; the nftables
# configuration that pinhole config writes for the profile, from the
# report of that run, is loaded on the router; then every check that runs
# passes.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
LAB_PROFILE=$LAB_ROOT/tests/lab/profiles/lab-phones.ini
lab_config_loop nftables nft
