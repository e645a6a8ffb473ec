#!/usr/bin/env bash
# tests/golden/syntax.sh: the nftables and iptables outputs of every
# profile, checked by the real tools ('nft -c -f', 'iptables-restore
# --test', and for a dual-stack site 'ip6tables-restore --test' on the
# file's "#6 " lines) inside a network namespace of their own.
set -uo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$dir/../.." && pwd)
pinhole=${PINHOLE:-$root/build/src/client/pinhole}
# Each run of pinhole config gets 10 s: a hang is a failure, not a wait.
config() { timeout -k 2 10 "$pinhole" config "$@"; }
ns="phg$$"
tmp=$(mktemp -d)
trap 'ip netns del "$ns" 2>/dev/null; rm -rf "$tmp"' EXIT
ip netns add "$ns"
fail=0
for prof in "$root"/profiles/*.ini; do
	name=$(basename "$prof" .ini)
	for site in "--forward 192.168.1.10" "--no-restrict-sources" ""; do
		# shellcheck disable=SC2086
		config --profile "$prof" --format nftables \
			--lan 192.168.1.0/24 --lan 10.0.0.0/8 --wan wan0 $site \
			> "$tmp/n" 2>/dev/null &&
		ip netns exec "$ns" nft -c -f "$tmp/n" ||
			{ echo "FAIL nft -c: $name $site"; fail=$((fail + 1)); }
		# shellcheck disable=SC2086
		config --profile "$prof" --format iptables \
			--lan 192.168.1.0/24 --lan 10.0.0.0/8 --wan wan0 $site \
			> "$tmp/i" 2>/dev/null &&
		ip netns exec "$ns" iptables-restore --test "$tmp/i" ||
			{ echo "FAIL iptables-restore --test: $name $site"; fail=$((fail + 1)); }
	done
done
for prof in "$root"/profiles/*.ini "$dir"/profiles/*.ini; do
	name=$(basename "$prof" .ini)
	for site in "--forward 192.168.1.10" "--forward 2001:db8:1::10" \
		"--no-restrict-sources" ""; do
		# shellcheck disable=SC2086
		config --profile "$prof" --format nftables --lan 192.168.1.0/24 \
			--lan 2001:db8:1::/64 --wan wan0 $site > "$tmp/n" 2>/dev/null &&
		ip netns exec "$ns" nft -c -f "$tmp/n" ||
			{ echo "FAIL nft -c: $name dual $site"; fail=$((fail + 1)); }
		# shellcheck disable=SC2086
		config --profile "$prof" --format iptables --lan 192.168.1.0/24 \
			--lan 2001:db8:1::/64 --wan wan0 $site > "$tmp/i" 2>/dev/null &&
		ip netns exec "$ns" iptables-restore --test "$tmp/i" &&
		grep -q '^#6 \*filter' "$tmp/i" &&
		sed -n 's/^#6 //p' "$tmp/i" |
			ip netns exec "$ns" ip6tables-restore --test ||
			{ echo "FAIL ip(6)tables-restore --test: $name dual $site"; fail=$((fail + 1)); }
	done
done
echo "syntax: $fail failures"
[ "$fail" -eq 0 ]
