/* test_errqueue.c - ICMP errors from a socket's error queue. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "errqueue.h"

/* Control data as the kernel writes it: one IP_RECVERR, time exceeded. */
static size_t
build(uint8_t *buf, size_t cap, int level, int type, uint8_t icmp_type,
    int with_offender)
{
	struct msghdr mh;
	struct cmsghdr *cm;
	struct sock_extended_err ee;
	struct sockaddr_in off;
	size_t dlen = sizeof(ee) + (with_offender ? sizeof(off) : 0);

	memset(buf, 0, cap);
	memset(&mh, 0, sizeof(mh));
	mh.msg_control = buf;
	mh.msg_controllen = CMSG_SPACE(dlen);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = level;
	cm->cmsg_type = type;
	cm->cmsg_len = CMSG_LEN(dlen);
	memset(&ee, 0, sizeof(ee));
	ee.ee_errno = EHOSTUNREACH;
	ee.ee_origin = SO_EE_ORIGIN_ICMP;
	ee.ee_type = icmp_type;
	memcpy(CMSG_DATA(cm), &ee, sizeof(ee));
	if (with_offender) {
		memset(&off, 0, sizeof(off));
		off.sin_family = AF_INET;
		inet_pton(AF_INET, "100.64.0.1", &off.sin_addr);
		memcpy(CMSG_DATA(cm) + sizeof(ee), &off, sizeof(off));
	}
	return CMSG_SPACE(dlen);
}

static void
test_hop(void **state)
{
	uint8_t buf[256] __attribute__((aligned(8)));
	struct errqueue_icmp e;
	size_t n;

	(void)state;
	n = build(buf, sizeof(buf), IPPROTO_IP, IP_RECVERR, 11, 1);
	assert_int_equal(errqueue_decode(buf, n, &e), 0);
	assert_true(errqueue_is_hop(&e));
	assert_false(errqueue_is_refusal(&e));
	assert_true(e.have_offender);
	assert_memory_equal(e.offender.a, "\x64\x40\x00\x01", 4);
	assert_int_equal(e.err, EHOSTUNREACH);

	/* Port unreachable from the destination, no offender. */
	n = build(buf, sizeof(buf), IPPROTO_IP, IP_RECVERR, 3, 0);
	assert_int_equal(errqueue_decode(buf, n, &e), 0);
	assert_true(errqueue_is_refusal(&e));
	assert_false(e.have_offender);
}

static void
test_bad(void **state)
{
	uint8_t buf[256] __attribute__((aligned(8)));
	struct errqueue_icmp e;
	struct cmsghdr *cm = (struct cmsghdr *)buf;
	size_t n;

	(void)state;
	n = build(buf, sizeof(buf), IPPROTO_IP, IP_TTL, 11, 1);
	assert_int_equal(errqueue_decode(buf, n, &e), -ENOENT);
	assert_int_equal(errqueue_decode(buf, 0, &e), -ENOENT);
	/* cmsg_len past the buffer. */
	n = build(buf, sizeof(buf), IPPROTO_IP, IP_RECVERR, 11, 1);
	cm->cmsg_len = 4096;
	assert_int_equal(errqueue_decode(buf, n, &e), -EBADMSG);
	/* Too short for the struct: nothing is read past cmsg_len. */
	cm->cmsg_len = CMSG_LEN(4);
	assert_int_equal(errqueue_decode(buf, n, &e), -EBADMSG);
	cm->cmsg_len = 2;
	assert_int_equal(errqueue_decode(buf, n, &e), -EBADMSG);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hop),
		cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
