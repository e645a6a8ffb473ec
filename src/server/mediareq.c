/*
 * mediareq.c - the MEDIA request (docs/protocol.md): which UDP port, the
 * streams in use and the session's caps on streams, bit rate and
 * stream-seconds, each charged before the stream starts; then the stream
 * is mediasrv.c's, and SENT gives the client our SSRC and first sequence
 * number.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "ctlreq.h"
#include "rtp.h"
#include "session.h"
#include "srvproto.h"

/* A stream's bit rate at the IP layer. */
static uint64_t
media_bps(const struct ctlreq_media *q)
{
	return (uint64_t)(q->payload_len + RTP_HDR_LEN + 8 + 20) * 8 * 1000 /
	    q->ptime_ms;
}

/* SENT, with our SSRC and first sequence number. */
static void
mediasrv_accepted(struct session *ss, const struct ctlreq_media *q,
    uint32_t ssrc, uint16_t seq0)
{
	struct dbuf b;
	size_t start;
	int r;

	dbuf_init(&b, 256);
	r = ctl_enc_begin(&b, CTL_SENT, &start);
	r = r ? r : ctl_put_u32(&b, CTL_A_REQ_ID, q->req_id);
	r = r ? r : ctl_put_u32(&b, CTL_A_SSRC, ssrc);
	r = r ? r : ctl_put_u16(&b, CTL_A_FIRST_SEQ, seq0);
	r = r ? r : ctl_enc_end(&b, start);
	if (r == 0)
		(void)session_write(ss, &b);
	dbuf_free(&b);
}

void
mediasrv_request(struct session *ss, const struct ctl_msg *msg)
{
	struct server *s = ss->srv;
	struct ctlreq_media q;
	struct listener *l;
	uint64_t bps;
	uint32_t ssrc;
	uint16_t seq0;
	int r;

	if (ctlreq_media_decode(msg, &q) < 0) {
		session_fail(ss, CTL_E_BAD_REQUEST, q.req_id, "malformed MEDIA");
		return;
	}
	if ((q.flags & CTL_F_VIA_RELAY) && s->conf.nrelay_from == 0) {
		session_fail(ss, CTL_E_FORBIDDEN, q.req_id, "no relay "
		    "addresses configured (relay-from)");
		return;
	}
	if ((l = listen_find(s, LST_SIP_UDP, q.local_port, NULL)) == NULL) {
		session_fail(ss, CTL_E_NOT_FOUND, q.req_id, "no such UDP port");
		return;
	}
	r = mediasrv_stream_check(s, &q);
	if (r == -ENOMEM) {
		session_fail(ss, CTL_E_INTERNAL, q.req_id, "out of memory");
		return;
	}
	if (r == -EEXIST) {
		session_fail(ss, CTL_E_BAD_REQUEST, q.req_id,
		    "SSRC and key in use");
		return;
	}
	if (r == -EBUSY) {
		session_fail(ss, CTL_E_BUSY, q.req_id, "media streams busy");
		return;
	}
	bps = media_bps(&q);
	if (session_charge(ss, SQ_MEDIA_STREAMS, 1) < 0) {
		session_fail(ss, CTL_E_LIMIT, q.req_id,
		    "session-media-streams reached");
		return;
	}
	if (session_charge(ss, SQ_MEDIA_BPS, bps) < 0) {
		session_release(ss, SQ_MEDIA_STREAMS, 1);
		session_fail(ss, CTL_E_LIMIT, q.req_id,
		    "session-media-kbps reached");
		return;
	}
	if (session_charge(ss, SQ_MEDIA_MS, (uint64_t)q.packets *
	    q.ptime_ms) < 0) {
		session_release(ss, SQ_MEDIA_STREAMS, 1);
		session_release(ss, SQ_MEDIA_BPS, bps);
		session_fail(ss, CTL_E_LIMIT, q.req_id,
		    "session-media-seconds reached");
		return;
	}
	if (mediasrv_stream_new(ss, l, &q, bps, &ssrc, &seq0) < 0) {
		session_release(ss, SQ_MEDIA_STREAMS, 1);
		session_release(ss, SQ_MEDIA_BPS, bps);
		session_release(ss, SQ_MEDIA_MS, (uint64_t)q.packets *
		    q.ptime_ms);
		session_fail(ss, CTL_E_INTERNAL, q.req_id, "out of memory");
		return;
	}
	mediasrv_accepted(ss, &q, ssrc, seq0);
}
