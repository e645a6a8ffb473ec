/* rtcp.c - RTCP of a plain RTP peer (see rtcp.h). */
#include <errno.h>
#include <string.h>

#include "buf.h"
#include "rtcp.h"

/* One report block, whose SSRC is read, into 'out'. */
static int
rtcp_block(struct cursor *c, struct rtcp_info *out)
{
	uint32_t lost;

	if (cur_u32(c, &lost) < 0 || cur_skip(c, 4) < 0 ||
	    cur_u32(c, &out->rb_jitter) < 0 || cur_u32(c, &out->rb_lsr) < 0 ||
	    cur_u32(c, &out->rb_dlsr) < 0)
		return -EBADMSG;
	out->have_rb = 1;
	out->rb_fraction = (uint8_t)(lost >> 24);
	out->rb_lost = lost & 0xffffff;
	return 0;
}

/* One SR or RR in 'c' (its length's worth); -EBADMSG when it is cut. */
static int
rtcp_report(struct cursor *c, uint8_t type, uint8_t rc, uint32_t ssrc,
    struct rtcp_info *out)
{
	uint32_t ntp_hi, ntp_lo, who;

	if (cur_u32(c, &who) < 0)
		return -EBADMSG;
	if (type == RTCP_SR) {
		if (cur_u32(c, &ntp_hi) < 0 || cur_u32(c, &ntp_lo) < 0 ||
		    cur_skip(c, 12) < 0)
			return -EBADMSG;
		out->have_sr = 1;
		out->sr_ssrc = who;
		out->sr_ntp_mid = ntp_hi << 16 | ntp_lo >> 16;
	}
	for (; rc > 0 && cur_left(c) >= 24; rc--) {
		if (cur_u32(c, &who) < 0)
			return -EBADMSG;
		if (who != ssrc)
			(void)cur_skip(c, 20);
		else if (rtcp_block(c, out) < 0)
			return -EBADMSG;
	}
	return 0;
}

int
rtcp_decode(const uint8_t *b, size_t n, uint32_t ssrc, struct rtcp_info *out)
{
	struct cursor c, pkt;
	const uint8_t *body;
	uint8_t v, type;
	uint16_t words;
	int packets = 0;

	memset(out, 0, sizeof(*out));
	cur_init(&c, b, n);
	while (cur_left(&c) >= 8) {
		if (cur_u8(&c, &v) < 0 || (v >> 6) != 2 ||
		    cur_u8(&c, &type) < 0 || cur_u16(&c, &words) < 0 ||
		    cur_ref(&c, &body, 4 * (size_t)words) < 0)
			break;
		packets++;
		cur_init(&pkt, body, 4 * (size_t)words);
		if ((type == RTCP_SR || type == RTCP_RR) &&
		    rtcp_report(&pkt, type, v & 31, ssrc, out) < 0)
			break;
	}
	return packets > 0 ? 0 : -EBADMSG;
}

int64_t
rtcp_rtt_us(uint32_t now_mid, uint32_t lsr, uint32_t dlsr)
{
	uint32_t rtt = now_mid - lsr - dlsr;

	if (lsr == 0 || rtt >= 0x80000000u)
		return -1;
	return (int64_t)((uint64_t)rtt * 1000000 / 65536);
}

uint64_t
rtcp_ntp(int64_t real_us)
{
	return (uint64_t)(real_us / 1000000 + 2208988800LL) << 32 |
	    (uint64_t)(((real_us % 1000000) << 32) / 1000000);
}

size_t
rtcp_sr_build(uint8_t *b, size_t cap, const struct rtcp_sr *sr)
{
	size_t cl = strlen(sr->cname), n = 28 + (sr->have_rb ? 24 : 0);
	size_t sdes = (8 + 2 + cl + 1 + 3) / 4 * 4;	/* ended, padded */
	int rc = sr->have_rb ? 1 : 0;

	if (cl > 255 || n + sdes > cap)
		return 0;
	b[0] = (uint8_t)(0x80 | rc);
	b[1] = RTCP_SR;
	b[2] = 0;
	b[3] = (uint8_t)(6 + 6 * rc);
	buf_put_be32(b + 4, sr->ssrc);
	buf_put_be32(b + 8, (uint32_t)(sr->ntp >> 32));
	buf_put_be32(b + 12, (uint32_t)sr->ntp);
	buf_put_be32(b + 16, sr->rtp_ts);
	buf_put_be32(b + 20, sr->packets);
	buf_put_be32(b + 24, sr->octets);
	if (rc) {
		buf_put_be32(b + 28, sr->rb_ssrc);
		buf_put_be32(b + 32, (uint32_t)sr->rb_fraction << 24 |
		    (sr->rb_lost > 0xffffff ? 0xffffff : sr->rb_lost));
		buf_put_be32(b + 36, sr->rb_ext_seq);
		buf_put_be32(b + 40, sr->rb_jitter);
		buf_put_be32(b + 44, sr->rb_lsr);
		buf_put_be32(b + 48, sr->rb_dlsr);
	}
	/* SDES: one chunk, the CNAME item, a null item, padding. */
	memset(b + n, 0, sdes);
	b[n] = 0x81;
	b[n + 1] = RTCP_SDES;
	b[n + 2] = (uint8_t)((sdes / 4 - 1) >> 8);
	b[n + 3] = (uint8_t)(sdes / 4 - 1);
	buf_put_be32(b + n + 4, sr->ssrc);
	b[n + 8] = 1;
	b[n + 9] = (uint8_t)cl;
	memcpy(b + n + 10, sr->cname, cl);
	return n + sdes;
}

int
rfc4571_frame_peek(const uint8_t *b, size_t n, size_t max, size_t *len)
{
	struct cursor c;
	uint16_t l;

	cur_init(&c, b, n);
	if (cur_u16(&c, &l) < 0)
		return -EAGAIN;
	if (l == 0 || l > max)
		return -EMSGSIZE;
	if (cur_left(&c) < l)
		return -EAGAIN;
	*len = l;
	return 0;
}
