/* test_ratelimit.c - pinholed's per-source token buckets, with a fake clock. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <cmocka.h>

#include "ratelimit.h"

static struct rate_table t;

static void
test_bucket(void **state)
{
	struct net_ip a, b;
	int i, ok = 0;

	rate_init(&t, 10, 20);
	net_ip_parse("203.0.113.2", &a);
	net_ip_parse("198.51.100.9", &b);
	for (i = 0; i < 100; i++)
		ok += rate_take(&t, &a, 1000);
	assert_int_equal(ok, 20);			/* the burst */
	assert_int_equal(rate_take(&t, &b, 1000), 1);	/* others unaffected */
	assert_int_equal(rate_take(&t, &a, 1050), 0);	/* half a token */
	assert_int_equal(rate_take(&t, &a, 1100), 1);	/* 10/s */
	assert_int_equal(rate_take(&t, &a, 1100), 0);
}

static void
test_bounded(void **state)
{
	struct net_ip ip, first;
	char s[32];
	int i;

	rate_init(&t, 1, 1);
	net_ip_parse("10.0.0.1", &first);
	assert_int_equal(rate_take(&t, &first, 0), 1);
	assert_int_equal(rate_take(&t, &first, 0), 0);
	/* Many more sources than slots: the oldest entry is reused. */
	for (i = 0; i < 3 * RATE_TABLE_SIZE; i++) {
		snprintf(s, sizeof(s), "10.1.%d.%d", i / 256, i % 256);
		net_ip_parse(s, &ip);
		assert_int_equal(rate_take(&t, &ip, 10 + i), 1);
	}
	/* 'first' was evicted and starts afresh with a full bucket. */
	assert_int_equal(rate_take(&t, &first, 5000), 1);
}

/* A bucket of its own (per session), same arithmetic as the table's. */
static void
test_single_bucket(void **state)
{
	struct rate_bucket b;
	int i, ok = 0;

	rate_bucket_init(&b, 5, 0);
	for (i = 0; i < 50; i++)
		ok += rate_bucket_take(&b, 100, 5, 0);
	assert_int_equal(ok, 5);
	assert_int_equal(rate_bucket_take(&b, 100, 5, 5), 0);	/* 0.5 token */
	assert_int_equal(rate_bucket_take(&b, 100, 5, 10), 1);
	/* A long pause refills to the burst, not beyond. */
	for (i = 0, ok = 0; i < 50; i++)
		ok += rate_bucket_take(&b, 100, 5, 100000);
	assert_int_equal(ok, 5);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bucket),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_single_bucket),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
