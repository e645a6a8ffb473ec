#!/usr/bin/env bash
# Ground truth: the web phone's four TLS endpoints on TCP 443 are four
# hosts (signaling-gll, signaling-vpc-gll, signaling-us1, insights), each
# at its own address (203.0.113.21-24, served by the pinholed, with a
# certificate for all four names from a lab CA the client trusts).  With
# nothing blocked, each is its own check, under its own id, naming its host,
# and passes; with signaling-us1's address dropped at the router, that one
# fails and the other three still pass.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
LAB_REACH=1
LAB_PROFILE=$LAB_ROOT/profiles/ringio-web-phone.ini
lab_begin reach-endpoints
lab_topology nat
lab_router_nat
lab_dns chunderw-gll.twilio.com=203.0.113.21 \
	chunderw-vpc-gll.twilio.com=203.0.113.22 \
	chunderw-vpc-gll-us1.twilio.com=203.0.113.23 \
	eventgw.twilio.com=203.0.113.24
# The four addresses lead to the pinholed's TLS responder on .11.
for a in 21 22 23 24; do
	ip -n "${LAB_PREFIX}server" addr add "203.0.113.$a/24" dev eth0
done
lab_exec server nft -f - <<-NFT
table ip phl_hosts {
	chain pre {
		type nat hook prerouting priority dstnat; policy accept;
		ip daddr 203.0.113.21-203.0.113.24 tcp dport 443 dnat to 203.0.113.11
	}
}
NFT
# A lab CA, and the server's certificate for the four names, signed by it.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=lab CA" \
	-keyout "$LAB_TMP/ca.key" -out "$LAB_TMP/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=$LAB_SERVER" \
	-keyout "$LAB_TMP/key.pem" -out "$LAB_TMP/srv.csr" 2>/dev/null
printf 'subjectAltName=IP:%s,DNS:chunderw-gll.twilio.com,DNS:chunderw-vpc-gll.twilio.com,DNS:chunderw-vpc-gll-us1.twilio.com,DNS:eventgw.twilio.com\n' \
	"$LAB_SERVER" > "$LAB_TMP/san.ext"
openssl x509 -req -in "$LAB_TMP/srv.csr" -CA "$LAB_TMP/ca.pem" \
	-CAkey "$LAB_TMP/ca.key" -CAcreateserial -days 1 \
	-extfile "$LAB_TMP/san.ext" -out "$LAB_TMP/cert.pem" 2>/dev/null
chmod 644 "$LAB_TMP/key.pem"
LAB_TLS="tls-cert = $LAB_TMP/cert.pem
tls-key = $LAB_TMP/key.pem"
lab_pinholed
# The client trusts the lab CA (OpenSSL's default verify paths read it).
export SSL_CERT_FILE=$LAB_TMP/ca.pem

ids='["reach.tcp.out.443.insights", "reach.tcp.out.443.signaling-gll", "reach.tcp.out.443.signaling-us1", "reach.tcp.out.443.signaling-vpc-gll"]'
hosts='{"reach.tcp.out.443.signaling-gll": "chunderw-gll.twilio.com", "reach.tcp.out.443.signaling-vpc-gll": "chunderw-vpc-gll.twilio.com", "reach.tcp.out.443.signaling-us1": "chunderw-vpc-gll-us1.twilio.com", "reach.tcp.out.443.insights": "eventgw.twilio.com"}'
lab_check --skip sip-alg --skip nat-layers --skip media --skip reach-in
lab_expect "[.checks[] | select(.id | startswith(\"reach.tcp.out.443\")) | .id] | sort == $ids" \
	"the four TCP 443 endpoints are four checks, each under its own id"
lab_expect "[.checks[] | select(.id | startswith(\"reach.tcp.out.443.\")) | $hosts[.id] as \$h | .evidence.host == \$h and (.summary | contains(\$h))] | length == 4 and all" \
	"each names its own host, in the evidence and the summary"
lab_expect "[.checks[] | select(.id | startswith(\"reach.tcp.out.443.\")) | .evidence.ports[] | .address] | sort == [\"203.0.113.21:443\", \"203.0.113.22:443\", \"203.0.113.23:443\", \"203.0.113.24:443\"]" \
	"each host's own address is probed"
lab_expect '[.checks[] | select(.id | startswith("reach.tcp.out.443.")) | .verdict] == ["pass", "pass", "pass", "pass"]' \
	"with nothing blocked, all four pass"

# signaling-us1's address dropped at the router.
lab_exec router nft -f - <<-NFT
table ip phl_drop_us1 {
	chain forward {
		type filter hook forward priority filter; policy accept;
		iifname "lan" ip daddr 203.0.113.23 tcp dport 443 drop
	}
}
NFT
lab_check --skip sip-alg --skip nat-layers --skip media --skip reach-in
lab_expect '[.checks[] | select(.id | startswith("reach.tcp.out.443")) | select(.verdict != "pass") | .id] == ["reach.tcp.out.443.signaling-us1"]' \
	"only signaling-us1 does not pass"
lab_reach reach.tcp.out.443.signaling-us1 fail "" 443
lab_expect '.checks[] | select(.id == "reach.tcp.out.443.signaling-us1") | .summary | contains("to chunderw-vpc-gll-us1.twilio.com: blocked 443")' \
	"its summary names the host and the blocked port"
lab_expect '[.checks[] | select(.id | startswith("reach.tcp.out.443.")) | select(.verdict == "pass") | .evidence.host] | sort == ["chunderw-gll.twilio.com", "chunderw-vpc-gll.twilio.com", "eventgw.twilio.com"]' \
	"the other three hosts still pass"
lab_end
