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

/* SENT of a MEDIA: the server's SSRC and FIRST_SEQ, both or neither. */
static void
test_sent_media(void **state)
{
	struct ctl_answer a;
	struct ctl_msg m;
	struct dbuf b;
	size_t start;

	(void)state;
	dbuf_init(&b, CTL_HDR_LEN + CTL_MAX_BODY);
	assert_int_equal(ctl_enc_begin(&b, CTL_SENT, &start), 0);
	assert_int_equal(ctl_put_u32(&b, CTL_A_REQ_ID, 12), 0);
	assert_int_equal(ctl_put_u32(&b, CTL_A_SSRC, 0xa1b2c3d4), 0);
	assert_int_equal(ctl_put_u16(&b, CTL_A_FIRST_SEQ, 40000), 0);
	frame_end(&b, start, &m);
	assert_int_equal(ctl_answer_decode(&m, &a), 0);
	assert_int_equal(a.req_id, 12);
	assert_int_equal(a.code, 0);
	assert_int_equal(a.has_media, 1);
	assert_int_equal(a.ssrc, 0xa1b2c3d4);
	assert_int_equal(a.first_seq, 40000);

	/* A plain SENT has no stream. */
	dbuf_reset(&b);
	assert_int_equal(ctl_enc_begin(&b, CTL_SENT, &start), 0);
	assert_int_equal(ctl_put_u32(&b, CTL_A_REQ_ID, 12), 0);
	frame_end(&b, start, &m);
	assert_int_equal(ctl_answer_decode(&m, &a), 0);
	assert_int_equal(a.has_media, 0);

	/* Only one of the two. */
	dbuf_reset(&b);
	assert_int_equal(ctl_enc_begin(&b, CTL_SENT, &start), 0);
	assert_int_equal(ctl_put_u32(&b, CTL_A_REQ_ID, 12), 0);
	assert_int_equal(ctl_put_u32(&b, CTL_A_SSRC, 1), 0);
	frame_end(&b, start, &m);
	assert_int_equal(ctl_answer_decode(&m, &a), -EBADMSG);
	dbuf_reset(&b);
	assert_int_equal(ctl_enc_begin(&b, CTL_SENT, &start), 0);
	assert_int_equal(ctl_put_u32(&b, CTL_A_REQ_ID, 12), 0);
	assert_int_equal(ctl_put_u16(&b, CTL_A_FIRST_SEQ, 1), 0);
	frame_end(&b, start, &m);
	assert_int_equal(ctl_answer_decode(&m, &a), -EBADMSG);

	/* Both, one of the wrong length. */
	dbuf_reset(&b);
	assert_int_equal(ctl_enc_begin(&b, CTL_SENT, &start), 0);
	assert_int_equal(ctl_put_u32(&b, CTL_A_REQ_ID, 12), 0);
	assert_int_equal(ctl_put_u16(&b, CTL_A_SSRC, 1), 0);
	assert_int_equal(ctl_put_u16(&b, CTL_A_FIRST_SEQ, 1), 0);
	frame_end(&b, start, &m);
	assert_int_equal(ctl_answer_decode(&m, &a), -EBADMSG);
	dbuf_free(&b);
}

/* A MEDIA_STATS as pinholed sends it: REQ_ID, PEER, the statistics. */
static void
media_stats_msg(struct dbuf *b, struct ctl_msg *m, uint32_t req_id,
    const char *peer, const struct rtp_side *side)
{
	struct net_ip ip;
	size_t start;

	dbuf_reset(b);
	assert_int_equal(ctl_enc_begin(b, CTL_MEDIA_STATS, &start), 0);
	if (req_id != 0)
		assert_int_equal(ctl_put_u32(b, CTL_A_REQ_ID, req_id), 0);
	if (peer != NULL) {
		assert_int_equal(net_ip_parse(peer, &ip), 0);
		assert_int_equal(ctl_put_addr(b, CTL_A_PEER, &ip, 10002), 0);
	}
	if (side != NULL)
		assert_int_equal(rtp_side_put(b, side), 0);
	frame_end(b, start, m);
}

static void
test_media_stats(void **state)
{
	struct ctl_media_stats s;
	struct rtp_side side;
	struct ctl_msg m;
	struct net_ip want;
	struct dbuf b;

	(void)state;
	dbuf_init(&b, CTL_HDR_LEN + CTL_MAX_BODY);
	memset(&side, 0, sizeof(side));
	side.sent = 500;
	side.rx.sent = 500;
	side.rx.received = 498;
	side.rx.lost = 2;
	side.rx.jitter_ms = 0.75;
	side.rx.tos[0].tos = 0xb8;
	side.rx.tos[0].count = 498;
	side.rx.ntos = 1;
	side.rtt_us = 21000;
	side.rtt_samples = 490;
	media_stats_msg(&b, &m, 44, "198.51.100.9", &side);
	assert_int_equal(ctl_media_stats_decode(&m, &s), 0);
	assert_int_equal(s.req_id, 44);
	assert_int_equal(s.has_peer, 1);
	assert_int_equal(net_ip_parse("198.51.100.9", &want), 0);
	assert_true(net_ip_equal(&s.peer_ip, &want));
	assert_int_equal(s.peer_port, 10002);
	assert_int_equal(s.side.sent, 500);
	assert_int_equal(s.side.rx.received, 498);
	assert_float_equal(s.side.rx.loss_pct, 0.4, 1e-9);
	assert_float_equal(s.side.rx.jitter_ms, 0.75, 1e-9);
	assert_int_equal(s.side.rx.ntos, 1);
	assert_int_equal(s.side.rx.tos[0].count, 498);
	assert_int_equal(s.side.rtt_us, 21000);

	/* No packet came: no PEER. */
	media_stats_msg(&b, &m, 44, NULL, &side);
	assert_int_equal(ctl_media_stats_decode(&m, &s), 0);
	assert_int_equal(s.has_peer, 0);
	/* Without REQ_ID, without RTP_STATS. */
	media_stats_msg(&b, &m, 0, "198.51.100.9", &side);
	assert_int_equal(ctl_media_stats_decode(&m, &s), -EBADMSG);
	media_stats_msg(&b, &m, 44, "198.51.100.9", NULL);
	assert_int_equal(ctl_media_stats_decode(&m, &s), -EBADMSG);
	/* Statistics that do not add up: more received than sent. */
	side.rx.received = 501;
	media_stats_msg(&b, &m, 44, NULL, &side);
	assert_int_equal(ctl_media_stats_decode(&m, &s), -EBADMSG);
	/* Another message type. */
	side.rx.received = 498;
	media_stats_msg(&b, &m, 44, NULL, &side);
	m.type = CTL_SENT;
	assert_int_equal(ctl_media_stats_decode(&m, &s), -EINVAL);
	dbuf_free(&b);
}

/* A RELAY_CREDS with USER, PASS and LIFETIME (each left out when NULL or 0). */
static int
relay_creds(struct dbuf *b, uint16_t type, const char *user, const char *pass,
    uint32_t lifetime, struct ctl_relay_creds *c)
{
	struct ctl_msg m;
	size_t start;

	dbuf_reset(b);
	assert_int_equal(ctl_enc_begin(b, type, &start), 0);
	assert_int_equal(ctl_put_u32(b, CTL_A_REQ_ID, 5), 0);
	if (user != NULL)
		assert_int_equal(ctl_put_str(b, CTL_A_TURN_USER, user), 0);
	if (pass != NULL)
		assert_int_equal(ctl_put_str(b, CTL_A_TURN_PASS, pass), 0);
	if (lifetime != 0)
		assert_int_equal(ctl_put_u32(b, CTL_A_LIFETIME, lifetime), 0);
	frame_end(b, start, &m);
	return ctl_relay_creds_decode(&m, c);
}

static void
test_relay_creds(void **state)
{
	struct ctl_relay_creds c;
	struct dbuf b;

	(void)state;
	dbuf_init(&b, CTL_HDR_LEN + CTL_MAX_BODY);
	assert_int_equal(relay_creds(&b, CTL_RELAY_CREDS, "1767225600:pinhole",
	    "PtgFkMyqgR4om/PGc3sDV5OnNo8=", 600, &c), 0);
	assert_int_equal(c.req_id, 5);
	assert_string_equal(c.user, "1767225600:pinhole");
	assert_string_equal(c.pass, "PtgFkMyqgR4om/PGc3sDV5OnNo8=");
	assert_int_equal(c.lifetime, 600);
	assert_int_equal(relay_creds(&b, CTL_SENT, "u", "p", 600, &c), -EINVAL);
	assert_int_equal(relay_creds(&b, CTL_RELAY_CREDS, "a user", "p", 600,
	    &c), -EBADMSG);
	assert_int_equal(relay_creds(&b, CTL_RELAY_CREDS, "u", "p\x7f", 600,
	    &c), -EBADMSG);
	assert_int_equal(relay_creds(&b, CTL_RELAY_CREDS, "", "p", 600, &c),
	    -EBADMSG);
	assert_int_equal(relay_creds(&b, CTL_RELAY_CREDS, "u", NULL, 600, &c),
	    -EBADMSG);
	assert_int_equal(relay_creds(&b, CTL_RELAY_CREDS, "u", "p", 0, &c),
	    -EBADMSG);
	assert_int_equal(relay_creds(&b, CTL_RELAY_CREDS, "u", "p", 86401, &c),
	    -EBADMSG);
	dbuf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_welcome),
		cmocka_unit_test(test_seen),
		cmocka_unit_test(test_answer),
		cmocka_unit_test(test_sent_media),
		cmocka_unit_test(test_media_stats),
		cmocka_unit_test(test_relay_creds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
