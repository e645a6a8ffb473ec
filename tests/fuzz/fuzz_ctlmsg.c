/*
 * fuzz_ctlmsg.c - the client's decoders of server messages (WELCOME, SEEN,
 * SENT, ERROR) on arbitrary bytes, read as a stream of frames.  Whatever
 * a decoder accepts must hold the promises of ctlmsg.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ctlmsg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_one(struct ctl_msg *m)
{
	struct ctl_welcome w;
	struct ctl_seen s;
	struct ctl_answer a;
	struct ctl_media_stats ms;
	struct ctl_relay_creds rc;
	size_t i;

	/* Every decoder on every message, whatever its type. */
	if (ctl_welcome_decode(m, &w) == 0) {
		if (w.nserver_addrs > CTLMSG_MAX_ADDRS ||
		    w.nudp_ports > CTLMSG_MAX_RANGES ||
		    w.ntcp_ports > CTLMSG_MAX_RANGES ||
		    w.nhttp_ports > CTLMSG_MAX_RANGES ||
		    w.nmedia_ports > CTLMSG_MAX_RANGES)
			abort();
		for (i = 0; i < w.nudp_ports; i++)
			if (w.udp_ports[i][0] == 0 ||
			    w.udp_ports[i][0] > w.udp_ports[i][1])
				abort();
	}
	if (ctl_seen_decode(m, &s) == 0) {
		if ((s.transport != CTL_UDP && s.transport != CTL_TCP) ||
		    s.len > CTL_MAX_BODY || (s.len > 0 && s.payload == NULL))
			abort();
		if (s.len > 0 && (s.payload[0] == 0xff ||
		    s.payload[s.len - 1] == 0xff))
			s.tos = 0;	/* touch both ends for ASan */
		if (s.tos < -1 || s.tos > 255)
			abort();
	}
	if (ctl_answer_decode(m, &a) == 0) {
		if (m->type == CTL_SENT && (a.req_id == 0 || a.code != 0))
			abort();
		if (m->type == CTL_ERROR && a.code == 0)
			abort();
		for (i = 0; a.reason[i] != '\0'; i++)
			if (a.reason[i] < 0x20 || a.reason[i] > 0x7e ||
			    i >= sizeof(a.reason) - 1)
				abort();
	}
	if (ctl_media_stats_decode(m, &ms) == 0) {
		if (ms.req_id == 0 || ms.side.rx.ntos > RTPSTAT_MAX_TOS ||
		    (ms.side.rx.sent != 0 && ms.side.rx.received >
		    ms.side.rx.sent))
			abort();
	}
	if (ctl_relay_creds_decode(m, &rc) == 0) {
		for (i = 0; rc.user[i] != '\0'; i++)
			if (rc.user[i] <= ' ' || rc.user[i] > '~')
				abort();
		if (rc.req_id == 0 || rc.lifetime == 0 || rc.pass[0] == '\0')
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctl_msg m;
	size_t off = 0, flen;

	if (ctl_preamble_check(data, size) > 0)
		off = CTL_PREAMBLE_LEN;
	while (off < size && ctl_frame_peek(data + off, size - off, &flen) == 0) {
		if (ctl_msg_decode(data + off, flen, &m) == 0) {
			fuzz_one(&m);
			/* The same attributes under each server type. */
			m.type = CTL_WELCOME;
			fuzz_one(&m);
			m.type = CTL_SEEN;
			fuzz_one(&m);
			m.type = CTL_ERROR;
			fuzz_one(&m);
			m.type = CTL_MEDIA_STATS;
			fuzz_one(&m);
			m.type = CTL_RELAY_CREDS;
			fuzz_one(&m);
		}
		off += flen;
	}
	return 0;
}
