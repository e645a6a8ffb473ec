/* test_parse.c - checked number parsing. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "parse.h"

static void
test_numbers(void **state)
{
	uint64_t v = 7;
	unsigned u;

	assert_int_equal(parse_u64("42", 0, 100, &v), 0);
	assert_true(v == 42);
	assert_int_equal(parse_u64("", 0, 100, &v), -EINVAL);
	assert_int_equal(parse_u64("-1", 0, 100, &v), -EINVAL);
	assert_int_equal(parse_u64(" 1", 0, 100, &v), -EINVAL);
	assert_int_equal(parse_u64("1x", 0, 100, &v), -EINVAL);
	assert_int_equal(parse_u64("101", 0, 100, &v), -ERANGE);
	assert_int_equal(parse_u64("99999999999999999999999", 0, UINT64_MAX,
	    &v), -ERANGE);
	assert_true(v == 42);		/* untouched by failures */
	assert_int_equal(parse_uint("4294967295", 0, 4294967295u, &u), 0);
	assert_int_equal(parse_uint("0", 1, 5, &u), -ERANGE);
	assert_int_equal(parse_uint(NULL, 1, 5, &u), -EINVAL);
}

static void
test_ports(void **state)
{
	uint16_t lo = 0, hi = 0;

	assert_int_equal(parse_port("5060", &lo), 0);
	assert_int_equal(lo, 5060);
	assert_int_equal(parse_port("0", &lo), -ERANGE);
	assert_int_equal(parse_port("65536", &lo), -ERANGE);
	assert_int_equal(parse_port_range("10000-20000", &lo, &hi), 0);
	assert_int_equal(lo, 10000);
	assert_int_equal(hi, 20000);
	assert_int_equal(parse_port_range("1 - 65535", &lo, &hi), 0);
	assert_int_equal(lo, 1);
	assert_int_equal(hi, 65535);
	assert_int_equal(parse_port_range("5066", &lo, &hi), 0);
	assert_int_equal(lo, 5066);
	assert_int_equal(hi, 5066);
	assert_int_equal(parse_port_range("20-10", &lo, &hi), -ERANGE);
	assert_int_equal(parse_port_range("-10", &lo, &hi), -EINVAL);
	assert_int_equal(parse_port_range("10-", &lo, &hi), -EINVAL);
	assert_int_equal(parse_port_range("1-2-3", &lo, &hi), -EINVAL);
	assert_int_equal(parse_port_range("0-5", &lo, &hi), -ERANGE);
}

static void
test_digits(void **state)
{
	uint64_t v = 77;

	assert_int_equal(parse_digits((const uint8_t *)"12345x", 5, 99999, &v),
	    0);
	assert_true(v == 12345);
	assert_int_equal(parse_digits((const uint8_t *)"007", 3, 7, &v), 0);
	assert_true(v == 7);
	assert_int_equal(parse_digits((const uint8_t *)"8", 1, 7, &v), -ERANGE);
	assert_int_equal(parse_digits((const uint8_t *)"100000", 6, 99999, &v),
	    -ERANGE);
	assert_int_equal(parse_digits((const uint8_t *)"18446744073709551615",
	    20, UINT64_MAX, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(parse_digits((const uint8_t *)"18446744073709551616",
	    20, UINT64_MAX, &v), -ERANGE);
	assert_int_equal(parse_digits((const uint8_t *)"99999999999999999999999"
	    "9", 24, UINT64_MAX, &v), -ERANGE);
	/* Junk is junk even past the maximum. */
	assert_int_equal(parse_digits((const uint8_t *)"99999x", 6, 10, &v),
	    -EINVAL);
	assert_int_equal(parse_digits((const uint8_t *)"", 0, 10, &v), -EINVAL);
	assert_int_equal(parse_digits((const uint8_t *)"-1", 2, 10, &v),
	    -EINVAL);
	assert_int_equal(parse_digits((const uint8_t *)" 1", 2, 10, &v),
	    -EINVAL);
	assert_true(v == UINT64_MAX);	/* untouched on error */
}

static void
test_bool_duration(void **state)
{
	uint64_t ms;
	int b = -1;

	assert_int_equal(parse_bool("Yes", &b), 0);
	assert_int_equal(b, 1);
	assert_int_equal(parse_bool("off", &b), 0);
	assert_int_equal(b, 0);
	assert_int_equal(parse_bool("maybe", &b), -EINVAL);
	assert_int_equal(parse_duration_ms("30", 3600000, &ms), 0);
	assert_true(ms == 30000);
	assert_int_equal(parse_duration_ms("250ms", 3600000, &ms), 0);
	assert_true(ms == 250);
	assert_int_equal(parse_duration_ms("2m", 3600000, &ms), 0);
	assert_true(ms == 120000);
	assert_int_equal(parse_duration_ms("61m", 3600000, &ms), -ERANGE);
	assert_int_equal(parse_duration_ms("5h", 3600000, &ms), -EINVAL);
	assert_int_equal(parse_duration_ms("s", 3600000, &ms), -EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_digits),
		cmocka_unit_test(test_bool_duration),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
