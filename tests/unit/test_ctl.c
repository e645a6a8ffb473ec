/* test_ctl.c - the control protocol codec. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>

#include "ctl.h"

/* Checks that 'b' holds exactly one frame and decodes it into 'm'. */
static void
decode_one(const struct dbuf *b, struct ctl_msg *m)
{
	size_t flen = 0;

	assert_int_equal(ctl_frame_peek(b->b, b->len, &flen), 0);
	assert_int_equal(flen, b->len);
	assert_int_equal(ctl_msg_decode(b->b, b->len, m), 0);
}

static void
test_preamble(void **state)
{
	uint8_t p[CTL_PREAMBLE_LEN], q[CTL_PREAMBLE_LEN];

	ctl_preamble(p);
	assert_memory_equal(p, "PINHOLE\x01", 8);
	assert_int_equal(ctl_preamble_check(p, sizeof(p)), 1);
	/* Trailing bytes (the first frame) do not matter. */
	assert_int_equal(ctl_preamble_check((const uint8_t *)
	    "PINHOLE\x01\x00\x01", 10), 1);

	memcpy(q, p, sizeof(q));
	q[7] = 7;
	assert_int_equal(ctl_preamble_check(q, sizeof(q)), 7);
	q[7] = 255;
	assert_int_equal(ctl_preamble_check(q, sizeof(q)), 255);
	q[7] = 0;
	assert_int_equal(ctl_preamble_check(q, sizeof(q)), -EPROTO);

	assert_int_equal(ctl_preamble_check(p, 7), -EAGAIN);
	assert_int_equal(ctl_preamble_check(p, 3), -EAGAIN);
	assert_int_equal(ctl_preamble_check(p, 0), -EAGAIN);

	assert_int_equal(ctl_preamble_check((const uint8_t *)"PINHOLF\x01", 8),
	    -EPROTO);
	assert_int_equal(ctl_preamble_check((const uint8_t *)"pinhole\x01", 8),
	    -EPROTO);
	/* A wrong byte is final before the preamble is complete. */
	assert_int_equal(ctl_preamble_check((const uint8_t *)"GET", 3),
	    -EPROTO);
	assert_int_equal(ctl_preamble_check((const uint8_t *)"\x16\x03\x01", 3),
	    -EPROTO);
}

static void
test_looks_like(void **state)
{
	static const uint8_t tls[] = { 0x16, 0x03, 0x01, 0x02, 0x00 };

	assert_int_equal(ctl_looks_like((const uint8_t *)"PINH", 4), 1);
	assert_int_equal(ctl_looks_like((const uint8_t *)"P", 1), 1);
	assert_int_equal(ctl_looks_like((const uint8_t *)"PINHOLE\x01", 8), 1);
	assert_int_equal(ctl_looks_like((const uint8_t *)"PINHOLE\x09zz", 10),
	    1);
	assert_int_equal(ctl_looks_like(tls, 3), 0);
	assert_int_equal(ctl_looks_like(tls, sizeof(tls)), 0);
	assert_int_equal(ctl_looks_like((const uint8_t *)"PINX", 4), 0);
	assert_int_equal(ctl_looks_like((const uint8_t *)"GET / HTTP/1.1", 14),
	    0);
	assert_int_equal(ctl_looks_like((const uint8_t *)"PINH", 0), 0);
}

/* The HELLO of docs/protocol.md, "Example exchange", byte for byte. */
static void
test_hello_golden(void **state)
{
	static const uint8_t want[] = {
		0x50, 0x49, 0x4e, 0x48, 0x4f, 0x4c, 0x45, 0x01,
		0x00, 0x01, 0x00, 0x11,
		0x00, 0x02, 0x00, 0x0d,
		0x70, 0x69, 0x6e, 0x68, 0x6f, 0x6c, 0x65, 0x20,
		0x30, 0x2e, 0x31, 0x2e, 0x30,
	};
	uint8_t pre[CTL_PREAMBLE_LEN];
	struct ctl_msg m;
	struct dbuf b;
	size_t start, flen;
	char sw[32];

	dbuf_init(&b, 1024);
	ctl_preamble(pre);
	assert_int_equal(dbuf_add(&b, pre, sizeof(pre)), 0);
	assert_int_equal(ctl_enc_begin(&b, CTL_HELLO, &start), 0);
	assert_int_equal(start, 8);
	assert_int_equal(ctl_put_str(&b, CTL_A_SOFTWARE, "pinhole 0.1.0"), 0);
	assert_int_equal(ctl_enc_end(&b, start), 0);
	assert_int_equal(b.len, sizeof(want));
	assert_memory_equal(b.b, want, sizeof(want));

	assert_int_equal(ctl_preamble_check(want, sizeof(want)), 1);
	assert_int_equal(ctl_frame_peek(want + 8, sizeof(want) - 8, &flen), 0);
	assert_int_equal(flen, 21);
	assert_int_equal(ctl_msg_decode(want + 8, flen, &m), 0);
	assert_int_equal(m.type, CTL_HELLO);
	assert_int_equal(m.nattr, 1);
	assert_int_equal(ctl_get_str(&m, CTL_A_SOFTWARE, sw, sizeof(sw)), 0);
	assert_string_equal(sw, "pinhole 0.1.0");
	dbuf_free(&b);
}

/* The WELCOME, WATCH and SENT of docs/protocol.md, "Example exchange". */
static void
test_example_golden(void **state)
{
	static const uint8_t welcome[] = {
		0x00, 0x02, 0x00, 0x73,
		0x00, 0x01, 0x00, 0x10, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
		0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10,
		0x00, 0x03, 0x00, 0x07, 0x04, 0x9c, 0xbb, 0xcb, 0x00, 0x71, 0x07,
		0x00, 0x14, 0x00, 0x07, 0x04, 0x00, 0x00, 0xc6, 0x33, 0x64, 0x01,
		0x00, 0x14, 0x00, 0x13, 0x06, 0x00, 0x00, 0x20, 0x01, 0x0d, 0xb8,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x07,
		0x00, 0x04, 0x00, 0x08, 0x13, 0xc4, 0x13, 0xca, 0x13, 0xd8,
		0x13, 0xd8,
		0x00, 0x05, 0x00, 0x04, 0x13, 0xc4, 0x13, 0xc5,
		0x00, 0x06, 0x00, 0x02, 0x0d, 0x96,
		0x00, 0x11, 0x00, 0x04, 0x00, 0x00, 0x03, 0xe8,
		0x00, 0x12, 0x00, 0x04, 0x00, 0x00, 0x02, 0x58,
		0x00, 0x13, 0x00, 0x04, 0x00, 0x98, 0x96, 0x80,
	};
	static const uint8_t watch[] = { 0x00, 0x10, 0x00, 0x0c, 0x00, 0x09,
	    0x00, 0x08, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef };
	static const uint8_t sent[] = { 0x00, 0x13, 0x00, 0x08, 0x00, 0x0e,
	    0x00, 0x04, 0x00, 0x00, 0x00, 0x07 };
	static const uint8_t token[CTL_TOKEN_LEN] = { 1, 2, 3, 4, 5, 6, 7, 8,
	    9, 10, 11, 12, 13, 14, 15, 16 };
	static const uint8_t nonce[CTL_NONCE_LEN] = { 0x01, 0x23, 0x45, 0x67,
	    0x89, 0xab, 0xcd, 0xef };
	static const uint16_t udp[][2] = { { 5060, 5066 }, { 5080, 5080 } };
	static const uint16_t tcp[][2] = { { 5060, 5061 } };
	uint8_t tok[CTL_TOKEN_LEN];
	uint16_t rg[4][2], port, u16;
	struct net_ip ip, got;
	struct ctl_msg m;
	struct dbuf b;
	size_t start, n;
	uint32_t u32;

	dbuf_init(&b, CTL_MAX_BODY);
	assert_int_equal(ctl_enc_begin(&b, CTL_WELCOME, &start), 0);
	assert_int_equal(ctl_put_bytes(&b, CTL_A_TOKEN, token, sizeof(token)),
	    0);
	assert_int_equal(net_ip_parse("203.0.113.7", &ip), 0);
	assert_int_equal(ctl_put_addr(&b, CTL_A_OBSERVED, &ip, 40123), 0);
	assert_int_equal(net_ip_parse("198.51.100.1", &ip), 0);
	assert_int_equal(ctl_put_addr(&b, CTL_A_SERVER_ADDRS, &ip, 0), 0);
	assert_int_equal(net_ip_parse("2001:db8::7", &ip), 0);
	assert_int_equal(ctl_put_addr(&b, CTL_A_SERVER_ADDRS, &ip, 0), 0);
	assert_int_equal(ctl_put_ranges(&b, CTL_A_UDP_PORTS, udp, 2), 0);
	assert_int_equal(ctl_put_ranges(&b, CTL_A_TCP_PORTS, tcp, 1), 0);
	assert_int_equal(ctl_put_u16(&b, CTL_A_STUN_PORT, 3478), 0);
	assert_int_equal(ctl_put_u32(&b, CTL_A_MAX_PROBES, 1000), 0);
	assert_int_equal(ctl_put_u32(&b, CTL_A_MAX_SECONDS, 600), 0);
	assert_int_equal(ctl_put_u32(&b, CTL_A_MAX_BYTES, 10000000), 0);
	assert_int_equal(ctl_enc_end(&b, start), 0);
	assert_int_equal(b.len, sizeof(welcome));
	assert_memory_equal(b.b, welcome, sizeof(welcome));

	/* ... and decodes back to the same values. */
	decode_one(&b, &m);
	assert_int_equal(m.type, CTL_WELCOME);
	assert_int_equal(m.nattr, 10);
	assert_int_equal(ctl_get_fixed(&m, CTL_A_TOKEN, tok, sizeof(tok)), 0);
	assert_memory_equal(tok, token, sizeof(tok));
	assert_int_equal(ctl_get_addr(&m, CTL_A_OBSERVED, &got, &port), 0);
	assert_int_equal(net_ip_parse("203.0.113.7", &ip), 0);
	assert_true(net_ip_equal(&got, &ip));
	assert_int_equal(port, 40123);
	/* SERVER_ADDRS repeats: walk the attributes. */
	assert_int_equal(m.attr[2].type, CTL_A_SERVER_ADDRS);
	assert_int_equal(ctl_attr_addr(&m.attr[2], &got, &port), 0);
	assert_int_equal(net_ip_parse("198.51.100.1", &ip), 0);
	assert_true(net_ip_equal(&got, &ip));
	assert_int_equal(port, 0);
	assert_int_equal(m.attr[3].type, CTL_A_SERVER_ADDRS);
	assert_int_equal(ctl_attr_addr(&m.attr[3], &got, &port), 0);
	assert_int_equal(net_ip_parse("2001:db8::7", &ip), 0);
	assert_true(net_ip_equal(&got, &ip));
	assert_int_equal(ctl_get_ranges(&m, CTL_A_UDP_PORTS, rg, 4, &n), 0);
	assert_int_equal(n, 2);
	assert_memory_equal(rg, udp, sizeof(udp));
	assert_int_equal(ctl_get_ranges(&m, CTL_A_TCP_PORTS, rg, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_memory_equal(rg, tcp, sizeof(tcp));
	assert_int_equal(ctl_get_u16(&m, CTL_A_STUN_PORT, &u16), 0);
	assert_int_equal(u16, 3478);
	assert_int_equal(ctl_get_u32(&m, CTL_A_MAX_PROBES, &u32), 0);
	assert_int_equal(u32, 1000);
	assert_int_equal(ctl_get_u32(&m, CTL_A_MAX_SECONDS, &u32), 0);
	assert_int_equal(u32, 600);
	assert_int_equal(ctl_get_u32(&m, CTL_A_MAX_BYTES, &u32), 0);
	assert_int_equal(u32, 10000000);

	dbuf_reset(&b);
	assert_int_equal(ctl_enc_begin(&b, CTL_WATCH, &start), 0);
	assert_int_equal(ctl_put_bytes(&b, CTL_A_NONCE, nonce, sizeof(nonce)),
	    0);
	assert_int_equal(ctl_enc_end(&b, start), 0);
	assert_int_equal(b.len, sizeof(watch));
	assert_memory_equal(b.b, watch, sizeof(watch));
	decode_one(&b, &m);
	assert_int_equal(m.type, CTL_WATCH);
	assert_int_equal(ctl_get_fixed(&m, CTL_A_NONCE, tok, CTL_NONCE_LEN), 0);
	assert_memory_equal(tok, nonce, CTL_NONCE_LEN);

	dbuf_reset(&b);
	assert_int_equal(ctl_enc_begin(&b, CTL_SENT, &start), 0);
	assert_int_equal(ctl_put_u32(&b, CTL_A_REQ_ID, 7), 0);
	assert_int_equal(ctl_enc_end(&b, start), 0);
	assert_int_equal(b.len, sizeof(sent));
	assert_memory_equal(b.b, sent, sizeof(sent));
	decode_one(&b, &m);
	assert_int_equal(m.type, CTL_SENT);
	assert_int_equal(ctl_get_u32(&m, CTL_A_REQ_ID, &u32), 0);
	assert_int_equal(u32, 7);
	dbuf_free(&b);
}

static void
test_roundtrip_error(void **state)
{
	struct ctl_msg m;
	struct dbuf b;
	size_t start;
	uint32_t u32;
	uint16_t u16;
	char txt[64];

	dbuf_init(&b, CTL_MAX_BODY);
	assert_int_equal(ctl_enc_begin(&b, CTL_ERROR, &start), 0);
	assert_int_equal(ctl_put_u16(&b, CTL_A_CODE, CTL_E_FORBIDDEN), 0);
	assert_int_equal(ctl_put_str(&b, CTL_A_REASON, "not your address"), 0);
	assert_int_equal(ctl_put_u32(&b, CTL_A_REQ_ID, 77), 0);
	assert_int_equal(ctl_enc_end(&b, start), 0);
	decode_one(&b, &m);
	assert_int_equal(m.type, CTL_ERROR);
	assert_int_equal(ctl_get_u16(&m, CTL_A_CODE, &u16), 0);
	assert_int_equal(u16, 403);
	assert_int_equal(ctl_get_str(&m, CTL_A_REASON, txt, sizeof(txt)), 0);
	assert_string_equal(txt, "not your address");
	assert_int_equal(ctl_get_u32(&m, CTL_A_REQ_ID, &u32), 0);
	assert_int_equal(u32, 77);

	dbuf_reset(&b);
	assert_int_equal(ctl_enc_begin(&b, CTL_ERROR, &start), 0);
	assert_int_equal(ctl_put_u16(&b, CTL_A_CODE, CTL_E_VERSION), 0);
	assert_int_equal(ctl_enc_end(&b, start), 0);
	decode_one(&b, &m);
	assert_int_equal(m.nattr, 1);
	assert_int_equal(ctl_get_u16(&m, CTL_A_CODE, &u16), 0);
	assert_int_equal(u16, 505);
	assert_int_equal(ctl_get_u32(&m, CTL_A_REQ_ID, &u32), -ENOENT);
	assert_int_equal(ctl_get_str(&m, CTL_A_REASON, txt, sizeof(txt)),
	    -ENOENT);
	dbuf_free(&b);
}

/* BYE, PING and PONG have empty bodies; several frames share a stream. */
static void
test_roundtrip_empty_stream(void **state)
{
	static const uint16_t types[] = { CTL_BYE, CTL_PING, CTL_PONG };
	struct ctl_msg m;
	struct dbuf b;
	size_t start, off, flen, i;

	dbuf_init(&b, 256);
	for (i = 0; i < 3; i++) {
		assert_int_equal(ctl_enc_begin(&b, types[i], &start), 0);
		assert_int_equal(start, i * CTL_HDR_LEN);
		assert_int_equal(ctl_enc_end(&b, start), 0);
	}
	assert_int_equal(b.len, 12);
	assert_memory_equal(b.b, "\0\4\0\0\0\5\0\0\0\6\0\0", 12);
	for (i = 0, off = 0; i < 3; i++) {
		assert_int_equal(ctl_frame_peek(b.b + off, b.len - off, &flen),
		    0);
		assert_int_equal(flen, CTL_HDR_LEN);
		assert_int_equal(ctl_msg_decode(b.b + off, flen, &m), 0);
		assert_int_equal(m.type, types[i]);
		assert_int_equal(m.nattr, 0);
		assert_null(ctl_msg_get(&m, CTL_A_CODE));
		off += flen;
	}
	assert_int_equal(ctl_frame_peek(b.b + off, 0, &flen), -EAGAIN);
	dbuf_free(&b);
}

static void
test_roundtrip_probes(void **state)
{
	static const uint8_t nonce[CTL_NONCE_LEN] = { 0x01, 0x23, 0x45, 0x67,
	    0x89, 0xab, 0xcd, 0xef };
	static const char sip[] = "OPTIONS sip:x SIP/2.0\r\n\r\n";
	uint8_t nc[CTL_NONCE_LEN], u8;
	const uint8_t *p;
	struct net_ip ip, got;
	struct ctl_msg m;
	struct dbuf b;
	uint16_t port, u16;
	uint32_t u32;
	size_t start, n;

	dbuf_init(&b, CTL_MAX_BODY);

	/* SEEN */
	assert_int_equal(net_ip_parse("203.0.113.7", &ip), 0);
	assert_int_equal(ctl_enc_begin(&b, CTL_SEEN, &start), 0);
	assert_int_equal(ctl_put_bytes(&b, CTL_A_NONCE, nonce, sizeof(nonce)),
	    0);
	assert_int_equal(ctl_put_u8(&b, CTL_A_TRANSPORT, CTL_UDP), 0);
	assert_int_equal(ctl_put_u16(&b, CTL_A_LOCAL_PORT, 5062), 0);
	assert_int_equal(ctl_put_addr(&b, CTL_A_PEER, &ip, 1024), 0);
	assert_int_equal(ctl_put_u8(&b, CTL_A_TOS, 0xb8), 0);
	assert_int_equal(ctl_put_u32(&b, CTL_A_FLAGS,
	    CTL_F_TOS_VALID | CTL_F_TRUNCATED), 0);
	assert_int_equal(ctl_put_bytes(&b, CTL_A_PAYLOAD, sip, strlen(sip)), 0);
	assert_int_equal(ctl_enc_end(&b, start), 0);
	decode_one(&b, &m);
	assert_int_equal(m.type, CTL_SEEN);
	assert_int_equal(m.nattr, 7);
	assert_int_equal(ctl_get_fixed(&m, CTL_A_NONCE, nc, sizeof(nc)), 0);
	assert_memory_equal(nc, nonce, sizeof(nc));
	assert_int_equal(ctl_get_u8(&m, CTL_A_TRANSPORT, &u8), 0);
	assert_int_equal(u8, CTL_UDP);
	assert_int_equal(ctl_get_u16(&m, CTL_A_LOCAL_PORT, &u16), 0);
	assert_int_equal(u16, 5062);
	assert_int_equal(ctl_get_addr(&m, CTL_A_PEER, &got, &port), 0);
	assert_true(net_ip_equal(&got, &ip));
	assert_int_equal(port, 1024);
	assert_int_equal(ctl_get_u8(&m, CTL_A_TOS, &u8), 0);
	assert_int_equal(u8, 0xb8);
	assert_int_equal(ctl_get_u32(&m, CTL_A_FLAGS, &u32), 0);
	assert_int_equal(u32, CTL_F_TOS_VALID | CTL_F_TRUNCATED);
	assert_int_equal(ctl_get_bytes(&m, CTL_A_PAYLOAD, &p, &n), 0);
	assert_int_equal(n, strlen(sip));
	assert_memory_equal(p, sip, n);
	/* Values point into the caller's buffer: no copies. */
	assert_true(p > b.b && p + n == b.b + b.len);

	/* SEND */
	dbuf_reset(&b);
	assert_int_equal(ctl_enc_begin(&b, CTL_SEND, &start), 0);
	assert_int_equal(ctl_put_u32(&b, CTL_A_REQ_ID, 0x01020304), 0);
	assert_int_equal(ctl_put_u8(&b, CTL_A_TRANSPORT, CTL_TCP), 0);
	assert_int_equal(ctl_put_u16(&b, CTL_A_LOCAL_PORT, 5060), 0);
	assert_int_equal(ctl_put_addr(&b, CTL_A_PEER, &ip, 50000), 0);
	assert_int_equal(ctl_put_bytes(&b, CTL_A_PAYLOAD, sip, strlen(sip)), 0);
	assert_int_equal(ctl_enc_end(&b, start), 0);
	decode_one(&b, &m);
	assert_int_equal(m.type, CTL_SEND);
	assert_int_equal(ctl_get_u32(&m, CTL_A_REQ_ID, &u32), 0);
	assert_int_equal(u32, 0x01020304);
	assert_int_equal(ctl_get_u8(&m, CTL_A_TRANSPORT, &u8), 0);
	assert_int_equal(u8, CTL_TCP);
	assert_int_equal(ctl_get_u16(&m, CTL_A_LOCAL_PORT, &u16), 0);
	assert_int_equal(u16, 5060);
	assert_int_equal(ctl_get_addr(&m, CTL_A_PEER, &got, &port), 0);
	assert_true(net_ip_equal(&got, &ip));
	assert_int_equal(port, 50000);
	assert_int_equal(ctl_get_bytes(&m, CTL_A_PAYLOAD, &p, &n), 0);
	assert_memory_equal(p, sip, strlen(sip));

	dbuf_free(&b);
}

/* Builds a message by hand from one attribute, for the getter tests. */
static void
one_attr(struct ctl_msg *m, uint16_t type, const void *val, uint16_t len)
{
	memset(m, 0, sizeof(*m));
	m->type = CTL_SEEN;
	m->nattr = 1;
	m->attr[0].type = type;
	m->attr[0].len = len;
	m->attr[0].val = val;
}

static void
test_getter_errors(void **state)
{
	static const uint8_t five[5] = { 1, 2, 3, 4, 5 };
	uint8_t u8 = 0x55, out[8];
	uint16_t u16 = 0x5555, port;
	uint32_t u32 = 0x55555555;
	const uint8_t *p;
	struct net_ip ip;
	struct ctl_msg m;
	size_t n;
	char s[4];

	one_attr(&m, CTL_A_CODE, five, 5);
	assert_int_equal(ctl_get_u8(&m, CTL_A_TOS, &u8), -ENOENT);
	assert_int_equal(ctl_get_u16(&m, CTL_A_STUN_PORT, &u16), -ENOENT);
	assert_int_equal(ctl_get_u32(&m, CTL_A_FLAGS, &u32), -ENOENT);
	assert_int_equal(ctl_get_bytes(&m, CTL_A_PAYLOAD, &p, &n), -ENOENT);
	assert_int_equal(ctl_get_fixed(&m, CTL_A_TOKEN, out, 8), -ENOENT);
	assert_int_equal(ctl_get_str(&m, CTL_A_REASON, s, sizeof(s)), -ENOENT);
	assert_int_equal(ctl_get_addr(&m, CTL_A_PEER, &ip, &port), -ENOENT);
	assert_int_equal(ctl_attr_addr(NULL, &ip, &port), -ENOENT);

	/* A 5-byte value fits none of the fixed widths. */
	assert_int_equal(ctl_get_u8(&m, CTL_A_CODE, &u8), -EBADMSG);
	assert_int_equal(ctl_get_u16(&m, CTL_A_CODE, &u16), -EBADMSG);
	assert_int_equal(ctl_get_u32(&m, CTL_A_CODE, &u32), -EBADMSG);
	assert_int_equal(ctl_get_fixed(&m, CTL_A_CODE, out, 4), -EBADMSG);
	assert_int_equal(ctl_get_fixed(&m, CTL_A_CODE, out, 8), -EBADMSG);
	assert_int_equal(ctl_get_addr(&m, CTL_A_CODE, &ip, &port), -EBADMSG);
	/* Failed getters leave their outputs alone. */
	assert_int_equal(u8, 0x55);
	assert_int_equal(u16, 0x5555);
	assert_int_equal(u32, 0x55555555);

	one_attr(&m, CTL_A_CODE, five, 0);
	assert_int_equal(ctl_get_u8(&m, CTL_A_CODE, &u8), -EBADMSG);
	assert_int_equal(ctl_get_bytes(&m, CTL_A_CODE, &p, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(ctl_get_str(&m, CTL_A_CODE, s, sizeof(s)), 0);
	assert_string_equal(s, "");

	one_attr(&m, CTL_A_CODE, five, 2);
	assert_int_equal(ctl_get_u16(&m, CTL_A_CODE, &u16), 0);
	assert_int_equal(u16, 0x0102);
	assert_int_equal(ctl_get_u32(&m, CTL_A_CODE, &u32), -EBADMSG);
	one_attr(&m, CTL_A_CODE, five, 4);
	assert_int_equal(ctl_get_u32(&m, CTL_A_CODE, &u32), 0);
	assert_int_equal(u32, 0x01020304);
	assert_int_equal(ctl_get_fixed(&m, CTL_A_CODE, out, 4), 0);
	assert_memory_equal(out, five, 4);

	/* Text: fits with its NUL, or -EMSGSIZE; an inner NUL is malformed. */
	one_attr(&m, CTL_A_REASON, "abc", 3);
	assert_int_equal(ctl_get_str(&m, CTL_A_REASON, s, 4), 0);
	assert_string_equal(s, "abc");
	assert_int_equal(ctl_get_str(&m, CTL_A_REASON, s, 3), -EMSGSIZE);
	assert_int_equal(ctl_get_str(&m, CTL_A_REASON, s, 0), -EMSGSIZE);
	one_attr(&m, CTL_A_REASON, "a\0c", 3);
	assert_int_equal(ctl_get_str(&m, CTL_A_REASON, s, 4), -EBADMSG);
}

static void
test_first_attribute_wins(void **state)
{
	struct ctl_msg m;
	struct dbuf b;
	size_t start;
	uint16_t v;

	dbuf_init(&b, 256);
	assert_int_equal(ctl_enc_begin(&b, CTL_ERROR, &start), 0);
	assert_int_equal(ctl_put_u16(&b, CTL_A_CODE, 400), 0);
	assert_int_equal(ctl_put_u16(&b, CTL_A_CODE, 500), 0);
	/* Unknown attribute types decode and are simply not asked for. */
	assert_int_equal(ctl_put_str(&b, 0x7fff, "future"), 0);
	assert_int_equal(ctl_enc_end(&b, start), 0);
	decode_one(&b, &m);
	assert_int_equal(m.nattr, 3);
	assert_int_equal(ctl_get_u16(&m, CTL_A_CODE, &v), 0);
	assert_int_equal(v, 400);
	assert_ptr_equal(ctl_msg_get(&m, CTL_A_CODE), &m.attr[0]);
	assert_ptr_equal(ctl_msg_get(&m, 0x7fff), &m.attr[2]);
	dbuf_free(&b);
}

static void
test_addr(void **state)
{
	static const uint8_t v4[] = { 4, 0x13, 0xc4, 192, 0, 2, 33 };
	static const uint8_t v6[] = { 6, 0x00, 0x50, 0x20, 0x01, 0x0d, 0xb8,
	    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	uint8_t v6as4[sizeof(v6)];
	static const uint8_t v4long[] = { 4, 0x13, 0xc4, 192, 0, 2, 33, 0 };
	static const uint8_t v4as6[] = { 6, 0x13, 0xc4, 192, 0, 2, 33 };
	static const uint8_t fam5[] = { 5, 0x13, 0xc4, 192, 0, 2, 33 };
	struct ctl_attr a;
	struct net_ip ip, want;
	struct ctl_msg m;
	struct dbuf b;
	uint16_t port;
	size_t start;

	assert_int_equal(sizeof(v4), 7);
	assert_int_equal(sizeof(v6), 19);
	a.type = CTL_A_PEER;
	a.val = v4;
	a.len = sizeof(v4);
	assert_int_equal(ctl_attr_addr(&a, &ip, &port), 0);
	assert_int_equal(ip.family, AF_INET);
	assert_memory_equal(ip.a, "\xc0\x00\x02\x21", 4);
	assert_int_equal(port, 5060);

	a.val = v6;
	a.len = sizeof(v6);
	assert_int_equal(ctl_attr_addr(&a, &ip, &port), 0);
	assert_int_equal(ip.family, AF_INET6);
	assert_int_equal(net_ip_parse("2001:db8::1", &want), 0);
	assert_true(net_ip_equal(&ip, &want));
	assert_int_equal(port, 80);

	/* The encoder writes the same bytes. */
	dbuf_init(&b, 256);
	assert_int_equal(ctl_enc_begin(&b, CTL_SEEN, &start), 0);
	assert_int_equal(ctl_put_addr(&b, CTL_A_PEER, &want, 80), 0);
	assert_int_equal(ctl_enc_end(&b, start), 0);
	assert_int_equal(b.len, 4 + 4 + sizeof(v6));
	assert_memory_equal(b.b + 8, v6, sizeof(v6));
	decode_one(&b, &m);
	assert_int_equal(ctl_get_addr(&m, CTL_A_PEER, &ip, &port), 0);
	assert_true(net_ip_equal(&ip, &want));
	want.family = AF_UNIX;
	assert_int_equal(ctl_put_addr(&b, CTL_A_PEER, &want, 80),
	    -EAFNOSUPPORT);
	dbuf_free(&b);

	a.val = v4long;
	a.len = sizeof(v4long);
	assert_int_equal(ctl_attr_addr(&a, &ip, &port), -EBADMSG);
	a.val = v4as6;
	a.len = sizeof(v4as6);
	assert_int_equal(ctl_attr_addr(&a, &ip, &port), -EBADMSG);
	a.val = fam5;
	a.len = sizeof(fam5);
	assert_int_equal(ctl_attr_addr(&a, &ip, &port), -EBADMSG);
	memcpy(v6as4, v6, sizeof(v6as4));
	v6as4[0] = 4;
	a.val = v6as4;
	a.len = sizeof(v6as4);
	assert_int_equal(ctl_attr_addr(&a, &ip, &port), -EBADMSG);
	a.val = v4;
	a.len = 2;
	assert_int_equal(ctl_attr_addr(&a, &ip, &port), -EBADMSG);
	a.len = 0;
	assert_int_equal(ctl_attr_addr(&a, &ip, &port), -EBADMSG);
}

static void
test_ranges(void **state)
{
	static const uint8_t good[] = { 0x13, 0xc4, 0x13, 0xca, 0x00, 0x01,
	    0x00, 0x01, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t rev[] = { 0x13, 0xca, 0x13, 0xc4 };
	static const uint8_t zero[] = { 0x00, 0x00, 0x13, 0xc4 };
	static const uint8_t late_bad[] = { 0x13, 0xc4, 0x13, 0xc4, 0x00, 0x00,
	    0x00, 0x05 };
	static const uint16_t bad_put[][2] = { { 10, 20 }, { 30, 29 } };
	static const uint16_t zero_put[][2] = { { 0, 20 } };
	uint16_t rg[4][2];
	struct ctl_attr a;
	struct ctl_msg m;
	struct dbuf b;
	size_t n = 99, start;

	a.type = CTL_A_UDP_PORTS;
	a.val = good;
	a.len = sizeof(good);
	assert_int_equal(ctl_attr_ranges(&a, rg, 4, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(rg[0][0], 5060);
	assert_int_equal(rg[0][1], 5066);
	assert_int_equal(rg[1][0], 1);
	assert_int_equal(rg[1][1], 1);
	assert_int_equal(rg[2][0], 65535);
	assert_int_equal(rg[2][1], 65535);
	/* Only 'max' are kept. */
	assert_int_equal(ctl_attr_ranges(&a, rg, 1, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rg[0][0], 5060);

	a.len = 0;
	assert_int_equal(ctl_attr_ranges(&a, rg, 4, &n), 0);
	assert_int_equal(n, 0);

	n = 99;
	a.len = 6;
	assert_int_equal(ctl_attr_ranges(&a, rg, 4, &n), -EBADMSG);
	a.len = 3;
	assert_int_equal(ctl_attr_ranges(&a, rg, 4, &n), -EBADMSG);
	a.len = 1;
	assert_int_equal(ctl_attr_ranges(&a, rg, 4, &n), -EBADMSG);
	a.val = rev;
	a.len = sizeof(rev);
	assert_int_equal(ctl_attr_ranges(&a, rg, 4, &n), -EBADMSG);
	a.val = zero;
	a.len = sizeof(zero);
	assert_int_equal(ctl_attr_ranges(&a, rg, 4, &n), -EBADMSG);
	/* A bad range past 'max' still fails the attribute. */
	a.val = late_bad;
	a.len = sizeof(late_bad);
	assert_int_equal(ctl_attr_ranges(&a, rg, 1, &n), -EBADMSG);
	assert_int_equal(n, 99);
	assert_int_equal(ctl_attr_ranges(NULL, rg, 4, &n), -ENOENT);

	dbuf_init(&b, 256);
	assert_int_equal(ctl_enc_begin(&b, CTL_WELCOME, &start), 0);
	assert_int_equal(ctl_put_ranges(&b, CTL_A_UDP_PORTS, bad_put, 2),
	    -EINVAL);
	assert_int_equal(ctl_put_ranges(&b, CTL_A_UDP_PORTS, zero_put, 1),
	    -EINVAL);
	assert_int_equal(b.len, 4);		/* nothing was appended */
	assert_int_equal(ctl_put_ranges(&b, CTL_A_UDP_PORTS, bad_put, 1), 0);
	assert_int_equal(ctl_enc_end(&b, start), 0);
	assert_memory_equal(b.b, "\0\2\0\x08\0\4\0\4\0\x0a\0\x14", 12);
	decode_one(&b, &m);
	assert_int_equal(ctl_get_ranges(&m, CTL_A_UDP_PORTS, rg, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rg[0][1], 20);
	assert_int_equal(ctl_get_ranges(&m, CTL_A_TCP_PORTS, rg, 4, &n),
	    -ENOENT);
	dbuf_free(&b);
}

static void
test_frame_peek(void **state)
{
	uint8_t buf[16] = { 0x00, 0x05, 0x00, 0x0a };
	uint8_t big[4] = { 0x00, 0x11, 0x40, 0x01 };	/* 16385 */
	uint8_t max[4] = { 0x00, 0x11, 0x40, 0x00 };	/* 16384 */
	size_t flen = 12345;

	assert_int_equal(ctl_frame_peek(buf, 0, &flen), -EAGAIN);
	assert_int_equal(ctl_frame_peek(buf, 1, &flen), -EAGAIN);
	assert_int_equal(ctl_frame_peek(buf, 3, &flen), -EAGAIN);
	assert_int_equal(ctl_frame_peek(buf, 4, &flen), -EAGAIN);
	assert_int_equal(ctl_frame_peek(buf, 13, &flen), -EAGAIN);
	assert_int_equal(flen, 12345);
	assert_int_equal(ctl_frame_peek(buf, 14, &flen), 0);
	assert_int_equal(flen, 14);
	assert_int_equal(ctl_frame_peek(buf, 16, &flen), 0);
	assert_int_equal(flen, 14);

	/* Refused from the header alone, before any body byte. */
	assert_int_equal(ctl_frame_peek(big, 4, &flen), -EMSGSIZE);
	assert_int_equal(ctl_frame_peek(max, 4, &flen), -EAGAIN);
	assert_int_equal(ctl_frame_peek((const uint8_t *)"\0\1\xff\xff", 4,
	    &flen), -EMSGSIZE);
}

static void
test_decode_malformed(void **state)
{
	/* type 1, body 6: attribute 2 claims 3 bytes, has 2 */
	static const uint8_t overrun[] = { 0, 1, 0, 6, 0, 2, 0, 3, 'a', 'b' };
	/* body 2: half an attribute header */
	static const uint8_t half[] = { 0, 1, 0, 2, 0, 2 };
	static const uint8_t ok[] = { 0, 1, 0, 6, 0, 2, 0, 2, 'a', 'b' };
	static const uint8_t longer[] = { 0, 1, 0, 6, 0, 2, 0, 2, 'a', 'b',
	    0, 9, 0, 0 };
	static const uint8_t big[] = { 0, 1, 0x40, 0x01 };
	uint8_t many[4 + (CTL_MAX_ATTRS + 1) * 4];
	struct ctl_msg m;
	size_t i;

	assert_int_equal(ctl_msg_decode(overrun, sizeof(overrun), &m),
	    -EBADMSG);
	assert_int_equal(m.nattr, 0);
	assert_int_equal(ctl_msg_decode(half, sizeof(half), &m), -EBADMSG);
	assert_int_equal(ctl_msg_decode(ok, 3, &m), -EBADMSG);
	assert_int_equal(ctl_msg_decode(ok, 0, &m), -EBADMSG);
	/* The length in the header must match the frame exactly. */
	assert_int_equal(ctl_msg_decode(ok, sizeof(ok) - 1, &m), -EBADMSG);
	/* Trailing bytes that would form a valid attribute are refused too. */
	assert_int_equal(ctl_msg_decode(longer, sizeof(longer), &m), -EBADMSG);
	assert_int_equal(ctl_msg_decode(longer, sizeof(ok), &m), 0);
	assert_int_equal(ctl_msg_decode(overrun, sizeof(overrun) - 2, &m),
	    -EBADMSG);
	assert_int_equal(ctl_msg_decode(big, sizeof(big), &m), -EBADMSG);
	assert_int_equal(ctl_msg_decode(ok, sizeof(ok), &m), 0);
	assert_int_equal(m.type, CTL_HELLO);
	assert_int_equal(m.nattr, 1);
	assert_int_equal(m.attr[0].len, 2);
	assert_ptr_equal(m.attr[0].val, ok + 8);

	/* CTL_MAX_ATTRS empty attributes decode; one more does not. */
	memset(many, 0, sizeof(many));
	many[1] = CTL_PING;
	many[2] = (uint8_t)((CTL_MAX_ATTRS * 4) >> 8);
	many[3] = (uint8_t)(CTL_MAX_ATTRS * 4);
	for (i = 0; i <= CTL_MAX_ATTRS; i++)
		many[4 + i * 4 + 1] = (uint8_t)(i + 1);
	assert_int_equal(ctl_msg_decode(many, 4 + CTL_MAX_ATTRS * 4, &m), 0);
	assert_int_equal(m.nattr, CTL_MAX_ATTRS);
	assert_int_equal(m.attr[CTL_MAX_ATTRS - 1].type, CTL_MAX_ATTRS);
	many[2] = (uint8_t)(((CTL_MAX_ATTRS + 1) * 4) >> 8);
	many[3] = (uint8_t)((CTL_MAX_ATTRS + 1) * 4);
	assert_int_equal(ctl_msg_decode(many, sizeof(many), &m), -EBADMSG);
	assert_int_equal(m.nattr, 0);
	assert_int_equal(m.type, CTL_PING);
}

static void
test_encode_limits(void **state)
{
	static uint8_t blob[CTL_MAX_BODY];
	struct dbuf b;
	size_t start;

	dbuf_init(&b, 3 * CTL_MAX_BODY);
	assert_int_equal(ctl_enc_begin(&b, CTL_SEND, &start), 0);
	assert_int_equal(ctl_put_bytes(&b, CTL_A_PAYLOAD, blob,
	    CTL_MAX_BODY - 4), 0);
	assert_int_equal(ctl_enc_end(&b, start), 0);
	assert_int_equal(b.len, CTL_HDR_LEN + CTL_MAX_BODY);

	dbuf_reset(&b);
	assert_int_equal(ctl_enc_begin(&b, CTL_SEND, &start), 0);
	assert_int_equal(ctl_put_bytes(&b, CTL_A_PAYLOAD, blob,
	    CTL_MAX_BODY - 3), 0);
	assert_int_equal(ctl_enc_end(&b, start), -EMSGSIZE);
	assert_int_equal(b.len, 0);		/* the frame is dropped */

	assert_int_equal(ctl_put_bytes(&b, CTL_A_PAYLOAD, blob, 70000),
	    -EMSGSIZE);
	assert_int_equal(ctl_put_bytes(&b, CTL_A_PAYLOAD, NULL, 1), -EINVAL);
	assert_int_equal(ctl_put_str(&b, CTL_A_REASON, NULL), -EINVAL);
	assert_int_equal(ctl_enc_end(&b, 0), -EINVAL);
	dbuf_free(&b);

	/* A full buffer leaves no half attribute behind. */
	dbuf_init(&b, 10);
	assert_int_equal(ctl_enc_begin(&b, CTL_SEND, &start), 0);
	assert_int_equal(ctl_put_bytes(&b, CTL_A_PAYLOAD, blob, 3), -E2BIG);
	assert_int_equal(b.len, 4);
	assert_int_equal(ctl_put_u16(&b, CTL_A_LOCAL_PORT, 5060), 0);
	assert_int_equal(ctl_put_u8(&b, CTL_A_TOS, 1), -E2BIG);
	assert_int_equal(b.len, 10);
	dbuf_free(&b);
}

static void
test_names(void **state)
{
	static const uint8_t nonce[CTL_NONCE_LEN] = { 0x00, 0x1f, 0xa0, 0xff,
	    0x12, 0x34, 0xab, 0xcd };
	char hex[CTL_NONCE_HEX_LEN + 1];

	assert_string_equal(ctl_type_name(CTL_HELLO), "HELLO");
	assert_string_equal(ctl_type_name(CTL_WELCOME), "WELCOME");
	assert_string_equal(ctl_type_name(CTL_ERROR), "ERROR");
	assert_string_equal(ctl_type_name(CTL_BYE), "BYE");
	assert_string_equal(ctl_type_name(CTL_PING), "PING");
	assert_string_equal(ctl_type_name(CTL_PONG), "PONG");
	assert_string_equal(ctl_type_name(CTL_WATCH), "WATCH");
	assert_string_equal(ctl_type_name(CTL_SEEN), "SEEN");
	assert_string_equal(ctl_type_name(CTL_SEND), "SEND");
	assert_string_equal(ctl_type_name(CTL_SENT), "SENT");
	assert_string_equal(ctl_type_name(0), "?");
	assert_string_equal(ctl_type_name(7), "?");
	assert_string_equal(ctl_type_name(0xffff), "?");

	ctl_nonce_hex(nonce, hex);
	assert_string_equal(hex, "001fa0ff1234abcd");
}

static void
test_sweep_payload(void **state)
{
	char buf[64];
	int n;

	(void)state;
	n = ctl_sweep_payload(buf, sizeof(buf), "0123456789abcdef", 5060);
	assert_int_equal(n, 36);
	assert_string_equal(buf, "PINHOLE-SWEEP 0123456789abcdef 5060\n");
	assert_int_equal(ctl_sweep_port((uint8_t *)buf, (size_t)n,
	    "0123456789abcdef"), 5060);
	assert_int_equal(ctl_sweep_port((uint8_t *)buf, (size_t)n,
	    "0123456789abcdee"), 0);			/* another nonce */
	assert_int_equal(ctl_sweep_port((uint8_t *)buf, 31,
	    "0123456789abcdef"), 0);			/* no digits */
	assert_int_equal(ctl_sweep_port((const uint8_t *)
	    "PINHOLE-SWEEP 0123456789abcdef 65536\n", 37,
	    "0123456789abcdef"), 0);			/* out of range */
	assert_int_equal(ctl_sweep_port((const uint8_t *)
	    "PINHOLE-SWEEP 0123456789abcdef 12x\n", 35,
	    "0123456789abcdef"), 0);			/* junk */
	assert_int_equal(ctl_sweep_payload(buf, 20, "0123456789abcdef", 1),
	    -ENOSPC);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_preamble),
		cmocka_unit_test(test_looks_like),
		cmocka_unit_test(test_hello_golden),
		cmocka_unit_test(test_example_golden),
		cmocka_unit_test(test_roundtrip_error),
		cmocka_unit_test(test_roundtrip_empty_stream),
		cmocka_unit_test(test_roundtrip_probes),
		cmocka_unit_test(test_getter_errors),
		cmocka_unit_test(test_first_attribute_wins),
		cmocka_unit_test(test_addr),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_frame_peek),
		cmocka_unit_test(test_decode_malformed),
		cmocka_unit_test(test_encode_limits),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_sweep_payload),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
