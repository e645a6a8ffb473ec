/*
 * fuzz_ctlreq.c - the typed request decoders on arbitrary control streams.
 *
 * The input is split into frames as pinholed splits its control stream
 * (ctl_frame_peek, ctl_msg_decode), and every frame goes through every
 * request decoder, whatever its type.  Checked: what a decoder accepts
 * keeps each rule of lib/ctlreq.h; the REQ_ID it reports, on success or
 * failure, is the message's; and an accepted request encoded again with
 * the ctl_put_*() encoders decodes to the same struct.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ctlreq.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
static void fuzz_webrtc(const struct ctl_msg *m, const uint8_t *lo,
    const uint8_t *hi);

struct frame {
	struct dbuf b;
	size_t start;
	struct ctl_msg m;
};

static void
frame_begin(struct frame *f, uint16_t type)
{
	dbuf_init(&f->b, CTL_HDR_LEN + CTL_MAX_BODY);
	if (ctl_enc_begin(&f->b, type, &f->start) < 0)
		abort();
}

static const struct ctl_msg *
frame_end(struct frame *f, int r)
{
	if (r < 0 || ctl_enc_end(&f->b, f->start) < 0 ||
	    ctl_msg_decode(f->b.b, f->b.len, &f->m) < 0)
		abort();
	return &f->m;
}

static void
fuzz_send(const struct ctl_msg *m, const uint8_t *lo, const uint8_t *hi)
{
	struct ctlreq_send s, s2;
	struct frame f;
	int r = ctlreq_send_decode(m, &s);

	if (s.req_id != ctlreq_req_id(m) || (r != 0 && r != -EBADMSG))
		abort();
	if (r < 0)
		return;
	if (s.req_id == 0 || (s.transport != CTL_UDP &&
	    s.transport != CTL_TCP) || s.local_port == 0 || s.peer_port == 0 ||
	    s.payload_len == 0 || s.payload_len > CTLREQ_MAX_PAYLOAD ||
	    s.payload < lo || s.payload + s.payload_len > hi)
		abort();
	frame_begin(&f, CTL_SEND);
	r = ctl_put_u32(&f.b, CTL_A_REQ_ID, s.req_id);
	r = r ? r : ctl_put_u8(&f.b, CTL_A_TRANSPORT, s.transport);
	r = r ? r : ctl_put_u16(&f.b, CTL_A_LOCAL_PORT, s.local_port);
	r = r ? r : ctl_put_addr(&f.b, CTL_A_PEER, &s.peer_ip, s.peer_port);
	r = r ? r : ctl_put_bytes(&f.b, CTL_A_PAYLOAD, s.payload, s.payload_len);
	if (ctlreq_send_decode(frame_end(&f, r), &s2) != 0 ||
	    s2.req_id != s.req_id || s2.transport != s.transport ||
	    s2.local_port != s.local_port || s2.peer_port != s.peer_port ||
	    !net_ip_equal(&s2.peer_ip, &s.peer_ip) ||
	    s2.payload_len != s.payload_len ||
	    memcmp(s2.payload, s.payload, s.payload_len) != 0)
		abort();
	dbuf_free(&f.b);
}

static void
fuzz_sweep(const struct ctl_msg *m)
{
	struct ctlreq_sweep s, s2;
	struct frame f;
	uint64_t total = 0;
	size_t i;
	int r = ctlreq_sweep_decode(m, &s);

	if (s.req_id != ctlreq_req_id(m) || (r != 0 && r != -EBADMSG))
		abort();
	if (r < 0)
		return;
	if (s.req_id == 0 || s.nranges == 0 || s.nranges > CTLREQ_MAX_RANGES ||
	    (s.has_local_port && s.local_port == 0))
		abort();
	for (i = 0; i < s.nranges; i++) {
		if (s.ranges[i][0] == 0 || s.ranges[i][0] > s.ranges[i][1])
			abort();
		total += (uint64_t)s.ranges[i][1] - s.ranges[i][0] + 1;
	}
	if (total != s.total)
		abort();
	frame_begin(&f, CTL_SWEEP);
	r = ctl_put_u32(&f.b, CTL_A_REQ_ID, s.req_id);
	r = r ? r : ctl_put_bytes(&f.b, CTL_A_NONCE, s.nonce, CTL_NONCE_LEN);
	r = r ? r : ctl_put_ranges(&f.b, CTL_A_PORTS,
	    (const uint16_t (*)[2])s.ranges, s.nranges);
	if (s.has_local_port)
		r = r ? r : ctl_put_u16(&f.b, CTL_A_LOCAL_PORT, s.local_port);
	if (s.has_source)
		r = r ? r : ctl_put_addr(&f.b, CTL_A_SOURCE, &s.source, 0);
	if (ctlreq_sweep_decode(frame_end(&f, r), &s2) != 0 ||
	    memcmp(&s, &s2, sizeof(s)) != 0)
		abort();
	dbuf_free(&f.b);
}

static void
fuzz_connect(const struct ctl_msg *m)
{
	struct ctlreq_connect c, c2;
	struct frame f;
	int r = ctlreq_connect_decode(m, &c);

	if (c.req_id != ctlreq_req_id(m) || (r != 0 && r != -EBADMSG))
		abort();
	if (r < 0)
		return;
	if (c.req_id == 0 || c.peer_port == 0)
		abort();
	frame_begin(&f, CTL_CONNECT);
	r = ctl_put_u32(&f.b, CTL_A_REQ_ID, c.req_id);
	r = r ? r : ctl_put_bytes(&f.b, CTL_A_NONCE, c.nonce, CTL_NONCE_LEN);
	r = r ? r : ctl_put_addr(&f.b, CTL_A_PEER, &c.peer_ip, c.peer_port);
	if (c.has_source)
		r = r ? r : ctl_put_addr(&f.b, CTL_A_SOURCE, &c.source, 0);
	if (ctlreq_connect_decode(frame_end(&f, r), &c2) != 0 ||
	    memcmp(&c, &c2, sizeof(c)) != 0)
		abort();
	dbuf_free(&f.b);
}

static void
fuzz_watch(const struct ctl_msg *m)
{
	uint8_t nonce[CTL_NONCE_LEN];
	struct ctlreq_watch w;
	int r = ctlreq_watch_decode(m, &w);

	if ((r == 0) != (ctl_get_fixed(m, CTL_A_NONCE, nonce,
	    sizeof(nonce)) == 0) ||
	    (r == 0 && memcmp(nonce, w.nonce, sizeof(nonce)) != 0))
		abort();
}

static void
fuzz_media(const struct ctl_msg *m)
{
	struct ctlreq_media q, q2;
	struct frame f;
	int r = ctlreq_media_decode(m, &q);

	if (q.req_id != ctlreq_req_id(m) || (r != 0 && r != -EBADMSG))
		abort();
	if (r < 0)
		return;
	if (q.req_id == 0 || q.local_port == 0 || q.pt > 127 ||
	    q.ptime_ms < 10 || q.ptime_ms > 120 || q.ptime_ms % 10 != 0 ||
	    q.payload_len < CTLREQ_MEDIA_MIN_PAYLOAD ||
	    q.payload_len > CTLREQ_MEDIA_MAX_PAYLOAD || q.packets == 0 ||
	    (uint64_t)q.packets * q.ptime_ms > CTLREQ_MEDIA_MAX_MS ||
	    q.jb_ms > 1000)
		abort();
	frame_begin(&f, CTL_MEDIA);
	r = ctl_put_u32(&f.b, CTL_A_REQ_ID, q.req_id);
	r = r ? r : ctl_put_u16(&f.b, CTL_A_LOCAL_PORT, q.local_port);
	r = r ? r : ctl_put_u32(&f.b, CTL_A_SSRC, q.ssrc);
	r = r ? r : ctl_put_u32(&f.b, CTL_A_MEDIA_KEY, q.key);
	r = r ? r : ctl_put_u8(&f.b, CTL_A_RTP_PT, q.pt);
	r = r ? r : ctl_put_u16(&f.b, CTL_A_PTIME, q.ptime_ms);
	r = r ? r : ctl_put_u16(&f.b, CTL_A_PAYLOAD_LEN, q.payload_len);
	r = r ? r : ctl_put_u32(&f.b, CTL_A_PACKETS, q.packets);
	r = r ? r : ctl_put_u16(&f.b, CTL_A_FIRST_SEQ, q.first_seq);
	r = r ? r : ctl_put_u8(&f.b, CTL_A_TOS, q.tos);
	r = r ? r : ctl_put_u16(&f.b, CTL_A_JITTER_BUF, q.jb_ms);
	if (ctlreq_media_decode(frame_end(&f, r), &q2) != 0 ||
	    memcmp(&q, &q2, sizeof(q)) != 0)
		abort();
	dbuf_free(&f.b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctl_msg m;
	size_t off = 0, flen;

	if (ctl_preamble_check(data, size) > 0)
		off = CTL_PREAMBLE_LEN;
	while (off < size && ctl_frame_peek(data + off, size - off,
	    &flen) == 0) {
		if (ctl_msg_decode(data + off, flen, &m) == 0) {
			fuzz_watch(&m);
			fuzz_send(&m, data + off, data + off + flen);
			fuzz_sweep(&m);
			fuzz_connect(&m);
			fuzz_media(&m);
			fuzz_webrtc(&m, data + off, data + off + flen);
		}
		off += flen;
	}
	return 0;
}

static void
fuzz_webrtc(const struct ctl_msg *m, const uint8_t *lo, const uint8_t *hi)
{
	struct ctlreq_webrtc w;
	int r = ctlreq_webrtc_decode(m, &w);

	if (w.req_id != ctlreq_req_id(m) || (r != 0 && r != -EBADMSG))
		abort();
	if (r < 0)
		return;
	if (w.req_id == 0 || w.sdp_len == 0 || w.sdp_len > CTLREQ_MAX_SDP ||
	    (const uint8_t *)w.sdp < lo ||
	    (const uint8_t *)w.sdp + w.sdp_len > hi ||
	    memchr(w.sdp, '\0', w.sdp_len) != NULL)
		abort();
}
