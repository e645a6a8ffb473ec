/*
 * fuzz_rtp.c - pinhole's RTP packets and a MEDIA_STATS's RTP_STATS and
 * TOS_COUNTS on arbitrary bytes.  The input is one datagram (what a media
 * port receives) and, read as a stream of control frames, statistics a
 * server sends; whatever the readers accept must hold the promises of
 * rtp.h, and what is written again must read back the same.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rtp.h"
#include "rtpside.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_packet(const uint8_t *data, size_t size)
{
	uint8_t out[RTP_HDR_LEN + RTP_MAX_PAYLOAD];
	struct rtp_pkt p, q;
	int looks = rtp_looks_like(data, size);
	int r = rtp_parse(data, size, &p);
	size_t n;

	if ((r == 0) != (looks != 0) || (r != 0 && r != -EBADMSG))
		abort();
	if (r != 0)
		return;
	if (p.pt > 127 || size < RTP_HDR_LEN + RTP_MIN_PAYLOAD)
		abort();
	(void)rtp_rtt_us(&p, (int64_t)p.sent_us * 3 - 7);
	n = rtp_build(out, sizeof(out), &p, size - RTP_HDR_LEN);
	if (size - RTP_HDR_LEN > RTP_MAX_PAYLOAD) {
		if (n != 0)
			abort();
		return;
	}
	if (n != size || rtp_parse(out, n, &q) != 0 || q.pt != p.pt ||
	    q.seq != p.seq || q.ts != p.ts || q.ssrc != p.ssrc ||
	    q.key != p.key || q.sent_us != p.sent_us ||
	    q.echo_sent_us != p.echo_sent_us ||
	    q.echo_hold_us != p.echo_hold_us)
		abort();
	/* The header and media header are the input's, bar pt's marker. */
	if (out[0] != data[0] || (out[1] & 0x7f) != (data[1] & 0x7f) ||
	    memcmp(out + 2, data + 2, RTP_HDR_LEN + RTP_MEDIA_HDR_LEN - 2) != 0)
		abort();
}

static void
fuzz_side(const struct ctl_msg *m)
{
	struct rtp_side s, s2;
	struct dbuf b;
	size_t start, i;
	struct ctl_msg m2;
	int r = rtp_side_get(m, &s);

	if (r != 0 && r != -ENOENT && r != -EBADMSG)
		abort();
	if (r != 0)
		return;
	if (s.rx.ntos > RTPSTAT_MAX_TOS || !isfinite(s.rx.loss_pct) ||
	    !isfinite(s.rx.discard_pct) || s.rx.jitter_ms < 0 ||
	    (s.rx.sent != 0 && s.rx.received > s.rx.sent))
		abort();
	/* Written again, it reads back the same (the scaled figures to the
	 * unit they travel in). */
	dbuf_init(&b, CTL_HDR_LEN + CTL_MAX_BODY);
	if (ctl_enc_begin(&b, CTL_MEDIA_STATS, &start) < 0 ||
	    rtp_side_put(&b, &s) < 0 || ctl_enc_end(&b, start) < 0 ||
	    ctl_msg_decode(b.b, b.len, &m2) < 0 || rtp_side_get(&m2, &s2) != 0)
		abort();
	if (s2.sent != s.sent || s2.rx.received != s.rx.received ||
	    s2.rx.lost != s.rx.lost || s2.rx.late != s.rx.late ||
	    s2.rx.sent != s.rx.sent || s2.rx.burst_max != s.rx.burst_max ||
	    s2.rtt_us != s.rtt_us || s2.rtt_samples != s.rtt_samples ||
	    s2.pace_p99_us != s.pace_p99_us || s2.rx.ntos != s.rx.ntos ||
	    s2.rx.tos_other != s.rx.tos_other ||
	    fabs(s2.rx.jitter_ms - s.rx.jitter_ms) > 0.0015 ||
	    fabs(s2.rx.burstr - s.rx.burstr) > 0.0015)
		abort();
	for (i = 0; i < s.rx.ntos; i++)
		if (s2.rx.tos[i].tos != s.rx.tos[i].tos ||
		    s2.rx.tos[i].count != s.rx.tos[i].count)
			abort();
	dbuf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctl_msg m;
	size_t off = 0, flen;

	fuzz_packet(data, size);
	while (off < size && ctl_frame_peek(data + off, size - off, &flen) == 0) {
		if (ctl_msg_decode(data + off, flen, &m) == 0)
			fuzz_side(&m);
		off += flen;
	}
	return 0;
}
