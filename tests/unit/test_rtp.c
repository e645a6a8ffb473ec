/*
 * test_rtp.c - pinhole's RTP packets (header and the 16-byte media
 * header), the RTP_STATS and TOS_COUNTS attributes of MEDIA_STATS, the
 * echo round trip and the quantiles.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "buf.h"
#include "rtp.h"
#include "rtpside.h"

static const struct rtp_pkt sample = {
	.pt = 111, .seq = 0xfedc, .ts = 0x89abcdef, .ssrc = 0x01020304,
	.key = 0xdeadbeef, .sent_us = 123456789, .echo_sent_us = 0x7fffffff,
	.echo_hold_us = 4321,
};

static void
assert_pkt_equal(const struct rtp_pkt *a, const struct rtp_pkt *b)
{
	assert_int_equal(a->pt, b->pt);
	assert_int_equal(a->seq, b->seq);
	assert_int_equal(a->ts, b->ts);
	assert_int_equal(a->ssrc, b->ssrc);
	assert_int_equal(a->key, b->key);
	assert_int_equal(a->sent_us, b->sent_us);
	assert_int_equal(a->echo_sent_us, b->echo_sent_us);
	assert_int_equal(a->echo_hold_us, b->echo_hold_us);
}

static void
test_round_trip(void **state)
{
	uint8_t buf[RTP_HDR_LEN + RTP_MAX_PAYLOAD];
	struct rtp_pkt p;
	size_t n;

	(void)state;
	n = rtp_build(buf, sizeof(buf), &sample, 160);
	assert_int_equal(n, RTP_HDR_LEN + 160);
	/* Version 2, nothing else in the first byte; marker clear. */
	assert_int_equal(buf[0], 0x80);
	assert_int_equal(buf[1], 111);
	assert_int_equal(buf[2], 0xfe);
	assert_int_equal(buf[3], 0xdc);
	assert_memory_equal(buf + 8, "\x01\x02\x03\x04", 4);
	assert_memory_equal(buf + 12, "\xde\xad\xbe\xef", 4);
	assert_true(rtp_looks_like(buf, n));
	memset(&p, 0xa5, sizeof(p));
	assert_int_equal(rtp_parse(buf, n, &p), 0);
	assert_pkt_equal(&p, &sample);

	/* The smallest and the largest payload, and a pt above 127. */
	p = sample;
	p.pt = 0xff;
	p.echo_sent_us = RTP_NO_ECHO;
	assert_int_equal(rtp_build(buf, sizeof(buf), &p, RTP_MIN_PAYLOAD),
	    RTP_HDR_LEN + RTP_MIN_PAYLOAD);
	assert_int_equal(buf[1], 0x7f);
	assert_int_equal(rtp_parse(buf, RTP_HDR_LEN + RTP_MIN_PAYLOAD, &p), 0);
	assert_int_equal(p.pt, 0x7f);
	assert_int_equal(p.echo_sent_us, RTP_NO_ECHO);
	assert_int_equal(rtp_build(buf, sizeof(buf), &sample, RTP_MAX_PAYLOAD),
	    sizeof(buf));
	assert_int_equal(rtp_parse(buf, sizeof(buf), &p), 0);
	assert_pkt_equal(&p, &sample);
}

static void
test_looks_like(void **state)
{
	uint8_t buf[RTP_HDR_LEN + 160];
	struct rtp_pkt p;
	size_t n = rtp_build(buf, sizeof(buf), &sample, 160);
	static const uint8_t bad_first[] = {
		0x00, 0x40, 0xc0,	/* versions 0, 1, 3 */
		0x81, 0x8f,		/* CSRC counts */
		0xa0, 0x90,		/* padding, extension */
	};
	size_t i;

	(void)state;
	assert_int_equal(n, sizeof(buf));
	for (i = 0; i < sizeof(bad_first); i++) {
		buf[0] = bad_first[i];
		assert_false(rtp_looks_like(buf, n));
		assert_int_equal(rtp_parse(buf, n, &p), -EBADMSG);
	}
	buf[0] = 0x80;
	/* The marker bit is allowed: the first byte is what is checked. */
	buf[1] |= 0x80;
	assert_true(rtp_looks_like(buf, n));
	/* Shorter than the header and the media header. */
	assert_true(rtp_looks_like(buf, RTP_HDR_LEN + RTP_MIN_PAYLOAD));
	assert_false(rtp_looks_like(buf, RTP_HDR_LEN + RTP_MIN_PAYLOAD - 1));
	assert_int_equal(rtp_parse(buf, RTP_HDR_LEN + RTP_MIN_PAYLOAD - 1, &p),
	    -EBADMSG);
	assert_false(rtp_looks_like(buf, RTP_HDR_LEN));
	assert_false(rtp_looks_like(buf, 0));
}

static void
test_build_refuses(void **state)
{
	uint8_t buf[RTP_HDR_LEN + RTP_MAX_PAYLOAD + 1];

	(void)state;
	assert_int_equal(rtp_build(buf, sizeof(buf), &sample,
	    RTP_MIN_PAYLOAD - 1), 0);
	assert_int_equal(rtp_build(buf, sizeof(buf), &sample, 0), 0);
	assert_int_equal(rtp_build(buf, sizeof(buf), &sample,
	    RTP_MAX_PAYLOAD + 1), 0);
	/* One byte short of the packet. */
	assert_int_equal(rtp_build(buf, RTP_HDR_LEN + 159, &sample, 160), 0);
	assert_int_equal(rtp_build(buf, RTP_HDR_LEN + 160, &sample, 160),
	    RTP_HDR_LEN + 160);
	assert_int_equal(rtp_build(buf, 0, &sample, 160), 0);
}

/* A side with a distinct value in every field. */
static void
side_fill(struct rtp_side *s)
{
	memset(s, 0, sizeof(*s));
	s->sent = 501;
	s->rx.sent = 500;
	s->rx.received = 490;
	s->rx.lost = 10;
	s->rx.duplicates = 3;
	s->rx.reordered = 4;
	s->rx.late = 5;
	s->rx.jitter_ms = 1.2346;	/* 1234.6 us: rounds to 1235 */
	s->rx.jitter_max_ms = 7.0004;	/* 7000.4 us: 7000 */
	s->rx.ipdv_p50_ms = 0.5;
	s->rx.ipdv_p99_ms = 12.25;
	s->rx.ipdv_max_ms = 40.0;
	s->rx.burst_max = 6;
	s->rx.burst_density = 33.33333;	/* thousandths: 33.333 */
	s->rx.gap_density = 0.9996;	/* 1.000 */
	s->rx.burst_ms = 120;
	s->rx.gap_ms = 2500.5;
	s->rx.bursts = 2;
	s->rx.burstr = 2.4567;		/* 2.457 */
	s->rx.tos[0].tos = 0xb8;
	s->rx.tos[0].count = 480;
	s->rx.tos[1].tos = 0xb9;
	s->rx.tos[1].count = 7;
	s->rx.tos[2].tos = 0x00;
	s->rx.tos[2].count = 3;
	s->rx.ntos = 3;
	s->rx.tos_other = 2;
	s->rtt_us = 35000;
	s->rtt_samples = 480;
	s->pace_p50_us = 80;
	s->pace_p99_us = 900;
	s->pace_max_us = 2100;
}

/* A MEDIA_STATS of 'side', or with the raw attributes given instead. */
static void
stats_msg(struct dbuf *b, struct ctl_msg *m, const struct rtp_side *side,
    const uint8_t *raw, size_t nraw, const uint8_t *tos, size_t ntos)
{
	size_t start;

	dbuf_reset(b);
	assert_int_equal(ctl_enc_begin(b, CTL_MEDIA_STATS, &start), 0);
	assert_int_equal(ctl_put_u32(b, CTL_A_REQ_ID, 9), 0);
	if (side != NULL)
		assert_int_equal(rtp_side_put(b, side), 0);
	if (raw != NULL)
		assert_int_equal(ctl_put_bytes(b, CTL_A_RTP_STATS, raw, nraw),
		    0);
	if (tos != NULL)
		assert_int_equal(ctl_put_bytes(b, CTL_A_TOS_COUNTS, tos, ntos),
		    0);
	assert_int_equal(ctl_enc_end(b, start), 0);
	assert_int_equal(ctl_msg_decode(b->b, b->len, m), 0);
}

static void
test_side_round_trip(void **state)
{
	struct rtp_side in, out;
	struct ctl_msg m;
	struct dbuf b;

	(void)state;
	dbuf_init(&b, CTL_HDR_LEN + CTL_MAX_BODY);
	side_fill(&in);
	stats_msg(&b, &m, &in, NULL, 0, NULL, 0);
	memset(&out, 0x5a, sizeof(out));
	assert_int_equal(rtp_side_get(&m, &out), 0);
	assert_int_equal(out.sent, 501);
	assert_int_equal(out.rx.sent, 500);
	assert_int_equal(out.rx.received, 490);
	assert_int_equal(out.rx.lost, 10);
	assert_int_equal(out.rx.duplicates, 3);
	assert_int_equal(out.rx.reordered, 4);
	assert_int_equal(out.rx.late, 5);
	assert_float_equal(out.rx.jitter_ms, 1.235, 1e-9);
	assert_float_equal(out.rx.jitter_max_ms, 7.0, 1e-9);
	assert_float_equal(out.rx.ipdv_p50_ms, 0.5, 1e-9);
	assert_float_equal(out.rx.ipdv_p99_ms, 12.25, 1e-9);
	assert_float_equal(out.rx.ipdv_max_ms, 40.0, 1e-9);
	assert_int_equal(out.rx.burst_max, 6);
	assert_float_equal(out.rx.burst_density, 33.333, 1e-9);
	assert_float_equal(out.rx.gap_density, 1.0, 1e-9);
	assert_float_equal(out.rx.burst_ms, 120, 1e-9);
	assert_float_equal(out.rx.gap_ms, 2500.5, 1e-9);
	assert_int_equal(out.rx.bursts, 2);
	assert_float_equal(out.rx.burstr, 2.457, 1e-9);
	/* Percentages are derived from the counts. */
	assert_float_equal(out.rx.loss_pct, 2.0, 1e-9);
	assert_float_equal(out.rx.discard_pct, 1.0, 1e-9);
	assert_int_equal(out.rtt_us, 35000);
	assert_int_equal(out.rtt_samples, 480);
	assert_int_equal(out.pace_p50_us, 80);
	assert_int_equal(out.pace_p99_us, 900);
	assert_int_equal(out.pace_max_us, 2100);
	assert_int_equal(out.rx.tos_other, 2);
	assert_int_equal(out.rx.ntos, 3);
	assert_int_equal(out.rx.tos[0].tos, 0xb8);
	assert_int_equal(out.rx.tos[0].count, 480);
	assert_int_equal(out.rx.tos[1].tos, 0xb9);
	assert_int_equal(out.rx.tos[1].count, 7);
	assert_int_equal(out.rx.tos[2].tos, 0);
	assert_int_equal(out.rx.tos[2].count, 3);

	/* Negative and huge figures saturate instead of wrapping. */
	in.rx.jitter_ms = -3;
	in.rx.gap_ms = 1e12;
	in.rx.ntos = 0;
	in.rtt_us = RTP_UNKNOWN;
	stats_msg(&b, &m, &in, NULL, 0, NULL, 0);
	assert_int_equal(rtp_side_get(&m, &out), 0);
	assert_float_equal(out.rx.jitter_ms, 0, 0);
	assert_float_equal(out.rx.gap_ms, 4294967.294, 1e-6);
	assert_int_equal(out.rx.ntos, 0);
	assert_int_equal(out.rtt_us, RTP_UNKNOWN);

	/* Without RTP_STATS. */
	stats_msg(&b, &m, NULL, NULL, 0, NULL, 0);
	assert_int_equal(rtp_side_get(&m, &out), -ENOENT);
	dbuf_free(&b);
}

/* An older sender's list: the 18 figures up to BurstR, then later ones. */
static void
test_side_short(void **state)
{
	uint8_t v[27 * 4];
	struct rtp_side out;
	struct ctl_msg m;
	struct dbuf b;
	uint32_t i;

	(void)state;
	dbuf_init(&b, CTL_HDR_LEN + CTL_MAX_BODY);
	for (i = 0; i < 27; i++)
		buf_put_be32(v + 4 * i, i + 1);
	buf_put_be32(v + 4, 10);		/* received */
	buf_put_be32(v + 8, 5);		/* lost */
	buf_put_be32(v + 12, 0);		/* duplicates */
	stats_msg(&b, &m, NULL, v, 18 * 4, NULL, 0);
	assert_int_equal(rtp_side_get(&m, &out), 0);
	assert_int_equal(out.sent, 1);
	assert_int_equal(out.rx.received, 10);
	assert_float_equal(out.rx.burstr, 0.018, 1e-9);
	/* What it did not send: unknown, or 0 for the counts. */
	assert_int_equal(out.rx.sent, 0);
	assert_float_equal(out.rx.loss_pct, 0, 0);
	assert_int_equal(out.rtt_us, RTP_UNKNOWN);
	assert_int_equal(out.rtt_samples, 0);
	assert_int_equal(out.pace_p50_us, RTP_UNKNOWN);
	assert_int_equal(out.pace_p99_us, RTP_UNKNOWN);
	assert_int_equal(out.pace_max_us, RTP_UNKNOWN);
	assert_int_equal(out.rx.tos_other, 0);
	assert_int_equal(out.rx.ntos, 0);

	/* 20 figures: the peer's count and the round trip are known. */
	buf_put_be32(v + 18 * 4, 20);
	stats_msg(&b, &m, NULL, v, 20 * 4, NULL, 0);
	assert_int_equal(rtp_side_get(&m, &out), 0);
	assert_int_equal(out.rx.sent, 20);
	assert_float_equal(out.rx.loss_pct, 25, 1e-9);
	assert_int_equal(out.rtt_us, 20);
	assert_int_equal(out.rtt_samples, 0);

	/* A longer list than this version knows: the rest is ignored. */
	stats_msg(&b, &m, NULL, v, sizeof(v), NULL, 0);
	assert_int_equal(rtp_side_get(&m, &out), 0);
	assert_int_equal(out.rx.tos_other, 25);
	dbuf_free(&b);
}

static void
test_side_malformed(void **state)
{
	uint8_t v[25 * 4] = { 0 }, tos[RTPSTAT_MAX_TOS * 5 + 5] = { 0 };
	struct rtp_side out;
	struct ctl_msg m;
	struct dbuf b;

	(void)state;
	dbuf_init(&b, CTL_HDR_LEN + CTL_MAX_BODY);
	/* Not a multiple of 4, and shorter than 18 figures. */
	stats_msg(&b, &m, NULL, v, 18 * 4 + 2, NULL, 0);
	assert_int_equal(rtp_side_get(&m, &out), -EBADMSG);
	stats_msg(&b, &m, NULL, v, 17 * 4, NULL, 0);
	assert_int_equal(rtp_side_get(&m, &out), -EBADMSG);
	stats_msg(&b, &m, NULL, v, 0, NULL, 0);
	assert_int_equal(rtp_side_get(&m, &out), -EBADMSG);
	stats_msg(&b, &m, NULL, v, 18 * 4, NULL, 0);
	assert_int_equal(rtp_side_get(&m, &out), 0);
	/* TOS_COUNTS: not a multiple of 5, more than RTPSTAT_MAX_TOS. */
	stats_msg(&b, &m, NULL, v, 18 * 4, tos, 6);
	assert_int_equal(rtp_side_get(&m, &out), -EBADMSG);
	stats_msg(&b, &m, NULL, v, 18 * 4, tos, sizeof(tos));
	assert_int_equal(rtp_side_get(&m, &out), -EBADMSG);
	stats_msg(&b, &m, NULL, v, 18 * 4, tos, sizeof(tos) - 5);
	assert_int_equal(rtp_side_get(&m, &out), 0);
	assert_int_equal(out.rx.ntos, RTPSTAT_MAX_TOS);
	stats_msg(&b, &m, NULL, v, 18 * 4, tos, 0);
	assert_int_equal(rtp_side_get(&m, &out), 0);
	assert_int_equal(out.rx.ntos, 0);
	/* More distinct packets received than the peer sent (duplicates
	 * are counted apart, so they change nothing). */
	buf_put_be32(v + 18 * 4, 10);		/* the peer sent 10 */
	buf_put_be32(v + 4, 12);		/* 12 received */
	buf_put_be32(v + 12, 2);		/* 2 duplicates */
	stats_msg(&b, &m, NULL, v, 19 * 4, NULL, 0);
	assert_int_equal(rtp_side_get(&m, &out), -EBADMSG);
	buf_put_be32(v + 4, 10);
	stats_msg(&b, &m, NULL, v, 19 * 4, NULL, 0);
	assert_int_equal(rtp_side_get(&m, &out), 0);
	/* 0 sent: an older sender's list without the count. */
	buf_put_be32(v + 18 * 4, 0);
	buf_put_be32(v + 4, 12);
	stats_msg(&b, &m, NULL, v, 19 * 4, NULL, 0);
	assert_int_equal(rtp_side_get(&m, &out), 0);
	dbuf_free(&b);
}

static void
test_rtt(void **state)
{
	struct rtp_pkt p = sample;

	(void)state;
	/* We sent at 1 s, the peer held it 5 ms, it came back at 1.030 s. */
	p.echo_sent_us = 1000000;
	p.echo_hold_us = 5000;
	assert_int_equal(rtp_rtt_us(&p, 1030000), 25000);
	assert_int_equal(rtp_rtt_us(&p, 1005000), 0);
	/* Back before it was sent: the figures do not add up. */
	assert_int_equal(rtp_rtt_us(&p, 1004999), -1);
	assert_int_equal(rtp_rtt_us(&p, 0), -1);
	/* More than a minute is not a round trip either. */
	assert_int_equal(rtp_rtt_us(&p, 1005000 + 60000000), 60000000);
	assert_int_equal(rtp_rtt_us(&p, 1005000 + 60000001), -1);
	p.echo_sent_us = RTP_NO_ECHO;
	assert_int_equal(rtp_rtt_us(&p, 1030000), -1);
}

static void
test_quantiles(void **state)
{
	uint32_t v[100], one = 7, p50, p99, max;
	size_t i;

	(void)state;
	rtp_quantiles(v, 0, &p50, &p99, &max);
	assert_int_equal(p50, RTP_UNKNOWN);
	assert_int_equal(p99, RTP_UNKNOWN);
	assert_int_equal(max, RTP_UNKNOWN);
	rtp_quantiles(&one, 1, &p50, &p99, &max);
	assert_int_equal(p50, 7);
	assert_int_equal(p99, 7);
	assert_int_equal(max, 7);
	/* 1..100, shuffled: nearest rank, as lib/rtpstat.c's IPDV. */
	for (i = 0; i < 100; i++)
		v[i] = (uint32_t)((i * 37) % 100 + 1);
	rtp_quantiles(v, 100, &p50, &p99, &max);
	assert_int_equal(p50, 50);
	assert_int_equal(p99, 99);
	assert_int_equal(max, 100);
	/* Sorted in place. */
	for (i = 0; i < 100; i++)
		assert_int_equal(v[i], i + 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_looks_like),
		cmocka_unit_test(test_build_refuses),
		cmocka_unit_test(test_side_round_trip),
		cmocka_unit_test(test_side_short),
		cmocka_unit_test(test_side_malformed),
		cmocka_unit_test(test_rtt),
		cmocka_unit_test(test_quantiles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
