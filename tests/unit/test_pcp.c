/* test_pcp.c - PCP (RFC 6887): ANNOUNCE and the response header. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include <sys/socket.h>

#include "pcp.h"

static void
test_announce(void **state)
{
	struct net_ip v6 = { .family = AF_INET6 }, v4 = { .family = AF_INET };
	uint8_t buf[PCP_HDR_LEN], small[8];
	static const uint8_t mapped[16] = { [10] = 0xff, [11] = 0xff,
	    [12] = 192, [13] = 168, [14] = 1, [15] = 10 };

	(void)state;
	memset(v6.a, 0x20, 16);
	assert_int_equal(pcp_announce_encode(buf, sizeof(buf), &v6), 24);
	assert_int_equal(buf[0], 2);
	assert_int_equal(buf[1], 0);		/* ANNOUNCE, a request */
	assert_memory_equal(buf + 4, "\0\0\0\0", 4);	/* lifetime 0 */
	assert_memory_equal(buf + 8, v6.a, 16);
	memcpy(v4.a, "\xc0\xa8\x01\x0a", 4);
	assert_int_equal(pcp_announce_encode(buf, sizeof(buf), &v4), 24);
	assert_memory_equal(buf + 8, mapped, 16);
	assert_int_equal(pcp_announce_encode(small, sizeof(small), &v4),
	    -ENOSPC);
}

static void
test_response(void **state)
{
	uint8_t b[PCP_HDR_LEN] = { 2, 0x80, 0, 0, 0, 0, 0, 0,
	    0, 0, 0x01, 0x2c };
	struct pcp_response r;

	(void)state;
	assert_int_equal(pcp_response_decode(b, sizeof(b), &r), 0);
	assert_int_equal(r.version, 2);
	assert_int_equal(r.opcode, PCP_OP_ANNOUNCE);
	assert_int_equal(r.result, 0);
	assert_int_equal(r.epoch, 300);
	assert_string_equal(pcp_result_name(r.result), "SUCCESS");
	b[3] = 2;
	assert_int_equal(pcp_response_decode(b, sizeof(b), &r), 0);
	assert_string_equal(pcp_result_name(r.result), "NOT_AUTHORIZED");
	assert_null(pcp_result_name(200));
	/* A request, a short datagram, a length not a multiple of 4. */
	b[1] = 0x00;
	assert_int_equal(pcp_response_decode(b, sizeof(b), &r), -EBADMSG);
	b[1] = 0x80;
	assert_int_equal(pcp_response_decode(b, 20, &r), -EBADMSG);
	assert_int_equal(pcp_response_decode(b, 22, &r), -EBADMSG);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_announce),
		cmocka_unit_test(test_response),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
