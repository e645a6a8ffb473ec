#!/usr/bin/env bash
# Ground truth: the closed loop with iptables.  A broken router built with
# iptables (SIP ALG on 5060 by CT --helper, UDP timeouts of 10 s, 5062
# closed) fails the checks; pinhole config's iptables-restore file, with
# the sysctl lines of its header, is loaded; then every check passes.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
LAB_PROFILE=$LAB_ROOT/tests/lab/profiles/lab-phones.ini
lab_config_loop iptables iptables
