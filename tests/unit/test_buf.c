/* test_buf.c - the read cursor and the bounded buffer. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>

#include "buf.h"

static void
test_cursor_reads(void **state)
{
	static const uint8_t b[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
	    13, 14, 15 };
	struct cursor c;
	uint8_t u8, out[2];
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;
	const uint8_t *p;

	cur_init(&c, b, sizeof(b));
	assert_int_equal(cur_u8(&c, &u8), 0);
	assert_int_equal(u8, 1);
	assert_int_equal(cur_u16(&c, &u16), 0);
	assert_int_equal(u16, 0x0203);
	assert_int_equal(cur_u32(&c, &u32), 0);
	assert_int_equal(u32, 0x04050607);
	assert_int_equal(cur_u64(&c, &u64), 0);
	assert_true(u64 == 0x08090a0b0c0d0e0fULL);
	assert_int_equal(cur_left(&c), 0);
	assert_int_equal(cur_u8(&c, &u8), -EBADMSG);

	cur_init(&c, b, 3);
	assert_int_equal(cur_u32(&c, &u32), -EBADMSG);
	assert_int_equal(cur_left(&c), 3);	/* a failed read moves nothing */
	assert_int_equal(cur_ref(&c, &p, 2), 0);
	assert_ptr_equal(p, b);
	assert_int_equal(cur_copy(&c, out, 2), -EBADMSG);
	assert_int_equal(cur_skip(&c, 1), 0);
	assert_int_equal(cur_skip(&c, 1), -EBADMSG);
	assert_int_equal(cur_u64(&c, &u64), -EBADMSG);

	/* A peek reads nothing; at the end it fails. */
	cur_init(&c, b, 1);
	assert_int_equal(cur_peek(&c, &u8), 0);
	assert_int_equal(u8, 1);
	assert_int_equal(cur_left(&c), 1);
	assert_int_equal(cur_skip(&c, 1), 0);
	u8 = 99;
	assert_int_equal(cur_peek(&c, &u8), -EBADMSG);
	assert_int_equal(u8, 99);

	/* A literal on a stream: there, not yet known, or not there. */
	cur_init(&c, "GET /", 5);
	assert_int_equal(cur_match(&c, "GET "), 0);
	assert_int_equal(cur_left(&c), 1);
	cur_init(&c, "GE", 2);
	assert_int_equal(cur_match(&c, "GET "), -EAGAIN);
	cur_init(&c, "GOT ", 4);
	assert_int_equal(cur_match(&c, "GET "), -EBADMSG);

	cur_init(&c, NULL, 10);
	assert_int_equal(cur_left(&c), 0);
}

static void
test_dbuf_bounds(void **state)
{
	struct dbuf d;
	char *s;
	int i;

	dbuf_init(&d, 8);
	assert_int_equal(dbuf_u32(&d, 0x01020304), 0);
	assert_int_equal(dbuf_u16(&d, 0x0506), 0);
	assert_int_equal(dbuf_u32(&d, 1), -E2BIG);
	assert_int_equal(d.len, 6);			/* unchanged on failure */
	assert_int_equal(dbuf_u16(&d, 0x0708), 0);
	assert_int_equal(dbuf_u8(&d, 9), -E2BIG);
	assert_memory_equal(d.b, "\1\2\3\4\5\6\7\10", 8);
	assert_int_equal(dbuf_put_u16_at(&d, 7, 1), -EINVAL);
	assert_int_equal(dbuf_put_u16_at(&d, 0, 0xabcd), 0);
	assert_int_equal(d.b[0], 0xab);
	assert_int_equal(dbuf_u64(&d, 1), -E2BIG);
	dbuf_free(&d);

	dbuf_init(&d, 4096);
	for (i = 0; i < 100; i++)
		assert_int_equal(dbuf_printf(&d, "%d,", i), 0);
	assert_int_equal(dbuf_printf(&d, "%300s", "x"), 0);	/* > 256 */
	s = dbuf_steal_str(&d);
	assert_non_null(s);
	assert_int_equal(strncmp(s, "0,1,2,", 6), 0);
	assert_int_equal(strlen(s), 290 + 300);
	assert_null(d.b);
	free(s);
	s = dbuf_steal_str(&d);
	assert_string_equal(s, "");
	free(s);
	dbuf_init(&d, 10);
	assert_int_equal(dbuf_printf(&d, "%s", "01234567890"), -E2BIG);
	dbuf_free(&d);
}

/* An array doubles when full, from 'first'; a size that would overflow
 * leaves it as it was. */
static void
test_array_grow(void **state)
{
	uint32_t *a = NULL, *na;
	size_t n = 0, cap = 0, i;

	(void)state;
	for (i = 0; i < 9; i++) {
		assert_non_null(na = buf_array_grow(a, n, &cap, sizeof(*a), 4));
		a = na;
		a[n++] = (uint32_t)i;
		assert_int_equal(cap, i < 4 ? 4 : i < 8 ? 8 : 16);
	}
	/* Room left: the same array, the same capacity. */
	assert_ptr_equal(buf_array_grow(a, n, &cap, sizeof(*a), 4), a);
	assert_int_equal(cap, 16);
	for (i = 0; i < n; i++)
		assert_int_equal(a[i], i);
	n = cap;
	assert_null(buf_array_grow(a, n, &cap, SIZE_MAX / 16, 4));
	assert_int_equal(cap, 16);
	assert_null(buf_array_grow(NULL, 0, &(size_t){ 0 }, 8, 0));
	free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cursor_reads),
		cmocka_unit_test(test_dbuf_bounds),
		cmocka_unit_test(test_array_grow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
