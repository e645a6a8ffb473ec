/*
 * test_turn.c - TURN messages, credentials and ChannelData, and the client
 * machine against a server played message by message.  The long-term
 * credential is checked against RFC 5769 2.4; the REST credential against
 * an HMAC computed outside pinhole (Python's hmac and base64 modules).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "net.h"
#include "turn.h"
#include "turncli.h"

/* RFC 5769 2.4: a request with long-term authentication. */
static const uint8_t lt_req[] = {
	0x00, 0x01, 0x00, 0x60, 0x21, 0x12, 0xa4, 0x42,
	0x78, 0xad, 0x34, 0x33, 0xc6, 0xad, 0x72, 0xc0, 0x29, 0xda, 0x41, 0x2e,
	/* USERNAME, 18 bytes of UTF-8 and 2 of padding */
	0x00, 0x06, 0x00, 0x12,
	0xe3, 0x83, 0x9e, 0xe3, 0x83, 0x88, 0xe3, 0x83, 0xaa, 0xe3, 0x83, 0x83,
	0xe3, 0x82, 0xaf, 0xe3, 0x82, 0xb9, 0x00, 0x00,
	/* NONCE, 28 bytes */
	0x00, 0x15, 0x00, 0x1c,
	0x66, 0x2f, 0x2f, 0x34, 0x39, 0x39, 0x6b, 0x39, 0x35, 0x34, 0x64, 0x36,
	0x4f, 0x4c, 0x33, 0x34, 0x6f, 0x4c, 0x39, 0x46, 0x53, 0x54, 0x76, 0x79,
	0x36, 0x34, 0x73, 0x41,
	/* REALM "example.org" and 1 byte of padding */
	0x00, 0x14, 0x00, 0x0b,
	0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x2e, 0x6f, 0x72, 0x67, 0x00,
	/* MESSAGE-INTEGRITY */
	0x00, 0x08, 0x00, 0x14,
	0xf6, 0x70, 0x24, 0x65, 0x6d, 0xd6, 0x4a, 0x3e, 0x02, 0xb8, 0xe0, 0x71,
	0x2e, 0x85, 0xc9, 0xa2, 0x8c, 0xa8, 0x96, 0x66,
};
/* The username's UTF-8, and the password after SASLprep, as 2.4 gives them. */
static const char lt_user[] = "\xe3\x83\x9e\xe3\x83\x88\xe3\x83\xaa"
    "\xe3\x83\x83\xe3\x82\xaf\xe3\x82\xb9";

static void
sa(const char *s, struct sockaddr_storage *ss)
{
	socklen_t len;

	assert_int_equal(net_sa_parse(s, ss, &len), 0);
}

static const char *
sa_str(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	return net_sa_str((const struct sockaddr *)ss, buf, len);
}

static void
test_rfc5769_long_term(void **state)
{
	uint8_t key[TURN_KEY_MAX];
	struct turn_msg m;
	int klen;

	(void)state;
	assert_int_equal(turn_msg_decode(lt_req, sizeof(lt_req), &m), 0);
	assert_int_equal(m.method, 0x001);
	assert_int_equal(m.cls, STUN_CLASS_REQUEST);
	assert_true(m.present & TURN_HAS_REALM);
	assert_true(m.present & TURN_HAS_NONCE);
	assert_int_equal(m.realm_len, 11);
	assert_memory_equal(m.realm, "example.org", 11);
	assert_int_equal(m.nonce_len, 28);
	assert_memory_equal(m.nonce, "f//499k954d6OL34oL9FSTvy64sA", 28);
	assert_int_equal(m.stun.nunknown, 0);	/* REALM, NONCE are known */
	klen = turn_lt_key(TURN_PW_MD5, lt_user, m.realm, m.realm_len,
	    "TheMatrIX", key);
	assert_int_equal(klen, 16);
	assert_int_equal(stun_msg_check_integrity(lt_req, sizeof(lt_req),
	    &m.stun, key, (size_t)klen), 0);
	klen = turn_lt_key(TURN_PW_MD5, lt_user, m.realm, m.realm_len,
	    "TheMatrix", key);
	assert_int_equal(stun_msg_check_integrity(lt_req, sizeof(lt_req),
	    &m.stun, key, (size_t)klen), -EACCES);
	assert_int_equal(turn_lt_key(TURN_PW_SHA256, "u", "r", 1, "p", key), 32);
	assert_int_equal(turn_lt_key(7, "u", "r", 1, "p", key), -EINVAL);
}

static void
test_types(void **state)
{
	(void)state;
	assert_int_equal(stun_type(TURN_ALLOCATE, STUN_CLASS_REQUEST), 0x0003);
	assert_int_equal(stun_type(TURN_ALLOCATE, STUN_CLASS_SUCCESS), 0x0103);
	assert_int_equal(stun_type(TURN_ALLOCATE, STUN_CLASS_ERROR), 0x0113);
	assert_int_equal(stun_type(TURN_REFRESH, STUN_CLASS_REQUEST), 0x0004);
	assert_int_equal(stun_type(TURN_SEND, STUN_CLASS_INDICATION), 0x0016);
	assert_int_equal(stun_type(TURN_DATA, STUN_CLASS_INDICATION), 0x0017);
	assert_int_equal(stun_type(TURN_CREATE_PERMISSION, STUN_CLASS_REQUEST),
	    0x0008);
	assert_int_equal(stun_type(TURN_CHANNEL_BIND, STUN_CLASS_SUCCESS),
	    0x0109);
	assert_int_equal(stun_type(1, STUN_CLASS_SUCCESS), STUN_BINDING_SUCCESS);
	assert_int_equal(stun_type(1, STUN_CLASS_ERROR), STUN_BINDING_ERROR);
}

static void
test_rest_cred(void **state)
{
	char u[64], p[64];

	(void)state;
	assert_int_equal(turn_rest_cred("north-secret", 12, 1767225600LL,
	    "alice", u, sizeof(u), p, sizeof(p)), 0);
	assert_string_equal(u, "1767225600:alice");
	assert_string_equal(p, "PtgFkMyqgR4om/PGc3sDV5OnNo8=");
	assert_int_equal(turn_rest_cred("north-secret", 12, 1767225600LL, "",
	    u, sizeof(u), p, sizeof(p)), 0);
	assert_string_equal(u, "1767225600");
	assert_string_equal(p, "JVjZgBvTY8Arq7fSBAcAg1fPvgw=");
	assert_int_equal(turn_rest_cred("s", 1, 1, "alice", u, 7, p,
	    sizeof(p)), -ENOSPC);
	assert_int_equal(turn_rest_cred("s", 1, 1, "alice", u, sizeof(u), p,
	    28), -ENOSPC);
}

static void
test_channel_data(void **state)
{
	static const uint8_t bad_chan[] = { 0x50, 0x00, 0x00, 0x00 };
	static const uint8_t short_data[] = { 0x40, 0x00, 0x00, 0x05, 1, 2 };
	const uint8_t *data;
	uint16_t chan;
	size_t dlen;
	struct dbuf d;

	(void)state;
	dbuf_init(&d, 64);
	assert_int_equal(turn_chan_encode(&d, 0x4001, "hello", 5, 1), 0);
	assert_int_equal(d.len, 12);		/* 4 + 5 + 3 of padding */
	assert_int_equal(turn_chan_decode(d.b, d.len, &chan, &data, &dlen), 0);
	assert_int_equal(chan, 0x4001);
	assert_int_equal(dlen, 5);
	assert_memory_equal(data, "hello", 5);
	assert_int_equal(turn_frame_len(d.b, d.len, 64), 12);
	assert_int_equal(turn_frame_len(d.b, 11, 64), 0);
	assert_int_equal(turn_frame_len(d.b, d.len, 8), -EBADMSG);
	dbuf_reset(&d);
	assert_int_equal(turn_chan_encode(&d, 0x4FFF, "hello", 5, 0), 0);
	assert_int_equal(d.len, 9);
	assert_int_equal(turn_chan_encode(&d, 0x3FFF, "x", 1, 0), -EINVAL);
	assert_int_equal(turn_chan_encode(&d, 0x5000, "x", 1, 0), -EINVAL);
	assert_int_equal(turn_chan_decode(bad_chan, sizeof(bad_chan), &chan,
	    &data, &dlen), -EBADMSG);
	assert_int_equal(turn_chan_decode(short_data, sizeof(short_data), &chan,
	    &data, &dlen), -EBADMSG);
	assert_int_equal(turn_frame_len((const uint8_t *)"\x80", 1, 64),
	    -EBADMSG);
	assert_int_equal(turn_frame_len(lt_req, 3, 200), 0);
	assert_int_equal(turn_frame_len(lt_req, sizeof(lt_req), 200),
	    (long)sizeof(lt_req));
	assert_int_equal(turn_frame_len(lt_req, sizeof(lt_req) - 1, 200), 0);
	dbuf_free(&d);
}

static void
test_send_indication(void **state)
{
	struct sockaddr_storage peer;
	char buf[NET_ADDRSTRLEN];
	struct turn_msg m;
	struct dbuf d;

	(void)state;
	dbuf_init(&d, STUN_MAX_MSG);
	sa("[2001:db8::7]:40000", &peer);
	assert_int_equal(turn_enc_send((struct sockaddr *)&peer, "rtp!", 4,
	    &d), 0);
	assert_int_equal(turn_msg_decode(d.b, d.len, &m), 0);
	assert_int_equal(m.method, TURN_SEND);
	assert_int_equal(m.cls, STUN_CLASS_INDICATION);
	assert_true(m.present & TURN_HAS_PEER);
	assert_string_equal(sa_str(&m.peer, buf, sizeof(buf)),
	    "[2001:db8::7]:40000");
	assert_int_equal(m.data_len, 4);
	assert_memory_equal(m.data, "rtp!", 4);
	dbuf_free(&d);
}

/* The server's side, played by the test: an answer to the request in 'req'. */
struct answer {
	int cls;
	uint16_t error;
	int realm, nonce;
	const char *nonce_val;
	const uint16_t *algs;
	size_t nalgs;
	int relayed;
	const uint8_t *key;		/* sign with it when non-NULL */
	size_t keylen;
};

static void
answer(const struct dbuf *req, const struct answer *a, struct dbuf *out)
{
	struct sockaddr_storage relayed, mapped;
	struct turn_msg q;
	uint8_t v[32];
	size_t i;

	assert_int_equal(turn_msg_decode(req->b, req->len, &q), 0);
	dbuf_reset(out);
	assert_int_equal(stun_enc_begin(out, stun_type(q.method, a->cls),
	    q.stun.tid), 0);
	if (a->error != 0)
		assert_int_equal(stun_enc_error(out, a->error, "No\x01way"), 0);
	if (a->realm)
		assert_int_equal(stun_enc_bytes(out, STUN_A_REALM, "lab.test",
		    8), 0);
	if (a->nonce)
		assert_int_equal(stun_enc_bytes(out, STUN_A_NONCE,
		    a->nonce_val, strlen(a->nonce_val)), 0);
	for (i = 0; i < a->nalgs; i++) {
		v[4 * i] = (uint8_t)(a->algs[i] >> 8);
		v[4 * i + 1] = (uint8_t)a->algs[i];
		v[4 * i + 2] = v[4 * i + 3] = 0;
	}
	if (a->nalgs > 0)
		assert_int_equal(stun_enc_bytes(out, TURN_A_PASSWORD_ALGORITHMS,
		    v, 4 * a->nalgs), 0);
	if (a->relayed) {
		sa("198.51.100.9:49152", &relayed);
		sa("203.0.113.5:61000", &mapped);
		assert_int_equal(stun_enc_addr_x(out, TURN_A_XOR_RELAYED_ADDRESS,
		    (struct sockaddr *)&relayed, q.stun.tid, 1), 0);
		assert_int_equal(stun_enc_addr(out, STUN_A_XOR_MAPPED_ADDRESS,
		    (struct sockaddr *)&mapped, q.stun.tid), 0);
		assert_int_equal(stun_enc_u32(out, TURN_A_LIFETIME, 600), 0);
	}
	assert_int_equal(stun_enc_finish(out, a->key, a->keylen, 0), 0);
}

/* The server answers the request in 'req'; the client reads the answer. */
static int
play(struct turncli *t, struct dbuf *req, const struct answer *a,
    struct dbuf *ans)
{
	answer(req, a, ans);
	return turncli_input(t, ans->b, ans->len, req);
}

/* A client with credentials, and buffers for its requests and answers. */
static void
start(struct turncli *t, const char *user, struct dbuf *req, struct dbuf *ans)
{
	dbuf_init(req, STUN_MAX_MSG);
	dbuf_init(ans, STUN_MAX_MSG);
	assert_int_equal(turncli_init(t, user, "pw"), 0);
	assert_int_equal(turncli_request(t, TURNCLI_ALLOCATE, NULL, 0, 0,
	    req), 0);
}

static void
stop(struct turncli *t, struct dbuf *req, struct dbuf *ans)
{
	turncli_clear(t);
	dbuf_free(req);
	dbuf_free(ans);
}

static void
test_client_allocate(void **state)
{
	struct answer chal = { STUN_CLASS_ERROR, 401, 1, 1, "n-1", NULL, 0, 0,
	    NULL, 0 };
	struct answer ok = { STUN_CLASS_SUCCESS, 0, 0, 0, NULL, NULL, 0, 1,
	    NULL, 0 };
	struct answer stale = { STUN_CLASS_ERROR, 438, 0, 1, "n-2", NULL, 0, 0,
	    NULL, 0 };
	uint8_t key[TURN_KEY_MAX];
	char buf[NET_ADDRSTRLEN];
	struct turncli t;
	struct turn_msg q;
	struct dbuf req, ans;
	int klen;

	(void)state;
	start(&t, "1767225600:alice", &req, &ans);
	assert_int_equal(turn_msg_decode(req.b, req.len, &q), 0);
	assert_int_equal(q.stun.type, 0x0003);
	assert_false(q.stun.present & STUN_HAS_USERNAME);
	assert_false(q.stun.present & STUN_HAS_INTEGRITY);

	/* A success to someone else's transaction is not ours. */
	answer(&req, &ok, &ans);
	ans.b[8] ^= 1;
	assert_int_equal(turncli_input(&t, ans.b, ans.len, &req),
	    TURNCLI_NOT_MINE);
	assert_int_equal(turncli_input(&t, ans.b, 10, &req), -EBADMSG);

	/* The challenge: the request again, with the credentials. */
	assert_int_equal(play(&t, &req, &chal, &ans),
	    TURNCLI_RESEND);
	assert_int_equal(turn_msg_decode(req.b, req.len, &q), 0);
	assert_true(q.stun.present & STUN_HAS_USERNAME);
	assert_memory_equal(q.stun.username, "1767225600:alice", 16);
	assert_memory_equal(q.realm, "lab.test", 8);
	assert_memory_equal(q.nonce, "n-1", 3);
	klen = turn_lt_key(TURN_PW_MD5, "1767225600:alice", "lab.test", 8,
	    "pw", key);
	assert_int_equal(stun_msg_check_integrity(req.b, req.len, &q.stun, key,
	    (size_t)klen), 0);

	/* A stale nonce: again, with the new one. */
	assert_int_equal(play(&t, &req, &stale, &ans),
	    TURNCLI_RESEND);
	assert_int_equal(turn_msg_decode(req.b, req.len, &q), 0);
	assert_memory_equal(q.nonce, "n-2", 3);

	/* A success not signed with our key is refused. */
	assert_int_equal(play(&t, &req, &ok, &ans),
	    TURNCLI_FAILED);
	assert_int_equal(t.fail, TURNCLI_F_INTEGRITY);

	/* The next allocation goes with the credentials at once. */
	assert_int_equal(turncli_request(&t, TURNCLI_ALLOCATE, NULL, 0, 600,
	    &req), 0);
	assert_int_equal(turn_msg_decode(req.b, req.len, &q), 0);
	assert_true(q.stun.present & STUN_HAS_INTEGRITY);
	assert_true(q.present & TURN_HAS_LIFETIME);
	ok.key = key;
	ok.keylen = (size_t)klen;
	assert_int_equal(play(&t, &req, &ok, &ans),
	    TURNCLI_OK);
	assert_string_equal(sa_str(&t.relayed, buf, sizeof(buf)),
	    "198.51.100.9:49152");
	assert_true(t.has_mapped);
	assert_string_equal(sa_str(&t.mapped, buf, sizeof(buf)),
	    "203.0.113.5:61000");
	assert_int_equal(t.lifetime, 600);
	/* The transaction is over: a copy of the answer is not ours. */
	assert_int_equal(turncli_input(&t, ans.b, ans.len, &req),
	    TURNCLI_NOT_MINE);
	stop(&t, &req, &ans);
}

/* The value of attribute 'type' in the message in 'm', or NULL. */
static const uint8_t *
attr_of(const struct dbuf *m, uint16_t type, size_t *len)
{
	size_t o = 20, l;

	while (o + 4 <= m->len) {
		l = (size_t)m->b[o + 2] << 8 | m->b[o + 3];
		if (((uint16_t)(m->b[o] << 8 | m->b[o + 1])) == type) {
			*len = l;
			return m->b + o + 4;
		}
		o += 4 + ((l + 3) & ~(size_t)3);
	}
	return NULL;
}

/* ALLOCATE asks for an IPv6 relayed address only when told to. */
static void
test_client_family(void **state)
{
	struct turncli t;
	struct dbuf req;
	const uint8_t *v;
	size_t len;

	(void)state;
	dbuf_init(&req, STUN_MAX_MSG);
	assert_int_equal(turncli_init(&t, "u", "pw"), 0);
	assert_int_equal(turncli_request(&t, TURNCLI_ALLOCATE, NULL, 0, 0,
	    &req), 0);
	assert_null(attr_of(&req, TURN_A_REQUESTED_FAMILY, &len));
	t.relay_af = AF_INET6;
	assert_int_equal(turncli_request(&t, TURNCLI_ALLOCATE, NULL, 0, 0,
	    &req), 0);
	assert_non_null(v = attr_of(&req, TURN_A_REQUESTED_FAMILY, &len));
	assert_int_equal(len, 4);
	assert_int_equal(v[0], TURN_FAMILY_IPV6);
	assert_int_equal(v[1] | v[2] | v[3], 0);
	/* Only ALLOCATE carries it. */
	assert_int_equal(turncli_request(&t, TURNCLI_REFRESH, NULL, 0, 600,
	    &req), 0);
	assert_null(attr_of(&req, TURN_A_REQUESTED_FAMILY, &len));
	turncli_clear(&t);
	dbuf_free(&req);
}

static void
test_client_failures(void **state)
{
	struct answer chal = { STUN_CLASS_ERROR, 401, 1, 1, "n-1", NULL, 0, 0,
	    NULL, 0 };
	struct answer bare = { STUN_CLASS_ERROR, 401, 0, 0, NULL, NULL, 0, 0,
	    NULL, 0 };
	struct answer stale = { STUN_CLASS_ERROR, 438, 0, 1, "n-x", NULL, 0, 0,
	    NULL, 0 };
	struct answer forbidden = { STUN_CLASS_ERROR, 403, 0, 0, NULL, NULL, 0,
	    0, NULL, 0 };
	struct sockaddr_storage peer;
	struct turncli t;
	struct turn_msg q;
	struct dbuf req, ans;
	int i;

	(void)state;
	sa("192.0.2.20:20000", &peer);
	start(&t, "u", &req, &ans);

	/* 401 without a realm. */
	assert_int_equal(play(&t, &req, &bare, &ans),
	    TURNCLI_FAILED);
	assert_int_equal(t.fail, TURNCLI_F_NO_CHALLENGE);
	assert_int_equal(t.error, 401);

	/* 401 to the credentials: refused. */
	assert_int_equal(turncli_request(&t, TURNCLI_ALLOCATE, NULL, 0, 0,
	    &req), 0);
	assert_int_equal(play(&t, &req, &chal, &ans),
	    TURNCLI_RESEND);
	assert_int_equal(play(&t, &req, &chal, &ans),
	    TURNCLI_FAILED);
	assert_int_equal(t.fail, TURNCLI_F_CRED);

	/* A nonce stale three times over. */
	assert_int_equal(turncli_request(&t, TURNCLI_PERMISSION,
	    (struct sockaddr *)&peer, 0, 0, &req), 0);
	for (i = 0; i < TURNCLI_STALE_MAX; i++) {
		assert_int_equal(play(&t, &req, &stale, &ans),
		    TURNCLI_RESEND);
	}
	assert_int_equal(play(&t, &req, &stale, &ans),
	    TURNCLI_FAILED);
	assert_int_equal(t.fail, TURNCLI_F_STALE);

	/* 403 to a permission: the code and a printable reason. */
	assert_int_equal(turncli_request(&t, TURNCLI_PERMISSION,
	    (struct sockaddr *)&peer, 0, 0, &req), 0);
	assert_int_equal(play(&t, &req, &forbidden, &ans),
	    TURNCLI_FAILED);
	assert_int_equal(t.fail, TURNCLI_F_ERROR);
	assert_int_equal(t.error, 403);
	assert_string_equal(t.reason, "No?way");

	/* A channel bind carries the number and the peer. */
	assert_int_equal(turncli_request(&t, TURNCLI_CHANNEL,
	    (struct sockaddr *)&peer, 0x4000, 0, &req), 0);
	assert_int_equal(turn_msg_decode(req.b, req.len, &q), 0);
	assert_int_equal(q.channel, 0x4000);
	assert_true(q.present & TURN_HAS_PEER);
	assert_int_equal(turncli_request(&t, TURNCLI_CHANNEL,
	    (struct sockaddr *)&peer, 0x3000, 0, &req), -EINVAL);
	assert_int_equal(turncli_request(&t, TURNCLI_PERMISSION, NULL, 0, 0,
	    &req), -EINVAL);
	stop(&t, &req, &ans);
}

static void
test_client_algorithms(void **state)
{
	static const uint16_t sha[] = { TURN_PW_SHA256 };
	static const uint16_t odd[] = { 9 };
	struct answer chal = { STUN_CLASS_ERROR, 401, 1, 1,
	    "obMatJos2AAAAx", sha, 1, 0, NULL, 0 };
	uint8_t key[TURN_KEY_MAX];
	struct turncli t;
	struct turn_msg q;
	struct dbuf req, ans;
	int klen;

	(void)state;
	start(&t, "u", &req, &ans);
	assert_int_equal(play(&t, &req, &chal, &ans),
	    TURNCLI_RESEND);
	assert_int_equal(t.alg, TURN_PW_SHA256);
	assert_int_equal(turn_msg_decode(req.b, req.len, &q), 0);
	assert_true(q.present & TURN_HAS_ALGS);
	assert_int_equal(q.nalgs, 1);
	klen = turn_lt_key(TURN_PW_SHA256, "u", "lab.test", 8, "pw", key);
	assert_int_equal(stun_msg_check_integrity(req.b, req.len, &q.stun, key,
	    (size_t)klen), 0);

	/* Only an algorithm we do not know. */
	chal.algs = odd;
	assert_int_equal(turncli_init(&t, "u", "pw"), 0);
	assert_int_equal(turncli_request(&t, TURNCLI_ALLOCATE, NULL, 0, 0,
	    &req), 0);
	assert_int_equal(play(&t, &req, &chal, &ans),
	    TURNCLI_FAILED);
	assert_int_equal(t.fail, TURNCLI_F_ALG);
	stop(&t, &req, &ans);
}

/* A message of 'type' with one attribute is refused by the decoder. */
static void
refused(uint16_t type, uint16_t attr, const void *v, size_t n)
{
	static const uint8_t tid[STUN_TID_LEN];
	struct turn_msg m;
	struct dbuf d;

	dbuf_init(&d, 64);
	assert_int_equal(stun_enc_begin(&d, type, tid), 0);
	assert_int_equal(stun_enc_bytes(&d, attr, v, n), 0);
	assert_int_equal(stun_enc_finish(&d, NULL, 0, 0), 0);
	assert_int_equal(turn_msg_decode(d.b, d.len, &m), -EBADMSG);
	dbuf_free(&d);
}

static void
test_decode_refuses(void **state)
{
	(void)state;
	/* A CHANNEL-NUMBER out of range, a LIFETIME of 2 bytes. */
	refused(0x0009, TURN_A_CHANNEL_NUMBER, "\x3f\xff\0\0", 4);
	refused(0x0009, TURN_A_CHANNEL_NUMBER, "\x50\0\0\0", 4);
	refused(0x0004, TURN_A_LIFETIME, "\0\1", 2);
	/* PASSWORD-ALGORITHMS whose parameters run past it. */
	refused(0x0113, TURN_A_PASSWORD_ALGORITHMS, "\0\1\0\x08", 4);
	/* An XOR-PEER-ADDRESS of family 3. */
	refused(0x0016, TURN_A_XOR_PEER_ADDRESS, "\0\3\0\1\1\2\3\4", 8);
}

/* Relay URIs (RFC 7065) as --turn takes them. */
static void
uri_ok(const char *s, enum turn_uri_tr tr, const char *host, uint16_t port)
{
	struct turn_uri u;
	const char *why = NULL;

	if (turn_uri_parse(s, &u, &why) != 0)
		fail_msg("%s: %s", s, why);
	assert_int_equal(u.tr, tr);
	assert_string_equal(u.host, host);
	assert_int_equal(u.port, port);
}

static void
uri_bad(const char *s, const char *want)
{
	struct turn_uri u;
	const char *why = NULL;

	assert_int_equal(turn_uri_parse(s, &u, &why), -EINVAL);
	if (why == NULL || strstr(why, want) == NULL)
		fail_msg("%s: '%s' lacks '%s'", s, why ? why : "", want);
}

static void
test_uri(void **state)
{
	(void)state;
	uri_ok("turn:relay.example", TURN_URI_UDP, "relay.example", 3478);
	uri_ok("turn:192.0.2.1:3479?transport=udp", TURN_URI_UDP, "192.0.2.1",
	    3479);
	uri_ok("turn:192.0.2.1?transport=tcp", TURN_URI_TCP, "192.0.2.1", 3478);
	uri_ok("turns:relay.example:443", TURN_URI_TLS, "relay.example", 443);
	uri_ok("turns:relay.example?transport=tcp", TURN_URI_TLS,
	    "relay.example", 5349);
	uri_ok("turn:[2001:db8::1]:3478", TURN_URI_UDP, "2001:db8::1", 3478);
	uri_bad("stun:relay.example", "want turn:");
	uri_bad("turn:", "no host");
	uri_bad("turn:relay.example:0", "port");
	uri_bad("turn:relay.example:99999", "port");
	uri_bad("turn:relay.example:", "port");
	uri_bad("turn:user@relay.example", "no host");
	uri_bad("turn:relay.example?transport=sctp", "transport=udp");
	uri_bad("turns:relay.example?transport=udp", "TLS over TCP");
	uri_bad("turn:[2001:db8::1:3478", "']'");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc5769_long_term),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_rest_cred),
		cmocka_unit_test(test_channel_data),
		cmocka_unit_test(test_send_indication),
		cmocka_unit_test(test_client_allocate),
		cmocka_unit_test(test_client_family),
		cmocka_unit_test(test_client_failures),
		cmocka_unit_test(test_client_algorithms),
		cmocka_unit_test(test_decode_refuses),
		cmocka_unit_test(test_uri),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
