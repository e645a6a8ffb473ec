/* test_impair_model.c - pinhole-impair's decisions under a fake clock. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "impair_model.h"

#define MS	1000000ULL

static void
test_rng_seeded(void **state)
{
	struct impair_rng a, b, c;
	int i, same = 1;

	(void)state;
	impair_rng_seed(&a, 42);
	impair_rng_seed(&b, 42);
	impair_rng_seed(&c, 43);
	for (i = 0; i < 1000; i++) {
		uint64_t x = impair_rng_next(&a);

		assert_true(x == impair_rng_next(&b));
		same &= x == impair_rng_next(&c);
	}
	assert_false(same);
	for (i = 0; i < 100000; i++) {
		double u = impair_rng_unit(&a);

		assert_true(u >= 0 && u < 1);
	}
}

/* Loss runs: how many and how long on average. */
static void
loss_runs(struct impair_loss *l, uint64_t seed, int n, int *lost, int *runs)
{
	struct impair_rng r;
	int i, prev = 0, d;

	impair_rng_seed(&r, seed);
	*lost = *runs = 0;
	for (i = 0; i < n; i++) {
		d = impair_loss_drop(l, &r);
		*lost += d;
		*runs += d && !prev;
		prev = d;
	}
}

static void
test_loss_models(void **state)
{
	struct impair_loss rnd = { .loss = 0.02 };
	struct impair_loss ge = { .ge = 1, .p = 0.005, .r = 0.25,
	    .loss_bad = 1, .loss_good = 0 };
	int lost, runs;

	(void)state;
	loss_runs(&rnd, 1, 200000, &lost, &runs);
	assert_in_range(lost, 3600, 4400);
	assert_true((double)lost / runs < 1.1);
	/* Bad for 0.5/25.5 of the time, in spells of 4 on average. */
	loss_runs(&ge, 1, 200000, &lost, &runs);
	assert_in_range(lost, 3000, 4800);
	assert_true((double)lost / runs > 3.5 && (double)lost / runs < 4.5);
}

static void
test_delay_bounds(void **state)
{
	struct impair_delay d = { .delay_ns = 20 * MS, .jitter_ns = 15 * MS };
	struct impair_delay z = { .delay_ns = 2 * MS, .jitter_ns = 5 * MS };
	struct impair_rng r;
	uint64_t due, lo = UINT64_MAX, hi = 0;
	int i;

	(void)state;
	impair_rng_seed(&r, 7);
	for (i = 0; i < 10000; i++) {
		due = impair_delay_due(&d, &r, 1000 * MS);
		lo = due < lo ? due : lo;
		hi = due > hi ? due : hi;
		/* Never below zero. */
		assert_true(impair_delay_due(&z, &r, 1000 * MS) >= 1000 * MS);
	}
	assert_in_range(lo, 1005 * MS, 1006 * MS);
	assert_in_range(hi, 1034 * MS, 1035 * MS);
}

/* Packets 1 ms apart through 20 +- 15 ms: released in due order. */
static void
run_hold(int no_reorder, uint64_t *overtook_n)
{
	struct impair_delay d = { .delay_ns = 20 * MS, .jitter_ns = 15 * MS,
	    .no_reorder = no_reorder };
	struct impair_hold h;
	struct impair_held p;
	struct impair_rng r;
	uint64_t due, last = 0;
	int i, ov;

	impair_rng_seed(&r, 3);
	assert_int_equal(impair_hold_init(&h, 100), 0);
	assert_int_equal(h.cap, 128);
	*overtook_n = 0;
	for (i = 0; i < 100; i++)
		assert_int_equal(impair_hold_push(&h, (uint32_t)i, 0, i * MS,
		    impair_delay_due(&d, &r, i * MS)), 0);
	assert_int_equal(impair_hold_push(&h, 100, 0, 0, 0), 0);
	while (impair_hold_next(&h, &due) == 0) {
		assert_int_equal(impair_hold_pop(&h, &p, &ov), 0);
		assert_true(p.due_ns >= last);
		last = p.due_ns;
		*overtook_n += (uint64_t)ov;
	}
	assert_int_equal(impair_hold_pop(&h, &p, &ov), -ENOENT);
	impair_hold_free(&h);
}

static void
test_hold_order(void **state)
{
	uint64_t n;

	(void)state;
	run_hold(0, &n);
	assert_true(n > 50);	/* the extra packet 100 is due at 0: first */
	run_hold(1, &n);
	assert_int_equal(n, 1);	/* only packet 100, due at 0 */
}

static void
test_hold_window(void **state)
{
	struct impair_hold h;
	struct impair_held p;
	int i, ov;

	(void)state;
	assert_int_equal(impair_hold_init(&h, 4), 0);
	/* Packet 0 held long: the window is full after four. */
	assert_int_equal(impair_hold_push(&h, 0, 0, 0, 100), 0);
	for (i = 1; i < 4; i++)
		assert_int_equal(impair_hold_push(&h, (uint32_t)i, 0, 0, 1), 0);
	assert_int_equal(impair_hold_push(&h, 4, 0, 0, 1), -ENOBUFS);
	for (i = 1; i < 4; i++) {
		assert_int_equal(impair_hold_pop(&h, &p, &ov), 0);
		assert_int_equal(p.id, i);
		assert_int_equal(ov, 1);
	}
	/* Still full: packet 0 spans the window. */
	assert_int_equal(impair_hold_push(&h, 4, 0, 0, 1), -ENOBUFS);
	assert_int_equal(impair_hold_pop(&h, &p, &ov), 0);
	assert_int_equal(p.id, 0);
	assert_int_equal(ov, 0);
	assert_int_equal(impair_hold_push(&h, 4, 0, 0, 1), 0);
	impair_hold_free(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rng_seeded),
		cmocka_unit_test(test_loss_models),
		cmocka_unit_test(test_delay_bounds),
		cmocka_unit_test(test_hold_order),
		cmocka_unit_test(test_hold_window),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
