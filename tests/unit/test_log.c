/* test_log.c - the rate limiter for log lines, with an injected clock. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "log.h"

static void
test_limit(void **state)
{
	struct log_limit l;
	int i, ok = 0;

	log_limit_init(&l, 5, 1);
	for (i = 0; i < 100; i++)
		ok += log_limit_take(&l, 1000);
	assert_int_equal(ok, 5);			/* the burst */
	assert_int_equal(log_limit_suppressed(&l), 95);
	assert_int_equal(log_limit_suppressed(&l), 0);	/* cleared */
	assert_int_equal(log_limit_take(&l, 1500), 0);	/* half a token */
	assert_int_equal(log_limit_take(&l, 2000), 1);	/* refilled one */
	assert_int_equal(log_limit_take(&l, 2000), 0);
	assert_int_equal(log_limit_take(&l, 1000000), 1);	/* capped at burst */
	for (i = 0, ok = 0; i < 10; i++)
		ok += log_limit_take(&l, 1000000);
	assert_int_equal(ok, 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
