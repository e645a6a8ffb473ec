#!/usr/bin/env bash
# pinholed started as root with an inherited descriptor runs sandboxed: the
# descriptor closed, no capabilities left even in the bounding set, not
# root, no_new_privs, a seccomp filter, the root directory as working
# directory; and under the filter it still serves a session, STUN, the
# reachability responders and SEND, then shuts down cleanly on SIGTERM.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
fail=0
want() {	# want WHAT GOT EXPECTED
	if [ "$2" = "$3" ]; then
		echo "ok - $1: $2"
	else
		echo "not ok - $1: got '$2', want '$3'"; fail=1
	fi
}
cd "$SRV_TMP"	# so that an unchanged working directory shows
exec 7</etc/hostname
srv_start
exec 7<&-
# The control port listens before the sandbox is entered; "ready" follows it.
for _ in $(seq 50); do
	grep -q ' ready: ' "$SRV_TMP/log" && break
	sleep 0.1
done
st=/proc/$srv_pid/status
field() { awk -v k="$1:" '$1 == k {print $2}' "$st"; }
want NoNewPrivs "$(field NoNewPrivs)" 1
want "Seccomp (2: filter)" "$(field Seccomp)" 2
want CapBnd "$(field CapBnd)" 0000000000000000
want CapPrm "$(field CapPrm)" 0000000000000000
want CapEff "$(field CapEff)" 0000000000000000
want CapInh "$(field CapInh)" 0000000000000000
want "Uid (real, effective, saved)" "$(awk '/^Uid:/ {print $2, $3, $4}' "$st")" \
	"$(id -u nobody) $(id -u nobody) $(id -u nobody)"
want "cwd" "$(readlink "/proc/$srv_pid/cwd")" /
inherited=none
for fd in /proc/"$srv_pid"/fd/*; do
	[ "$(readlink "$fd")" = /etc/hostname ] && inherited=${fd##*/}
done
want "inherited descriptor 7 (/etc/hostname) open as" "$inherited" none
# The filter lets the daemon work: a session and STUN (RFC 5780), the
# responders, SEND refusals.
for what in stun5780 reach rules; do
	if srv_py peer.py "$what" > "$SRV_TMP/peer.out" 2>&1; then
		echo "ok - $what under the filter"
	else
		echo "not ok - $what under the filter:"; cat "$SRV_TMP/peer.out"
		fail=1
	fi
done
if srv_stop; then
	[ "$fail" -eq 0 ] || { echo "# pinholed log:"; cat "$SRV_TMP/log"; }
else
	fail=1
fi
exit "$fail"
