/* turncli.c - a TURN allocation's client side, as a pure state machine. */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include <openssl/crypto.h>

#include "turncli.h"

/* RFC 8489 9.2: a nonce that starts so announces the security features. */
#define TURN_NONCE_COOKIE	"obMatJos2"
#define TURN_NONCE_COOKIE_LEN	9

static uint16_t
turncli_method(enum turncli_op op)
{
	switch (op) {
	case TURNCLI_ALLOCATE:
		return TURN_ALLOCATE;
	case TURNCLI_REFRESH:
		return TURN_REFRESH;
	case TURNCLI_PERMISSION:
		return TURN_CREATE_PERMISSION;
	case TURNCLI_CHANNEL:
		return TURN_CHANNEL_BIND;
	}
	return 0;
}

const char *
turncli_op_name(enum turncli_op op)
{
	switch (op) {
	case TURNCLI_ALLOCATE:
		return "allocate";
	case TURNCLI_REFRESH:
		return "refresh";
	case TURNCLI_PERMISSION:
		return "permission";
	case TURNCLI_CHANNEL:
		return "channel-bind";
	}
	return "none";
}

const char *
turncli_fail_name(enum turncli_fail f)
{
	switch (f) {
	case TURNCLI_F_NONE:
		return "none";
	case TURNCLI_F_ERROR:
		return "error answer";
	case TURNCLI_F_CRED:
		return "credentials refused";
	case TURNCLI_F_NO_CHALLENGE:
		return "401 without a realm and nonce";
	case TURNCLI_F_STALE:
		return "nonce stale again and again";
	case TURNCLI_F_INTEGRITY:
		return "answer not signed with our credentials";
	case TURNCLI_F_ALG:
		return "no password algorithm in common";
	case TURNCLI_F_MALFORMED:
		return "answer lacks what it must carry";
	}
	return "unknown";
}

static int
turncli_copy(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);

	if (n >= cap)
		return -ENAMETOOLONG;
	memcpy(dst, src, n + 1);
	return 0;
}

int
turncli_init(struct turncli *t, const char *user, const char *pass)
{
	memset(t, 0, sizeof(*t));
	if (turncli_copy(t->user, sizeof(t->user), user) < 0 ||
	    turncli_copy(t->pass, sizeof(t->pass), pass) < 0) {
		turncli_clear(t);
		return -ENAMETOOLONG;
	}
	return 0;
}

void
turncli_clear(struct turncli *t)
{
	OPENSSL_cleanse(t, sizeof(*t));
}

static int
turncli_enc_algs(struct turncli *t, struct dbuf *out)
{
	uint8_t v[4 * TURN_MAX_ALGS];
	size_t i;
	int r;

	for (i = 0; i < t->nalgs; i++) {
		v[4 * i] = (uint8_t)(t->algs[i] >> 8);
		v[4 * i + 1] = (uint8_t)t->algs[i];
		v[4 * i + 2] = v[4 * i + 3] = 0;
	}
	if ((r = stun_enc_bytes(out, TURN_A_PASSWORD_ALGORITHMS, v,
	    4 * t->nalgs)) < 0)
		return r;
	return stun_enc_u32(out, TURN_A_PASSWORD_ALGORITHM,
	    (uint32_t)t->alg << 16);
}

/* The request of the transaction in flight, under a new id, into 'out'. */
static int
turncli_build(struct turncli *t, struct dbuf *out)
{
	const struct sockaddr *peer = (const struct sockaddr *)&t->op_peer;
	int r;

	dbuf_reset(out);
	if ((r = stun_tid_random(t->tid)) < 0 ||
	    (r = stun_enc_begin(out, stun_type(turncli_method(t->op),
	    STUN_CLASS_REQUEST), t->tid)) < 0)
		return r;
	switch (t->op) {
	case TURNCLI_ALLOCATE:
		r = stun_enc_u32(out, TURN_A_REQUESTED_TRANSPORT,
		    (uint32_t)TURN_PROTO_UDP << 24);
		if (r == 0 && t->op_lifetime > 0)
			r = stun_enc_u32(out, TURN_A_LIFETIME, t->op_lifetime);
		if (r == 0 && t->relay_af == AF_INET6)
			r = stun_enc_u32(out, TURN_A_REQUESTED_FAMILY,
			    (uint32_t)TURN_FAMILY_IPV6 << 24);
		break;
	case TURNCLI_REFRESH:
		r = stun_enc_u32(out, TURN_A_LIFETIME, t->op_lifetime);
		break;
	case TURNCLI_CHANNEL:
		r = stun_enc_u32(out, TURN_A_CHANNEL_NUMBER,
		    (uint32_t)t->op_chan << 16);
		if (r == 0)
			r = stun_enc_addr_x(out, TURN_A_XOR_PEER_ADDRESS, peer,
			    t->tid, 1);
		break;
	case TURNCLI_PERMISSION:
		r = stun_enc_addr_x(out, TURN_A_XOR_PEER_ADDRESS, peer,
		    t->tid, 1);
		break;
	}
	if (r < 0 || (r = stun_enc_bytes(out, STUN_A_SOFTWARE,
	    TURNCLI_SOFTWARE, strlen(TURNCLI_SOFTWARE))) < 0)
		return r;
	t->with_cred = t->keylen > 0;
	if (!t->with_cred)
		return stun_enc_finish(out, NULL, 0, 0);
	if ((r = stun_enc_bytes(out, STUN_A_USERNAME, t->user,
	    strlen(t->user))) < 0 ||
	    (r = stun_enc_bytes(out, STUN_A_REALM, t->realm, t->realm_len)) < 0 ||
	    (r = stun_enc_bytes(out, STUN_A_NONCE, t->nonce, t->nonce_len)) < 0 ||
	    (t->nalgs > 0 && (r = turncli_enc_algs(t, out)) < 0))
		return r;
	return stun_enc_finish(out, t->key, (size_t)t->keylen, 0);
}

int
turncli_request(struct turncli *t, enum turncli_op op,
    const struct sockaddr *peer, uint16_t chan, uint32_t lifetime,
    struct dbuf *out)
{
	if (turncli_method(op) == 0)
		return -EINVAL;
	if (op == TURNCLI_PERMISSION || op == TURNCLI_CHANNEL) {
		if (peer == NULL || (peer->sa_family != AF_INET &&
		    peer->sa_family != AF_INET6))
			return -EINVAL;
		memcpy(&t->op_peer, peer, peer->sa_family == AF_INET ?
		    sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6));
	}
	if (op == TURNCLI_CHANNEL && (chan < TURN_CHAN_MIN ||
	    chan > TURN_CHAN_MAX))
		return -EINVAL;
	t->op = op;
	t->op_chan = chan;
	t->op_lifetime = lifetime;
	t->stale = 0;
	t->fail = TURNCLI_F_NONE;
	t->error = 0;
	t->reason[0] = '\0';
	return turncli_build(t, out);
}

static int
turncli_failed(struct turncli *t, enum turncli_fail f,
    const struct turn_msg *m)
{
	size_t i, n = 0;

	t->fail = f;
	if (m != NULL && (m->stun.present & STUN_HAS_ERROR)) {
		t->error = m->stun.error_code;
		for (i = 0; i < m->stun.error_reason_len &&
		    n + 1 < sizeof(t->reason); i++) {
			unsigned char ch = (unsigned char)m->stun.error_reason[i];

			t->reason[n++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
		}
	}
	t->reason[n] = '\0';
	t->op = 0;
	return TURNCLI_FAILED;
}

/* Takes the nonce (and a new realm) of a 401 or 438; 0 or -EBADMSG. */
static int
turncli_take_nonce(struct turncli *t, const struct turn_msg *m)
{
	if (m->nonce_len == 0 || m->nonce_len >= sizeof(t->nonce) ||
	    m->realm_len >= sizeof(t->realm))
		return -EBADMSG;
	memcpy(t->nonce, m->nonce, m->nonce_len);
	t->nonce_len = m->nonce_len;
	if (m->present & TURN_HAS_REALM) {
		memcpy(t->realm, m->realm, m->realm_len);
		t->realm_len = m->realm_len;
	}
	return 0;
}

/* Chooses the password algorithm a 401 offers: MD5, else SHA-256. */
static int
turncli_choose_alg(struct turncli *t, const struct turn_msg *m)
{
	size_t i;

	t->nalgs = 0;
	t->alg = TURN_PW_MD5;
	if (!(m->present & TURN_HAS_ALGS) ||
	    m->nonce_len < TURN_NONCE_COOKIE_LEN ||
	    memcmp(m->nonce, TURN_NONCE_COOKIE, TURN_NONCE_COOKIE_LEN) != 0)
		return 0;
	t->alg = 0;
	for (i = 0; i < m->nalgs; i++) {
		t->algs[t->nalgs++] = m->algs[i];
		if (m->algs[i] == TURN_PW_MD5 ||
		    (m->algs[i] == TURN_PW_SHA256 && t->alg == 0))
			t->alg = m->algs[i];
	}
	return t->alg != 0 ? 0 : -ENOTSUP;
}

static int
turncli_key(struct turncli *t)
{
	int n;

	n = turn_lt_key(t->alg, t->user, t->realm, t->realm_len, t->pass,
	    t->key);
	t->keylen = n > 0 ? n : 0;
	return n;
}

static int
turncli_error(struct turncli *t, const struct turn_msg *m, struct dbuf *out)
{
	uint16_t code = m->stun.error_code;

	if (!(m->stun.present & STUN_HAS_ERROR))
		return turncli_failed(t, TURNCLI_F_MALFORMED, m);
	if (code == TURN_E_UNAUTHORIZED) {
		if (t->with_cred)
			return turncli_failed(t, TURNCLI_F_CRED, m);
		if (!(m->present & TURN_HAS_REALM) ||
		    turncli_take_nonce(t, m) < 0)
			return turncli_failed(t, TURNCLI_F_NO_CHALLENGE, m);
		if (turncli_choose_alg(t, m) < 0)
			return turncli_failed(t, TURNCLI_F_ALG, m);
		if (turncli_key(t) < 0)
			return turncli_failed(t, TURNCLI_F_ALG, m);
	} else if (code == TURN_E_STALE_NONCE) {
		if (++t->stale > TURNCLI_STALE_MAX)
			return turncli_failed(t, TURNCLI_F_STALE, m);
		if (turncli_take_nonce(t, m) < 0)
			return turncli_failed(t, TURNCLI_F_NO_CHALLENGE, m);
		if (t->realm_len == 0 || turncli_key(t) < 0)
			return turncli_failed(t, TURNCLI_F_NO_CHALLENGE, m);
	} else {
		return turncli_failed(t, TURNCLI_F_ERROR, m);
	}
	t->auth_rounds++;
	return turncli_build(t, out) < 0 ? -ENOMEM : TURNCLI_RESEND;
}

int
turncli_input(struct turncli *t, const uint8_t *buf, size_t len,
    struct dbuf *out)
{
	struct turn_msg m;

	if (turn_msg_decode(buf, len, &m) < 0)
		return -EBADMSG;
	if (t->op == 0 || memcmp(m.stun.tid, t->tid, STUN_TID_LEN) != 0 ||
	    m.method != turncli_method(t->op) ||
	    (m.cls != STUN_CLASS_SUCCESS && m.cls != STUN_CLASS_ERROR))
		return TURNCLI_NOT_MINE;
	if (m.cls == STUN_CLASS_ERROR)
		return turncli_error(t, &m, out);
	if (t->with_cred && stun_msg_check_integrity(buf, len, &m.stun,
	    t->key, (size_t)t->keylen) != 0)
		return turncli_failed(t, TURNCLI_F_INTEGRITY, NULL);
	if (t->op == TURNCLI_ALLOCATE) {
		if (!(m.present & TURN_HAS_RELAYED))
			return turncli_failed(t, TURNCLI_F_MALFORMED, NULL);
		t->relayed = m.relayed;
		if (m.stun.present & STUN_HAS_XOR_MAPPED) {
			t->mapped = m.stun.xor_mapped;
			t->has_mapped = 1;
		}
	}
	if ((t->op == TURNCLI_ALLOCATE || t->op == TURNCLI_REFRESH) &&
	    (m.present & TURN_HAS_LIFETIME))
		t->lifetime = m.lifetime;
	t->op = 0;
	return TURNCLI_OK;
}
