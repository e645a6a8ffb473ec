/* test_rtcp.c - RTP headers and RTCP as a browser sends them. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "rtcp.h"
#include "rtp.h"

static void
test_rtp_hdr(void **state)
{
	/* One CSRC, a one-word extension (RFC 8285 one-byte), 2 of padding. */
	static const uint8_t pkt[] = {
		0xb1, 0xef, 0x12, 0x34, 0, 0, 0x03, 0xc0, 0xde, 0xad, 0xbe, 0xef,
		1, 2, 3, 4,
		0xbe, 0xde, 0, 1, 0x10, 0xff, 0, 0,
		0xf8, 0xff, 0xfe, 0, 2,
	};
	struct rtp_hdr h, h2;
	uint8_t b[12];

	assert_int_equal(rtp_hdr_decode(pkt, sizeof(pkt), &h), 0);
	assert_int_equal(h.pt, 111);
	assert_int_equal(h.marker, 1);
	assert_int_equal(h.seq, 0x1234);
	assert_int_equal(h.ts, 960);
	assert_int_equal(h.ssrc, 0xdeadbeef);
	assert_int_equal(h.payload_off, 24);
	assert_int_equal(h.payload_len, 3);
	/* Cut anywhere inside the header or padding: refused. */
	assert_int_equal(rtp_hdr_decode(pkt, 22, &h2), -EBADMSG);
	assert_int_equal(rtp_hdr_decode(pkt, 11, &h2), -EBADMSG);
	assert_int_equal(rtp_hdr_build(b, sizeof(b), &h), 12);
	assert_memory_equal(b + 1, pkt + 1, 11);
	assert_int_equal(b[0], 0x80);
}

static void
test_rtcp_sr_roundtrip(void **state)
{
	struct rtcp_sr sr;
	struct rtcp_info ri;
	uint8_t b[128];
	size_t n;

	memset(&sr, 0, sizeof(sr));
	sr.ssrc = 0x11111111;
	sr.ntp = rtcp_ntp(1700000000LL * 1000000 + 500000);
	sr.packets = 400;
	sr.have_rb = 1;
	sr.rb_ssrc = 0x22222222;
	sr.rb_fraction = 3;
	sr.rb_lost = 0x1000000;	/* capped to 24 bits */
	sr.rb_lsr = 0x12345678;
	sr.rb_dlsr = 0x10000;
	sr.cname = "pinholed";
	n = rtcp_sr_build(b, sizeof(b), &sr);
	assert_int_equal(n, 28 + 24 + 20);
	assert_int_equal(rtcp_sr_build(b, n - 1, &sr), 0);
	assert_int_equal(rtcp_decode(b, n, 0x22222222, &ri), 0);
	assert_true(ri.have_sr && ri.have_rb);
	assert_int_equal(ri.sr_ssrc, 0x11111111);
	assert_int_equal(ri.sr_ntp_mid, (uint32_t)(sr.ntp >> 16));
	assert_int_equal(ri.rb_fraction, 3);
	assert_int_equal(ri.rb_lost, 0xffffff);
	/* The block is on another stream than 0x33333333's. */
	assert_int_equal(rtcp_decode(b, n, 0x33333333, &ri), 0);
	assert_false(ri.have_rb);
	assert_int_equal(rtcp_decode(b, 7, 0x22222222, &ri), -EBADMSG);
	/* 1.5 s after the LSR, 1 s of it held: 0.5 s. */
	assert_int_equal(rtcp_rtt_us(0x12345678 + 0x18000, 0x12345678,
	    0x10000), 500000);
	assert_int_equal(rtcp_rtt_us(5, 0, 0), -1);
	assert_int_equal(rtcp_rtt_us(0x12345678, 0x12345678, 0x10000), -1);
}

static void
test_rfc4571(void **state)
{
	static const uint8_t f[] = { 0, 3, 'a', 'b', 'c', 0 };
	size_t len = 0;

	assert_int_equal(rfc4571_frame_peek(f, 1, 1500, &len), -EAGAIN);
	assert_int_equal(rfc4571_frame_peek(f, 4, 1500, &len), -EAGAIN);
	assert_int_equal(rfc4571_frame_peek(f, 5, 1500, &len), 0);
	assert_int_equal(len, 3);
	assert_int_equal(rfc4571_frame_peek(f, 5, 2, &len), -EMSGSIZE);
	assert_int_equal(rfc4571_frame_peek(f + 4, 2, 1500, &len), -EMSGSIZE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rtp_hdr),
		cmocka_unit_test(test_rtcp_sr_roundtrip),
		cmocka_unit_test(test_rfc4571),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
