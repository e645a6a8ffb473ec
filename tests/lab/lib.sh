# tests/lab/lib.sh - network-namespace lab for pinhole, sourced by scenarios.
#
# Every namespace is named with a prefix unique to this run, linked only to
# the other namespaces of the run, and removed by the EXIT trap, together
# with every process the scenario started (by PID).  Addresses follow real
# networks: a LAN in 192.168.1.0/24 behind the router, the internet side in
# 203.0.113.0/24 (documentation range), the server on .10 and .11.

LAB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LAB_BUILD=${LAB_BUILD:-$LAB_ROOT/build}
PINHOLE=${PINHOLE:-$LAB_BUILD/src/client/pinhole}
PINHOLED=${PINHOLED:-$LAB_BUILD/src/server/pinholed}
# pinholed's ASAN_OPTIONS: the caller's, else a sanitizer build runs
# without the leak check and the threads' signal stacks
# (docs/decisions.md); other programs keep the caller's.
PINHOLED_ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:use_sigaltstack=0}
LAB_PROFILE=${LAB_PROFILE:-$LAB_ROOT/profiles/ringio-ip-phones.ini}
LAB_SERVER=203.0.113.10

lab_pids=()
lab_nss=()
lab_failed=0
lab_checks=0

lab_cleanup() {
	local pid ns i status=$?
	set +e
	if [ "$status" -eq 0 ] && [ -z "${LAB_ENDED:-}" ]; then
		echo "# ${LAB_NAME:-lab}: ended without a verdict (lab_end never ran)"
		status=1
	fi
	# Last started, first ended: clients go before the servers they
	# would otherwise wait for (a phone unregistering from its registrar).
	for ((i = ${#lab_pids[@]} - 1; i >= 0; i--)); do
		pid=${lab_pids[i]}
		kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	done
	if [ -n "${LAB_NETNS_ETC:-}" ]; then
		rm -rf "$LAB_NETNS_ETC"
		rmdir /etc/netns 2>/dev/null
	fi
	for ns in "${lab_nss[@]}"; do
		# Whatever still runs in our namespaces was started by us.
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill "$pid" 2>/dev/null
		done
		ip netns del "$ns" 2>/dev/null
	done
	[ -n "${LAB_TMP:-}" ] && rm -rf "$LAB_TMP"
	exit "$status"
}

# lab_begin NAME: a fresh prefix, a temp dir, and the cleanup trap.
lab_begin() {
	LAB_NAME=$1
	LAB_PREFIX="phl$$-"
	if ip netns list | grep -q "^$LAB_PREFIX"; then
		echo "lab: namespaces with prefix $LAB_PREFIX exist already" >&2
		exit 1
	fi
	[ "$(id -u)" = 0 ] || { echo "lab: needs root" >&2; exit 1; }
	[ -x "$PINHOLE" ] && [ -x "$PINHOLED" ] ||
		{ echo "lab: build first (missing $PINHOLE or $PINHOLED)" >&2; exit 1; }
	LAB_TMP=$(mktemp -d)
	chmod 755 "$LAB_TMP"
	trap lab_cleanup EXIT
	echo "# scenario $LAB_NAME"
}

# lab_ns SHORT: creates namespace $LAB_PREFIX$SHORT with lo up.
lab_ns() {
	local ns="$LAB_PREFIX$1"
	ip netns add "$ns"
	lab_nss+=("$ns")
	ip -n "$ns" link set lo up
}

# lab_spawn NS LOG CMD...: CMD in the background in namespace NS, output
# to LOG.  Its PID (the command's own, not a subshell's, so that cleanup
# really ends it) goes to LAB_PID and the cleanup list.
lab_spawn() {
	local ns="$LAB_PREFIX$1" log=$2
	shift 2
	ip netns exec "$ns" "$@" > "$log" 2>&1 &
	LAB_PID=$!
	lab_pids+=("$LAB_PID")
}

lab_exec() {
	local ns="$LAB_PREFIX$1"
	shift
	ip netns exec "$ns" "$@"
}

# lab_link NS1 IF1 ADDR1/LEN NS2 IF2 ADDR2/LEN: a veth pair between two namespaces.
lab_link() {
	local a="$LAB_PREFIX$1" b="$LAB_PREFIX$4"
	ip link add "$2" netns "$a" type veth peer name "$5" netns "$b"
	ip -n "$a" addr add "$3" dev "$2"
	ip -n "$b" addr add "$6" dev "$5"
	ip -n "$a" link set "$2" up
	ip -n "$b" link set "$5" up
}

# lab_topology nat|routed|double|cgnat [NET]: client - router - server, as
# DESIGN's lab; 'double' and 'cgnat' put a second NAT (namespace
# 'carrier') between the router and the server, on NET.0/24: 10.0.0 or
# the carrier NAT range 100.64.0 unless given.  lab_router_nat still sets
# our router's.
lab_topology() {
	lab_ns client
	lab_ns router
	lab_ns server
	if [ "$1" = routed ]; then
		lab_link client eth0 198.51.100.10/24 router lan 198.51.100.1/24
		lab_exec client ip route add default via 198.51.100.1
		LAB_CLIENT_NET=198.51.100.0/24
	else
		lab_link client eth0 192.168.1.10/24 router lan 192.168.1.1/24
		lab_exec client ip route add default via 192.168.1.1
		LAB_CLIENT_NET=192.168.1.0/24
	fi
	case $1 in
	double|cgnat)
		# A second router (the provider's) between ours and the
		# internet: private behind private, or a carrier NAT.
		local inner=${2:-10.0.0}
		[ "$1" = cgnat ] && inner=${2:-100.64.0}
		lab_ns carrier
		lab_link router wan "$inner.2/24" carrier lan "$inner.1/24"
		lab_exec router ip route add default via "$inner.1"
		lab_exec router sysctl -qw net.ipv4.ip_forward=1
		lab_link carrier wan 203.0.113.2/24 server eth0 203.0.113.10/24
		ip -n "${LAB_PREFIX}server" addr add 203.0.113.11/24 dev eth0
		lab_exec carrier sysctl -qw net.ipv4.ip_forward=1
		lab_masquerade carrier
		return 0 ;;
	esac
	lab_link router wan 203.0.113.2/24 server eth0 203.0.113.10/24
	ip -n "${LAB_PREFIX}server" addr add 203.0.113.11/24 dev eth0
	lab_exec server ip route add "$LAB_CLIENT_NET" via 203.0.113.2
	lab_exec router sysctl -qw net.ipv4.ip_forward=1
}

# lab_masquerade NS: Linux masquerade on the WAN side of router NS.
lab_masquerade() {
	lab_exec "$1" nft -f - <<-NFT
	table ip phl_nat {
		chain post {
			type nat hook postrouting priority srcnat; policy accept;
			oifname "wan" masquerade
		}
	}
	NFT
}

# lab_router_nat: masquerade on our router's WAN side.
lab_router_nat() {
	lab_masquerade router
}

# lab_router_symmetric: masquerade with fully random ports, so every
# destination gets its own public port (address-and-port-dependent mapping).
lab_router_symmetric() {
	lab_exec router nft -f - <<-NFT
	table ip phl_nat {
		chain post {
			type nat hook postrouting priority srcnat; policy accept;
			oifname "wan" masquerade random,fully-random
		}
	}
	NFT
}

# lab_router_one_to_one [hairpin]: 1:1 forwarding of the router's public
# address to the client (a "full cone": endpoint-independent mapping and
# filtering).  With 'hairpin', packets from the LAN to the public address
# loop back to the client too, appearing to come from the public address.
lab_router_one_to_one() {
	local hp_pre="" hp_post=""
	if [ "${1:-}" = hairpin ]; then
		hp_pre='iifname "lan" ip daddr 203.0.113.2 dnat to 192.168.1.10'
		hp_post='iifname "lan" oifname "lan" snat to 203.0.113.2'
	fi
	lab_exec router nft -f - <<-NFT
	table ip phl_nat {
		chain pre {
			type nat hook prerouting priority dstnat; policy accept;
			iifname "wan" ip daddr 203.0.113.2 dnat to 192.168.1.10
			$hp_pre
		}
		chain post {
			type nat hook postrouting priority srcnat; policy accept;
			oifname "wan" snat to 203.0.113.2
			$hp_post
		}
	}
	NFT
}

# lab_router_addr_filter: on top of 1:1 forwarding, inbound UDP is let in
# only from addresses that the public port has sent to (address-dependent
# filtering): a dynamic set of (remote address, public port), learnt after
# source NAT and looked up before the forward.
lab_router_addr_filter() {
	lab_exec router nft -f - <<-NFT
	table ip phl_filter {
		set contacted {
			type ipv4_addr . inet_service
			flags dynamic, timeout
			timeout 5m
		}
		chain learn {
			type filter hook postrouting priority srcnat + 10; policy accept;
			oifname "wan" meta l4proto udp update @contacted { ip daddr . ct reply proto-dst }
		}
		chain inbound {
			type filter hook forward priority filter; policy accept;
			iifname "wan" ct state established,related accept
			iifname "wan" meta l4proto udp ip saddr . ct original proto-dst @contacted accept
			iifname "wan" meta l4proto udp drop
		}
	}
	NFT
}

# lab_alg udp|tcp PORT [ip|ip6]: the kernel's SIP ALG (nf_conntrack_sip,
# nf_nat_sip) on that transport and port, for IPv4 unless 'ip6' says IPv6,
# assigned the way a router assigns it.
lab_alg() {
	local proto=$1 port=$2 fam=${3:-ip}
	lab_exec router nft -f - <<-NFT
	table $fam phl_alg_$proto {
		ct helper sip-$proto {
			type "sip" protocol $proto;
		}
		chain pre {
			type filter hook prerouting priority filter; policy accept;
			$proto dport $port ct helper set "sip-$proto"
		}
	}
	NFT
}

# lab_udp_timeout UNREPLIED [ESTABLISHED]: the router's conntrack UDP
# timeouts, for flows without a reply (or only a quick one) and for streams.
lab_udp_timeout() {
	lab_exec router sysctl -qw net.netfilter.nf_conntrack_udp_timeout="$1"
	lab_exec router sysctl -qw net.netfilter.nf_conntrack_udp_timeout_stream="${2:-$1}"
}

# lab_ct_timeout PORT UNREPLIED REPLIED: an nftables ct timeout policy for
# UDP flows to PORT only, as a firewall sets one per service.
lab_ct_timeout() {
	lab_exec router nft -f - <<-NFT
	table ip phl_cttimeout {
		ct timeout voice {
			protocol udp;
			l3proto ip;
			policy = { unreplied : $2, replied : $3 }
		}
		chain pre {
			type filter hook prerouting priority filter; policy accept;
			udp dport $1 ct timeout set "voice"
		}
	}
	NFT
}

# lab_ct_timeout6 UNREPLIED REPLIED: the router's IPv6 UDP timeouts, apart
# from IPv4's: an nftables ct timeout policy for every UDP flow over IPv6,
# as a gateway whose IPv6 firewall keeps its own (RFC 6092 asks 2 minutes
# at least above port 1023; many keep less).
lab_ct_timeout6() {
	lab_exec router nft -f - <<-NFT
	table ip6 phl_cttimeout6 {
		ct timeout udp6 {
			protocol udp;
			l3proto ip6;
			policy = { unreplied : $1, replied : $2 }
		}
		chain pre {
			type filter hook prerouting priority filter; policy accept;
			meta l4proto udp ct timeout set "udp6"
		}
	}
	NFT
}

# lab_tls_cert: a self-signed certificate for the server's address (and,
# after lab_ipv6, its IPv6 address LAB_SERVER6), in $LAB_TMP/cert.pem and
# key.pem; lab_pinholed then offers TLS.
lab_tls_cert() {
	openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=$LAB_SERVER" \
		-addext "subjectAltName=IP:$LAB_SERVER${LAB_IPV6:+,IP:$LAB_SERVER6}" \
		-keyout "$LAB_TMP/key.pem" -out "$LAB_TMP/cert.pem" 2>/dev/null
	chmod 644 "$LAB_TMP/key.pem"
	LAB_TLS="tls-cert = $LAB_TMP/cert.pem
tls-key = $LAB_TMP/key.pem"
}

# lab_pinholed: pinholed on both server addresses, waited for.  With
# LAB_NOFILE it starts with that open-file limit (soft and hard); LAB_LIMITS
# holds extra "key = value" lines for its [limits] section.
lab_pinholed() {
	local conf=$LAB_TMP/pinholed.conf i
	cat > "$conf" <<-CONF
	[server]
	listen = 203.0.113.10
	listen = 203.0.113.11
	${LAB_IPV6:+listen = $LAB_SERVER6}
	${LAB_IPV6:+listen = 2001:db8:ff::11}
	control-port = ${LAB_CONTROL_PORT:-443}
	sip-udp-ports = 5060-5066
	sip-tcp-ports = 5060-5066
	stun-port = 3478
	user = nobody
	${LAB_TLS:-}
	${LAB_CONF_EXTRA:-}
	[limits]
	${LAB_LIMITS:-}
	CONF
	if [ -n "${LAB_NOFILE:-}" ]; then
		lab_spawn server "$LAB_TMP/pinholed.log" \
			env ASAN_OPTIONS="$PINHOLED_ASAN_OPTIONS" bash -c \
			'ulimit -n "$0" && exec "$1" -c "$2"' "$LAB_NOFILE" "$PINHOLED" "$conf"
	else
		lab_spawn server "$LAB_TMP/pinholed.log" \
			env ASAN_OPTIONS="$PINHOLED_ASAN_OPTIONS" "$PINHOLED" -c "$conf"
	fi
	for i in $(seq 50); do
		if lab_exec server bash -c "exec 3<>/dev/tcp/$LAB_SERVER/${LAB_CONTROL_PORT:-443}" 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	echo "lab: pinholed did not start:" >&2
	cat "$LAB_TMP/pinholed.log" >&2
	exit 1
}

# lab_ipv6 [nat66|nptv6]: IPv6 beside IPv4 on the nat or routed topology.
# Without an argument as ISPs hand it out: the LAN 2001:db8:1::/64 (client
# ::10, router ::1), routed, no NAT.  With one, the LAN is a ULA prefix,
# fd00:1::/64, translated at the router's WAN: 'nat66' masquerades to the
# router's address (the interface identifier lost, ports rewritten),
# 'nptv6' maps the prefix to 2001:db8:2::/64 (RFC 6296: the interface
# identifier kept).  The internet side is 2001:db8:ff::/64 (router ::2,
# server ::10 and ::11: LAB_SERVER6).  The router filters nothing until a
# scenario says so (lab_router_fw6).  lab_pinholed then listens on both
# families.  Sets LAB_CLIENT6, the client's own address.
LAB_SERVER6=2001:db8:ff::10
lab_ipv6() {
	local c="${LAB_PREFIX}client" r="${LAB_PREFIX}router" s="${LAB_PREFIX}server"
	local lan=2001:db8:1
	[ -n "${1:-}" ] && lan=fd00:1
	LAB_CLIENT6=$lan::10
	ip -n "$c" addr add $LAB_CLIENT6/64 dev eth0 nodad
	ip -n "$r" addr add $lan::1/64 dev lan nodad
	ip -n "$r" addr add 2001:db8:ff::2/64 dev wan nodad
	ip -n "$s" addr add $LAB_SERVER6/64 dev eth0 nodad
	ip -n "$s" addr add 2001:db8:ff::11/64 dev eth0 nodad
	ip -n "$c" -6 route add default via $lan::1
	lab_exec router sysctl -qw net.ipv6.conf.all.forwarding=1
	case ${1:-} in
	'') ip -n "$s" -6 route add 2001:db8:1::/64 via 2001:db8:ff::2 ;;
	nat66)
		lab_exec router nft -f - <<-NFT
		table ip6 phl_nat66 {
			chain post {
				type nat hook postrouting priority srcnat; policy accept;
				oifname "wan" masquerade
			}
		}
		NFT
		;;
	nptv6)
		ip -n "$s" -6 route add 2001:db8:2::/64 via 2001:db8:ff::2
		lab_exec router nft -f - <<-NFT
		table ip6 phl_nptv6 {
			chain post {
				type nat hook postrouting priority srcnat; policy accept;
				oifname "wan" ip6 saddr fd00:1::/64 snat prefix to 2001:db8:2::/64
			}
			chain pre {
				type nat hook prerouting priority dstnat; policy accept;
				iifname "wan" ip6 daddr 2001:db8:2::/64 dnat prefix to fd00:1::/64
			}
		}
		NFT
		;;
	*) echo "lab_ipv6: '$1' is not nat66 or nptv6" >&2; exit 1 ;;
	esac
	LAB_IPV6=1
}

# lab_router_fw6: the router's IPv6 as home gateways ship it (RFC 6092):
# a stateful firewall that lets out what the LAN starts, and in only its
# replies and the ICMPv6 a path needs.
lab_router_fw6() {
	lab_exec router nft -f - <<-NFT
	table ip6 phl_fw6 {
		chain forward {
			type filter hook forward priority filter; policy drop;
			ct state established,related accept
			iifname "lan" accept
			icmpv6 type { destination-unreachable, packet-too-big,
				time-exceeded, parameter-problem } accept
		}
	}
	NFT
}

# lab_check [ARGS...]: pinhole check --json from the client; JSON in
# $LAB_JSON, its exit status in LAB_STATUS (lab_status_agrees judges it).
# It runs for LAB_CHECK_LIMIT seconds at most (300): a hang is a failure.  The UDP timeout measurement, which takes as long as the
# timeout, runs only in scenarios that ask for it with --udp-timeout-max;
# the reachability checks only in scenarios that set LAB_REACH; the media
# test call lasts 3 s unless the scenario gives --media-seconds.
lab_check() {
	local skip=(--skip udp-timeout)
	case " $* " in *" --udp-timeout-max "*) skip=() ;; esac
	# A short test call unless the scenario measures media itself.
	case " $* " in *" --media-seconds "*) ;; *) skip+=(--media-seconds 3) ;; esac
	[ -z "${LAB_REACH:-}" ] && skip+=(--skip reach --skip reach-in)
	LAB_JSON=$LAB_TMP/report.json
	local as=()
	# LAB_AS=USER: pinhole runs as that user, without root's privileges.
	[ -n "${LAB_AS:-}" ] && as=(setpriv --reuid="$LAB_AS" --regid="$(id -g "$LAB_AS")" \
		--clear-groups --inh-caps=-all)
	rm -f "$LAB_JSON"
	lab_guarded && lab_guard_begin
	set +e
	lab_exec client timeout -k 5 "${LAB_CHECK_LIMIT:-300}" "${as[@]}" "$PINHOLE" check --server "$LAB_SERVER:${LAB_CONTROL_PORT:-443}" \
		--profile "$LAB_PROFILE" --json "${skip[@]}" "$@" > "$LAB_JSON" 2> "$LAB_TMP/check.err"
	LAB_STATUS=$?
	set -e
	lab_status_agrees "$LAB_JSON" "$LAB_STATUS" "$LAB_TMP/check.err"
	lab_guarded && lab_guard_end
	lab_keep_report
}

# lab_json_problem FILE: says (on stdout) why FILE is not exactly one JSON
# document fit to assert on: missing, empty, unparsable, several documents
# (jq would judge only the last), or a report whose check ids repeat.
# Prints nothing when it is fit.  Debian 12's jq 1.6 exits 0 for
# 'jq -e EXPR' on an empty file, so nothing reads a report unchecked.
lab_json_problem() {
	local n dup
	if ! [ -e "$1" ]; then echo "$1 is missing"; return 0; fi
	if ! [ -s "$1" ]; then echo "$1 is empty"; return 0; fi
	if ! n=$(jq -s length "$1" 2>/dev/null); then
		echo "$1 is not JSON (truncated?): $(head -c 120 "$1" | tr '\n' ' ')"
		return 0
	fi
	if [ "$n" != 1 ]; then echo "$1 holds $n JSON documents, not one"; return 0; fi
	dup=$(jq -r 'if type == "object" and (.checks | type) == "array" then
		[.checks[].id] | group_by(.) | map(select(length > 1)[0]) | join(" ")
		else "" end' "$1")
	[ -z "$dup" ] || echo "$1 repeats check ids: $dup"
}

# lab_status_agrees REPORT STATUS ERRFILE: pinhole's exit status is one it
# documents (0 every check passed, 1 one failed, 2 an error) and says what
# the report says; anything else (a signal, 3 and up) fails, unless the
# scenario expects it in LAB_EXPECT_STATUS.  Counts as one expectation.
lab_status_agrees() {
	local why="" verdicts
	lab_checks=$((lab_checks + 1))
	if [ -n "${LAB_EXPECT_STATUS:-}" ]; then
		[ "$2" = "$LAB_EXPECT_STATUS" ] ||
			why="status $2, the scenario expects $LAB_EXPECT_STATUS"
	elif [ "$2" -gt 2 ]; then
		why="status $2, which pinhole never gives (a crash or a signal)"
	elif [ "$2" -ne 2 ] || [ -s "$1" ]; then
		why=$(lab_json_problem "$1")
		if [ -z "$why" ]; then
			verdicts=$(jq -r '[.checks[].verdict] | unique | join(" ")' "$1")
			case "$2 $verdicts " in
			0\ *fail\ *|0\ *error\ *) why="status 0, but verdicts are: $verdicts" ;;
			1\ *error\ *) why="status 1, but a check ended in error: $verdicts" ;;
			1\ *fail\ *) ;;
			1\ *) why="status 1, but no check failed: $verdicts" ;;
			2\ *error\ *) ;;
			2\ *) why="status 2 with a report, but no check ended in error: $verdicts" ;;
			esac
		fi
	fi
	if [ -z "$why" ]; then
		echo "ok - pinhole exited $2, as its report says"
		return 0
	fi
	echo "not ok - pinhole check: $why"
	sed 's/^/    | /' "$3" | tail -20
	lab_failed=$((lab_failed + 1))
}

# lab_keep_report: every field of the report must be documented in
# docs/report.md (test_report_fields reads its field tables).  With
# LAB_REPORTS=DIR, a copy of the report goes there too (NAME-N.json), as
# tests/unit/data/reports/ was filled.
lab_keep_report() {
	local n=0 fields=$LAB_BUILD/tests/unit/test_report_fields
	if [ -x "$fields" ] && [ -s "$LAB_JSON" ]; then
		lab_checks=$((lab_checks + 1))
		if "$fields" "$LAB_JSON" > "$LAB_TMP/fields.err" 2>&1; then
			echo "ok - every field of the report is in docs/report.md"
		else
			echo "not ok - fields the report writes and docs/report.md does not document:"
			sed 's/^/    /' "$LAB_TMP/fields.err"
			lab_failed=$((lab_failed + 1))
		fi
	fi
	[ -n "${LAB_REPORTS:-}" ] || return 0
	mkdir -p "$LAB_REPORTS"
	while [ -e "$LAB_REPORTS/$LAB_NAME-$n.json" ]; do n=$((n + 1)); done
	cp "$LAB_JSON" "$LAB_REPORTS/$LAB_NAME-$n.json" 2>/dev/null || true
}

# lab_check_text [ARGS...]: the same check as lab_check, as the text report
# a person reads (80 columns, no color); text in $LAB_TEXT.
lab_check_text() {
	local skip=(--skip udp-timeout)
	case " $* " in *" --udp-timeout-max "*) skip=() ;; esac
	# A short test call unless the scenario measures media itself.
	case " $* " in *" --media-seconds "*) ;; *) skip+=(--media-seconds 3) ;; esac
	[ -z "${LAB_REACH:-}" ] && skip+=(--skip reach --skip reach-in)
	LAB_TEXT=$LAB_TMP/report.txt
	rm -f "$LAB_TEXT"
	set +e
	lab_exec client timeout -k 5 "${LAB_CHECK_LIMIT:-300}" "$PINHOLE" check --server "$LAB_SERVER:${LAB_CONTROL_PORT:-443}" \
		--profile "$LAB_PROFILE" --no-color "${skip[@]}" "$@" > "$LAB_TEXT" 2> "$LAB_TMP/check-text.err"
	LAB_STATUS=$?
	set -e
	lab_checks=$((lab_checks + 1))
	if [ "$LAB_STATUS" -le 2 ] && [ -s "$LAB_TEXT" ]; then
		echo "ok - pinhole check wrote a text report, status $LAB_STATUS"
	else
		echo "not ok - pinhole check's text report: status $LAB_STATUS, $(wc -c < "$LAB_TEXT") bytes"
		sed 's/^/    | /' "$LAB_TMP/check-text.err" | tail -20
		lab_failed=$((lab_failed + 1))
	fi
}

# lab_text_expect 'SHELL-TEST' 'what it means': asserts on $LAB_TEXT,
# which must not be empty.
lab_text_expect() {
	lab_checks=$((lab_checks + 1))
	if [ -s "$LAB_TEXT" ] && eval "$1"; then
		echo "ok - $2"
	else
		echo "not ok - $2"
		echo "    test: $1"
		sed 's/^/    | /' "$LAB_TEXT" | head -60 || true
		lab_failed=$((lab_failed + 1))
	fi
}

# lab_expect 'JQ-EXPR' 'what it means': asserts on the last report
# ($LAB_JSON), which must be one JSON document (lab_json_problem).  The
# expression must give exactly one result, true: none (nothing selected)
# or several (each judged alone, jq -e would judge only the last) fail.
lab_expect() {
	local why out
	lab_checks=$((lab_checks + 1))
	why=$(lab_json_problem "$LAB_JSON")
	if [ -z "$why" ]; then
		if ! out=$(jq -c "[$1] | if length == 1 then .[0] else
			\"\\(length) results: \\(.)\" end" "$LAB_JSON" 2>&1); then
			why="jq: $out"
		elif [ "$out" != true ]; then
			why="gives ${out:0:200}"
		fi
	fi
	if [ -z "$why" ]; then
		echo "ok - $2"
	else
		echo "not ok - $2"
		echo "    expression: $1"
		echo "    $why"
		lab_failed=$((lab_failed + 1))
	fi
}

# lab_verdict ID VERDICT
lab_verdict() {
	lab_expect "any(.checks[]; .id == \"$1\" and .verdict == \"$2\")" "$1 is $2"
}

# lab_rewritten ID DIRECTION ELEMENT
lab_rewritten() {
	lab_expect "any(.checks[] | select(.id == \"$1\") | .evidence.$2.rewritten[]; .element == \"$3\")" \
		"$1 reports $3 rewritten $2"
}

# lab_clean ID DIRECTION: the check reports, in that direction, a list of
# rewritten elements and it is empty (an absent list fails).
lab_clean() {
	lab_expect "(.checks[] | select(.id == \"$1\") | .evidence.$2.rewritten) | type == \"array\" and length == 0" \
		"$1 reports nothing rewritten $2"
}

# lab_end: the scenario's verdict: fails when an expectation failed or
# none was made.  A scenario that exits 0 without reaching lab_end fails
# too (lab_cleanup).
lab_end() {
	LAB_ENDED=1
	if [ "$lab_checks" -eq 0 ]; then
		echo "# $LAB_NAME: no expectation was asserted"
		exit 1
	fi
	if [ "$lab_failed" -ne 0 ]; then
		echo "# $LAB_NAME: $lab_failed of $lab_checks expectations failed"
		echo "# report:"; jq -c ".checks[] | [.id, .verdict, .summary]" "$LAB_JSON" 2>/dev/null || cat "$LAB_JSON"
		echo "# pinholed log:"; tail -20 "$LAB_TMP/pinholed.log"
		exit 1
	fi
	echo "# $LAB_NAME: all $lab_checks expectations met"
	exit 0
}

# lab_elements ID DIRECTION '["A","B"]': exactly these elements (sorted,
# each once) were rewritten in that direction.
lab_elements() {
	lab_expect "([.checks[] | select(.id == \"$1\") | .evidence.$2.rewritten[].element] | unique) == $3" \
		"$1 rewrote exactly $3 $2"
}

# lab_behavior ID BEHAVIOR VERDICT: a NAT behaviour check's finding.
lab_behavior() {
	lab_expect "any(.checks[]; .id == \"$1\" and .evidence.behavior == \"$2\" and .verdict == \"$3\")" \
		"$1 is $2 ($3)"
}

# lab_udp_port PORT UNREPLIED ESTABLISHED [ID]: the udp-timeout measured
# toward one server port (null: outlived the limit); ID udp-timeout@ipv6
# for IPv6's.
lab_udp_port() {
	local id=${4:-udp-timeout}
	lab_expect "any(.checks[] | select(.id == \"$id\") | .evidence.ports[]; .port == $1 and .unreplied_s == $2 and .established_s == $3)" \
		"$id toward udp/$1: unreplied $2, established $3"
}

# lab_wait_udp NS ADDR:PORT [LOG]: waits until something listens there
# (10 s); shows LOG when nothing does.
lab_wait_udp() {
	local i
	for i in $(seq 50); do
		lab_exec "$1" ss -lun | grep -qF " $2 " && return 0
		sleep 0.2
	done
	echo "lab: nothing listens on udp $2 in $1" >&2
	[ -n "${3:-}" ] && tail -20 "$3" >&2
	exit 1
}

# lab_grep FILE PATTERN 'what it means': asserts on a peer's output.
lab_grep() {
	lab_checks=$((lab_checks + 1))
	if grep -qF -- "$2" "$1"; then
		echo "ok - $3"
	else
		echo "not ok - $3"
		sed 's/^/    /' "$1" | tail -20
		lab_failed=$((lab_failed + 1))
	fi
}

# lab_upnpd [stun NS ADDR | nostun]: miniupnpd on the router (UPnP-IGD
# and NAT-PMP on the LAN).  It will not report a documentation-range or
# private address it reads off its WAN interface, so it learns its
# external address by STUN, from a coturn on the server's ports 3480/3481.
# (pinholed would not answer its bare requests: the router's address has
# no session, and the answer would be larger than the request.)  With
# 'stun NS ADDR' the coturn runs in namespace NS on ADDR instead: on the
# carrier's LAN side it sees the router's private WAN address untranslated,
# and miniupnpd names that address as a router that reads it off its WAN
# interface does.  With 'nostun' miniupnpd names none.  Beside lab_ipv6
# it serves IPv6 too (SSDP, IGDv2's WANIPv6FirewallControl, PCP), unless
# LAB_UPNPD_CONF, extra lines for its configuration, says ipv6_disable=yes.
lab_upnpd() {
	local ns=server addr=$LAB_SERVER stun
	[ "${1:-}" = stun ] && ns=$2 addr=$3
	if [ "${1:-}" = nostun ]; then
		stun=
	else
		# With one address, coturn opens no alternate port.
		local listen=(--listening-ip="$addr") last=$addr:3480
		[ "$ns" = server ] && listen+=(--listening-ip=203.0.113.11) &&
			last=203.0.113.11:3481
		lab_spawn "$ns" "$LAB_TMP/turnserver.log" turnserver -n \
			"${listen[@]}" --listening-port=3480 \
			--alt-listening-port=3481 --no-tls --no-dtls \
			--stun-only --no-cli --log-file=stdout --simple-log \
			--pidfile="$LAB_TMP/turnserver.pid"
		lab_wait_udp "$ns" "$last" "$LAB_TMP/turnserver.log"
		stun=$(printf 'ext_perform_stun=yes\next_stun_host=%s\next_stun_port=3480' "$addr")
	fi
	local conf=$LAB_TMP/miniupnpd.conf
	cat > "$conf" <<-CONF
	ext_ifname=wan
	listening_ip=lan
	enable_upnp=yes
	enable_natpmp=yes
	secure_mode=yes
	system_uptime=yes
	$stun
	uuid=3a1d7c8e-5b2f-4e6a-9c0d-1f2e3d4c5b6a
	allow 1024-65535 192.168.1.0/24 1024-65535
	deny 0-65535 0.0.0.0/0 0-65535
	${LAB_UPNPD_CONF:-}
	CONF
	# A pid file of its own: with the default one (/var/run), a second
	# scenario's miniupnpd, run side by side, exits "already running".
	lab_spawn router "$LAB_TMP/miniupnpd.log" miniupnpd -d -f "$conf" \
		-P "$LAB_TMP/miniupnpd.pid"
	lab_wait_udp router "192.168.1.1:5351" "$LAB_TMP/miniupnpd.log"
}

# lab_silent_router [router|carrier]: the router sends no ICMP time
# exceeded, as many gateways do.
lab_silent_router() {
	lab_exec "${1:-router}" nft -f - <<-NFT
	table ip phl_silent {
		chain out {
			type filter hook output priority filter; policy accept;
			icmp type time-exceeded drop
		}
	}
	NFT
}

# lab_broken_router nft|iptables: the router as customers have it: masquerade,
# the kernel SIP ALG on UDP and TCP 5060, UDP timeouts of 10 s, and SIP's
# other ports (5062) closed both ways; built with the tool whose output the
# scenario then applies, so that loading that output replaces it.
lab_broken_router() {
	lab_udp_timeout 10 10
	if [ "$1" = nft ]; then
		lab_router_nat
		lab_alg udp 5060
		lab_alg tcp 5060
		lab_exec router nft -f - <<-NFT
		table ip phl_closed {
			chain forward {
				type filter hook forward priority filter; policy accept;
				meta l4proto { tcp, udp } th dport 5062 drop
			}
		}
		NFT
		return 0
	fi
	lab_exec router iptables -t nat -A POSTROUTING -o wan -j MASQUERADE
	lab_exec router iptables -t raw -A PREROUTING -p udp --dport 5060 -j CT --helper sip
	lab_exec router iptables -t raw -A PREROUTING -p tcp --dport 5060 -j CT --helper sip
	lab_exec router iptables -A FORWARD -p udp --dport 5062 -j DROP
	lab_exec router iptables -A FORWARD -p tcp --dport 5062 -j DROP
}

# lab_apply_config FILE nft|iptables: loads pinhole config's output on the
# router as its header says: the sysctl lines first (iptables), then the
# file (and its IPv6 part, the "#6 " lines, with ip6tables-restore), then
# an empty connection table.
lab_apply_config() {
	local line
	if [ "$2" = iptables ]; then
		grep '^#   sysctl -w ' "$1" | sed 's/^#   //; s/  *#.*$//' |
		while read -r line; do
			# shellcheck disable=SC2086
			lab_exec router $line >/dev/null
		done
		lab_exec router iptables-restore < "$1"
		if grep -q '^#6 ' "$1"; then
			sed -n 's/^#6 //p' "$1" | lab_exec router ip6tables-restore
		fi
	else
		lab_exec router nft -f "$1"
	fi
	lab_exec router conntrack -F >/dev/null 2>&1 || true
}

# lab_all_pass: every check that ran (verdict other than skip) passed.
lab_all_pass() {
	lab_expect '[.checks[] | select(.verdict != "skip")] as $ran |
		($ran | length) > 0 and ([$ran[] | select(.verdict != "pass")] == [])' \
		"every check that ran passes (and some ran)"
}

# lab_config_loop FORMAT nft|iptables: the closed loop of pinhole config.
lab_config_loop() {
	local conf
	LAB_REACH=1
	lab_begin "config-loop-$1"
	conf=$LAB_TMP/pinhole.$1
	lab_topology nat
	lab_broken_router "$2"
	lab_pinholed
	lab_check --udp-timeout-max 45
	lab_verdict sip-alg.udp.5060 fail
	lab_verdict sip-alg.udp.5062 fail
	lab_verdict udp-timeout fail
	cp "$LAB_JSON" "$LAB_TMP/before.json"
	"$PINHOLE" config --profile "$LAB_PROFILE" --format "$1" \
		--lan "$LAB_CLIENT_NET" --wan wan --forward 192.168.1.10 \
		--report "$LAB_TMP/before.json" > "$conf"
	lab_apply_config "$conf" "$2"
	lab_check --udp-timeout-max 45
	lab_all_pass
	lab_verdict sip-alg.udp.5060 pass
	lab_verdict sip-alg.tcp.5062 pass
	lab_verdict udp-timeout pass
	lab_verdict nat.filtering pass
	lab_verdict nat.hairpin pass
	lab_end
}

# lab_probe6 udp|tcp PORT [SOURCE]: whether a packet from the server's
# IPv6 address (or SOURCE, an address of the server's namespace) reaches
# the client's on PORT: prints "arrived" or "blocked".
lab_probe6() {
	local got=$LAB_TMP/probe6.$1.$2 pid i flag=-Hln
	rm -f "$got"
	lab_exec client timeout 8 python3 -c '
import socket, sys
t = socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM
s = socket.socket(socket.AF_INET6, t)
# The check before may have left a connection to this port in TIME_WAIT.
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("::", int(sys.argv[2])))
if t == socket.SOCK_STREAM:
    s.listen(1)
    s = s.accept()[0]
print(s.recv(16).decode())' "$1" "$2" > "$got" 2>/dev/null &
	pid=$!
	# Sent only once the listener is bound.
	[ "$1" = udp ] && flag=-Huln || flag=-Htln
	for i in $(seq 50); do
		lab_exec client ss "$flag" "sport = :$2" | grep -q . && break
		sleep 0.1
	done
	lab_exec server timeout 5 python3 -c '
import socket, sys, time
t = socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM
s = socket.socket(socket.AF_INET6, t)
s.bind((sys.argv[3], 0))
s.settimeout(3)
if t == socket.SOCK_STREAM:
    s.connect((sys.argv[4], int(sys.argv[2])))
    s.send(b"probe6")
else:
    for _ in range(3):
        s.sendto(b"probe6", (sys.argv[4], int(sys.argv[2])))
        time.sleep(0.2)' \
		"$1" "$2" "${3:-$LAB_SERVER6}" "$LAB_CLIENT6" 2>/dev/null || true
	# What was sent has arrived by now, or it never will.
	sleep 0.5
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	if grep -q probe6 "$got"; then echo arrived; else echo blocked; fi
}

# lab_expect_probe6 udp|tcp PORT arrived|blocked: lab_probe6 as expected.
lab_expect_probe6() {
	local got
	got=$(lab_probe6 "$1" "$2" "${4:-}")
	lab_expect "\"$got\" == \"$3\"" \
		"inbound IPv6 $1 $2 from ${4:-the provider} $3 (ground truth)"
}

# lab_config_loop_dual FORMAT nft|iptables: the closed loop of pinhole
# config on a dual-stack site.  The router masquerades IPv4 and runs the
# stateful IPv6 firewall home gateways ship (RFC 6092), built with the tool
# whose output is then loaded: inbound fails in both families.  The
# configuration for the site's two LANs (192.168.1.0/24, 2001:db8:1::/64)
# is loaded; then every check passes over IPv4 and over IPv6, the inbound
# sweeps included, and IPv6 is reached through firewall accepts, never a
# NAT; a UDP and a TCP packet from the provider's range to the phone are
# the ground truth beside them, and a UDP packet from outside that range
# that the firewall still drops (open to the provider's prefix only).
lab_config_loop_dual() {
	local conf server4
	LAB_PROFILE=$LAB_ROOT/tests/lab/profiles/lab-phones-dual.ini
	LAB_REACH=1
	if [ "$1" = nftables ]; then
		lab_begin config-loop-dual
	else
		lab_begin "config-loop-dual-$1"
	fi
	conf=$LAB_TMP/pinhole.$1
	server4=$LAB_SERVER
	lab_topology nat
	lab_ipv6
	if [ "$2" = nft ]; then
		lab_router_nat
		lab_router_fw6
	else
		lab_exec router iptables -t nat -A POSTROUTING -o wan -j MASQUERADE
		lab_exec router ip6tables -P FORWARD DROP
		lab_exec router ip6tables -A FORWARD -m conntrack \
			--ctstate ESTABLISHED,RELATED -j ACCEPT
		lab_exec router ip6tables -A FORWARD -i lan -j ACCEPT
		lab_exec router ip6tables -A FORWARD -p ipv6-icmp \
			--icmpv6-type packet-too-big -j ACCEPT
	fi
	lab_pinholed

	lab_check
	lab_verdict reach.udp.in.1-65535 fail
	lab_verdict reach.tcp.in.5060-5066 fail
	LAB_SERVER="[$LAB_SERVER6]"
	lab_check
	lab_behavior nat.filtering@ipv6 address-and-port-dependent warn
	lab_verdict reach.udp.in.1-65535@ipv6 fail
	lab_verdict reach.tcp.in.5060-5066@ipv6 fail
	lab_expect_probe6 udp 40000 blocked
	lab_expect_probe6 tcp 5062 blocked

	"$PINHOLE" config --profile "$LAB_PROFILE" --format "$1" \
		--lan "$LAB_CLIENT_NET" --lan 2001:db8:1::/64 --wan wan \
		--forward 192.168.1.10 > "$conf"
	lab_expect "$(grep -cE '(ip6 saddr @provider6 ip6 daddr @lan6 [a-z]* dport|^#6 -A FORWARD -i wan ! -o wan -d 2001:db8:1::/64 -s 2001:db8:ff::/64 )' "$conf") == 2" \
		"the configuration admits the provider's IPv6 range to the LAN, once per inbound endpoint"
	lab_expect "$(grep -cE 'table (ip6|inet) [a-z_]*nat|ip6 .*(dnat|masquerade|snat)|^#6 \*nat' "$conf") == 0" \
		"the configuration translates nothing over IPv6"
	lab_apply_config "$conf" "$2"

	LAB_SERVER=$server4
	lab_check
	lab_all_pass
	lab_verdict reach.udp.in.1-65535 pass
	lab_verdict reach.tcp.in.5060-5066 pass
	LAB_SERVER="[$LAB_SERVER6]"
	lab_check
	lab_all_pass
	lab_verdict reach.udp.in.1-65535@ipv6 pass
	lab_verdict reach.tcp.in.5060-5066@ipv6 pass
	lab_expect 'any(.checks[]; .id == "nat.present@ipv6" and (.summary | startswith("no NAT")))' \
		"nat.present over IPv6: no NAT after the configuration either"
	lab_verdict nat.filtering@ipv6 pass
	lab_verdict media.rtp@ipv6 pass
	lab_verdict qos.dscp@ipv6 pass
	lab_expect_probe6 udp 40000 arrived
	lab_expect_probe6 tcp 5062 arrived
	# Open to the provider's prefix only: not from the rest of the
	# internet (an address outside 2001:db8:ff::/64).
	ip -n "${LAB_PREFIX}server" addr add 2001:db8:fe::20/128 dev eth0 nodad
	lab_expect_probe6 udp 40000 blocked 2001:db8:fe::20
	lab_end
}

# lab_reach_firewall: the router keeps some of the profiles' ports closed,
# in each of the ways firewalls do: TCP 5222 refused with a reset, TCP
# 5063 refused with ICMP port unreachable, TCP 5280 and UDP 5060 silently
# dropped; and TCP 5065 rate-limited to one new connection a minute, which
# lets the probe's one connection through.
lab_reach_firewall() {
	lab_forward_filter phl_reach \
		'iifname "lan" tcp dport 5222 reject with tcp reset' \
		'iifname "lan" tcp dport 5063 reject with icmp type port-unreachable' \
		'iifname "lan" tcp dport 5280 drop' \
		'iifname "lan" udp dport 5060 drop' \
		'iifname "lan" tcp dport 5065 ct state new limit rate over 1/minute burst 1 packets drop'
}

# lab_forward_filter TABLE RULE...: a table TABLE on the router whose
# forward chain (policy accept) holds the RULEs, in order.
lab_forward_filter() {
	local table=$1
	shift
	lab_exec router nft -f - <<-NFT
	table ip $table {
		chain forward {
			type filter hook forward priority filter; policy accept;
			$(printf '%s\n' "$@")
		}
	}
	NFT
}

# lab_middlebox http|tls [ADDR]: a transparent HTTP proxy on the router
# that adds Via and X-Forwarded-For to requests for port 80, or a
# TLS-inspecting proxy that answers port 443 with a certificate of its
# own (issuer "inspecting-firewall", $LAB_TMP/mitm.pem).  With ADDR, only
# the LAN's connections to ADDR go to the proxy.
lab_middlebox() {
	local port=3128 dport=80 args=() to=
	[ -n "${2:-}" ] && to="ip daddr $2 "
	if [ "$1" = tls ]; then
		port=3129 dport=443
		openssl req -x509 -newkey rsa:2048 -nodes -days 1 \
			-subj "/CN=inspecting-firewall" -keyout "$LAB_TMP/mitm.key" \
			-out "$LAB_TMP/mitm.pem" 2>/dev/null
		args=("$LAB_TMP/mitm.pem" "$LAB_TMP/mitm.key")
	fi
	lab_spawn router "$LAB_TMP/proxy-$1.log" python3 "$LAB_ROOT/tests/lab/proxy.py" \
		"$1" "$port" "${args[@]}"
	lab_exec router nft -f - <<-NFT
	table ip phl_proxy_$1 {
		chain pre {
			type nat hook prerouting priority dstnat; policy accept;
			iifname "lan" ${to}tcp dport $dport redirect to :$port
		}
	}
	NFT
	lab_wait_tcp router "$port" "$LAB_TMP/proxy-$1.log"
}

# lab_wait_tcp NS PORT LOG: waits until something listens on TCP PORT (5 s).
lab_wait_tcp() {
	for _ in $(seq 50); do
		lab_exec "$1" ss -ltn | grep -q ":$2 " && return 0
		sleep 0.1
	done
	echo "lab: nothing listens on tcp $2 in $1" >&2
	tail -n 5 "$3" >&2
	exit 1
}

# lab_reach ID VERDICT 'OPEN' 'BLOCKED': a reachability check's verdict and
# its compressed open and blocked lists.
lab_reach() {
	lab_expect "any(.checks[]; .id == \"$1\" and .verdict == \"$2\" and .evidence.open == \"$3\" and .evidence.blocked == \"$4\")" \
		"$1 is $2, open [$3], blocked [$4]"
}

# lab_peers: real servers on a third server address, 203.0.113.12: prosody
# (XMPP on 5222 with STARTTLS, BOSH on 5280) and sipp answering SIP OPTIONS
# over UDP and TCP on 5060.
LAB_PEER=203.0.113.12
lab_peers() {
	local d=$LAB_TMP/prosody
	ip -n "${LAB_PREFIX}server" addr add "$LAB_PEER/24" dev eth0
	mkdir -p "$d"
	openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=$LAB_PEER" \
		-keyout "$d/peer.key" -out "$d/peer.pem" 2>/dev/null
	sed "s|@TMP@|$LAB_TMP|g; s|@ADDR@|$LAB_PEER|g" \
		"$LAB_ROOT/tests/lab/peers/prosody.cfg.lua.in" > "$d/prosody.cfg.lua"
	chown -R prosody: "$d" 2>/dev/null || true
	# prosody refuses to run as root, rightly: it gets its own user.
	lab_spawn server "$LAB_TMP/prosody.out" setpriv --reuid=prosody \
		--regid=prosody --init-groups prosody --config "$d/prosody.cfg.lua"
	lab_spawn server "$LAB_TMP/sipp-udp.log" sipp -sf \
		"$LAB_ROOT/tests/lab/peers/sipp-options-uas.xml" -i "$LAB_PEER" \
		-p 5060 -t u1 -nostdin -timeout 120s -trace_err \
		-error_file "$LAB_TMP/sipp-udp.err"
	lab_spawn server "$LAB_TMP/sipp-tcp.log" sipp -sf \
		"$LAB_ROOT/tests/lab/peers/sipp-options-uas.xml" -i "$LAB_PEER" \
		-p 5060 -t t1 -nostdin -timeout 120s -trace_err \
		-error_file "$LAB_TMP/sipp-tcp.err"
	for _ in $(seq 300); do
		if lab_exec server ss -ltn | grep -q "$LAB_PEER:5222 " &&
		   lab_exec server ss -ltn | grep -q "$LAB_PEER:5060 " &&
		   lab_exec server ss -lun | grep -q "$LAB_PEER:5060 "; then
			return 0
		fi
		sleep 0.1
	done
	echo "lab: the peers did not start" >&2
	lab_exec server ss -ltnup >&2
	grep -i -E "error|warn|fail" "$LAB_TMP/prosody/prosody.log" | tail -n 8 >&2
	exit 1
}

# lab_router_forward SRC [LOSS%]: masquerade, and every inbound UDP and
# TCP connection from SRC only forwarded to the client, as a firewall
# following the profile's source ranges does; with LOSS, that share of
# the inbound UDP from SRC is dropped at random.
lab_router_forward() {
	local loss=""
	[ -n "${2:-}" ] && loss="iifname \"wan\" ip saddr $1 meta l4proto udp numgen random mod 100 < $2 drop"
	lab_router_nat
	lab_exec router nft -f - <<-NFT
	table ip phl_forward {
		chain pre {
			type nat hook prerouting priority dstnat; policy accept;
			iifname "wan" ip saddr $1 meta l4proto { udp, tcp } dnat to 192.168.1.10
		}
		chain loss {
			type filter hook prerouting priority raw; policy accept;
			$loss
		}
	}
	NFT
}

# lab_forward_proxy: direct HTTP, HTTPS and BOSH from the LAN blocked
# (dropped) at the router, and a forward proxy on the router's LAN address,
# 192.168.1.1:3128, that clients must be set to use.
lab_forward_proxy() {
	lab_spawn router "$LAB_TMP/proxy-forward.log" python3 \
		"$LAB_ROOT/tests/lab/proxy.py" forward 3128
	lab_exec router nft -f - <<-NFT
	table ip phl_noweb {
		chain forward {
			type filter hook forward priority filter; policy accept;
			iifname "lan" tcp dport { 80, 443, 5280 } drop
		}
	}
	NFT
	lab_wait_tcp router 3128 "$LAB_TMP/proxy-forward.log"
}

# lab_dns NAME=ADDR...: a DNS server (dnsmasq) on the server side at
# 203.0.113.53 (and 2001:db8:ff::53 after lab_ipv6) answering each NAME
# with its addresses (a NAME may repeat), and the client's resolver
# pointed at it ('ip netns exec' mounts /etc/netns/NS/resolv.conf, removed
# again by the cleanup).  Anything else gets NXDOMAIN.
lab_dns() {
	local hosts=$LAB_TMP/dns.hosts pair
	: > "$hosts"
	for pair in "$@"; do
		echo "${pair#*=} ${pair%%=*}" >> "$hosts"
	done
	local listen=(--listen-address=203.0.113.53)
	ip -n "${LAB_PREFIX}server" addr add 203.0.113.53/24 dev eth0
	# After lab_ipv6, it answers over IPv6 too (2001:db8:ff::53), for a
	# client that has no IPv4 address.
	if [ -n "${LAB_IPV6:-}" ]; then
		ip -n "${LAB_PREFIX}server" addr add 2001:db8:ff::53/64 dev eth0 nodad
		listen+=(--listen-address=2001:db8:ff::53)
	fi
	lab_spawn server "$LAB_TMP/dnsmasq.log" dnsmasq --no-daemon --no-resolv \
		--no-hosts --addn-hosts="$hosts" "${listen[@]}" \
		--bind-interfaces --user=root --pid-file= --log-facility=-
	LAB_NETNS_ETC=/etc/netns/${LAB_PREFIX}client
	mkdir -p "$LAB_NETNS_ETC"
	echo "nameserver 203.0.113.53" > "$LAB_NETNS_ETC/resolv.conf"
	[ -n "${LAB_IPV6:-}" ] && echo "nameserver 2001:db8:ff::53" >> "$LAB_NETNS_ETC/resolv.conf"
	lab_wait_udp server 203.0.113.53:53 "$LAB_TMP/dnsmasq.log"
}

# lab_turnserver [ARGS...]: the provider's relay, Debian's coturn with
# use-auth-secret on 203.0.113.11 (LAB_RELAY): UDP and TCP 3478, TLS 443
# with a certificate for the address ($LAB_TMP/relay.pem, the CA a client
# trusts).  ARGS go to turnserver.  Sets LAB_TURN_SECRET and credentials
# in the REST form pinholed's RELAY makes (LAB_TURN_USER, LAB_TURN_PASS,
# good for 600 s; tests/server/relay.sh holds pinholed to that form).
# LAB_RELAY_SAN: the certificate's subjectAltName (IP:$LAB_RELAY).
LAB_RELAY=203.0.113.11
lab_turnserver() {
	openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=$LAB_RELAY" \
		-addext "subjectAltName=${LAB_RELAY_SAN:-IP:$LAB_RELAY}" -keyout "$LAB_TMP/relay.key" \
		-out "$LAB_TMP/relay.pem" 2>/dev/null
	LAB_TURN_SECRET=lab-turn-secret-$$
	lab_spawn server "$LAB_TMP/turnserver.log" turnserver -n \
		--listening-ip=$LAB_RELAY --relay-ip=$LAB_RELAY \
		--listening-port=3478 --tls-listening-port=443 \
		--cert="$LAB_TMP/relay.pem" --pkey="$LAB_TMP/relay.key" \
		--use-auth-secret --static-auth-secret="$LAB_TURN_SECRET" \
		--realm=lab.test --no-dtls --no-cli --log-file=stdout \
		--simple-log --pidfile="$LAB_TMP/turnserver.pid" "$@"
	lab_wait_udp server $LAB_RELAY:3478 "$LAB_TMP/turnserver.log"
	lab_wait_tcp server 443 "$LAB_TMP/turnserver.log"
	LAB_TURN_USER="$(( $(date +%s) + 600 )):pinhole"
	LAB_TURN_PASS=$(printf %s "$LAB_TURN_USER" |
		openssl dgst -sha1 -hmac "$LAB_TURN_SECRET" -binary | base64)
}
LAB_TURNPROBE=${LAB_TURNPROBE:-$LAB_BUILD/tests/lab/turn/pinhole-turnprobe}

# lab_relay_setup [ARGS...]: the relay checks' ground: coturn (ARGS go to
# it) on 203.0.113.13, an address of its own beside pinholed's two, and
# pinholed with the relay's shared secret and relay-from that address.
# lab_relay_check then runs pinhole check with tests/lab/profiles/
# lab-relay.ini (the relays over UDP, TCP and TLS; LAB_RELAY_PROFILE
# names another) and only the media and relay families, the relay's
# certificate trusted.  After lab_ipv6, the relay also listens and
# relays on 2001:db8:ff::13 (LAB_RELAY6), and relay-from names it too.
lab_relay_setup() {
	local v6=() from
	LAB_RELAY=203.0.113.13
	ip -n "${LAB_PREFIX}server" addr add $LAB_RELAY/24 dev eth0
	from=$LAB_RELAY/32
	if [ -n "${LAB_IPV6:-}" ]; then
		LAB_RELAY6=2001:db8:ff::13
		ip -n "${LAB_PREFIX}server" addr add $LAB_RELAY6/64 dev eth0 nodad
		v6=(--listening-ip=$LAB_RELAY6 --relay-ip=$LAB_RELAY6)
		from="$from, $LAB_RELAY6/128"
	fi
	lab_turnserver "${v6[@]}" "$@"
	( umask 077; printf '%s\n' "$LAB_TURN_SECRET" > "$LAB_TMP/turn.secret" )
	LAB_CONF_EXTRA=$(printf '[relay]\nsecret-file = %s\nrelay-from = %s' \
		"$LAB_TMP/turn.secret" "$from")
	lab_pinholed
}
lab_relay_check() {
	LAB_PROFILE=$LAB_ROOT/tests/lab/profiles/${LAB_RELAY_PROFILE:-lab-relay}.ini lab_check \
		--skip nat --skip nat-layers --skip sip-alg --skip sip-size \
		--turn-ca "$LAB_TMP/relay.pem" "$@"
}

# lab_lan_drop_udp: the router drops every UDP datagram the LAN sends out.
lab_lan_drop_udp() {
	lab_forward_filter phl_relay 'iifname "lan" meta l4proto udp drop'
}

# lab_lan_only_443: the router lets out TCP to port 443 alone (and the
# replies): everything else the LAN sends is dropped.
lab_lan_only_443() {
	lab_forward_filter phl_only443 'iifname "lan" tcp dport 443 accept' \
		'iifname "lan" drop'
}

# lab_relay ID VERDICT [FAILED STEP]: a relay check's verdict, and for a
# failure what failed and at which step (.evidence.failed, .step).
lab_relay() {
	local before=$lab_failed
	if [ $# -gt 2 ]; then
		lab_expect "any(.checks[]; .id == \"$1\" and .verdict == \"$2\" and .evidence.failed == \"$3\" and .evidence.step == \"$4\")" \
			"$1 is $2: $3 at $4"
	else
		lab_expect "any(.checks[]; .id == \"$1\" and .verdict == \"$2\" and (.summary | contains(\"relays media\")) and .evidence.up.received > 0 and .evidence.down.received > 0)" \
			"$1 is $2: relays media both ways"
	fi
	[ "$lab_failed" = "$before" ] ||
		jq -c ".checks[] | select(.id == \"$1\") | [.verdict, .summary, .evidence.failed, .evidence.step]" "$LAB_JSON"
}

# lab_json_merge KEY=FILE...: one JSON object with each file's JSON under
# its key, in $LAB_TMP/merged.json, which becomes $LAB_JSON; lab_expect
# then compares the figures of several programs in one expression.
lab_json_merge() {
	local pair args=() expr="{" sep=""
	for pair in "$@"; do
		args+=(--slurpfile "${pair%%=*}" "${pair#*=}")
		expr="$expr$sep${pair%%=*}: \$${pair%%=*}[0]"
		sep=", "
	done
	LAB_JSON=$LAB_TMP/merged.json
	jq -n "${args[@]}" "$expr}" > "$LAB_JSON"
}

# lab_impair NS IFACE_IN up|down|dport|sport [LO:HI] ARGS...: loss and
# delay with exact ground truth (tests/lab/impair/impair.c, the build's
# tests/lab/impair/pinhole-impair) on the UDP that namespace NS forwards
# in from IFACE_IN to ports LO:HI (default the media range 10000:20000),
# matched on the destination port ('up' or 'dport') or the source port
# ('down' or 'sport').  ARGS go to the tool (--seed, --loss, --ge, --delay,
# --jitter, --no-reorder, --duration).  Each call takes a fresh queue,
# starts the tool with lab_spawn, and only once it is bound adds the
# iptables mangle FORWARD rule (with --queue-bypass: nothing is queued
# while no tool is bound).  Sets LAB_IMPAIR (the queue number),
# LAB_IMPAIR_STATS (its stats JSON) and LAB_IMPAIR_DROPS (one JSON line per
# dropped packet: 5-tuple, RTP SSRC and sequence number).
LAB_IMPAIR_BIN=${LAB_IMPAIR_BIN:-$LAB_BUILD/tests/lab/impair/pinhole-impair}

# lab_queue_bound TOOL QUEUE STATS LOG: waits (5 s) for the tool started
# last (LAB_PID) to write its first stats, which it does once the queue
# is bound; exits showing LOG when it did not.
lab_queue_bound() {
	local i
	for i in $(seq 50); do
		[ -s "$3" ] && return 0
		kill -0 "$LAB_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "lab: $1 did not bind queue $2:" >&2
	cat "$4" >&2
	exit 1
}
LAB_IMPAIR_NEXT=100
declare -A lab_impair_pid=() lab_impair_ns=() lab_impair_rule=()
lab_impair() {
	local ns=$1 iface=$2 match=$3 ports=10000:20000 q
	shift 3
	case $match in
	up) match=dport ;;
	down) match=sport ;;
	dport|sport) ;;
	*) echo "lab_impair: direction '$match' is not up, down, dport or sport" >&2; exit 1 ;;
	esac
	if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then ports=$1; shift; fi
	[ -x "$LAB_IMPAIR_BIN" ] ||
		{ echo "lab: $LAB_IMPAIR_BIN not built (libnetfilter-queue-dev)" >&2; exit 1; }
	q=$LAB_IMPAIR_NEXT
	LAB_IMPAIR_NEXT=$((q + 1))
	LAB_IMPAIR=$q
	LAB_IMPAIR_STATS=$LAB_TMP/impair-$q.json
	LAB_IMPAIR_DROPS=$LAB_TMP/impair-$q.drops
	lab_spawn "$ns" "$LAB_TMP/impair-$q.log" "$LAB_IMPAIR_BIN" --queue "$q" \
		--stats "$LAB_IMPAIR_STATS" --drop-list "$LAB_IMPAIR_DROPS" "$@"
	lab_impair_pid[$q]=$LAB_PID
	lab_impair_ns[$q]=$ns
	lab_queue_bound pinhole-impair "$q" "$LAB_IMPAIR_STATS" "$LAB_TMP/impair-$q.log"
	lab_impair_rule[$q]="FORWARD -i $iface -p udp --$match $ports -j NFQUEUE --queue-num $q --queue-bypass"
	# shellcheck disable=SC2086
	lab_exec "$ns" iptables -t mangle -A ${lab_impair_rule[$q]}
}

# lab_impair_stats [QUEUE]: the tool's stats as they are now (SIGUSR1,
# then waits up to 5 s for the next write); the file becomes $LAB_JSON.
# QUEUE defaults to the last lab_impair's.
lab_impair_stats() {
	local q=${1:-$LAB_IMPAIR} f before i
	f=$LAB_TMP/impair-$q.json
	before=$(jq .writes "$f")
	kill -USR1 "${lab_impair_pid[$q]}"
	for i in $(seq 50); do
		[ "$(jq .writes "$f" 2>/dev/null)" -gt "$before" ] 2>/dev/null && break
		sleep 0.1
	done
	LAB_JSON=$f
}

# lab_impair_stop [QUEUE]: the rule removed, then the tool ended by its
# PID (SIGTERM: it accepts what it holds and writes its final stats, which
# become $LAB_JSON).  QUEUE defaults to the last lab_impair's.
lab_impair_stop() {
	local q=${1:-$LAB_IMPAIR} pid status=0
	pid=${lab_impair_pid[$q]}
	# shellcheck disable=SC2086
	lab_exec "${lab_impair_ns[$q]}" iptables -t mangle -D ${lab_impair_rule[$q]}
	kill -TERM "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null || status=$?
	lab_checks=$((lab_checks + 1))
	if [ "$status" -eq 0 ]; then
		echo "ok - pinhole-impair on queue $q ended cleanly"
	else
		echo "not ok - pinhole-impair on queue $q exited with $status: its ground truth is not to be trusted"
		tail -5 "$LAB_TMP/impair-$q.log" | sed 's/^/    /'
		lab_failed=$((lab_failed + 1))
	fi
	LAB_JSON=$LAB_TMP/impair-$q.json
}

# lab_rate NS IFACE RATE|off [BURST [LATENCY]]: a token bucket (tc tbf) as
# IFACE's root qdisc in NS: RATE in tc's units (400kbit), a bucket of
# BURST (default 4kb: a few full-size packets pass at line rate) and a
# queue that holds LATENCY of traffic (default 50ms); what would wait
# longer is dropped, as a line's modem drops it.  'off' removes it.
lab_rate() {
	if [ "$3" = off ]; then
		lab_exec "$1" tc qdisc del dev "$2" root 2>/dev/null || true
		return 0
	fi
	lab_exec "$1" tc qdisc replace dev "$2" root tbf rate "$3" \
		burst "${4:-4kb}" latency "${5:-50ms}"
}

# lab_dscp_rewrite NS up|down FROM|any TO [ip|ip6]: router NS rewrites the
# DSCP of IPv4 (or with 'ip6' the DSCP bits of IPv6's traffic class) it
# forwards from the LAN ('up', in on lan) or from the internet ('down', in
# on wan): FROM to TO (46 6 is precedence bleaching: EF keeps only its low
# three bits), or every value to TO ('any 0' bleaches).  One table per
# direction and family, FAMILY phl_dscp_DIR.
lab_dscp_rewrite() {
	local iface=lan match="" fam=${5:-ip}
	[ "$2" = down ] && iface=wan
	[ "$3" != any ] && match="$fam dscp $3"
	lab_exec "$1" nft -f - <<-NFT
	table $fam phl_dscp_$2 {
		chain forward {
			type filter hook forward priority mangle; policy accept;
			iifname "$iface" $match $fam dscp set $4
		}
	}
	NFT
}

# lab_drop_fragments NS [PRIORITY]: NS drops every IPv4 fragment it
# receives, counted in the named counter 'fragments' of table
# phl_frag.  Connection tracking reassembles fragments at prerouting
# priority -400, so the chain sits before that, at -450 unless given; a
# chain after -400 sees only whole datagrams and drops nothing.
lab_drop_fragments() {
	lab_exec "$1" nft -f - <<-NFT
	table ip phl_frag {
		counter fragments { }
		chain pre {
			type filter hook prerouting priority ${2:--450}; policy accept;
			ip frag-off & 0x3fff != 0 counter name fragments drop
		}
	}
	NFT
}

# lab_irtt_server NS PORT [ADDR]: an irtt server on ADDR:PORT (default
# every address) in NS, waited for.
lab_irtt_server() {
	local a=${3:-0.0.0.0}
	lab_spawn "$1" "$LAB_TMP/irtt-server-$2.log" irtt server -b "$a:$2" \
		--timeout=30s
	lab_wait_udp "$1" "$a:$2" "$LAB_TMP/irtt-server-$2.log"
}

# lab_irtt_client NS SERVER:PORT [ARGS...]: an irtt client test from NS
# (ARGS such as -i 10ms -d 5s); irtt's JSON (stats.upstream_loss_percent,
# stats.rtt...) becomes $LAB_JSON, in $LAB_TMP/irtt-N.json.  Returns
# irtt's status.
lab_irtt_client() {
	local ns=$1 server=$2 n=0 status=0
	shift 2
	while [ -e "$LAB_TMP/irtt-$n.json" ]; do n=$((n + 1)); done
	LAB_JSON=$LAB_TMP/irtt-$n.json
	lab_exec "$ns" irtt client -Q -o "$LAB_JSON" "$@" "$server" \
		> "$LAB_TMP/irtt-$n.log" 2>&1 || status=$?
	return "$status"
}

# lab_media_check [PROFILE] ARGS...: pinhole check with the media profile
# (or the lab profile PROFILE.ini) and only the media family (the others
# skipped, so nothing else crosses the router's queues); ARGS as for
# lab_check.  Each report is kept in a file of its own, LAB_MEDIA_JSON
# (and LAB_JSON).
lab_media_check() {
	local prof=lab-media
	if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then prof=$1; shift; fi
	LAB_PROFILE=$LAB_ROOT/tests/lab/profiles/$prof.ini lab_check \
		--skip nat --skip nat-layers --skip sip-alg --skip sip-size "$@"
	lab_media_n=$((${lab_media_n:-0} + 1))
	LAB_MEDIA_JSON=$LAB_TMP/media-$lab_media_n.json
	cp "$LAB_JSON" "$LAB_MEDIA_JSON"
	LAB_JSON=$LAB_MEDIA_JSON
}

# lab_media Q: jq of the last lab_media_check's media.rtp evidence
# (Q relative to it, such as '.up.loss_pct').
lab_media() {
	jq -r "(.checks[] | select(.id == \"media.rtp\") | .evidence) | $1" "$LAB_MEDIA_JSON"
}

# lab_drops_of SPORT DPORT: how many datagrams of that flow the last
# lab_impair dropped (its drop list: ground truth).
lab_drops_of() {
	jq -s "[.[] | select(.sport == $1 and .dport == $2)] | length" "$LAB_IMPAIR_DROPS"
}

# lab_postgres NS: a PostgreSQL server from Debian's packages in namespace
# NS (tests/postgres.sh), on 127.0.0.1:5432; its postmaster is ended by
# its PID with the rest.  Sets LAB_PG_URI.
lab_postgres() {
	. "$LAB_ROOT/tests/postgres.sh"
	lab_exec "$1" ip link set lo up
	lab_pids+=("$(pg_start "$LAB_TMP/pg" "$LAB_PREFIX$1")")
	LAB_PG_URI=$PG_URI
}

# Self-interference: no verdict may come from pinhole's own traffic.
# lab_check guards every check run through a router (LAB_GUARD=0 turns it
# off): lab_guard_begin starts watching the router (conntrack's events:
# every UDP flow the LAN client opens, and its public port, pinhole's own
# mappings, in $LAB_TMP/own-ports) and reads its insert_failed counter;
# lab_guard_end asserts that insert_failed did not rise (a mapping that
# clashes with an entry already there, such as one pinhole's own earlier
# traffic left, is dropped) and, on a router that forwards nothing
# (LAB_NO_FORWARD=1), that no port reach.udp.in reports open is one of
# pinhole's own mappings.
lab_guarded() {
	[ "${LAB_GUARD:-1}" = 1 ] && [ -e "/run/netns/${LAB_PREFIX}router" ]
}

lab_ct_insert_failed() {
	lab_exec "${1:-router}" conntrack -S 2>/dev/null |
		grep -o 'insert_failed=[0-9]*' | cut -d= -f2 |
		awk '{ s += $1 } END { print s + 0 }'
}

lab_guard_begin() {
	LAB_GUARD_IF=$(lab_ct_insert_failed)
	: > "$LAB_TMP/own-events"
	lab_spawn router "$LAB_TMP/own-events" conntrack -E -e NEW -p udp \
		-s "${LAB_CLIENT_ADDR:-192.168.1.10}" --buffer-size 8388608
	LAB_GUARD_PID=$LAB_PID
	sleep 0.2
}

lab_guard_end() {
	local now own open bad
	now=$(lab_ct_insert_failed)
	kill "$LAB_GUARD_PID" 2>/dev/null
	wait "$LAB_GUARD_PID" 2>/dev/null
	# The reply direction's destination port is the public port.
	awk '{ n = 0; for (i = 1; i <= NF; i++) if ($i ~ /^dport=/) { n++; if (n == 2) { sub("dport=", "", $i); print $i } } }' \
		"$LAB_TMP/own-events" | sort -un > "$LAB_TMP/own-ports"
	own=$(wc -l < "$LAB_TMP/own-ports")
	lab_checks=$((lab_checks + 1))
	if [ "$now" = "$LAB_GUARD_IF" ]; then
		echo "ok - the router's insert_failed did not rise ($now)"
	else
		echo "not ok - the router's insert_failed rose from $LAB_GUARD_IF to $now: a mapping clashed with an entry already there"
		lab_failed=$((lab_failed + 1))
	fi
	open=$(jq -r '.checks[] | select(.id | startswith("reach.udp.in.")) | .evidence.open // ""' "$LAB_JSON" |
		tr ',' '\n' | awk -F- 'NF { lo = $1; hi = (NF > 1 ? $2 : $1); for (p = lo; p <= hi && p - lo < 70000; p++) print p }' | sort -un)
	[ "${LAB_NO_FORWARD:-0}" = 1 ] || return 0
	bad=$(comm -12 <(echo "$open") "$LAB_TMP/own-ports" | tr '\n' ' ')
	lab_checks=$((lab_checks + 1))
	if [ -z "${bad// /}" ]; then
		echo "ok - no port reported open is one of pinhole's own $own mappings"
	else
		echo "not ok - ports reported open that are pinhole's own mappings: $bad"
		lab_failed=$((lab_failed + 1))
	fi
}

# lab_alg_vendor BEHAVIOR [PORT]: a vendor's SIP ALG on the router, as
# tests/lab/alg/alg.c (the build's tests/lab/alg/pinhole-alg) plays it on
# UDP PORT (default 5060): asa-cline, contact-only, callid,
# content-length or cut-body.  It runs with lab_spawn on a fresh queue
# (taken from lab_impair's numbers), and only once it is bound do the
# iptables mangle FORWARD rules send it SIP toward PORT from the LAN and
# from PORT on the internet side (with --queue-bypass).  Sets
# LAB_ALG_STATS (its stats JSON: what it changed or cut each way).
LAB_ALG_BIN=${LAB_ALG_BIN:-$LAB_BUILD/tests/lab/alg/pinhole-alg}
lab_alg_vendor() {
	local port=${2:-5060} q
	[ -x "$LAB_ALG_BIN" ] ||
		{ echo "lab: $LAB_ALG_BIN not built (libnetfilter-queue-dev)" >&2; exit 1; }
	q=$LAB_IMPAIR_NEXT
	LAB_IMPAIR_NEXT=$((q + 1))
	LAB_ALG_STATS=$LAB_TMP/alg-$q.json
	lab_spawn router "$LAB_TMP/alg-$q.log" "$LAB_ALG_BIN" --queue "$q" \
		--behavior "$1" --private 192.168.1.10 --public 203.0.113.2 \
		--stats "$LAB_ALG_STATS"
	LAB_ALG_PID=$LAB_PID
	lab_queue_bound pinhole-alg "$q" "$LAB_ALG_STATS" "$LAB_TMP/alg-$q.log"
	lab_exec router iptables -t mangle -A FORWARD -i lan -p udp --dport "$port" \
		-j NFQUEUE --queue-num "$q" --queue-bypass
	lab_exec router iptables -t mangle -A FORWARD -i wan -p udp --sport "$port" \
		-j NFQUEUE --queue-num "$q" --queue-bypass
}

# lab_alg_media_forward PUBLIC LOCAL: the router forwards UDP arriving on
# its WAN at PUBLIC to the client's LOCAL port, as an ALG that moves the
# SDP's media port (port-shift) and opens the new port to the phone.
lab_alg_media_forward() {
	lab_exec router nft -f - <<-NFT
	table ip phl_algfwd {
		chain pre {
			type nat hook prerouting priority dstnat; policy accept;
			iifname "wan" udp dport $1 dnat to 192.168.1.10:$2
		}
	}
	NFT
}

# lab_alg_vendor_stats: pinhole-alg's counters as they are now (SIGUSR1,
# then up to 5 s for the next write); the file becomes $LAB_JSON.
lab_alg_vendor_stats() {
	local before i
	before=$(jq .writes "$LAB_ALG_STATS")
	kill -USR1 "$LAB_ALG_PID"
	for i in $(seq 50); do
		[ "$(jq .writes "$LAB_ALG_STATS" 2>/dev/null)" -gt "$before" ] 2>/dev/null && break
		sleep 0.1
	done
	LAB_JSON=$LAB_ALG_STATS
}
