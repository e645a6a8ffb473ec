/* test_ws.c - WebSocket frames and the handshake, with RFC 6455's examples. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>

#include "ws.h"

/* 1.3: the sample nonce and its accept value. */
static void
test_accept_key(void **state)
{
	const char *key = "dGhlIHNhbXBsZSBub25jZQ==";
	char out[WS_ACCEPT_LEN + 1];

	assert_int_equal(ws_accept_key((const uint8_t *)key, strlen(key), out), 0);
	assert_string_equal(out, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
	/* Not 16 bytes of base64. */
	assert_int_equal(ws_accept_key((const uint8_t *)"dGhlIHNhbXBsZSBub25jZQ",
	    22, out), -EINVAL);
	assert_int_equal(ws_accept_key((const uint8_t *)
	    "dGhlIHNhbXBsZSBub25jZQ=x", 24, out), -EINVAL);
	assert_int_equal(ws_accept_key((const uint8_t *)
	    "dGhlIHNhbXBsZSBub25j!Q==", 24, out), -EINVAL);
}

/* 5.7: a single-frame masked text message, "Hello". */
static const uint8_t hello_masked[] = { 0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d,
    0x7f, 0x9f, 0x4d, 0x51, 0x58 };

static void
test_masked_text(void **state)
{
	struct ws_frame f;
	uint8_t out[5];
	size_t i;

	assert_int_equal(ws_frame_decode(hello_masked, sizeof(hello_masked),
	    1024, &f), 0);
	assert_true(f.fin);
	assert_int_equal(f.opcode, WS_TEXT);
	assert_int_equal(f.payload_len, 5);
	assert_int_equal(f.head_len, 6);
	assert_int_equal(f.frame_len, sizeof(hello_masked));
	ws_frame_unmask(&f, out);
	assert_memory_equal(out, "Hello", 5);
	/* Every shorter prefix asks for more. */
	for (i = 0; i < sizeof(hello_masked); i++)
		assert_int_equal(ws_frame_decode(hello_masked, i, 1024, &f),
		    -EAGAIN);
	/* Past the bound, told from the header alone. */
	assert_int_equal(ws_frame_decode(hello_masked, 2, 4, &f), -EMSGSIZE);
}

/* 5.7: the unmasked examples are what a server sends, never reads. */
static void
test_unmasked_refused(void **state)
{
	const uint8_t hello[] = { 0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f };
	const uint8_t frag1[] = { 0x01, 0x03, 0x48, 0x65, 0x6c };
	const uint8_t ping[] = { 0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f };
	struct ws_frame f;

	assert_int_equal(ws_frame_decode(hello, sizeof(hello), 1024, &f), -EPROTO);
	assert_int_equal(ws_frame_decode(frag1, sizeof(frag1), 1024, &f), -EPROTO);
	assert_int_equal(ws_frame_decode(ping, sizeof(ping), 1024, &f), -EPROTO);
}

/* 5.7: a masked Pong whose body is "Hello"; a fragmented message, masked. */
static void
test_control_and_fragments(void **state)
{
	const uint8_t pong[] = { 0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f,
	    0x9f, 0x4d, 0x51, 0x58 };
	uint8_t frag[] = { 0x01, 0x83, 0, 0, 0, 0, 0x48, 0x65, 0x6c };
	uint8_t ping_frag[] = { 0x09, 0x80, 0, 0, 0, 0 };
	uint8_t ping_long[] = { 0x89, 0xfe, 0x00, 0x7e };
	uint8_t rsv[] = { 0xc1, 0x80, 0, 0, 0, 0 };
	uint8_t op3[] = { 0x83, 0x80, 0, 0, 0, 0 };
	struct ws_frame f;
	uint8_t out[5];

	assert_int_equal(ws_frame_decode(pong, sizeof(pong), 1024, &f), 0);
	assert_int_equal(f.opcode, WS_PONG);
	ws_frame_unmask(&f, out);
	assert_memory_equal(out, "Hello", 5);
	assert_int_equal(ws_frame_decode(frag, sizeof(frag), 1024, &f), 0);
	assert_false(f.fin);
	assert_int_equal(f.opcode, WS_TEXT);
	assert_int_equal(ws_frame_decode(ping_frag, sizeof(ping_frag), 1024, &f),
	    -EPROTO);
	assert_int_equal(ws_frame_decode(ping_long, sizeof(ping_long), 1024, &f),
	    -EPROTO);
	assert_int_equal(ws_frame_decode(rsv, sizeof(rsv), 1024, &f), -EPROTO);
	assert_int_equal(ws_frame_decode(op3, sizeof(op3), 1024, &f), -EPROTO);
}

/* 5.7: 256 bytes and 64 KiB in one frame: the 16- and 64-bit lengths. */
static void
test_lengths(void **state)
{
	static uint8_t big[14 + 65536];
	struct dbuf b;
	struct ws_frame f;
	uint8_t l16[] = { 0x82, 0xfe, 0x00, 0x7d, 0, 0, 0, 0 };
	uint8_t l64[] = { 0x82, 0xff, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	uint8_t top[] = { 0x82, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 0 };

	dbuf_init(&b, 1 << 20);
	assert_int_equal(ws_frame_encode(&b, WS_BINARY, big, 256), 0);
	assert_int_equal(b.len, 4 + 256);
	assert_memory_equal(b.b, "\x82\x7e\x01\x00", 4);
	dbuf_reset(&b);
	assert_int_equal(ws_frame_encode(&b, WS_BINARY, big, 65536), 0);
	assert_int_equal(b.len, 10 + 65536);
	assert_memory_equal(b.b, "\x82\x7f\x00\x00\x00\x00\x00\x01\x00\x00", 10);
	dbuf_reset(&b);
	/* The server's own "Hello", as 5.7 writes it. */
	assert_int_equal(ws_frame_encode(&b, WS_TEXT, "Hello", 5), 0);
	assert_memory_equal(b.b, "\x81\x05Hello", 7);
	dbuf_free(&b);
	/* A client's 64 KiB, masked (key 0): decoded whole. */
	memcpy(big, "\x82\xff\x00\x00\x00\x00\x00\x01\x00\x00", 10);
	assert_int_equal(ws_frame_decode(big, sizeof(big), 65536, &f), 0);
	assert_int_equal(f.payload_len, 65536);
	assert_int_equal(f.head_len, 14);
	assert_int_equal(ws_frame_decode(big, sizeof(big), 65535, &f), -EMSGSIZE);
	/* Lengths not in their shortest form, and the top bit. */
	assert_int_equal(ws_frame_decode(l16, sizeof(l16), 1024, &f), -EPROTO);
	assert_int_equal(ws_frame_decode(l64, sizeof(l64), 1024, &f), -EPROTO);
	assert_int_equal(ws_frame_decode(top, sizeof(top), 1024, &f), -EPROTO);
}

static void
test_close(void **state)
{
	struct dbuf b;
	uint16_t code;
	char reason[200];

	dbuf_init(&b, 256);
	assert_int_equal(ws_close_encode(&b, WS_CLOSE_PROTOCOL, "unmasked"), 0);
	assert_memory_equal(b.b, "\x88\x0a\x03\xea" "unmasked", 12);
	assert_int_equal(ws_close_parse(b.b + 2, b.len - 2, &code), 0);
	assert_int_equal(code, 1002);
	dbuf_reset(&b);
	/* A reason too long for a control frame is cut, on a character. */
	memset(reason, 'a', sizeof(reason));
	memcpy(reason + 122, "\xc3\xa9", 2);
	reason[199] = '\0';
	assert_int_equal(ws_close_encode(&b, 1000, reason), 0);
	assert_int_equal(b.len, 2 + 2 + 122);
	dbuf_free(&b);
	assert_int_equal(ws_close_parse(NULL, 0, &code), 0);
	assert_int_equal(code, 1005);
	assert_int_equal(ws_close_parse((const uint8_t *)"\x03", 1, &code), -EPROTO);
	assert_int_equal(ws_close_parse((const uint8_t *)"\x03\xed", 2, &code),
	    -EPROTO);	/* 1005 is never sent */
	assert_int_equal(ws_close_parse((const uint8_t *)"\x0b\xb8", 2, &code), 0);
	assert_int_equal(code, 3000);
	assert_int_equal(ws_close_parse((const uint8_t *)"\x03\xe8\xff", 3,
	    &code), -EPROTO);
}

static void
test_utf8(void **state)
{
	assert_true(ws_utf8_valid((const uint8_t *)"h\xc3\xa9llo", 6));
	assert_true(ws_utf8_valid((const uint8_t *)"\xf0\x9f\x98\x80", 4));
	assert_false(ws_utf8_valid((const uint8_t *)"\xc0\xaf", 2));	/* overlong */
	assert_false(ws_utf8_valid((const uint8_t *)"\xed\xa0\x80", 3)); /* surrogate */
	assert_false(ws_utf8_valid((const uint8_t *)"\xf4\x90\x80\x80", 4));
	assert_false(ws_utf8_valid((const uint8_t *)"\xe2\x82", 2));
	assert_false(ws_utf8_valid((const uint8_t *)"\x80", 1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accept_key),
		cmocka_unit_test(test_masked_text),
		cmocka_unit_test(test_unmasked_refused),
		cmocka_unit_test(test_control_and_fragments),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_close),
		cmocka_unit_test(test_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
