/* stun.c - STUN message codec (RFC 5389) with the RFC 5780 attributes. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "stun.h"

#define STUN_FP_XOR 0x5354554eu

static uint32_t
stun_crc32(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xffffffffu;
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		crc ^= p[i];
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}

int
stun_is_stun(const uint8_t *buf, size_t len)
{
	uint16_t blen;

	if (len < STUN_HDR_LEN || (buf[0] & 0xc0) != 0)
		return 0;
	blen = (uint16_t)(buf[2] << 8 | buf[3]);
	if ((blen & 3) != 0 || (size_t)blen + STUN_HDR_LEN != len)
		return 0;
	return buf[4] == 0x21 && buf[5] == 0x12 && buf[6] == 0xA4 &&
	    buf[7] == 0x42;
}

int
stun_addr_decode(const uint8_t *v, size_t n, int xor, const uint8_t *tid,
    struct sockaddr_storage *ss)
{
	static const uint8_t magic[4] = { 0x21, 0x12, 0xA4, 0x42 };
	struct cursor c;
	uint8_t zero, fam, a[16];
	uint16_t port;
	size_t i;

	cur_init(&c, v, n);
	if (cur_u8(&c, &zero) < 0 || cur_u8(&c, &fam) < 0 ||
	    cur_u16(&c, &port) < 0)
		return -EBADMSG;
	if (xor)
		port ^= (uint16_t)(STUN_MAGIC >> 16);
	memset(ss, 0, sizeof(*ss));
	if (fam == 0x01 && cur_left(&c) == 4) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		cur_copy(&c, a, 4);
		for (i = 0; xor && i < 4; i++)
			a[i] ^= magic[i];
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		memcpy(&s4->sin_addr, a, 4);
		return 0;
	}
	if (fam == 0x02 && cur_left(&c) == 16) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		cur_copy(&c, a, 16);
		for (i = 0; xor && i < 16; i++)
			a[i] ^= i < 4 ? magic[i] : tid[i - 4];
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		memcpy(&s6->sin6_addr, a, 16);
		return 0;
	}
	return -EBADMSG;
}

static int
stun_dec_attr(struct stun_msg *m, const uint8_t *buf, size_t off,
    uint16_t type, const uint8_t *v, uint16_t n)
{
	struct cursor c;
	uint32_t u32;
	uint16_t u16;
	uint8_t cls, num;

	switch (type) {
	case STUN_A_MAPPED_ADDRESS:
		m->present |= STUN_HAS_MAPPED;
		return stun_addr_decode(v, n, 0, m->tid, &m->mapped);
	case STUN_A_XOR_MAPPED_ADDRESS:
		m->present |= STUN_HAS_XOR_MAPPED;
		return stun_addr_decode(v, n, 1, m->tid, &m->xor_mapped);
	case STUN_A_RESPONSE_ORIGIN:
		m->present |= STUN_HAS_RESPONSE_ORIGIN;
		return stun_addr_decode(v, n, 0, m->tid, &m->response_origin);
	case STUN_A_OTHER_ADDRESS:
		m->present |= STUN_HAS_OTHER_ADDRESS;
		return stun_addr_decode(v, n, 0, m->tid, &m->other_address);
	case STUN_A_CHANGE_REQUEST:
		cur_init(&c, v, n);
		if (n != 4 || cur_u32(&c, &u32) < 0)
			return -EBADMSG;
		m->change_request = u32;
		m->present |= STUN_HAS_CHANGE_REQ;
		return 0;
	case STUN_A_RESPONSE_PORT:
		cur_init(&c, v, n);
		if (n != 4 || cur_u16(&c, &u16) < 0)
			return -EBADMSG;
		m->response_port = u16;
		m->present |= STUN_HAS_RESPONSE_PORT;
		return 0;
	case STUN_A_PRIORITY:
		cur_init(&c, v, n);
		if (n != 4 || cur_u32(&c, &m->priority) < 0)
			return -EBADMSG;
		m->present |= STUN_HAS_PRIORITY;
		return 0;
	case STUN_A_USE_CANDIDATE:
		if (n != 0)
			return -EBADMSG;
		m->present |= STUN_HAS_USE_CANDIDATE;
		return 0;
	case STUN_A_ICE_CONTROLLED:
	case STUN_A_ICE_CONTROLLING:
		cur_init(&c, v, n);
		if (n != 8 || cur_u64(&c, &m->tiebreaker) < 0 ||
		    (m->present & (STUN_HAS_ICE_CONTROLLED |
		    STUN_HAS_ICE_CONTROLLING)))
			return -EBADMSG;
		m->present |= type == STUN_A_ICE_CONTROLLED ?
		    STUN_HAS_ICE_CONTROLLED : STUN_HAS_ICE_CONTROLLING;
		return 0;
	case STUN_A_RESPONSE_ADDRESS:
		m->present |= STUN_HAS_RESPONSE_ADDRESS;
		return 0;
	case STUN_A_PADDING:
		m->padding_len = n;
		m->present |= STUN_HAS_PADDING;
		return 0;
	case STUN_A_USERNAME:
		m->username = v;
		m->username_len = n;
		m->present |= STUN_HAS_USERNAME;
		return 0;
	case STUN_A_SOFTWARE:
		m->software = (const char *)v;
		m->software_len = n;
		m->present |= STUN_HAS_SOFTWARE;
		return 0;
	case STUN_A_ERROR_CODE:
		cur_init(&c, v, n);
		if (cur_u16(&c, &u16) < 0 || cur_u8(&c, &cls) < 0 ||
		    cur_u8(&c, &num) < 0 || (cls & 7) < 3 || (cls & 7) > 6 ||
		    num > 99)
			return -EBADMSG;
		m->error_code = (uint16_t)((cls & 7) * 100 + num);
		m->error_reason = (const char *)v + 4;
		m->error_reason_len = n - 4u;
		m->present |= STUN_HAS_ERROR;
		return 0;
	case STUN_A_MESSAGE_INTEGRITY:
		if (n != 20)
			return -EBADMSG;
		m->integrity = v;
		m->integrity_off = off;
		m->present |= STUN_HAS_INTEGRITY;
		return 0;
	case STUN_A_FINGERPRINT:
		cur_init(&c, v, n);
		if (n != 4 || cur_u32(&c, &u32) < 0)
			return -EBADMSG;
		m->fingerprint_ok = (stun_crc32(buf, off) ^ STUN_FP_XOR) == u32;
		m->present |= STUN_HAS_FINGERPRINT;
		return 0;
	default:
		if (type < 0x8000 && m->nunknown < STUN_MAX_UNKNOWN)
			m->unknown[m->nunknown++] = type;
		return 0;
	}
}

void
stun_iter_init(struct stun_iter *it, const uint8_t *buf, size_t len)
{
	cur_init(&it->c, buf, len);
	(void)cur_skip(&it->c, STUN_HDR_LEN);
}

int
stun_iter_next(struct stun_iter *it, uint16_t *type, const uint8_t **v,
    uint16_t *n)
{
	struct cursor c = it->c;

	if (cur_left(&c) == 0)
		return 0;
	if (cur_u16(&c, type) < 0 || cur_u16(&c, n) < 0 ||
	    cur_ref(&c, v, *n) < 0 || cur_skip(&c, (4 - *n % 4) % 4) < 0)
		return -EBADMSG;
	it->c = c;
	return 1;
}

int
stun_msg_decode(const uint8_t *buf, size_t len, struct stun_msg *msg)
{
	struct stun_msg m;
	struct stun_iter it;
	struct cursor c;
	uint16_t type, n;
	uint32_t magic;
	const uint8_t *v;
	size_t off;
	int r;

	memset(&m, 0, sizeof(m));
	cur_init(&c, buf, len);
	if (cur_u16(&c, &m.type) < 0 || cur_u16(&c, &m.length) < 0 ||
	    cur_u32(&c, &magic) < 0 || cur_copy(&c, m.tid, STUN_TID_LEN) < 0)
		return -EBADMSG;
	if ((m.type & 0xc000) != 0 || magic != STUN_MAGIC ||
	    (m.length & 3) != 0 || (size_t)m.length != cur_left(&c))
		return -EBADMSG;
	it.c = c;
	for (;;) {
		off = it.c.pos;
		if ((r = stun_iter_next(&it, &type, &v, &n)) <= 0) {
			if (r < 0)
				return r;
			break;
		}
		if (m.present & STUN_HAS_FINGERPRINT)
			return -EBADMSG;	/* FINGERPRINT must be last */
		if ((m.present & STUN_HAS_INTEGRITY) &&
		    type != STUN_A_FINGERPRINT)
			return -EBADMSG;
		if ((r = stun_dec_attr(&m, buf, off, type, v, n)) < 0)
			return r;
	}
	*msg = m;
	return 0;
}

static int
stun_hmac(const uint8_t *buf, size_t off, const void *key, size_t keylen,
    uint8_t out[20])
{
	uint8_t tmp[STUN_MAX_MSG];
	unsigned int olen = 0;
	uint16_t l = (uint16_t)(off + 24 - STUN_HDR_LEN);

	if (off > sizeof(tmp))
		return -EMSGSIZE;
	memcpy(tmp, buf, off);
	tmp[2] = (uint8_t)(l >> 8);
	tmp[3] = (uint8_t)l;
	if (HMAC(EVP_sha1(), key, (int)keylen, tmp, off, out, &olen) == NULL ||
	    olen != 20)
		return -EIO;
	return 0;
}

int
stun_msg_check_integrity(const uint8_t *buf, size_t len,
    const struct stun_msg *msg, const void *key, size_t keylen)
{
	uint8_t mac[20];
	int r;

	if (!(msg->present & STUN_HAS_INTEGRITY) || msg->integrity_off > len)
		return -EBADMSG;
	if ((r = stun_hmac(buf, msg->integrity_off, key, keylen, mac)) < 0)
		return r;
	return CRYPTO_memcmp(mac, msg->integrity, 20) == 0 ? 0 : -EACCES;
}

int
stun_enc_begin(struct dbuf *b, uint16_t type, const uint8_t tid[STUN_TID_LEN])
{
	int r;

	if ((r = dbuf_u16(b, type)) < 0 || (r = dbuf_u16(b, 0)) < 0 ||
	    (r = dbuf_u32(b, STUN_MAGIC)) < 0)
		return r;
	return dbuf_add(b, tid, STUN_TID_LEN);
}

int
stun_enc_bytes(struct dbuf *b, uint16_t attr, const void *p, size_t n)
{
	static const uint8_t zero[4];
	int r;

	if (n > 0xffff)
		return -EMSGSIZE;
	if ((r = dbuf_u16(b, attr)) < 0 || (r = dbuf_u16(b, (uint16_t)n)) < 0 ||
	    (r = dbuf_add(b, p, n)) < 0)
		return r;
	return dbuf_add(b, zero, (4 - n % 4) % 4);
}

int
stun_enc_addr(struct dbuf *b, uint16_t attr, const struct sockaddr *sa,
    const uint8_t tid[STUN_TID_LEN])
{
	return stun_enc_addr_x(b, attr, sa, tid,
	    attr == STUN_A_XOR_MAPPED_ADDRESS);
}

int
stun_enc_addr_x(struct dbuf *b, uint16_t attr, const struct sockaddr *sa,
    const uint8_t tid[STUN_TID_LEN], int xor)
{
	static const uint8_t magic[4] = { 0x21, 0x12, 0xA4, 0x42 };
	uint8_t v[20];
	uint16_t port;
	size_t n, i;

	v[0] = 0;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;

		v[1] = 0x01;
		port = ntohs(s4->sin_port);
		memcpy(v + 4, &s4->sin_addr, 4);
		n = 8;
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;

		v[1] = 0x02;
		port = ntohs(s6->sin6_port);
		memcpy(v + 4, &s6->sin6_addr, 16);
		n = 20;
	} else {
		return -EAFNOSUPPORT;
	}
	if (xor) {
		port ^= (uint16_t)(STUN_MAGIC >> 16);
		for (i = 0; i < n - 4; i++)
			v[4 + i] ^= i < 4 ? magic[i] : tid[i - 4];
	}
	v[2] = (uint8_t)(port >> 8);
	v[3] = (uint8_t)port;
	return stun_enc_bytes(b, attr, v, n);
}

int
stun_enc_u32(struct dbuf *b, uint16_t attr, uint32_t v)
{
	uint8_t p[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 8), (uint8_t)v };

	return stun_enc_bytes(b, attr, p, 4);
}

int
stun_enc_response_port(struct dbuf *b, uint16_t port)
{
	return stun_enc_u32(b, STUN_A_RESPONSE_PORT, (uint32_t)port << 16);
}

int
stun_enc_error(struct dbuf *b, uint16_t code, const char *reason)
{
	uint8_t v[4 + 128];
	size_t n = strlen(reason);

	if (code < 300 || code > 699 || n > 128)
		return -EINVAL;
	v[0] = v[1] = 0;
	v[2] = (uint8_t)(code / 100);
	v[3] = (uint8_t)(code % 100);
	memcpy(v + 4, reason, n);
	return stun_enc_bytes(b, STUN_A_ERROR_CODE, v, 4 + n);
}

int
stun_enc_padding(struct dbuf *b, size_t n)
{
	static const uint8_t zero[STUN_MAX_MSG];

	n = (n + 3) & ~(size_t)3;
	if (n > sizeof(zero))
		return -EMSGSIZE;
	return stun_enc_bytes(b, STUN_A_PADDING, zero, n);
}

static void
stun_set_len(struct dbuf *b, size_t extra)
{
	uint16_t l = (uint16_t)(b->len + extra - STUN_HDR_LEN);

	(void)dbuf_put_u16_at(b, 2, l);
}

int
stun_enc_finish(struct dbuf *b, const void *key, size_t keylen, int fingerprint)
{
	uint8_t mac[20];
	uint32_t crc;
	int r;

	if (b->len < STUN_HDR_LEN)
		return -EINVAL;
	if (key != NULL) {
		if ((r = stun_hmac(b->b, b->len, key, keylen, mac)) < 0 ||
		    (r = stun_enc_bytes(b, STUN_A_MESSAGE_INTEGRITY, mac, 20)) < 0)
			return r;
	}
	if (fingerprint) {
		stun_set_len(b, 8);
		crc = stun_crc32(b->b, b->len) ^ STUN_FP_XOR;
		return stun_enc_u32(b, STUN_A_FINGERPRINT, crc);
	}
	stun_set_len(b, 0);
	return 0;
}

int
stun_tid_random(uint8_t tid[STUN_TID_LEN])
{
	return RAND_bytes(tid, STUN_TID_LEN) == 1 ? 0 : -EIO;
}
