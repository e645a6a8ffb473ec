/* test_rawudp.c - IPv4 and UDP headers from a raw socket. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "rawudp.h"

/* 198.51.100.1:3478 -> 203.0.113.7:20000, "hello", TOS 0xb8. */
static const uint8_t pkt[] = {
	0x45, 0xb8, 0x00, 0x21, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0, 0,
	198, 51, 100, 1, 203, 0, 113, 7,
	0x0d, 0x96, 0x4e, 0x20, 0x00, 0x0d, 0, 0,
	'h', 'e', 'l', 'l', 'o',
};

static void
test_decode(void **state)
{
	uint8_t b[sizeof(pkt) + 8];
	struct rawudp d;

	(void)state;
	assert_int_equal(rawudp_decode(pkt, sizeof(pkt), &d), 0);
	assert_int_equal(d.src.family, AF_INET);
	assert_memory_equal(d.src.a, "\xc6\x33\x64\x01", 4);
	assert_int_equal(d.sport, 3478);
	assert_int_equal(d.dport, 20000);
	assert_int_equal(d.tos, 0xb8);
	assert_int_equal(d.len, 5);
	assert_memory_equal(d.payload, "hello", 5);
	/* Cut by the socket buffer: what arrived. */
	assert_int_equal(rawudp_decode(pkt, sizeof(pkt) - 2, &d), 0);
	assert_int_equal(d.len, 3);
	/* Trailing bytes past the UDP length are not payload. */
	memcpy(b, pkt, sizeof(pkt));
	memset(b + sizeof(pkt), 'x', 8);
	assert_int_equal(rawudp_decode(b, sizeof(b), &d), 0);
	assert_int_equal(d.len, 5);
}

static void
test_refused(void **state)
{
	uint8_t b[sizeof(pkt)];
	struct rawudp d;

	(void)state;
	memcpy(b, pkt, sizeof(b));
	b[0] = 0x44;			/* header shorter than 20 bytes */
	assert_int_equal(rawudp_decode(b, sizeof(b), &d), -EBADMSG);
	b[0] = 0x4f;			/* options longer than the packet */
	assert_int_equal(rawudp_decode(b, sizeof(b), &d), -EBADMSG);
	b[0] = 0x65;			/* not IPv4 */
	assert_int_equal(rawudp_decode(b, sizeof(b), &d), -EBADMSG);
	memcpy(b, pkt, sizeof(b));
	b[9] = 6;			/* TCP */
	assert_int_equal(rawudp_decode(b, sizeof(b), &d), -EBADMSG);
	memcpy(b, pkt, sizeof(b));
	b[7] = 0x10;			/* a later fragment */
	assert_int_equal(rawudp_decode(b, sizeof(b), &d), -EBADMSG);
	memcpy(b, pkt, sizeof(b));
	b[25] = 4;			/* UDP length below its header */
	assert_int_equal(rawudp_decode(b, sizeof(b), &d), -EBADMSG);
	assert_int_equal(rawudp_decode(pkt, 24, &d), -EBADMSG);
	assert_int_equal(rawudp_decode(NULL, 0, &d), -EBADMSG);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
