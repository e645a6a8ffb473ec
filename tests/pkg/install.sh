#!/usr/bin/env bash
# tests/pkg/install.sh - the Debian packages, end to end: builds them from a
# copy of the tree (the tree stays clean), runs lintian (an error fails),
# installs them, checks the user, the unit, the conffile and the state
# directory, starts pinholed from the installed unit's ExecStart command
# line (as the unit's user, on the installed configuration moved to a
# namespace address and a high port, with TLS and the SQLite store in the
# state directory), runs the installed pinhole check against it from a
# second namespace, and asserts the report and its upload.  It then purges
# the packages and removes the user, and checks that nothing is left.
# Needs root.  Starts no system service: pinholed runs in this test's own
# network namespace, as this test's child.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "needs root (installs packages)"; exit 77; }

SRV=198.51.100.7 CLI=198.51.100.20 PORT=4443
NS_S="phpkgs$$" NS_C="phpkgc$$"
USER_NAME=_pinholed
CONF=/etc/pinhole/pinholed.conf
tmp=$(mktemp -d)
chmod 755 "$tmp"
srv_pid= installed=0 fail=0

ok() { echo "ok - $1"; }
bad() { echo "not ok - $1"; fail=1; }
check() {	# check WHAT [!] CMD...: ok when CMD succeeds (with !, fails)
	local what=$1 want=0 st=0
	shift
	[ "$1" = "!" ] && { want=1; shift; }
	"$@" > /dev/null 2>&1 || st=1
	if [ "$st" -eq "$want" ]; then ok "$what"; else bad "$what"; fi
}

installed_p() {	# installed_p PACKAGE: dpkg has it, or its conffiles
	dpkg-query -W -f='${Status}' "$1" 2> /dev/null | grep -qE 'installed$|config-files$'
}

# purge: the packages and the user gone, as before the test.
purge() {
	DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq pinhole pinholed \
		> "$tmp/purge.log" 2>&1
	getent passwd "$USER_NAME" > /dev/null &&
		deluser --quiet --system "$USER_NAME" >> "$tmp/purge.log" 2>&1
	getent group "$USER_NAME" > /dev/null &&
		delgroup --quiet --system "$USER_NAME" >> "$tmp/purge.log" 2>&1
	installed=0
}

cleanup() {
	local status=$?
	set +e
	[ -n "$srv_pid" ] && kill "$srv_pid" 2> /dev/null && wait "$srv_pid" 2> /dev/null
	ip netns del "$NS_S" 2> /dev/null
	ip netns del "$NS_C" 2> /dev/null
	[ "$installed" -eq 1 ] && purge
	rm -rf "$tmp"
	exit "$status"
}
trap cleanup EXIT

# What this test installs and removes must not be there already: it would
# remove what it did not install.
for p in pinhole pinholed; do
	if installed_p "$p"; then
		echo "package $p is installed already; refusing to replace and purge it"
		exit 1
	fi
done
if getent passwd "$USER_NAME" > /dev/null || [ -e /etc/pinhole ] || [ -e /var/lib/pinhole ]; then
	echo "$USER_NAME, /etc/pinhole or /var/lib/pinhole exists already; refusing to run"
	exit 1
fi

# 1. Build, from a copy of the tree as git sees it (tracked and untracked
# files, not the ignored build directories).
mkdir "$tmp/src"
(cd "$root" && git ls-files -co --exclude-standard -z |
	tar --null -T - -cf -) | tar -xf - -C "$tmp/src"
if (cd "$tmp/src" && dpkg-buildpackage -us -uc -b) > "$tmp/build.log" 2>&1; then
	ok "dpkg-buildpackage -us -uc -b"
else
	bad "dpkg-buildpackage -us -uc -b"; tail -40 "$tmp/build.log"; exit 1
fi
check "the build left nothing in the source tree" \
	test -z "$(cd "$root" && ls -d obj-* debian/.debhelper debian/tmp debian/files \
		debian/pinhole debian/pinholed ../pinhole*_*.deb 2> /dev/null)"

# 2. lintian: errors fail; warnings and notes are printed.
changes=$(ls "$tmp"/pinhole_*.changes)
lintian --fail-on error --display-info "$changes" > "$tmp/lintian.log" 2>&1
st=$?
grep -v 'running with root privileges' "$tmp/lintian.log" | sed 's/^/# lintian: /'
grep -qv 'running with root privileges' "$tmp/lintian.log" || echo "# lintian: no tags"
if [ "$st" -eq 0 ]; then ok "lintian: no errors"; else bad "lintian: status $st"; fi

# 3. Install.
debs=("$tmp"/pinhole_*.deb "$tmp"/pinholed_*.deb)
installed=1
if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${debs[@]}" > "$tmp/install.log" 2>&1; then
	ok "apt-get install ./pinhole_*.deb ./pinholed_*.deb"
else
	bad "apt-get install"; cat "$tmp/install.log"; exit 1
fi

# 4. What the packages put on the machine.
check "pinhole is /usr/bin/pinhole" test -x /usr/bin/pinhole
check "pinholed is /usr/sbin/pinholed" test -x /usr/sbin/pinholed
check "the profiles are installed" test -f /usr/share/pinhole/profiles/sip-generic.ini
check "the check page is installed" test -f /usr/share/pinhole/www/index.html
for m in man1/pinhole.1 man5/pinhole-profile.5 man8/pinholed.8; do
	check "man page $m" test -f "/usr/share/man/$m.gz"
	check "man page $m names the package's paths, not /usr/local" \
		! zgrep -q /usr/local "/usr/share/man/$m.gz"
done
pw=$(getent passwd "$USER_NAME")
if [ -n "$pw" ]; then
	uid=$(cut -d: -f3 <<< "$pw")
	ok "user $USER_NAME exists ($pw)"
	check "$USER_NAME is a system user" test "$uid" -lt 1000
	check "$USER_NAME has no login shell" grep -q 'nologin\|false' <<< "$(cut -d: -f7 <<< "$pw")"
else
	bad "no user $USER_NAME"; uid=x
fi
unit=/lib/systemd/system/pinholed.service
check "the unit is $unit" test -f "$unit"
check "the unit has no /usr/local" ! grep -q /usr/local "$unit"
check "the unit has StateDirectory=pinhole" grep -qx 'StateDirectory=pinhole' "$unit"
check "the unit is installed disabled" ! test -e /etc/systemd/system/multi-user.target.wants/pinholed.service
check "$CONF is a conffile of pinholed" \
	grep -q "^ $CONF " <<< "$(dpkg-query -W -f='${Conffiles}\n' pinholed)"
check "$CONF drops to $USER_NAME" grep -qx "user = $USER_NAME" "$CONF"
check "the state directory /var/lib/pinhole is installed" test -d /var/lib/pinhole
check "the installed configuration is valid (pinholed -n)" /usr/sbin/pinholed -n -c "$CONF"

# 5. pinholed from the unit's command line.  The unit's user (User=, root
# when there is none) runs ExecStart as written, with the configuration's
# path replaced by a copy moved to the namespace's address and a high port.
exec_line=$(sed -n 's/^ExecStart=[-+!@:]*//p' "$unit")
unit_user=$(sed -n 's/^User=//p' "$unit"); unit_user=${unit_user:-root}
read -ra cmd <<< "$exec_line"
found=0
for i in "${!cmd[@]}"; do
	[ "${cmd[$i]}" = "$CONF" ] && { cmd[$i]=$tmp/pinholed.conf; found=1; }
done
check "ExecStart reads $CONF: $exec_line" test "$found" -eq 1
check "ExecStart runs /usr/sbin/pinholed" test "${cmd[0]}" = /usr/sbin/pinholed

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=$SRV" \
	-addext "subjectAltName=IP:$SRV" \
	-keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2> /dev/null
sed -e "s/^; listen = .*/listen = $SRV/" \
	-e "s/^control-port = 443\$/control-port = $PORT/" \
	-e 's/^log = syslog$/log = stderr/' \
	-e "s|^; tls-cert = .*|tls-cert = $tmp/cert.pem|" \
	-e "s|^; tls-key = .*|tls-key = $tmp/key.pem|" \
	-e 's|^; store = sqlite:|store = sqlite:|' \
	-e "s/^; support-token = .*/support-token = $(openssl rand -hex 24)/" \
	"$CONF" > "$tmp/pinholed.conf"
for l in "listen = $SRV" "control-port = $PORT" "log = stderr" \
    "tls-cert = $tmp/cert.pem" "store = sqlite:/var/lib/pinhole/reports.db" \
    "user = $USER_NAME"; do
	grep -qxF "$l" "$tmp/pinholed.conf" || bad "the test's configuration lacks '$l'"
done

# Two namespaces of the test's own on one veth link: pinholed's and the
# client's.
if ! { ip netns add "$NS_S" && ip netns add "$NS_C" &&
    ip link add "vs$$" netns "$NS_S" type veth peer name "vc$$" netns "$NS_C" &&
    ip -n "$NS_S" addr add "$SRV/24" dev "vs$$" &&
    ip -n "$NS_C" addr add "$CLI/24" dev "vc$$" &&
    ip -n "$NS_S" link set lo up && ip -n "$NS_S" link set "vs$$" up &&
    ip -n "$NS_C" link set lo up && ip -n "$NS_C" link set "vc$$" up; }; then
	bad "the namespaces"; exit 1
fi

if [ "$unit_user" = root ]; then as=(); else as=(runuser -u "$unit_user" --); fi
ip netns exec "$NS_S" "${as[@]}" "${cmd[@]}" > "$tmp/pinholed.log" 2>&1 &
srv_pid=$!
up=0
for _ in $(seq 50); do
	ip netns exec "$NS_S" bash -c "exec 3<>/dev/tcp/$SRV/$PORT" 2> /dev/null && { up=1; break; }
	sleep 0.1
done
if [ "$up" -eq 1 ]; then ok "pinholed listens on $SRV:$PORT (as $unit_user)"
else bad "pinholed did not start"; cat "$tmp/pinholed.log"; exit 1; fi
check "pinholed dropped to $USER_NAME" \
	grep -qE "^Uid:[[:space:]]+$uid[[:space:]]+$uid[[:space:]]+$uid" "/proc/$srv_pid/status"
check "the store is in the state directory" test -f /var/lib/pinhole/reports.db

# 6. The installed pinhole checks against it, and shares its report.
st=0
ip netns exec "$NS_C" timeout 120 /usr/bin/pinhole check --json \
	--server "$SRV:$PORT" --profile sip-generic --tls-ca "$tmp/cert.pem" --share \
	--skip udp-timeout --skip media --skip nat-layers \
	> "$tmp/report.json" 2> "$tmp/stderr" || st=$?
if [ "$st" -eq 0 ] || [ "$st" -eq 1 ]; then ok "pinhole check ended with a verdict (status $st)"
else bad "pinhole check status $st: $(head -c 600 "$tmp/stderr")"; fi
jqwant() {	# jqwant WHAT FILTER EXPECTED
	local got
	got=$(jq -r "$2" "$tmp/report.json" 2>&1)
	if [ "$got" = "$3" ]; then ok "$1"; else bad "$1: got '${got:0:200}', want '$3'"; fi
}
jqwant "the report's schema" .schema pinhole.report/1
jqwant "the report names the installed profile" '.profiles | index("sip-generic") != null' true
jqwant "no ALG between the namespaces: sip-alg.udp.5060 passes" \
	'.checks[] | select(.id == "sip-alg.udp.5060") | .verdict' pass
jqwant "reach.tcp.out.5060 passes" '.checks[] | select(.id == "reach.tcp.out.5060") | .verdict' pass
id=$(sed -n 's|.*https://[^ ]*/r/\([A-Za-z0-9_-]*\).*|\1|p' "$tmp/stderr" | head -1)
if [ -n "$id" ]; then ok "the report was shared ($id)"
else bad "no link on stderr: $(head -c 600 "$tmp/stderr")"; fi
if [ -n "$id" ] && ip netns exec "$NS_C" timeout 30 /usr/bin/pinhole show \
    --server "$SRV:$PORT" --tls-ca "$tmp/cert.pem" --json "$id" > "$tmp/shown.json" 2>&1 &&
    [ "$(jq -r .schema "$tmp/shown.json")" = pinhole.report/1 ]; then
	ok "pinhole show reads it back from the store"
else
	bad "pinhole show: $(head -c 400 "$tmp/shown.json")"
fi

kill "$srv_pid"
if wait "$srv_pid"; then ok "pinholed ended cleanly on SIGTERM"
else bad "pinholed exit status on SIGTERM"; fi
srv_pid=
[ "$fail" -eq 0 ] || { echo "# pinholed log:"; tail -20 "$tmp/pinholed.log"; }

# 7. Purge: the machine as it was.
purge
check "purged: no pinhole package" ! installed_p pinhole
check "purged: no pinholed package" ! installed_p pinholed
check "purged: no /etc/pinhole" ! test -e /etc/pinhole
check "purged: no /var/lib/pinhole" ! test -e /var/lib/pinhole
check "purged: no unit" ! test -e "$unit"
check "no user $USER_NAME left" ! getent passwd "$USER_NAME"
check "no group $USER_NAME left" ! getent group "$USER_NAME"
exit "$fail"
