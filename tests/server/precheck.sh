#!/usr/bin/env bash
# pinholed -n refuses, with exit status 2 and a message naming the cause,
# what the start would refuse: an unknown user, a user with uid 0, a TLS
# key that cannot be read, an open-file limit too low for the listeners,
# a check page (page-dir, page-profile) that cannot be loaded.  Nothing is
# bound, and no database is created.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
pinholed=${PINHOLED:-$root/build/src/server/pinholed}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
refused() {	# refused WHAT PATTERN [ulimit -n]: -n on $tmp/c.conf
	local out st
	out=$(if [ -n "${3:-}" ]; then ulimit -n "$3"; fi
		"$pinholed" -n -c "$tmp/c.conf" 2>&1); st=$?
	if [ "$st" -eq 2 ] && grep -q -- "$2" <<< "$out"; then
		echo "ok - $1 refused: $out"
	else
		echo "not ok - $1: want exit 2 and '$2', got $st: $out"; fail=1
	fi
}
user=nosuchuser$$
printf '[server]\nuser = %s\n' "$user" > "$tmp/c.conf"
refused "unknown user" "user '$user' does not exist"
printf '[server]\nuser = root\n' > "$tmp/c.conf"
refused "a user with uid 0" "'root' has uid 0"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=pinholed \
	-keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null
printf '[server]\nuser = nobody\ntls-cert = %s\ntls-key = %s\n' \
	"$tmp/cert.pem" "$tmp/missing-key.pem" > "$tmp/c.conf"
refused "a missing TLS key" "cannot read tls-key $tmp/missing-key.pem"
# 2 addresses x 2004 UDP ports need more than 1024 descriptors.
printf '[server]\nuser = nobody\nlisten = 127.0.0.1\nlisten = 127.0.0.2\nsip-udp-ports = 5060-7063\n' \
	> "$tmp/c.conf"
refused "too many listeners for the open-file limit" \
	"open-file limit 1024 is below the" 1024
# The check page (with a store): a profile or a directory the start
# cannot load.  -n creates no database either.
page() {	# page LINE: a store, and LINE in [server]
	printf '[server]\nuser = nobody\ntls-cert = %s\ntls-key = %s\nstore = sqlite:%s\n%s\n' \
		"$tmp/cert.pem" "$tmp/key.pem" "$tmp/reports.db" "$1" > "$tmp/c.conf"
}
page "page-dir = $root/www
page-profile = no-such-profile"
refused "a page-profile that cannot be found" "page-profile: .*no-such-profile"
page "page-dir = $tmp/no-such-dir"
refused "a page-dir that is not there" "page-dir $tmp/no-such-dir"
if [ -e "$tmp/reports.db" ]; then
	echo "not ok - -n created the database"; fail=1
else
	echo "ok - -n created no database"
fi
printf '[server]\nuser = nobody\ntls-cert = %s\ntls-key = %s\n' \
	"$tmp/cert.pem" "$tmp/key.pem" > "$tmp/c.conf"
out=$(ulimit -n 1024; "$pinholed" -n -c "$tmp/c.conf" 2>&1); st=$?
if [ "$st" -eq 0 ]; then
	echo "ok - a valid configuration with TLS passes: $out"
else
	echo "not ok - valid configuration: $st $out"; fail=1
fi
exit "$fail"
