#!/usr/bin/env bash
# SIGTERM and SIGINT in the middle of pinhole check end it cleanly, as the
# man page's SIGNALS says: within seconds, status 2, the report in the
# format asked holding every check that had finished (the reach checks
# here, passed) and one entry per family still running (udp-timeout,
# measuring up to 60 s; media, a 30 s call) with the family as its id,
# verdict error, saying it was interrupted, and each requirement such a
# family had not concluded (media.rtp) with the verdict error too; no
# process left behind, and pinholed keeps serving.  pinholed alone in a namespace, on 127.0.0.1.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/client-lib.sh"
srv_start
# web.ini's endpoints, with a minute of UDP binding lifetime and a call.
{
	cat <<-INI
	[profile]
	name = slow
	title = Long checks
	description = a UDP binding lifetime of a minute, a call, web endpoints

	[requirements]
	udp-timeout-min = 60

	[media]
	udp = 10000-20000

	INI
	sed -n '/^\[endpoint/,$p' "$SRV_TMP/web.ini"
} > "$SRV_TMP/slow.ini"

# interrupt SIGNAL FORMAT: the check started, SIGNAL after 2 s; sets
# cl_status and took (seconds from the signal to the end)
interrupt() {
	local tpid pid t0 i
	ip netns exec "$SRV_NS" timeout -s KILL 90 "$PINHOLE" check \
		--server 127.0.0.1:4443 --profile "$SRV_TMP/slow.ini" \
		--skip nat --skip nat-layers --skip sip-alg --skip reach-in \
		--udp-timeout-max 60 --media-seconds 30 --format "$2" --no-color \
		> "$SRV_TMP/report.json" 2> "$SRV_TMP/stderr" &
	tpid=$!
	sleep 2
	pid=$(pgrep -P "$tpid")
	if [ -z "$pid" ]; then
		bad "$1 $2: pinhole still runs after 2 s"; wait "$tpid"; return
	fi
	t0=$(date +%s%N)
	kill "-$1" "$pid"
	for i in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	took=$(( ($(date +%s%N) - t0) / 1000000 ))
	cl_status=0
	wait "$tpid" || cl_status=$?
	if [ "$took" -le 5000 ]; then ok "$1 $2: ended ${took} ms after the signal"
	else bad "$1 $2: still running ${took} ms after the signal (status $cl_status)"; fi
	want "$1 $2: exit 2" "$cl_status" 2
	want "$1 $2: no process left in the namespace" \
		"$(ip netns pids "$SRV_NS" | grep -vx "$srv_pid" | tr '\n' ' ')" ""
}

for sig in TERM INT; do
	interrupt "$sig" json
	jqwant "SIG$sig json: verdict error" .verdict error
	jqwant "SIG$sig json: the finished checks kept, the running families interrupted" \
		'[.checks[] | "\(.id) \(.verdict)"] | join(", ")' \
		"nat skip, nat-layers skip, sip-alg skip, udp-timeout error, reach.tcp.out.80 pass, reach.tcp.out.5280 pass, reach.tcp.out.5222 pass, reach.tcp.out.5060 pass, reach-in skip, media error, media.rtp error"
	for f in udp-timeout media; do
		jqwant "SIG$sig json: $f says it was interrupted" \
			".checks[] | select(.id == \"$f\") | \"\(.summary) \(.evidence.interrupted)\"" \
			"interrupted before the $f checks finished (0 concluded before) true"
	done
	jqwant "SIG$sig json: media.rtp not concluded" \
		'.checks[] | select(.id == "media.rtp") | "\(.summary) \(.evidence.interrupted)"' \
		"media quality across the UDP media range: not concluded, the check was interrupted true"
	jqwant "SIG$sig json: the report's schema" .schema pinhole.report/1
	want "SIG$sig json: nothing said on stderr" "$(cat "$SRV_TMP/stderr")" ""
done
interrupt TERM text
want "SIGTERM text: the verdict first" "$(head -1 "$SRV_TMP/report.json" | cut -d' ' -f1-2)" "verdict: error"
has "SIGTERM text: the interrupted family" "$SRV_TMP/report.json" \
	"interrupted before the udp-timeout checks finished"
has "SIGTERM text: a finished check" "$SRV_TMP/report.json" "PASS reach.tcp.out.80"
interrupt TERM html
has "SIGTERM html: a whole page" "$SRV_TMP/report.json" "</html>"
has "SIGTERM html: the interrupted family" "$SRV_TMP/report.json" \
	"interrupted before the media checks finished"

# pinholed serves the next client.
cl_check 30
want "a check after the interrupted ones: exit 0" "$cl_status" 0
kill -0 "$srv_pid" 2>/dev/null && ok "pinholed alive" || bad "pinholed died"
[ "$cl_fail" -eq 0 ] || { echo "# pinholed log:"; cat "$SRV_TMP/log"; }
exit "$cl_fail"
