/* test_ctlmsg.c - the client's decoders of server messages. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "ctlmsg.h"

/* Encodes what the callback put into 'b' and decodes it into 'm'. */
static void
frame_end(struct dbuf *b, size_t start, struct ctl_msg *m)
{
	assert_int_equal(ctl_enc_end(b, start), 0);
	assert_int_equal(ctl_msg_decode(b->b, b->len, m), 0);
}

static void
test_welcome(void **state)
{
	static const uint16_t udp[2][2] = { { 5060, 5066 }, { 5080, 5080 } };
	uint8_t token[CTL_TOKEN_LEN] = { 1, 2, 3 };
	struct ctl_welcome w;
	struct ctl_msg m;
	struct net_ip ip;
	struct dbuf b;
	size_t start;
	int i;

	(void)state;
	dbuf_init(&b, CTL_HDR_LEN + CTL_MAX_BODY);
	net_ip_parse("203.0.113.7", &ip);
	assert_int_equal(ctl_enc_begin(&b, CTL_WELCOME, &start), 0);
	assert_int_equal(ctl_put_bytes(&b, CTL_A_TOKEN, token, sizeof(token)), 0);
	assert_int_equal(ctl_put_addr(&b, CTL_A_OBSERVED, &ip, 40123), 0);
	for (i = 0; i < CTLMSG_MAX_ADDRS + 3; i++)
		assert_int_equal(ctl_put_addr(&b, CTL_A_SERVER_ADDRS, &ip, 0), 0);
	assert_int_equal(ctl_put_ranges(&b, CTL_A_UDP_PORTS, udp, 2), 0);
	assert_int_equal(ctl_put_u16(&b, CTL_A_STUN_PORT, 3478), 0);
	assert_int_equal(ctl_put_u32(&b, CTL_A_MAX_SECONDS, 0xffffffffu), 0);
	frame_end(&b, start, &m);
	assert_int_equal(ctl_welcome_decode(&m, &w), 0);
	assert_memory_equal(w.token, token, sizeof(token));
	assert_int_equal(w.observed_port, 40123);
	/* More addresses than kept are cut, not an error. */
	assert_int_equal(w.nserver_addrs, CTLMSG_MAX_ADDRS);
	assert_int_equal(w.nudp_ports, 2);
	assert_int_equal(w.udp_ports[1][0], 5080);
	assert_int_equal(w.stun_port, 3478);
	assert_true(w.max_seconds == 0xffffffffu);
	assert_int_equal(w.ntcp_ports, 0);
	assert_int_equal(w.have_cert, 0);

	/* A STUN_PORT of the wrong length spoils the WELCOME. */
	dbuf_reset(&b);
	assert_int_equal(ctl_enc_begin(&b, CTL_WELCOME, &start), 0);
	assert_int_equal(ctl_put_bytes(&b, CTL_A_TOKEN, token, sizeof(token)), 0);
	assert_int_equal(ctl_put_addr(&b, CTL_A_OBSERVED, &ip, 1), 0);
	assert_int_equal(ctl_put_u32(&b, CTL_A_STUN_PORT, 3478), 0);
	frame_end(&b, start, &m);
	assert_int_equal(ctl_welcome_decode(&m, &w), -EBADMSG);

	/* Without OBSERVED. */
	dbuf_reset(&b);
	assert_int_equal(ctl_enc_begin(&b, CTL_WELCOME, &start), 0);
	assert_int_equal(ctl_put_bytes(&b, CTL_A_TOKEN, token, sizeof(token)), 0);
	frame_end(&b, start, &m);
	assert_int_equal(ctl_welcome_decode(&m, &w), -EBADMSG);
	dbuf_free(&b);
}

static void
test_seen(void **state)
{
	uint8_t nonce[CTL_NONCE_LEN] = { 0x01, 0x23, 0x45, 0x67 };
	struct ctl_seen s;
	struct ctl_msg m;
	struct net_ip ip;
	struct dbuf b;
	size_t start;

	(void)state;
	dbuf_init(&b, CTL_HDR_LEN + CTL_MAX_BODY);
	net_ip_parse("203.0.113.7", &ip);
	assert_int_equal(ctl_enc_begin(&b, CTL_SEEN, &start), 0);
	assert_int_equal(ctl_put_bytes(&b, CTL_A_NONCE, nonce, sizeof(nonce)), 0);
	assert_int_equal(ctl_put_u8(&b, CTL_A_TRANSPORT, CTL_UDP), 0);
	assert_int_equal(ctl_put_u16(&b, CTL_A_LOCAL_PORT, 5060), 0);
	assert_int_equal(ctl_put_addr(&b, CTL_A_PEER, &ip, 1024), 0);
	assert_int_equal(ctl_put_u32(&b, CTL_A_FLAGS, CTL_F_TOS_VALID), 0);
	assert_int_equal(ctl_put_u8(&b, CTL_A_TOS, 0xb8), 0);
	assert_int_equal(ctl_put_bytes(&b, CTL_A_PAYLOAD, "REGISTER", 8), 0);
	frame_end(&b, start, &m);
	assert_int_equal(ctl_seen_decode(&m, &s), 0);
	assert_memory_equal(s.nonce, nonce, sizeof(nonce));
	assert_int_equal(s.transport, CTL_UDP);
	assert_int_equal(s.peer_port, 1024);
	assert_int_equal(s.tos, 0xb8);
	assert_int_equal(s.len, 8);
	assert_memory_equal(s.payload, "REGISTER", 8);

	/* TOS_VALID without TOS, and a transport that is neither. */
	dbuf_reset(&b);
	assert_int_equal(ctl_enc_begin(&b, CTL_SEEN, &start), 0);
	assert_int_equal(ctl_put_bytes(&b, CTL_A_NONCE, nonce, sizeof(nonce)), 0);
	assert_int_equal(ctl_put_u8(&b, CTL_A_TRANSPORT, CTL_TCP), 0);
	assert_int_equal(ctl_put_u16(&b, CTL_A_LOCAL_PORT, 5060), 0);
	assert_int_equal(ctl_put_addr(&b, CTL_A_PEER, &ip, 1024), 0);
	assert_int_equal(ctl_put_u32(&b, CTL_A_FLAGS, CTL_F_TOS_VALID), 0);
	assert_int_equal(ctl_put_bytes(&b, CTL_A_PAYLOAD, "x", 1), 0);
	frame_end(&b, start, &m);
	assert_int_equal(ctl_seen_decode(&m, &s), -EBADMSG);
	m.attr[1].val = (const uint8_t *)"\x03";
	assert_int_equal(ctl_seen_decode(&m, &s), -EBADMSG);
	dbuf_free(&b);
}

static void
test_answer(void **state)
{
	struct ctl_answer a;
	struct ctl_msg m;
	struct dbuf b;
	size_t start;

	(void)state;
	dbuf_init(&b, CTL_HDR_LEN + CTL_MAX_BODY);
	assert_int_equal(ctl_enc_begin(&b, CTL_ERROR, &start), 0);
	assert_int_equal(ctl_put_u16(&b, CTL_A_CODE, 403), 0);
	assert_int_equal(ctl_put_u32(&b, CTL_A_REQ_ID, 7), 0);
	assert_int_equal(ctl_put_str(&b, CTL_A_REASON, "no\x1b[2J way\n"), 0);
	frame_end(&b, start, &m);
	assert_int_equal(ctl_answer_decode(&m, &a), 0);
	assert_int_equal(a.req_id, 7);
	assert_int_equal(a.code, 403);
	/* A terminal escape in REASON never reaches the terminal. */
	assert_string_equal(a.reason, "no?[2J way?");

	/* SENT needs a REQ_ID; an ERROR without CODE is a 500. */
	dbuf_reset(&b);
	assert_int_equal(ctl_enc_begin(&b, CTL_SENT, &start), 0);
	frame_end(&b, start, &m);
	assert_int_equal(ctl_answer_decode(&m, &a), -EBADMSG);
	m.type = CTL_ERROR;
	assert_int_equal(ctl_answer_decode(&m, &a), 0);
	assert_int_equal(a.code, 500);
	assert_int_equal(a.req_id, 0);
	m.type = CTL_SEEN;
	assert_int_equal(ctl_answer_decode(&m, &a), -EINVAL);
	dbuf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_welcome),
		cmocka_unit_test(test_seen),
		cmocka_unit_test(test_answer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
