/* test_portset.c - port sets and their compressed ranges. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "portset.h"

static struct portset set;

static void
test_format(void **state)
{
	char buf[64];
	unsigned p;

	(void)state;
	portset_clear(&set);
	assert_int_equal(portset_format(&set, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	for (p = 10000; p <= 20000; p++)
		if (p != 10500)
			portset_add(&set, (uint16_t)p);
	portset_add(&set, 5060);
	portset_add(&set, 5060);		/* once */
	portset_add(&set, 65535);
	portset_add(&set, 0);
	assert_int_equal(set.count, 10000 + 1 + 1 + 1);
	assert_int_equal(portset_format(&set, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "0, 5060, 10000-10499, 10501-20000, 65535");
	assert_true(portset_has(&set, 65535));
	assert_false(portset_has(&set, 10500));
}

static void
test_too_long(void **state)
{
	char buf[16];
	unsigned p;

	(void)state;
	portset_clear(&set);
	for (p = 1; p < 100; p += 2)
		portset_add(&set, (uint16_t)p);
	assert_int_equal(portset_format(&set, buf, sizeof(buf)), -ENOSPC);
	assert_int_equal(strlen(buf), sizeof(buf) - 1);
	assert_string_equal(buf + sizeof(buf) - 4, "...");
}

static void
test_parse(void **state)
{
	static const char *const bad[] = {
		"0", "65536", "5060,", "5060, ", "10-5", "abc", "5060 x",
		"5060,,5062", "1-2-3", "123456789012345678", "5060...",
	};
	struct portset back;
	char buf[128];
	size_t i;

	(void)state;
	portset_clear(&set);
	assert_int_equal(portset_parse(&set, ""), 0);
	assert_int_equal(set.count, 0);
	assert_int_equal(portset_parse(&set,
	    "1, 5060, 10000-10499, 10501-20000, 65535"), 0);
	assert_int_equal(set.count, 3 + 500 + 9500);
	assert_int_equal(portset_format(&set, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "1, 5060, 10000-10499, 10501-20000, 65535");
	portset_clear(&back);
	assert_int_equal(portset_parse(&back, buf), 0);
	assert_memory_equal(&back, &set, sizeof(set));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		portset_clear(&back);
		assert_int_equal(portset_parse(&back, bad[i]), -EINVAL);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
