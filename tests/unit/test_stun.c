/* test_stun.c - the STUN codec against the RFC 5769 test vectors. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "net.h"
#include "stun.h"
#include "stunans.h"

#define TID 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae

/* RFC 5769 2.1: sample request, short-term credentials. */
static const uint8_t req[] = {
	0x00, 0x01, 0x00, 0x58, 0x21, 0x12, 0xa4, 0x42, TID,
	0x80, 0x22, 0x00, 0x10, 'S', 'T', 'U', 'N', ' ', 't', 'e', 's',
	't', ' ', 'c', 'l', 'i', 'e', 'n', 't',
	0x00, 0x24, 0x00, 0x04, 0x6e, 0x00, 0x01, 0xff,
	0x80, 0x29, 0x00, 0x08, 0x93, 0x2f, 0xf9, 0xb1, 0x51, 0x26, 0x3b, 0x36,
	0x00, 0x06, 0x00, 0x09, 'e', 'v', 't', 'j', ':', 'h', '6', 'v',
	'Y', 0x20, 0x20, 0x20,
	0x00, 0x08, 0x00, 0x14, 0x9a, 0xea, 0xa7, 0x0c, 0xbf, 0xd8, 0xcb, 0x56,
	0x78, 0x1e, 0xf2, 0xb5, 0xb2, 0xd3, 0xf2, 0x49, 0xc1, 0xb5, 0x71, 0xa2,
	0x80, 0x28, 0x00, 0x04, 0xe5, 0x7a, 0x3b, 0xcf,
};

/* RFC 5769 2.2: sample IPv4 response. */
static const uint8_t resp4[] = {
	0x01, 0x01, 0x00, 0x3c, 0x21, 0x12, 0xa4, 0x42, TID,
	0x80, 0x22, 0x00, 0x0b, 't', 'e', 's', 't', ' ', 'v', 'e', 'c',
	't', 'o', 'r', 0x20,
	0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0xa1, 0x47, 0xe1, 0x12, 0xa6, 0x43,
	0x00, 0x08, 0x00, 0x14, 0x2b, 0x91, 0xf5, 0x99, 0xfd, 0x9e, 0x90, 0xc3,
	0x8c, 0x74, 0x89, 0xf9, 0x2a, 0xf9, 0xba, 0x53, 0xf0, 0x6b, 0xe7, 0xd7,
	0x80, 0x28, 0x00, 0x04, 0xc0, 0x7d, 0x4c, 0x96,
};

/* RFC 5769 2.3: sample IPv6 response. */
static const uint8_t resp6[] = {
	0x01, 0x01, 0x00, 0x48, 0x21, 0x12, 0xa4, 0x42, TID,
	0x80, 0x22, 0x00, 0x0b, 't', 'e', 's', 't', ' ', 'v', 'e', 'c',
	't', 'o', 'r', 0x20,
	0x00, 0x20, 0x00, 0x14, 0x00, 0x02, 0xa1, 0x47,
	0x01, 0x13, 0xa9, 0xfa, 0xa5, 0xd3, 0xf1, 0x79,
	0xbc, 0x25, 0xf4, 0xb5, 0xbe, 0xd2, 0xb9, 0xd9,
	0x00, 0x08, 0x00, 0x14, 0xa3, 0x82, 0x95, 0x4e, 0x4b, 0xe6, 0x7b, 0xf1,
	0x17, 0x84, 0xc9, 0x7c, 0x82, 0x92, 0xc2, 0x75, 0xbf, 0xe3, 0xed, 0x41,
	0x80, 0x28, 0x00, 0x04, 0xc8, 0xfb, 0x0b, 0x4c,
};

static const char pw[] = "VOkJxbRl1RmTxUk/WvJxBt";

static void
test_rfc5769_request(void **state)
{
	struct stun_msg m;

	assert_true(stun_is_stun(req, sizeof(req)));
	assert_int_equal(stun_msg_decode(req, sizeof(req), &m), 0);
	assert_int_equal(m.type, STUN_BINDING_REQUEST);
	assert_int_equal(m.fingerprint_ok, 1);
	assert_int_equal(m.software_len, 16);
	assert_memory_equal(m.software, "STUN test client", 16);
	assert_int_equal(m.username_len, 9);
	assert_memory_equal(m.username, "evtj:h6vY", 9);
	assert_int_equal(m.nunknown, 0);
	assert_true(m.present & STUN_HAS_PRIORITY);
	assert_int_equal(m.priority, 0x6e0001ff);
	assert_true(m.present & STUN_HAS_ICE_CONTROLLED);
	assert_false(m.present & STUN_HAS_ICE_CONTROLLING);
	assert_false(m.present & STUN_HAS_USE_CANDIDATE);
	assert_true(m.tiebreaker == 0x932ff9b151263b36ull);
	assert_int_equal(stun_msg_check_integrity(req, sizeof(req), &m, pw,
	    strlen(pw)), 0);
	assert_int_equal(stun_msg_check_integrity(req, sizeof(req), &m, "x", 1),
	    -EACCES);
}

/* The RFC 5769 2.1 request as an ICE check to agent "evtj". */
static void
test_ice_answer(void **state)
{
	struct sockaddr_in peer = { .sin_family = AF_INET,
	    .sin_port = htons(32853), .sin_addr = { htonl(0xc0000201) } };
	struct stun_msg m, a;
	uint8_t bad[sizeof(req)];
	struct dbuf b;

	(void)state;
	assert_int_equal(stun_msg_decode(req, sizeof(req), &m), 0);
	dbuf_init(&b, STUN_MAX_MSG);
	assert_int_equal(stun_ice_answer_build(req, sizeof(req), &m, "evtj",
	    pw, (struct sockaddr *)&peer, &b), 0);
	assert_true(b.len <= sizeof(req));
	assert_int_equal(stun_msg_decode(b.b, b.len, &a), 0);
	assert_int_equal(a.type, STUN_BINDING_SUCCESS);
	assert_memory_equal(a.tid, m.tid, STUN_TID_LEN);
	assert_true(a.fingerprint_ok);
	assert_int_equal(stun_msg_check_integrity(b.b, b.len, &a, pw,
	    strlen(pw)), 0);
	assert_int_equal(((struct sockaddr_in *)&a.xor_mapped)->sin_port,
	    htons(32853));
	/* Another agent's ufrag, a wrong password, a broken fingerprint. */
	assert_int_equal(stun_ice_answer_build(req, sizeof(req), &m, "evt",
	    pw, (struct sockaddr *)&peer, &b), -EPERM);
	assert_int_equal(stun_ice_answer_build(req, sizeof(req), &m, "h6vY",
	    pw, (struct sockaddr *)&peer, &b), -EPERM);
	assert_int_equal(stun_ice_answer_build(req, sizeof(req), &m, "evtj",
	    "wrong", (struct sockaddr *)&peer, &b), -EACCES);
	memcpy(bad, req, sizeof(req));
	bad[sizeof(bad) - 1] ^= 1;
	assert_int_equal(stun_msg_decode(bad, sizeof(bad), &m), 0);
	assert_int_equal(stun_ice_answer_build(bad, sizeof(bad), &m, "evtj",
	    pw, (struct sockaddr *)&peer, &b), -EACCES);
	dbuf_free(&b);
}

static void
test_rfc5769_responses(void **state)
{
	char buf[NET_ADDRSTRLEN];
	struct stun_msg m;

	assert_int_equal(stun_msg_decode(resp4, sizeof(resp4), &m), 0);
	assert_int_equal(m.type, STUN_BINDING_SUCCESS);
	assert_true(m.present & STUN_HAS_XOR_MAPPED);
	assert_string_equal(net_sa_str((struct sockaddr *)&m.xor_mapped, buf,
	    sizeof(buf)), "192.0.2.1:32853");
	assert_int_equal(m.fingerprint_ok, 1);
	assert_memory_equal(m.software, "test vector", 11);
	assert_int_equal(stun_msg_check_integrity(resp4, sizeof(resp4), &m, pw,
	    strlen(pw)), 0);

	assert_int_equal(stun_msg_decode(resp6, sizeof(resp6), &m), 0);
	assert_string_equal(net_sa_str((struct sockaddr *)&m.xor_mapped, buf,
	    sizeof(buf)), "[2001:db8:1234:5678:11:2233:4455:6677]:32853");
	assert_int_equal(m.fingerprint_ok, 1);
	assert_int_equal(stun_msg_check_integrity(resp6, sizeof(resp6), &m, pw,
	    strlen(pw)), 0);
}

static void
test_round_trip(void **state)
{
	static const uint8_t tid[STUN_TID_LEN] = { 1, 2, 3, 4, 5, 6, 7, 8, 9,
	    10, 11, 12 };
	struct sockaddr_storage a, b;
	socklen_t len;
	char buf[NET_ADDRSTRLEN];
	struct stun_msg m;
	struct dbuf d;

	dbuf_init(&d, STUN_MAX_MSG);
	assert_int_equal(stun_enc_begin(&d, STUN_BINDING_REQUEST, tid), 0);
	assert_int_equal(stun_enc_u32(&d, STUN_A_CHANGE_REQUEST,
	    STUN_CHANGE_IP | STUN_CHANGE_PORT), 0);
	assert_int_equal(stun_enc_response_port(&d, 40000), 0);
	assert_int_equal(stun_enc_padding(&d, 61), 0);	/* rounded to 64 */
	assert_int_equal(stun_enc_finish(&d, "key", 3, 1), 0);
	assert_true(stun_is_stun(d.b, d.len));
	assert_int_equal(stun_msg_decode(d.b, d.len, &m), 0);
	assert_int_equal(m.change_request, 6);
	assert_int_equal(m.response_port, 40000);
	assert_int_equal(m.padding_len, 64);
	assert_int_equal(m.fingerprint_ok, 1);
	assert_int_equal(stun_msg_check_integrity(d.b, d.len, &m, "key", 3), 0);
	assert_memory_equal(m.tid, tid, STUN_TID_LEN);

	dbuf_reset(&d);
	assert_int_equal(net_sa_parse("203.0.113.2:40000", &a, &len), 0);
	assert_int_equal(net_sa_parse("[2001:db8::10]:3478", &b, &len), 0);
	assert_int_equal(stun_enc_begin(&d, STUN_BINDING_SUCCESS, tid), 0);
	assert_int_equal(stun_enc_addr(&d, STUN_A_XOR_MAPPED_ADDRESS,
	    (struct sockaddr *)&a, tid), 0);
	assert_int_equal(stun_enc_addr(&d, STUN_A_RESPONSE_ORIGIN,
	    (struct sockaddr *)&b, tid), 0);
	assert_int_equal(stun_enc_addr(&d, STUN_A_OTHER_ADDRESS,
	    (struct sockaddr *)&a, tid), 0);
	assert_int_equal(stun_enc_finish(&d, NULL, 0, 0), 0);
	assert_int_equal(stun_msg_decode(d.b, d.len, &m), 0);
	assert_string_equal(net_sa_str((struct sockaddr *)&m.xor_mapped, buf,
	    sizeof(buf)), "203.0.113.2:40000");
	assert_string_equal(net_sa_str((struct sockaddr *)&m.response_origin,
	    buf, sizeof(buf)), "[2001:db8::10]:3478");
	assert_true(m.present & STUN_HAS_OTHER_ADDRESS);
	/* The XOR form on the wire is not the plain address. */
	assert_memory_not_equal(d.b + 20 + 8, "\xcb\x00\x71\x02", 4);

	dbuf_reset(&d);
	assert_int_equal(stun_enc_begin(&d, STUN_BINDING_ERROR, tid), 0);
	assert_int_equal(stun_enc_error(&d, 420, "Unknown Attribute"), 0);
	assert_int_equal(stun_enc_finish(&d, NULL, 0, 1), 0);
	assert_int_equal(stun_msg_decode(d.b, d.len, &m), 0);
	assert_int_equal(m.error_code, 420);
	assert_int_equal(m.error_reason_len, 17);
	dbuf_free(&d);
}

static void
test_rejects(void **state)
{
	uint8_t b[sizeof(resp4)];
	struct stun_msg m;

	assert_int_equal(stun_msg_decode(resp4, 19, &m), -EBADMSG);
	memcpy(b, resp4, sizeof(b));
	b[3] = 0x3d;				/* length not a multiple of 4 */
	assert_false(stun_is_stun(b, sizeof(b)));
	assert_int_equal(stun_msg_decode(b, sizeof(b), &m), -EBADMSG);
	memcpy(b, resp4, sizeof(b));
	b[4] = 0x22;				/* magic */
	assert_false(stun_is_stun(b, sizeof(b)));
	assert_int_equal(stun_msg_decode(b, sizeof(b), &m), -EBADMSG);
	memcpy(b, resp4, sizeof(b));
	b[22] = 0x00;				/* SOFTWARE runs past the end */
	b[23] = 0xff;
	assert_int_equal(stun_msg_decode(b, sizeof(b), &m), -EBADMSG);
	memcpy(b, resp4, sizeof(b));
	b[37] = 0x03;				/* family 3 */
	assert_int_equal(stun_msg_decode(b, sizeof(b), &m), -EBADMSG);
	memcpy(b, resp4, sizeof(b));
	b[sizeof(b) - 1] ^= 1;			/* CRC */
	assert_int_equal(stun_msg_decode(b, sizeof(b), &m), 0);
	assert_int_equal(m.fingerprint_ok, 0);
	/* An attribute after FINGERPRINT. */
	{
		uint8_t t[sizeof(resp4) + 8];

		memcpy(t, resp4, sizeof(resp4));
		memcpy(t + sizeof(resp4), "\x80\x22\x00\x04test", 8);
		t[3] = 0x44;
		assert_int_equal(stun_msg_decode(t, sizeof(t), &m), -EBADMSG);
	}
}

static int
grow_yes(void *arg)
{
	(*(int *)arg)++;
	return 1;
}

/* The answer builder keeps to the request's size unless growth is allowed. */
static void
test_answer_sizes(void **state)
{
	struct sockaddr_in peer = { .sin_family = AF_INET,
	    .sin_port = htons(40000), .sin_addr = { htonl(0xcb007107) } };
	struct stun_answer a = { .peer = (const struct sockaddr *)&peer,
	    .origin = (const struct sockaddr *)&peer, .software = "pinholed" };
	uint8_t tid[STUN_TID_LEN] = { 1, 2, 3 };
	struct stun_msg msg;
	struct dbuf in, out;
	int grown = 0;

	(void)state;
	dbuf_init(&in, STUN_MAX_MSG);
	dbuf_init(&out, STUN_MAX_MSG);
	/* A bare 20-byte request: XOR-MAPPED alone is 32 bytes, too big. */
	assert_int_equal(stun_enc_begin(&in, STUN_BINDING_REQUEST, tid), 0);
	assert_int_equal(stun_enc_finish(&in, NULL, 0, 0), 0);
	assert_int_equal(stun_msg_decode(in.b, in.len, &msg), 0);
	assert_int_equal(stun_answer_build(&msg, in.len, &a, &out), -EMSGSIZE);
	/* With growth allowed (a session's client), the full answer. */
	a.may_grow = grow_yes;
	a.arg = &grown;
	assert_int_equal(stun_answer_build(&msg, in.len, &a, &out),
	    STUN_ANSWER_SUCCESS);
	assert_int_equal(grown, 1);
	assert_true(out.len > in.len);
	/* Padded to 100 bytes: an answer of exactly 100 bytes, not asked. */
	a.may_grow = NULL;
	dbuf_reset(&in);
	assert_int_equal(stun_enc_begin(&in, STUN_BINDING_REQUEST, tid), 0);
	assert_int_equal(stun_enc_padding(&in, 76), 0);
	assert_int_equal(stun_enc_finish(&in, NULL, 0, 0), 0);
	assert_int_equal(in.len, 100);
	assert_int_equal(stun_msg_decode(in.b, in.len, &msg), 0);
	assert_int_equal(stun_answer_build(&msg, in.len, &a, &out),
	    STUN_ANSWER_SUCCESS);
	assert_int_equal(out.len, 100);
	/* Padded past 512 bytes, and past the 1500 we ever build. */
	dbuf_reset(&in);
	assert_int_equal(stun_enc_begin(&in, STUN_BINDING_REQUEST, tid), 0);
	assert_int_equal(stun_enc_padding(&in, 1400), 0);
	assert_int_equal(stun_enc_finish(&in, NULL, 0, 0), 0);
	assert_int_equal(stun_msg_decode(in.b, in.len, &msg), 0);
	assert_int_equal(stun_answer_build(&msg, in.len, &a, &out),
	    STUN_ANSWER_SUCCESS);
	assert_int_equal(out.len, in.len);
	assert_int_equal(stun_answer_build(&msg, 1600, &a, &out),
	    STUN_ANSWER_SUCCESS);
	assert_int_equal(out.len, STUN_MAX_MSG);
	/* A CHANGE-REQUEST the server cannot honour: 420. */
	dbuf_reset(&in);
	assert_int_equal(stun_enc_begin(&in, STUN_BINDING_REQUEST, tid), 0);
	assert_int_equal(stun_enc_u32(&in, STUN_A_CHANGE_REQUEST,
	    STUN_CHANGE_IP), 0);
	assert_int_equal(stun_enc_padding(&in, 64), 0);
	assert_int_equal(stun_enc_finish(&in, NULL, 0, 0), 0);
	assert_int_equal(stun_msg_decode(in.b, in.len, &msg), 0);
	a.change_refused = 1;
	assert_int_equal(stun_answer_build(&msg, in.len, &a, &out),
	    STUN_ANSWER_ERROR);
	assert_int_equal(stun_msg_decode(out.b, out.len, &msg), 0);
	assert_int_equal(msg.error_code, 420);
	dbuf_free(&in);
	dbuf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc5769_request),
		cmocka_unit_test(test_rfc5769_responses),
		cmocka_unit_test(test_ice_answer),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_answer_sizes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
