/*
 * test_mediaq.c - one direction's call quality by the E-model from what
 * its receiver measured, what limits it, the pass thresholds, and what
 * became of the DSCP (RFC 9435's names).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mediaq.h"

#define PKTS	500
#define PTIME	20
#define JB	60

/*
 * The figures of a 10 s stream of 20 ms packets as lib/rtpstat.c gives
 * them: packet k is lost when lost[k], and arrives late[k] ms after its
 * time otherwise (NULL: none lost, none late).
 */
static void
stream(const uint8_t *lost, const unsigned *late, struct rtp_dir_stats *out)
{
	struct rtp_rec *r = calloc(PKTS, sizeof(*r));
	size_t n = 0, k;

	assert_non_null(r);
	for (k = 0; k < PKTS; k++) {
		if (lost != NULL && lost[k])
			continue;
		r[n].seq = (uint16_t)(1000 + k);
		r[n].tos = 0xb8;
		r[n].sent_us = (uint32_t)(k * PTIME * 1000);
		r[n].arrived_us = 5000000 + (int64_t)k * PTIME * 1000 +
		    (late != NULL ? late[k] * 1000 : 0);
		n++;
	}
	assert_int_equal(rtp_dir_stats(r, n, PKTS, 1000, PTIME, JB, out), 0);
	free(r);
}

static void
codec(const char *name, struct codec *c)
{
	assert_int_equal(codec_parse(name, c), 0);
}

/* The E-model as mediaq_dir should call it. */
static void
emodel_at(const struct codec *c, double delay, double ppl, double burstr,
    struct emodel_out *out)
{
	struct emodel_in in;

	emodel_defaults(&in);
	in.t_ms = in.ta_ms = delay;
	in.tr_ms = 2 * delay;
	in.ppl = ppl;
	in.burstr = burstr;
	in.ie = c->ie;
	in.bpl = c->bpl;
	emodel_compute(&in, out);
}

static void
test_clean(void **state)
{
	struct rtp_dir_stats rx;
	struct mediaq_dir q;
	struct emodel_out e;
	struct codec c;

	(void)state;
	codec("G.711", &c);
	stream(NULL, NULL, &rx);
	assert_int_equal(rx.received, PKTS);
	mediaq_dir(&rx, 40, &c, PTIME, JB, &q);
	assert_true(q.measured);
	assert_true(q.rtt_known);
	assert_float_equal(q.ppl, 0, 0);
	assert_float_equal(q.delay_ms, 20 + JB + PTIME, 1e-9);
	emodel_at(&c, 100, 0, 1, &e);
	assert_float_equal(q.e.r, e.r, 1e-9);
	assert_float_equal(q.e.mos, e.mos, 1e-9);
	assert_true(q.e.mos > 4.3 && q.e.mos < 4.41);
	assert_true(mediaq_good(&rx, &q));

	/* An unknown round trip leaves it out of the delay. */
	mediaq_dir(&rx, -1, &c, PTIME, JB, &q);
	assert_false(q.rtt_known);
	assert_float_equal(q.delay_ms, JB + PTIME, 1e-9);

	/* Nothing sent: not measured, all lost, not good. */
	memset(&rx, 0, sizeof(rx));
	mediaq_dir(&rx, 40, &c, PTIME, JB, &q);
	assert_false(q.measured);
	assert_float_equal(q.ppl, 100, 0);
	assert_false(mediaq_good(&rx, &q));
}

/* 2% lost, one packet in 50: random loss, Ie,eff 190 / 27.1 (G.113). */
static void
test_random_loss(void **state)
{
	uint8_t lost[PKTS] = { 0 };
	struct rtp_dir_stats rx, clean;
	struct mediaq_dir q, q0;
	struct codec c;
	size_t k;

	(void)state;
	codec("G.711", &c);
	for (k = 25; k < PKTS; k += 50)
		lost[k] = 1;
	stream(lost, NULL, &rx);
	stream(NULL, NULL, &clean);
	assert_int_equal(rx.lost, 10);
	mediaq_dir(&rx, 40, &c, PTIME, JB, &q);
	mediaq_dir(&clean, 40, &c, PTIME, JB, &q0);
	assert_float_equal(q.ppl, 2, 1e-9);
	assert_float_equal(q.e.ie_eff, 7.011, 0.001);
	assert_float_equal(q0.e.r - q.e.r, 7.011, 0.001);
	assert_true(q.e.mos < q0.e.mos - 0.1);
	assert_string_equal(q.limit, "loss");
	assert_false(mediaq_good(&rx, &q));
}

/* The same 2%, in two runs of five: BurstR > 1 costs more. */
static void
test_bursty_loss(void **state)
{
	uint8_t rnd[PKTS] = { 0 }, bur[PKTS] = { 0 };
	struct rtp_dir_stats a, b;
	struct mediaq_dir qa, qb;
	struct codec c;
	size_t k;

	(void)state;
	codec("G.711", &c);
	for (k = 25; k < PKTS; k += 50)
		rnd[k] = 1;
	for (k = 0; k < 5; k++)
		bur[100 + k] = bur[300 + k] = 1;
	stream(rnd, NULL, &a);
	stream(bur, NULL, &b);
	assert_int_equal(a.lost, b.lost);
	assert_true(b.burstr > 1.5);
	mediaq_dir(&a, 40, &c, PTIME, JB, &qa);
	mediaq_dir(&b, 40, &c, PTIME, JB, &qb);
	assert_float_equal(qa.ppl, qb.ppl, 1e-9);
	assert_true(qb.e.ie_eff > qa.e.ie_eff + 0.2);
	assert_true(qb.e.mos < qa.e.mos);
	assert_string_equal(qb.limit, "loss");
}

/* What limits R: loss, late packets, delay, the codec, or nothing. */
static void
test_limits(void **state)
{
	unsigned late[PKTS] = { 0 };
	struct rtp_dir_stats rx;
	struct mediaq_dir q;
	struct codec g711, g729;
	uint8_t lost[PKTS] = { 0 };
	size_t k;

	(void)state;
	codec("G.711", &g711);
	codec("G.729", &g729);
	/* 5% arrive 100 ms late for a 60 ms buffer: discarded, not lost;
	 * they lower MOS below 4.0, though the loss is within 1%. */
	for (k = 10; k < PKTS; k += 20)
		late[k] = 100;
	stream(NULL, late, &rx);
	assert_int_equal(rx.lost, 0);
	assert_int_equal(rx.late, 25);
	mediaq_dir(&rx, 40, &g711, PTIME, JB, &q);
	assert_float_equal(q.ppl, 100.0 * rx.late / PKTS, 1e-9);
	assert_string_equal(q.limit, "discards");
	assert_true(rx.loss_pct <= MEDIAQ_LOSS_GOOD);
	assert_false(mediaq_good(&rx, &q));

	/* A clean stream over a 600 ms round trip. */
	stream(NULL, NULL, &rx);
	mediaq_dir(&rx, 600, &g711, PTIME, JB, &q);
	assert_float_equal(q.delay_ms, 380, 1e-9);
	assert_string_equal(q.limit, "delay");
	assert_true(q.e.mos < MEDIAQ_MOS_GOOD);
	assert_false(mediaq_good(&rx, &q));

	/* No delay to speak of: nothing limits G.711. */
	mediaq_dir(&rx, 0, &g711, 10, 0, &q);
	assert_string_equal(q.limit, "none");
	/* G.729 costs more than a little loss and delay. */
	lost[250] = 1;
	stream(lost, NULL, &rx);
	mediaq_dir(&rx, 40, &g729, PTIME, JB, &q);
	assert_string_equal(q.limit, "codec");
}

/* Good is MOS at or above 4.0 and loss plus discards (Ppl) at or below
 * 1%, both needed. */
static void
test_good(void **state)
{
	struct rtp_dir_stats rx;
	struct mediaq_dir q;

	(void)state;
	memset(&rx, 0, sizeof(rx));
	memset(&q, 0, sizeof(q));
	rx.sent = 1000;
	rx.received = 990;
	rx.loss_pct = 1.0;
	q.ppl = 1.0;
	q.e.mos = 4.0;
	assert_true(mediaq_good(&rx, &q));
	q.e.mos = 3.999;
	assert_false(mediaq_good(&rx, &q));
	q.e.mos = 4.3;
	q.ppl = 1.001;
	assert_false(mediaq_good(&rx, &q));
	/* Late packets count as lost to the listener. */
	rx.loss_pct = 0;
	q.ppl = 1.5;
	assert_false(mediaq_good(&rx, &q));
	q.ppl = 0;
	rx.received = 0;
	assert_false(mediaq_good(&rx, &q));
}

static void
test_dscp(void **state)
{
	struct rtp_dir_stats rx;
	uint32_t n = 0;

	(void)state;
	assert_int_equal(mediaq_dscp_classify(46, 46), MQ_DSCP_INTACT);
	assert_int_equal(mediaq_dscp_classify(46, 0), MQ_DSCP_BLEACHED);
	assert_int_equal(mediaq_dscp_classify(46, 6), MQ_DSCP_PRECEDENCE);
	assert_int_equal(mediaq_dscp_classify(46, 40), MQ_DSCP_REMARKED);
	assert_int_equal(mediaq_dscp_classify(46, -1), MQ_DSCP_NONE);
	assert_int_equal(mediaq_dscp_classify(0, 0), MQ_DSCP_INTACT);
	assert_string_equal(mediaq_dscp_name(MQ_DSCP_PRECEDENCE),
	    "precedence-bleached");
	assert_string_equal(mediaq_dscp_name(MQ_DSCP_NONE), "none");
	assert_string_equal(mediaq_dscp_name((enum mediaq_dscp)99), "?");

	/* EF with ECT(0), CE and Not-ECT is one class: 46 wins over 0. */
	memset(&rx, 0, sizeof(rx));
	rx.tos[0].tos = 0x00;
	rx.tos[0].count = 30;
	rx.tos[1].tos = 0xba;	/* 46, ECT(0) */
	rx.tos[1].count = 20;
	rx.tos[2].tos = 0xbb;	/* 46, CE */
	rx.tos[2].count = 5;
	rx.tos[3].tos = 0xb8;	/* 46, Not-ECT */
	rx.tos[3].count = 10;
	rx.ntos = 4;
	assert_int_equal(mediaq_dscp_received(&rx, &n), 46);
	assert_int_equal(n, 35);
	assert_int_equal(mediaq_dscp_received(&rx, NULL), 46);
	rx.ntos = 0;
	assert_int_equal(mediaq_dscp_received(&rx, &n), -1);
	assert_int_equal(n, 0);
}

static void
test_json(void **state)
{
	struct rtp_dir_stats rx;
	struct mediaq_dir q;
	struct codec c;
	json_t *o;

	(void)state;
	codec("G.711", &c);
	stream(NULL, NULL, &rx);
	mediaq_dir(&rx, 40, &c, PTIME, JB, &q);
	o = mediaq_dir_json(&rx, &q);
	assert_int_equal(json_integer_value(json_object_get(o, "sent")), PKTS);
	assert_float_equal(json_real_value(json_object_get(o, "delay_ms")),
	    100, 1e-9);
	assert_string_equal(json_string_value(json_object_get(o, "limit")),
	    q.limit);
	json_decref(o);
	o = mediaq_dscp_json(46, &rx);
	assert_int_equal(json_integer_value(json_object_get(o, "received")),
	    46);
	assert_string_equal(json_string_value(json_object_get(o, "result")),
	    "intact");
	assert_int_equal(json_array_size(json_object_get(o, "seen")), 1);
	json_decref(o);
	memset(&rx, 0, sizeof(rx));
	o = mediaq_dscp_json(46, &rx);
	assert_true(json_is_null(json_object_get(o, "received")));
	assert_string_equal(json_string_value(json_object_get(o, "result")),
	    "none");
	json_decref(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_random_loss),
		cmocka_unit_test(test_bursty_loss),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_dscp),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
