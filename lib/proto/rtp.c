/* rtp.c - media stream packets (see rtp.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "rtp.h"

int
rtp_looks_like(const uint8_t *buf, size_t n)
{
	return n >= RTP_HDR_LEN + RTP_MIN_PAYLOAD && (buf[0] & 0xc0) == 0x80 &&
	    (buf[0] & 0x3f) == 0;
}

size_t
rtp_build(uint8_t *out, size_t cap, const struct rtp_pkt *p,
    size_t payload_len)
{
	size_t n = RTP_HDR_LEN + payload_len;

	if (payload_len < RTP_MIN_PAYLOAD || payload_len > RTP_MAX_PAYLOAD ||
	    cap < n)
		return 0;
	out[0] = 0x80;
	out[1] = p->pt & 0x7f;
	out[2] = (uint8_t)(p->seq >> 8);
	out[3] = (uint8_t)p->seq;
	buf_put_be32(out + 4, p->ts);
	buf_put_be32(out + 8, p->ssrc);
	buf_put_be32(out + 12, p->key);
	buf_put_be32(out + 16, p->sent_us);
	buf_put_be32(out + 20, p->echo_sent_us);
	buf_put_be32(out + 24, p->echo_hold_us);
	/* Filler that compresses badly, as coded audio does. */
	for (size_t i = RTP_HDR_LEN + RTP_MEDIA_HDR_LEN; i < n; i++)
		out[i] = (uint8_t)(i * 151u + p->seq * 7u);
	return n;
}

int
rtp_parse(const uint8_t *buf, size_t n, struct rtp_pkt *p)
{
	if (!rtp_looks_like(buf, n))
		return -EBADMSG;
	p->pt = buf[1] & 0x7f;
	p->seq = (uint16_t)(buf[2] << 8 | buf[3]);
	p->ts = buf_get_be32(buf + 4);
	p->ssrc = buf_get_be32(buf + 8);
	p->key = buf_get_be32(buf + 12);
	p->sent_us = buf_get_be32(buf + 16);
	p->echo_sent_us = buf_get_be32(buf + 20);
	p->echo_hold_us = buf_get_be32(buf + 24);
	return 0;
}

int64_t
rtp_rtt_us(const struct rtp_pkt *p, int64_t arrived_us)
{
	int64_t rtt;

	if (p->echo_sent_us == RTP_NO_ECHO)
		return -1;
	rtt = arrived_us - (int64_t)p->echo_sent_us - (int64_t)p->echo_hold_us;
	return rtt < 0 || rtt > 60 * 1000000LL ? -1 : rtt;
}

int
rtp_hdr_decode(const uint8_t *b, size_t n, struct rtp_hdr *h)
{
	struct cursor c;
	uint8_t v, m;
	uint16_t words;
	size_t pad = 0;

	cur_init(&c, b, n);
	if (cur_u8(&c, &v) < 0 || (v >> 6) != 2 || cur_u8(&c, &m) < 0 ||
	    cur_u16(&c, &h->seq) < 0 || cur_u32(&c, &h->ts) < 0 ||
	    cur_u32(&c, &h->ssrc) < 0 ||
	    cur_skip(&c, 4 * (size_t)(v & 15)) < 0)	/* CSRCs */
		return -EBADMSG;
	if ((v & 0x10) && (cur_skip(&c, 2) < 0 ||	/* extension */
	    cur_u16(&c, &words) < 0 || cur_skip(&c, 4 * (size_t)words) < 0))
		return -EBADMSG;
	if (v & 0x20) {			/* padding: its count is the last byte */
		pad = b[n - 1];
		if (pad == 0 || pad > cur_left(&c))
			return -EBADMSG;
	}
	h->marker = m >> 7;
	h->pt = m & 0x7f;
	h->payload_off = c.pos;
	h->payload_len = cur_left(&c) - pad;
	return 0;
}

size_t
rtp_hdr_build(uint8_t *b, size_t cap, const struct rtp_hdr *h)
{
	if (cap < 12)
		return 0;
	b[0] = 0x80;
	b[1] = (uint8_t)((h->marker ? 0x80 : 0) | (h->pt & 0x7f));
	b[2] = (uint8_t)(h->seq >> 8);
	b[3] = (uint8_t)h->seq;
	buf_put_be32(b + 4, h->ts);
	buf_put_be32(b + 8, h->ssrc);
	return 12;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

void
rtp_quantiles(uint32_t *v, size_t n, uint32_t *p50, uint32_t *p99,
    uint32_t *max)
{
	if (n == 0) {
		*p50 = *p99 = *max = RTP_UNKNOWN;
		return;
	}
	qsort(v, n, sizeof(*v), cmp_u32);
	/* Nearest rank, ceil(p n), as lib/media/rtpstat.c's IPDV percentiles. */
	*p50 = v[(n * 50 + 99) / 100 - 1];
	*p99 = v[(n * 99 + 99) / 100 - 1];
	*max = v[n - 1];
}
