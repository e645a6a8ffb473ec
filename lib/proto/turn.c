/* turn.c - TURN messages (RFC 8656), long-term and REST credentials. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "parse.h"
#include "turn.h"

uint16_t
stun_type(uint16_t method, int cls)
{
	return (uint16_t)((method & 0x000f) | (method & 0x0070) << 1 |
	    (method & 0x0f80) << 2 | (cls & 1) << 4 | (cls & 2) << 7);
}

static uint16_t
stun_method_of(uint16_t type)
{
	return (uint16_t)((type & 0x000f) | (type & 0x00e0) >> 1 |
	    (type & 0x3e00) >> 2);
}

static int
stun_class_of(uint16_t type)
{
	return (type >> 4 & 1) | (type >> 7 & 2);
}

/* Takes 'attr' off the list of unknown comprehension-required ones. */
static void
turn_known(struct stun_msg *s, uint16_t attr)
{
	size_t i;

	for (i = 0; i < s->nunknown; i++)
		if (s->unknown[i] == attr) {
			memmove(&s->unknown[i], &s->unknown[i + 1],
			    (s->nunknown - i - 1) * sizeof(s->unknown[0]));
			s->nunknown--;
			return;
		}
}

static int
turn_u32(const uint8_t *v, uint16_t n, uint32_t *out)
{
	if (n != 4)
		return -EBADMSG;
	*out = buf_get_be32(v);
	return 0;
}

static int
turn_dec_attr(struct turn_msg *m, uint16_t type, const uint8_t *v, uint16_t n)
{
	uint32_t u;
	size_t i;

	switch (type) {
	case TURN_A_CHANNEL_NUMBER:
		if (turn_u32(v, n, &u) < 0 || (u >> 16) < TURN_CHAN_MIN ||
		    (u >> 16) > TURN_CHAN_MAX)
			return -EBADMSG;
		m->channel = (uint16_t)(u >> 16);
		m->present |= TURN_HAS_CHANNEL;
		return 0;
	case TURN_A_LIFETIME:
		if (turn_u32(v, n, &m->lifetime) < 0)
			return -EBADMSG;
		m->present |= TURN_HAS_LIFETIME;
		return 0;
	case TURN_A_XOR_PEER_ADDRESS:
		if (m->present & TURN_HAS_PEER)
			return 0;	/* the first; more may follow */
		m->present |= TURN_HAS_PEER;
		return stun_addr_decode(v, n, 1, m->stun.tid, &m->peer);
	case TURN_A_XOR_RELAYED_ADDRESS:
		if (m->present & TURN_HAS_RELAYED)
			return 0;	/* one per family: the first */
		m->present |= TURN_HAS_RELAYED;
		return stun_addr_decode(v, n, 1, m->stun.tid, &m->relayed);
	case TURN_A_DATA:
		m->data = v;
		m->data_len = n;
		m->present |= TURN_HAS_DATA;
		return 0;
	case STUN_A_REALM:
		m->realm = (const char *)v;
		m->realm_len = n;
		m->present |= TURN_HAS_REALM;
		return 0;
	case STUN_A_NONCE:
		m->nonce = (const char *)v;
		m->nonce_len = n;
		m->present |= TURN_HAS_NONCE;
		return 0;
	case TURN_A_PASSWORD_ALGORITHMS:
		/* Each: algorithm, parameter length, parameters padded. */
		m->nalgs = 0;
		for (i = 0; i + 4 <= n;) {
			uint16_t alg = (uint16_t)(v[i] << 8 | v[i + 1]);
			uint16_t plen = (uint16_t)(v[i + 2] << 8 | v[i + 3]);

			i += 4 + ((plen + 3u) & ~3u);
			if (i > n)
				return -EBADMSG;
			if (m->nalgs < TURN_MAX_ALGS)
				m->algs[m->nalgs++] = alg;
		}
		if (i != n)
			return -EBADMSG;
		m->present |= TURN_HAS_ALGS;
		return 0;
	default:
		return 1;	/* not TURN's */
	}
}

int
turn_msg_decode(const uint8_t *buf, size_t len, struct turn_msg *out)
{
	struct turn_msg m;
	struct stun_iter it;
	const uint8_t *v;
	uint16_t type, n;
	int r;

	memset(&m, 0, sizeof(m));
	if ((r = stun_msg_decode(buf, len, &m.stun)) < 0)
		return r;
	m.method = stun_method_of(m.stun.type);
	m.cls = stun_class_of(m.stun.type);
	stun_iter_init(&it, buf, len);
	while ((r = stun_iter_next(&it, &type, &v, &n)) > 0) {
		if ((r = turn_dec_attr(&m, type, v, n)) < 0)
			return r;
		if (r == 0)
			turn_known(&m.stun, type);
	}
	if (r < 0)
		return r;
	*out = m;
	return 0;
}

int
turn_lt_key(uint16_t alg, const char *user, const char *realm,
    size_t realm_len, const char *pass, uint8_t key[TURN_KEY_MAX])
{
	const EVP_MD *md;
	EVP_MD_CTX *ctx;
	unsigned int klen = 0;
	int ok;

	if (alg == TURN_PW_MD5)
		md = EVP_md5();
	else if (alg == TURN_PW_SHA256)
		md = EVP_sha256();
	else
		return -EINVAL;
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return -ENOMEM;
	ok = EVP_DigestInit_ex(ctx, md, NULL) == 1 &&
	    EVP_DigestUpdate(ctx, user, strlen(user)) == 1 &&
	    EVP_DigestUpdate(ctx, ":", 1) == 1 &&
	    EVP_DigestUpdate(ctx, realm, realm_len) == 1 &&
	    EVP_DigestUpdate(ctx, ":", 1) == 1 &&
	    EVP_DigestUpdate(ctx, pass, strlen(pass)) == 1 &&
	    EVP_DigestFinal_ex(ctx, key, &klen) == 1;
	EVP_MD_CTX_free(ctx);
	return ok && klen <= TURN_KEY_MAX ? (int)klen : -EIO;
}

int
turn_rest_cred(const char *secret, size_t secret_len, long long expiry,
    const char *user, char *uname, size_t ulen, char *pass, size_t plen)
{
	uint8_t mac[20];
	unsigned int mlen = 0;
	int n;

	if (user[0] != '\0')
		n = snprintf(uname, ulen, "%lld:%s", expiry, user);
	else
		n = snprintf(uname, ulen, "%lld", expiry);
	if (n < 0 || (size_t)n >= ulen)
		return -ENOSPC;
	if (plen < 4 * ((sizeof(mac) + 2) / 3) + 1)
		return -ENOSPC;
	if (HMAC(EVP_sha1(), secret, (int)secret_len, (const uint8_t *)uname,
	    (size_t)n, mac, &mlen) == NULL || mlen != sizeof(mac))
		return -EIO;
	EVP_EncodeBlock((unsigned char *)pass, mac, (int)mlen);
	return 0;
}

int
turn_chan_encode(struct dbuf *b, uint16_t chan, const void *data, size_t len,
    int pad)
{
	static const uint8_t zero[4];
	int r;

	if (chan < TURN_CHAN_MIN || chan > TURN_CHAN_MAX || len > 0xffff)
		return -EINVAL;
	if ((r = dbuf_u16(b, chan)) < 0 || (r = dbuf_u16(b, (uint16_t)len)) < 0 ||
	    (r = dbuf_add(b, data, len)) < 0)
		return r;
	return pad ? dbuf_add(b, zero, (4 - len % 4) % 4) : 0;
}

int
turn_chan_decode(const uint8_t *buf, size_t len, uint16_t *chan,
    const uint8_t **data, size_t *dlen)
{
	struct cursor c;
	uint16_t ch, n;

	cur_init(&c, buf, len);
	if (cur_u16(&c, &ch) < 0 || cur_u16(&c, &n) < 0 ||
	    ch < TURN_CHAN_MIN || ch > TURN_CHAN_MAX ||
	    cur_ref(&c, data, n) < 0)
		return -EBADMSG;
	*chan = ch;
	*dlen = n;
	return 0;
}

long
turn_frame_len(const uint8_t *buf, size_t len, size_t max)
{
	size_t n;

	if (len < 1)
		return 0;
	if ((buf[0] & 0xc0) == 0x40) {		/* ChannelData */
		if (len < TURN_CHAN_HDR)
			return 0;
		n = (size_t)(buf[2] << 8 | buf[3]);
		n = TURN_CHAN_HDR + ((n + 3) & ~(size_t)3);
	} else if ((buf[0] & 0xc0) == 0) {	/* STUN */
		if (len < 4)
			return 0;
		n = STUN_HDR_LEN + (size_t)(buf[2] << 8 | buf[3]);
	} else {
		return -EBADMSG;
	}
	if (n > max)
		return -EBADMSG;
	return len < n ? 0 : (long)n;
}

int
turn_enc_send(const struct sockaddr *peer,
    const void *data, size_t len, struct dbuf *out)
{
	uint8_t tid[STUN_TID_LEN];
	int r;

	dbuf_reset(out);
	if ((r = stun_tid_random(tid)) < 0 ||
	    (r = stun_enc_begin(out, stun_type(TURN_SEND,
	    STUN_CLASS_INDICATION), tid)) < 0 ||
	    (r = stun_enc_addr_x(out, TURN_A_XOR_PEER_ADDRESS, peer, tid,
	    1)) < 0 ||
	    (r = stun_enc_bytes(out, TURN_A_DATA, data, len)) < 0)
		return r;
	return stun_enc_finish(out, NULL, 0, 0);
}

int
turn_uri_parse(const char *s, struct turn_uri *u, const char **why)
{
	const char *h, *end, *q;
	size_t hl;

	memset(u, 0, sizeof(*u));
	if (strncmp(s, "turns:", 6) == 0) {
		u->tr = TURN_URI_TLS;
		u->port = 5349;
		h = s + 6;
	} else if (strncmp(s, "turn:", 5) == 0) {
		u->tr = TURN_URI_UDP;
		u->port = 3478;
		h = s + 5;
	} else {
		*why = "want turn:HOST[:PORT][?transport=udp|tcp] or "
		    "turns:HOST[:PORT]";
		return -EINVAL;
	}
	if ((q = strchr(h, '?')) == NULL)
		q = h + strlen(h);
	if (*h == '[') {
		if ((end = memchr(h, ']', (size_t)(q - h))) == NULL) {
			*why = "an IPv6 address without its ']'";
			return -EINVAL;
		}
		hl = (size_t)(end - h - 1);
		h++;
		end++;
		if (end != q && *end != ':') {
			*why = "junk after the host";
			return -EINVAL;
		}
	} else {
		if ((end = memchr(h, ':', (size_t)(q - h))) == NULL)
			end = q;
		hl = (size_t)(end - h);
	}
	if (hl == 0 || hl > TURN_URI_HOST_MAX || memchr(h, '/', hl) != NULL ||
	    memchr(h, '@', hl) != NULL) {
		*why = "no host, or not a host name or address";
		return -EINVAL;
	}
	memcpy(u->host, h, hl);
	if (end < q && *end == ':') {
		char port[8];
		size_t pl = (size_t)(q - end - 1);

		if (pl == 0 || pl >= sizeof(port)) {
			*why = "the port is not 1-65535";
			return -EINVAL;
		}
		memcpy(port, end + 1, pl);
		port[pl] = '\0';
		if (parse_port(port, &u->port) < 0) {
			*why = "the port is not 1-65535";
			return -EINVAL;
		}
	}
	if (*q == '\0')
		return 0;
	if (strcmp(q, "?transport=tcp") == 0) {
		if (u->tr == TURN_URI_UDP)
			u->tr = TURN_URI_TCP;
		return 0;
	}
	if (strcmp(q, "?transport=udp") == 0 && u->tr == TURN_URI_UDP)
		return 0;
	*why = u->tr == TURN_URI_TLS ? "turns: is TLS over TCP: "
	    "?transport=tcp or nothing" : "want ?transport=udp or "
	    "?transport=tcp";
	return -EINVAL;
}
