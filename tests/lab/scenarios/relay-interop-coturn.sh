#!/usr/bin/env bash
# Ground truth: a masquerading NAT, and the provider's relay is Debian's
# coturn with use-auth-secret on 203.0.113.11: UDP and TCP 3478, TLS 443.
# A UDP echo on 203.0.113.10:40000 stands for pinholed's media port, and
# one on 203.0.113.12 for a peer the relay is told to refuse.  pinhole's
# relay client (src/client/relay.c, driven by pinhole-turnprobe) must
# carry every datagram both ways over each transport with credentials in
# the REST form, and name the failing step and its cause when the peer
# is refused (permission, 403), the credentials are wrong (allocate,
# refused), the router drops UDP to 3478 (allocate, no answer; TCP and
# TLS still carry), and a proxy on the router intercepts TLS on 443 with
# its own certificate (tls, not trusted, the proxy's issuer named).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
lab_begin relay-interop-coturn
lab_topology nat
lab_router_nat
RELAY=$LAB_RELAY
ip -n "${LAB_PREFIX}server" addr add 203.0.113.12/24 dev eth0
lab_turnserver --denied-peer-ip=203.0.113.12
# The echoes: every datagram back to its sender, for 120 s at most.
lab_spawn server "$LAB_TMP/echo.log" python3 -c '
import select, socket, time
socks = []
for a in ("203.0.113.10", "203.0.113.12"):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((a, 40000))
    socks.append(s)
end = time.time() + 120
while time.time() < end:
    for s in select.select(socks, [], [], 1)[0]:
        d, src = s.recvfrom(4096)
        s.sendto(d, src)'
lab_wait_udp server 203.0.113.10:40000 "$LAB_TMP/echo.log"
user=$LAB_TURN_USER pass=$LAB_TURN_PASS

probe() {	# probe NAME TRANSPORT PORT [ARGS...]: $LAB_TMP/NAME.json
	local st=0
	lab_exec client timeout 60 "$LAB_TURNPROBE" --relay "$RELAY:$3" --transport "$2" \
		--user "$user" --pass "$pass" --peer 203.0.113.10:40000 \
		--count 50 --timeout-ms 4000 "${@:4}" > "$LAB_TMP/$1.json" || st=$?
	# 0: it crossed; 3: a step failed, said in the JSON; else it broke.
	[ "$st" = 0 ] || [ "$st" = 3 ] || echo "{\"crashed\": $st}" > "$LAB_TMP/$1.json"
}
probe udp udp 3478
probe tcp tcp 3478
probe tls tls 443 --host $RELAY --ca "$LAB_TMP/relay.pem"
probe forbidden udp 3478 --peer 203.0.113.12:40000
pass=wrong-password probe badcred udp 3478
lab_exec router nft -f - <<-NFT
table ip phl_relay {
	chain forward {
		type filter hook forward priority filter; policy accept;
		iifname "lan" udp dport 3478 drop
	}
}
NFT
probe udp_blocked udp 3478
probe tcp_blocked tcp 3478
lab_middlebox tls
probe tls_mitm tls 443 --host $RELAY --ca "$LAB_TMP/relay.pem"
lab_json_merge udp="$LAB_TMP/udp.json" tcp="$LAB_TMP/tcp.json" \
	tls="$LAB_TMP/tls.json" forbidden="$LAB_TMP/forbidden.json" \
	badcred="$LAB_TMP/badcred.json" udp_blocked="$LAB_TMP/udp_blocked.json" \
	tcp_blocked="$LAB_TMP/tcp_blocked.json" tls_mitm="$LAB_TMP/tls_mitm.json"
for t in udp tcp tls; do
	lab_expect ".$t.ok and .$t.sent == 50 and .$t.received == 50 and .$t.duplicates == 0" \
		"over $t, all 50 datagrams cross the relay both ways"
	lab_expect ".$t.relayed | startswith(\"$RELAY:\")" \
		"over $t, the relayed address is the relay's"
	lab_expect ".$t.mapped | startswith(\"203.0.113.2:\")" \
		"over $t, the relay saw the router's public address"
	lab_expect ".$t.auth_rounds == 1" "over $t, one 401 before the credentials"
done
lab_expect '.forbidden.ok == false and .forbidden.step == "permission" and (.forbidden.why | startswith("403 "))' \
	"a peer the relay refuses: permission, 403"
lab_expect '.badcred.ok == false and .badcred.step == "allocate" and (.badcred.why | startswith("credentials refused"))' \
	"wrong credentials: allocate, credentials refused"
lab_expect '.udp_blocked.ok == false and .udp_blocked.step == "allocate" and (.udp_blocked.why | startswith("no answer in 4000 ms"))' \
	"UDP to 3478 dropped: allocate, no answer"
lab_expect '.tcp_blocked.ok and .tcp_blocked.received == 50' \
	"UDP to 3478 dropped: TCP still carries every datagram"
lab_expect '.tls_mitm.ok == false and .tls_mitm.step == "tls" and (.tls_mitm.why | contains("inspecting-firewall"))' \
	"TLS intercepted: tls, the proxy's certificate named"
lab_end
