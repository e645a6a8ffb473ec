# tests/server/client-lib.sh - what the client-*.sh tests that run the real
# pinhole check against the real pinholed share: certificates, a small
# profile, a bounded client run in the server's namespace, and assertions
# on its report.  Sourced after lib.sh; the namespace, the temporary
# directory and the cleanup are lib.sh's.
PINHOLE=${PINHOLE:-$SRV_ROOT/build/src/client/pinhole}
cl_fail=0
ok() { echo "ok - $1"; }
bad() { echo "not ok - $1"; cl_fail=1; }
want() {	# want WHAT GOT EXPECTED
	if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got '${2:0:300}', want '${3:0:300}'"; fi
}
has() {	# has WHAT FILE TEXT: FILE contains TEXT
	if grep -qF -- "$3" "$2"; then ok "$1"
	else bad "$1: no '$3' in $(basename "$2"): $(head -c 400 "$2")"; fi
}
hasnt() {	# hasnt WHAT FILE TEXT
	if grep -qF -- "$3" "$2"; then bad "$1: '$3' in $(basename "$2"): $(grep -F -- "$3" "$2" | head -3)"
	else ok "$1"; fi
}
jqwant() {	# jqwant WHAT FILTER EXPECTED: on the last report
	want "$1" "$(jq -r "$2" "$SRV_TMP/report.json" 2>&1)" "$3"
}

if ip netns list | grep -q "^$SRV_NS\b"; then
	echo "namespace $SRV_NS is left over; refusing to run"; exit 1
fi

# cl_cert NAME SUBJECT-ALT-NAME: a self-signed certificate and its key,
# $SRV_TMP/NAME.pem and $SRV_TMP/NAME.key (readable by pinholed's user).
cl_cert() {
	openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=$1" \
		-addext "subjectAltName=$2" \
		-keyout "$SRV_TMP/$1.key" -out "$SRV_TMP/$1.pem" 2>/dev/null
	chmod 644 "$SRV_TMP/$1.key"
}

# A profile with one endpoint per TCP responder of pinholed's defaults
# (HTTP 80, BOSH 5280, XMPP 5222) and SIP over TCP: quick to check.
cat > "$SRV_TMP/web.ini" <<-INI
[profile]
name = web
title = Web endpoints
description = HTTP, BOSH and XMPP out, SIP over TCP out

[endpoint http]
proto = tcp
ports = 80
direction = out
service = http

[endpoint bosh]
proto = tcp
ports = 5280
direction = out
service = bosh

[endpoint xmpp]
proto = tcp
ports = 5222
direction = out
service = xmpp

[endpoint sip]
proto = tcp
ports = 5060
direction = out
service = sip
INI

# cl_check SECONDS ARGS: pinhole check --json against 127.0.0.1:4443 in the
# namespace, under timeout SECONDS; the report in $SRV_TMP/report.json,
# stderr in $SRV_TMP/stderr, the status in cl_status.  Only the reach
# family runs unless ARGS say otherwise.  CL_PROFILE: the profile (web.ini
# by default); CL_PRE: words before timeout (env VAR=..., for example).
CL_PRE=()
cl_check() {
	local secs=$1
	shift
	cl_status=0
	ip netns exec "$SRV_NS" "${CL_PRE[@]}" timeout "$secs" "$PINHOLE" check --json \
		--server 127.0.0.1:4443 --profile "${CL_PROFILE:-$SRV_TMP/web.ini}" \
		--skip nat --skip nat-layers --skip sip-alg --skip udp-timeout \
		--skip reach-in --skip media --timeout 2 "$@" \
		> "$SRV_TMP/report.json" 2> "$SRV_TMP/stderr" || cl_status=$?
}
