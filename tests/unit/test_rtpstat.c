/* test_rtpstat.c - one direction's figures on streams with known answers. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "rtpstat.h"

#define PTIME	20
#define BASE	INT64_C(1000000000)	/* the receiver's clock at index 0 */
#define EF	0xb8

static struct rtp_rec recs[512];
static struct rtp_dir_stats st;

/* Packet 'idx' of a stream starting at 'seq0', 'extra_us' late. */
static size_t
put(size_t k, uint16_t seq0, int64_t idx, int64_t extra_us)
{
	recs[k].seq = (uint16_t)(seq0 + idx);
	recs[k].tos = EF;
	recs[k].pad = 0;
	recs[k].sent_us = (uint32_t)(idx * PTIME * 1000);
	recs[k].arrived_us = BASE + idx * PTIME * 1000 + extra_us;
	return k + 1;
}

/* Indices 0 .. sent - 1, in order, each 5 ms late, except 'skip' ones. */
static size_t
stream(uint16_t seq0, uint32_t sent, const int *skip, size_t nskip)
{
	size_t k = 0, j;
	uint32_t i;

	for (i = 0; i < sent; i++) {
		for (j = 0; j < nskip && skip[j] != (int)i; j++)
			;
		if (j == nskip)
			k = put(k, seq0, i, 5000);
	}
	return k;
}

static void
test_clean(void **state)
{
	size_t n = stream(1000, 100, NULL, 0);

	(void)state;
	assert_int_equal(rtp_dir_stats(recs, n, 100, 1000, PTIME, 60, &st), 0);
	assert_int_equal(st.sent, 100);
	assert_int_equal(st.received, 100);
	assert_int_equal(st.lost, 0);
	assert_int_equal(st.duplicates, 0);
	assert_int_equal(st.reordered, 0);
	assert_int_equal(st.late, 0);
	assert_float_equal(st.loss_pct, 0, 0);
	assert_float_equal(st.jitter_ms, 0, 0);
	assert_float_equal(st.jitter_max_ms, 0, 0);
	assert_float_equal(st.ipdv_max_ms, 0, 0);
	assert_int_equal(st.burst_max, 0);
	assert_int_equal(st.bursts, 0);
	assert_float_equal(st.burst_density, 0, 0);
	assert_float_equal(st.burstr, 1, 0);
	assert_int_equal(st.ntos, 1);
	assert_int_equal(st.tos[0].tos, EF);
	assert_int_equal(st.tos[0].count, 100);
	assert_int_equal(st.tos_other, 0);
}

/*
 * One loss at index 50 of 100.  RFC 3611 A.2: 50 received, then the
 * loss finds pkt 50 >= Gmin and lost 0: c13 1, c11 50; the 49 after are
 * never added.  c31 = 1, ctotal = 50 + 1 + 1 = 52, p23 = 1, p32 = 0:
 * burst density 100%, gap 51 * 20 = 1020 ms, burst 52 * 20 - 1020 = 20.
 * Gilbert: 97 received->received, 1 each way: p = 1/98, q = 1.
 */
static void
test_single_loss(void **state)
{
	static const int skip[] = { 50 };
	size_t n = stream(0, 100, skip, 1);

	(void)state;
	assert_int_equal(rtp_dir_stats(recs, n, 100, 0, PTIME, 60, &st), 0);
	assert_int_equal(st.received, 99);
	assert_int_equal(st.lost, 1);
	assert_float_equal(st.loss_pct, 1.0, 1e-9);
	assert_int_equal(st.burst_max, 1);
	assert_float_equal(st.jitter_ms, 0, 0);	/* a gap is no jitter */
	assert_int_equal(st.bursts, 1);
	assert_float_equal(st.burst_density, 100, 1e-9);
	assert_float_equal(st.gap_density, 0, 0);
	assert_float_equal(st.gap_ms, 1020, 1e-9);
	assert_float_equal(st.burst_ms, 20, 1e-9);
	assert_float_equal(st.burstr, 98.0 / 99, 1e-9);
}

/*
 * Indices 40 .. 44 lost: c13 1, c11 40, then 4 losses at pkt 0: c33 4.
 * ctotal = 40 + 1 + 1 + 4 = 46: gap 41 * 20 = 820 ms, burst 46 * 20 -
 * 820 = 100 ms, the five packets.  Gilbert: p = 1/94, q = 1/5.
 */
static void
test_burst5(void **state)
{
	static const int skip[] = { 40, 41, 42, 43, 44 };
	size_t n = stream(0, 100, skip, 5);

	(void)state;
	assert_int_equal(rtp_dir_stats(recs, n, 100, 0, PTIME, 60, &st), 0);
	assert_int_equal(st.lost, 5);
	assert_int_equal(st.burst_max, 5);
	assert_int_equal(st.bursts, 1);
	assert_float_equal(st.burst_density, 100, 1e-9);
	assert_float_equal(st.gap_ms, 820, 1e-9);
	assert_float_equal(st.burst_ms, 100, 1e-9);
	assert_float_equal(st.burstr, 1 / (1.0 / 94 + 1.0 / 5), 1e-9);
}

/* Copies of 3 and 7 right after them: more records than packets sent. */
static void
test_duplicates(void **state)
{
	size_t k = 0;
	int i;

	(void)state;
	for (i = 0; i < 10; i++) {
		k = put(k, 7, i, 5000);
		if (i == 3 || i == 7)
			k = put(k, 7, i, 5100);
	}
	assert_int_equal(rtp_dir_stats(recs, k, 10, 7, PTIME, 60, &st), 0);
	assert_int_equal(st.received, 10);
	assert_int_equal(st.duplicates, 2);
	assert_int_equal(st.lost, 0);
	assert_int_equal(st.reordered, 0);
	assert_float_equal(st.jitter_ms, 0, 0);	/* copies do not count */
	assert_int_equal(st.tos[0].count, 12);		/* every datagram */

	/* Ten copies of three packets. */
	for (k = 0; k < 10; k++)
		put(k, 0, (int64_t)(k % 3), 5000);
	assert_int_equal(rtp_dir_stats(recs, 10, 3, 0, PTIME, 60, &st), 0);
	assert_int_equal(st.received, 3);
	assert_int_equal(st.duplicates, 7);
	assert_int_equal(st.lost, 0);
}

/*
 * 3 and 4 swapped: arrivals every 20 ms (+5), sequence 0 1 2 4 3 5 .. 9.
 * D (arrival minus timestamp difference): 2->4 20 ms, 4->3 40, 3->5 20,
 * then 0.  J = 20/16 = 1.25; 1.25 + (40 - 1.25)/16 = 3.671875;
 * 3.671875 + (20 - 3.671875)/16 = 4.6923828 (the largest); then four
 * times J * 15/16.  Delays: 5 ms, but 4 sent at 80 ms arrives at 65
 * (-15) and 3 sent at 60 arrives at 85 (+25): IPDV 0, 20 (8), 40.
 */
static void
test_reorder(void **state)
{
	static const int order[] = { 0, 1, 2, 4, 3, 5, 6, 7, 8, 9 };
	double j3 = 3.671875 + (20 - 3.671875) / 16;
	size_t k;

	(void)state;
	for (k = 0; k < 10; k++) {
		put(k, 0, order[k], 0);
		recs[k].arrived_us = BASE + (int64_t)k * PTIME * 1000 + 5000;
	}
	assert_int_equal(rtp_dir_stats(recs, 10, 10, 0, PTIME, 60, &st), 0);
	assert_int_equal(st.received, 10);
	assert_int_equal(st.reordered, 1);
	assert_int_equal(st.lost, 0);
	assert_int_equal(st.late, 0);		/* 3 is 25 ms late, jb 60 */
	assert_float_equal(st.jitter_max_ms, j3, 1e-9);
	assert_float_equal(st.jitter_ms, j3 * pow(15.0 / 16, 4), 1e-9);
	assert_float_equal(st.ipdv_p50_ms, 20, 1e-9);
	assert_float_equal(st.ipdv_p99_ms, 40, 1e-9);
	assert_float_equal(st.ipdv_max_ms, 40, 1e-9);

	/* A 20 ms buffer plays 3 out at 5 + 60 + 20 = 85 ms: just in time. */
	assert_int_equal(rtp_dir_stats(recs, 10, 10, 0, PTIME, 20, &st), 0);
	assert_int_equal(st.late, 0);
	assert_int_equal(rtp_dir_stats(recs, 10, 10, 0, PTIME, 19, &st), 0);
	assert_int_equal(st.late, 1);
}

/* Sequence numbers 65530 .. 65535, 0 .. 13; then 0 lost, 65535 after 1. */
static void
test_wrap(void **state)
{
	size_t n = stream(65530, 20, NULL, 0);

	(void)state;
	assert_int_equal(rtp_dir_stats(recs, n, 20, 65530, PTIME, 60, &st), 0);
	assert_int_equal(st.received, 20);
	assert_int_equal(st.lost, 0);
	assert_int_equal(st.reordered, 0);

	n = 0;
	n = put(n, 65530, 0, 5000);
	n = put(n, 65530, 1, 5000);
	n = put(n, 65530, 2, 5000);
	n = put(n, 65530, 3, 5000);
	n = put(n, 65530, 4, 5000);
	n = put(n, 65530, 7, 5000);		/* seq 1 */
	n = put(n, 65530, 5, 50000);		/* seq 65535, after seq 1 */
	n = put(n, 65530, 8, 5000);
	assert_int_equal(recs[5].seq, 1);
	assert_int_equal(recs[6].seq, 65535);
	assert_int_equal(rtp_dir_stats(recs, n, 9, 65530, PTIME, 60, &st), 0);
	assert_int_equal(st.received, 8);
	assert_int_equal(st.lost, 1);		/* seq 0 */
	assert_int_equal(st.reordered, 1);
	assert_int_equal(st.burst_max, 1);
}

/*
 * Delay alternating 0 and 10 ms: every |D| is 10 ms, so after k steps
 * J = 10 (1 - (15/16)^k) (RFC 3550 6.4.1: J += (|D| - J) / 16 from 0).
 */
static void
test_jitter(void **state)
{
	double want = 10 * (1 - pow(15.0 / 16, 99));
	size_t k;

	(void)state;
	for (k = 0; k < 100; k++)
		put(k, 0, (int64_t)k, (k % 2) * 10000);
	assert_int_equal(rtp_dir_stats(recs, 100, 100, 0, PTIME, 60, &st), 0);
	assert_float_equal(st.jitter_ms, want, 1e-9);
	assert_float_equal(st.jitter_ms, 9.9832, 1e-4);
	assert_float_equal(st.jitter_max_ms, want, 1e-9);
	assert_float_equal(st.ipdv_p50_ms, 0, 0);	/* 50 of 100 at 0 */
	assert_float_equal(st.ipdv_p99_ms, 10, 1e-9);
	assert_float_equal(st.ipdv_max_ms, 10, 1e-9);
	assert_int_equal(st.late, 0);
}

/*
 * A 40 ms buffer: index 50 delayed by 50 ms plays out too late (it
 * arrives after 51 and 52); index 99 delayed by exactly 40 is in time.
 * The discard is no network loss (burst_max 0) but counts in the
 * burst/gap and Gilbert figures as the single loss does above.
 */
static void
test_late(void **state)
{
	size_t k = 0;
	int i;

	(void)state;
	for (i = 0; i < 100; i++) {
		if (i == 50)
			continue;
		if (i == 53)
			k = put(k, 0, 50, 50000);
		k = put(k, 0, i, i == 99 ? 40000 : 0);
	}
	assert_int_equal(rtp_dir_stats(recs, k, 100, 0, PTIME, 40, &st), 0);
	assert_int_equal(st.received, 100);
	assert_int_equal(st.lost, 0);
	assert_int_equal(st.late, 1);
	assert_int_equal(st.reordered, 1);
	assert_float_equal(st.discard_pct, 1.0, 1e-9);
	assert_int_equal(st.burst_max, 0);
	assert_int_equal(st.bursts, 1);
	assert_float_equal(st.burstr, 98.0 / 99, 1e-9);
}

/*
 * Every ten packets, 8 received and 2 lost, then one more received:
 * 101 packets, 100 transitions: received->received 70, received->lost
 * 10, lost->lost 10, lost->received 10.  p = 1/8, q = 1/2, BurstR 1.6.
 * No run of 16 received: RFC 3611 A.2 sees one burst that never closes
 * (c13 0): c23 10, c22 70, c33 10, p23 = 1 - 70/80, p32 = 10/20,
 * density 0.125 / 0.625 = 20%, no gap.
 */
static void
test_gilbert(void **state)
{
	size_t k = 0;
	int i;

	(void)state;
	for (i = 0; i < 101; i++)
		if (i == 100 || i % 10 < 8)
			k = put(k, 0, i, 5000);
	assert_int_equal(rtp_dir_stats(recs, k, 101, 0, PTIME, 60, &st), 0);
	assert_int_equal(st.lost, 20);
	assert_int_equal(st.burst_max, 2);
	assert_float_equal(st.burstr, 1.6, 1e-9);
	assert_int_equal(st.bursts, 0);
	assert_float_equal(st.burst_density, 20, 1e-9);
	assert_float_equal(st.gap_density, 0, 0);
	assert_float_equal(st.burst_ms, 0, 0);
}

/*
 * RFC 3611 A.2 by hand on 80 packets, 20, 40, 42 and 45 lost:
 *   20 received; loss 20: pkt 20 >= 16, lost 0 -> c13 1, c11 20, lost 1
 *   19 received; loss 40: pkt 19 >= 16, lost 1 -> c14 1, c11 39
 *   1 received;  loss 42: pkt 1 < 16 -> lost 2, c23 1, c22 += 0
 *   2 received;  loss 45: pkt 2 < 16 -> lost 3, c23 2, c22 += 1
 *   34 received (never added).
 * c11 39, c13 1, c14 1, c22 1, c23 2, c33 0; c31 1, c32 2, ctotal 47.
 * p32 = 2/3, p23 = 1 - 1/3: burst density 50%; gap density 1/40 =
 * 2.5%; gap (39 + 1 + 1) * 20 = 820 ms; burst 47 * 20 - 820 = 120 ms.
 * Gilbert: 4 each way, 71 received->received: p = 4/75, q = 1.
 */
static void
test_burst_gap(void **state)
{
	static const int skip[] = { 20, 40, 42, 45 };
	size_t n = stream(0, 80, skip, 4);

	(void)state;
	assert_int_equal(rtp_dir_stats(recs, n, 80, 0, PTIME, 60, &st), 0);
	assert_int_equal(st.lost, 4);
	assert_int_equal(st.burst_max, 1);
	assert_int_equal(st.bursts, 1);
	assert_float_equal(st.burst_density, 50, 1e-9);
	assert_float_equal(st.gap_density, 2.5, 1e-9);
	assert_float_equal(st.gap_ms, 820, 1e-9);
	assert_float_equal(st.burst_ms, 120, 1e-9);
	assert_float_equal(st.burstr, 75.0 / 79, 1e-9);
}

/* Inputs no honest sender and receiver produce. */
static void
test_absurd(void **state)
{
	size_t n;

	(void)state;
	assert_int_equal(rtp_dir_stats(recs, 0, 10, 0, 0, 60, &st), -EINVAL);

	/* Nothing received. */
	assert_int_equal(rtp_dir_stats(NULL, 0, 50, 0, PTIME, 60, &st), 0);
	assert_int_equal(st.received, 0);
	assert_int_equal(st.lost, 50);
	assert_float_equal(st.loss_pct, 100, 1e-9);
	assert_int_equal(st.burst_max, 50);
	assert_float_equal(st.burstr, 1, 0);	/* no transition to judge */
	assert_int_equal(st.ntos, 0);

	/* Nothing sent, yet records: neither received nor lost. */
	n = stream(0, 5, NULL, 0);
	assert_int_equal(rtp_dir_stats(recs, n, 0, 0, PTIME, 60, &st), 0);
	assert_int_equal(st.received, 0);
	assert_int_equal(st.lost, 0);
	assert_float_equal(st.loss_pct, 0, 0);
	assert_int_equal(st.tos[0].count, 5);

	/*
	 * Index 10 of 10 sent, a stray 30000 and one before first_seq:
	 * ignored, and the stray moves no reference (5 .. 9 still count).
	 */
	n = 0;
	n = put(n, 100, -1, 0);
	for (int i = 0; i < 5; i++)
		n = put(n, 100, i, 5000);
	recs[n] = recs[n - 1];
	recs[n++].seq = 30000;
	for (int i = 5; i < 11; i++)
		n = put(n, 100, i, 5000);
	assert_int_equal(rtp_dir_stats(recs, n, 10, 100, PTIME, 60, &st), 0);
	assert_int_equal(st.received, 10);
	assert_int_equal(st.lost, 0);
	assert_int_equal(st.duplicates, 0);
	assert_int_equal(st.reordered, 0);
	assert_int_equal(st.tos[0].count, 13);
}

/*
 * A long stream kept sparsely: 300000 packets claimed (100 minutes at
 * 20 ms), one kept every 30000.  The sender's 32-bit microsecond clock
 * wraps after 71.6 minutes; the delays still agree (IPDV 1 ms, the one
 * extra ms of the last), and the cost follows n, not 'sent'.
 */
static void
test_long(void **state)
{
	size_t n = 0;
	int64_t i;

	(void)state;
	for (i = 0; i < 300000; i += 30000)
		n = put(n, 0, i, 5000);
	n = put(n, 0, 299999, 6000);
	assert_true(recs[n - 1].sent_us < 4000000000u);	/* it wrapped */
	assert_int_equal(rtp_dir_stats(recs, n, 300000, 0, PTIME, 60, &st), 0);
	assert_int_equal(st.received, 11);
	assert_int_equal(st.lost, 300000 - 11);
	assert_int_equal(st.burst_max, 29999);
	assert_float_equal(st.ipdv_max_ms, 1, 1e-9);
}

/* Most frequent first, ties by value; what does not fit is summed. */
static void
test_tos(void **state)
{
	size_t k = 0;
	int v, c;

	(void)state;
	for (v = 0; v < 12; v++)		/* TOS 4 v, 12 - v times */
		for (c = 0; c < 12 - v; c++) {
			k = put(k, 0, (int64_t)k, 5000);
			recs[k - 1].tos = (uint8_t)(4 * v);
		}
	recs[0].tos = 0x04;			/* one from 0 to 4: 11 and 12 */
	assert_int_equal(rtp_dir_stats(recs, k, (uint32_t)k, 0, PTIME, 60,
	    &st), 0);
	assert_int_equal(st.ntos, RTPSTAT_MAX_TOS);
	assert_int_equal(st.tos[0].tos, 0x04);
	assert_int_equal(st.tos[0].count, 12);
	assert_int_equal(st.tos[1].tos, 0x00);
	assert_int_equal(st.tos[1].count, 11);
	assert_int_equal(st.tos[2].tos, 0x08);
	assert_int_equal(st.tos[7].tos, 0x1c);
	assert_int_equal(st.tos[7].count, 5);
	assert_int_equal(st.tos_other, 4 + 3 + 2 + 1);
}

/* A browser's packets: the nominal send time from the RTP timestamp. */
static void
test_ts_sent_us(void **state)
{
	(void)state;
	assert_int_equal(rtp_ts_sent_us(1000, 1000, 48000), 0);
	assert_int_equal(rtp_ts_sent_us(1000 + 960, 1000, 48000), 20000);
	/* across the timestamp's wrap */
	assert_int_equal(rtp_ts_sent_us(959, 0xffffffffu, 48000), 20000);
	assert_int_equal(rtp_ts_sent_us(160, 0, 8000), 20000);
	assert_int_equal(rtp_ts_sent_us(160, 0, 0), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ts_sent_us),
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_single_loss),
		cmocka_unit_test(test_burst5),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_reorder),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_jitter),
		cmocka_unit_test(test_late),
		cmocka_unit_test(test_gilbert),
		cmocka_unit_test(test_burst_gap),
		cmocka_unit_test(test_absurd),
		cmocka_unit_test(test_long),
		cmocka_unit_test(test_tos),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
