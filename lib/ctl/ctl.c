/* ctl.c - the pinhole control protocol codec (see docs/protocol.md). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "parse.h"

#define CTL_ATTR_HDR_LEN	4
#define CTL_ADDR4_LEN		7	/* family, port, 4 address bytes */
#define CTL_ADDR6_LEN		19	/* family, port, 16 address bytes */

void
ctl_preamble(uint8_t out[CTL_PREAMBLE_LEN])
{
	memcpy(out, CTL_MAGIC, CTL_MAGIC_LEN);
	out[CTL_MAGIC_LEN] = CTL_VERSION;
}

int
ctl_preamble_check(const uint8_t *buf, size_t len)
{
	struct cursor c;
	const uint8_t *magic;
	uint8_t version;
	size_t n;

	cur_init(&c, buf, len);
	/* A wrong byte is final even before all 8 bytes are in. */
	n = cur_left(&c) < CTL_MAGIC_LEN ? cur_left(&c) : CTL_MAGIC_LEN;
	if (cur_ref(&c, &magic, n) < 0 || memcmp(magic, CTL_MAGIC, n) != 0)
		return -EPROTO;
	if (n < CTL_MAGIC_LEN || cur_u8(&c, &version) < 0)
		return -EAGAIN;
	if (version == 0)
		return -EPROTO;
	return version;
}

int
ctl_looks_like(const uint8_t *buf, size_t len)
{
	if (buf == NULL || len == 0)
		return 0;
	if (len > CTL_MAGIC_LEN)
		len = CTL_MAGIC_LEN;
	return memcmp(buf, CTL_MAGIC, len) == 0;
}

int
ctl_frame_peek(const uint8_t *buf, size_t len, size_t *framelen)
{
	struct cursor c;
	uint16_t type, blen;

	cur_init(&c, buf, len);
	if (cur_u16(&c, &type) < 0 || cur_u16(&c, &blen) < 0)
		return -EAGAIN;
	if (blen > CTL_MAX_BODY)
		return -EMSGSIZE;
	if (cur_left(&c) < blen)
		return -EAGAIN;
	*framelen = CTL_HDR_LEN + (size_t)blen;
	return 0;
}

int
ctl_msg_decode(const uint8_t *buf, size_t len, struct ctl_msg *msg)
{
	struct cursor c;
	struct ctl_attr *a;
	uint16_t type, blen;
	int r = -EBADMSG;

	msg->type = 0;
	msg->nattr = 0;
	cur_init(&c, buf, len);
	if (cur_u16(&c, &type) < 0 || cur_u16(&c, &blen) < 0)
		goto fail;
	/* Kept on failure too, so that the caller can name what it dropped. */
	msg->type = type;
	if (blen > CTL_MAX_BODY || cur_left(&c) != blen)
		goto fail;
	while (cur_left(&c) > 0) {
		if (msg->nattr == CTL_MAX_ATTRS)
			goto fail;
		a = &msg->attr[msg->nattr];
		if (cur_u16(&c, &a->type) < 0 || cur_u16(&c, &a->len) < 0 ||
		    cur_ref(&c, &a->val, a->len) < 0)
			goto fail;
		msg->nattr++;
	}
	return 0;
fail:
	msg->nattr = 0;
	return r;
}

const struct ctl_attr *
ctl_msg_get(const struct ctl_msg *msg, uint16_t type)
{
	size_t i;

	for (i = 0; i < msg->nattr && i < CTL_MAX_ATTRS; i++)
		if (msg->attr[i].type == type)
			return &msg->attr[i];
	return NULL;
}

/* The value of the first 'type' attribute, which must be 'n' bytes long. */
static int
ctl_get_exact(const struct ctl_msg *msg, uint16_t type, size_t n,
    struct cursor *c)
{
	const struct ctl_attr *a;

	if ((a = ctl_msg_get(msg, type)) == NULL)
		return -ENOENT;
	if (a->len != n)
		return -EBADMSG;
	cur_init(c, a->val, a->len);
	return 0;
}

int
ctl_get_u8(const struct ctl_msg *msg, uint16_t type, uint8_t *v)
{
	struct cursor c;
	int r;

	if ((r = ctl_get_exact(msg, type, 1, &c)) < 0)
		return r;
	return cur_u8(&c, v);
}

int
ctl_get_u16(const struct ctl_msg *msg, uint16_t type, uint16_t *v)
{
	struct cursor c;
	int r;

	if ((r = ctl_get_exact(msg, type, 2, &c)) < 0)
		return r;
	return cur_u16(&c, v);
}

int
ctl_get_u32(const struct ctl_msg *msg, uint16_t type, uint32_t *v)
{
	struct cursor c;
	int r;

	if ((r = ctl_get_exact(msg, type, 4, &c)) < 0)
		return r;
	return cur_u32(&c, v);
}

int
ctl_get_bytes(const struct ctl_msg *msg, uint16_t type,
    const uint8_t **p, size_t *n)
{
	const struct ctl_attr *a;

	if ((a = ctl_msg_get(msg, type)) == NULL)
		return -ENOENT;
	*p = a->val;
	*n = a->len;
	return 0;
}

int
ctl_get_fixed(const struct ctl_msg *msg, uint16_t type, void *out, size_t n)
{
	struct cursor c;
	int r;

	if ((r = ctl_get_exact(msg, type, n, &c)) < 0)
		return r;
	return cur_copy(&c, out, n);
}

int
ctl_get_str(const struct ctl_msg *msg, uint16_t type, char *out, size_t n)
{
	const struct ctl_attr *a;
	struct cursor c;
	int r;

	if ((a = ctl_msg_get(msg, type)) == NULL)
		return -ENOENT;
	/* A NUL inside the text would silently cut it short. */
	if (a->len > 0 && memchr(a->val, '\0', a->len) != NULL)
		return -EBADMSG;
	if (n == 0 || a->len > n - 1)
		return -EMSGSIZE;
	cur_init(&c, a->val, a->len);
	if ((r = cur_copy(&c, out, a->len)) < 0)
		return r;
	out[a->len] = '\0';
	return 0;
}

int
ctl_attr_addr(const struct ctl_attr *a, struct net_ip *ip, uint16_t *port)
{
	struct cursor c;
	struct net_ip t;
	uint8_t fam;
	uint16_t p;
	size_t alen;

	if (a == NULL)
		return -ENOENT;
	memset(&t, 0, sizeof(t));
	cur_init(&c, a->val, a->len);
	if (cur_u8(&c, &fam) < 0 || cur_u16(&c, &p) < 0)
		return -EBADMSG;
	if (fam == 4 && a->len == CTL_ADDR4_LEN) {
		t.family = AF_INET;
		alen = 4;
	} else if (fam == 6 && a->len == CTL_ADDR6_LEN) {
		t.family = AF_INET6;
		alen = 16;
	} else
		return -EBADMSG;
	if (cur_copy(&c, t.a, alen) < 0 || cur_left(&c) != 0)
		return -EBADMSG;
	*ip = t;
	*port = p;
	return 0;
}

int
ctl_get_addr(const struct ctl_msg *msg, uint16_t type,
    struct net_ip *ip, uint16_t *port)
{
	return ctl_attr_addr(ctl_msg_get(msg, type), ip, port);
}

int
ctl_attr_ranges(const struct ctl_attr *a, uint16_t (*ranges)[2],
    size_t max, size_t *n)
{
	struct cursor c;
	uint16_t lo, hi;
	size_t i = 0;

	if (a == NULL)
		return -ENOENT;
	if (a->len % 4 != 0)
		return -EBADMSG;
	cur_init(&c, a->val, a->len);
	/* Every range is checked, even those past 'max' that are dropped. */
	while (cur_left(&c) > 0) {
		if (cur_u16(&c, &lo) < 0 || cur_u16(&c, &hi) < 0)
			return -EBADMSG;
		if (lo == 0 || lo > hi)
			return -EBADMSG;
		if (i < max) {
			ranges[i][0] = lo;
			ranges[i][1] = hi;
			i++;
		}
	}
	*n = i;
	return 0;
}

int
ctl_get_ranges(const struct ctl_msg *msg, uint16_t type,
    uint16_t (*ranges)[2], size_t max, size_t *n)
{
	return ctl_attr_ranges(ctl_msg_get(msg, type), ranges, max, n);
}

int
ctl_enc_begin(struct dbuf *b, uint16_t type, size_t *start)
{
	uint8_t hdr[CTL_HDR_LEN] = { (uint8_t)(type >> 8), (uint8_t)type,
	    0, 0 };
	size_t off = b->len;
	int r;

	if ((r = dbuf_add(b, hdr, sizeof(hdr))) < 0)
		return r;
	*start = off;
	return 0;
}

int
ctl_enc_end(struct dbuf *b, size_t start)
{
	size_t body;

	if (start > b->len || b->len - start < CTL_HDR_LEN)
		return -EINVAL;
	body = b->len - start - CTL_HDR_LEN;
	if (body > CTL_MAX_BODY) {
		/* Drop the frame so that no half-built one is ever sent. */
		b->len = start;
		return -EMSGSIZE;
	}
	return dbuf_put_u16_at(b, start + 2, (uint16_t)body);
}

/* Appends one attribute whole, or nothing. */
static int
ctl_put_attr(struct dbuf *b, uint16_t type, const void *val, size_t n)
{
	uint8_t hdr[CTL_ATTR_HDR_LEN];
	size_t off = b->len;
	int r;

	if (n > UINT16_MAX || n > CTL_MAX_BODY)
		return -EMSGSIZE;
	hdr[0] = (uint8_t)(type >> 8);
	hdr[1] = (uint8_t)type;
	hdr[2] = (uint8_t)(n >> 8);
	hdr[3] = (uint8_t)n;
	if ((r = dbuf_add(b, hdr, sizeof(hdr))) < 0)
		return r;
	if ((r = dbuf_add(b, val, n)) < 0) {
		b->len = off;
		return r;
	}
	return 0;
}

int
ctl_put_u8(struct dbuf *b, uint16_t type, uint8_t v)
{
	return ctl_put_attr(b, type, &v, 1);
}

int
ctl_put_u16(struct dbuf *b, uint16_t type, uint16_t v)
{
	uint8_t p[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	return ctl_put_attr(b, type, p, sizeof(p));
}

int
ctl_put_u32(struct dbuf *b, uint16_t type, uint32_t v)
{
	uint8_t p[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 8), (uint8_t)v };

	return ctl_put_attr(b, type, p, sizeof(p));
}

int
ctl_put_bytes(struct dbuf *b, uint16_t type, const void *p, size_t n)
{
	if (p == NULL && n > 0)
		return -EINVAL;
	return ctl_put_attr(b, type, p, n);
}

int
ctl_put_str(struct dbuf *b, uint16_t type, const char *s)
{
	if (s == NULL)
		return -EINVAL;
	return ctl_put_attr(b, type, s, strlen(s));
}

int
ctl_enc_error(struct dbuf *b, uint16_t code, uint32_t req_id,
    const char *reason)
{
	size_t start;
	int r;

	if ((r = ctl_enc_begin(b, CTL_ERROR, &start)) == 0 &&
	    (r = ctl_put_u16(b, CTL_A_CODE, code)) == 0 &&
	    (req_id == 0 || (r = ctl_put_u32(b, CTL_A_REQ_ID, req_id)) == 0) &&
	    (r = ctl_put_str(b, CTL_A_REASON, reason)) == 0)
		r = ctl_enc_end(b, start);
	return r;
}

int
ctl_put_addr(struct dbuf *b, uint16_t type, const struct net_ip *ip,
    uint16_t port)
{
	uint8_t v[CTL_ADDR6_LEN];
	size_t alen;

	if (ip->family == AF_INET) {
		v[0] = 4;
		alen = 4;
	} else if (ip->family == AF_INET6) {
		v[0] = 6;
		alen = 16;
	} else
		return -EAFNOSUPPORT;
	v[1] = (uint8_t)(port >> 8);
	v[2] = (uint8_t)port;
	memcpy(v + 3, ip->a, alen);
	return ctl_put_attr(b, type, v, 3 + alen);
}

int
ctl_put_ranges(struct dbuf *b, uint16_t type, const uint16_t (*ranges)[2],
    size_t n)
{
	size_t i, off = b->len;
	uint16_t lo, hi;
	int r;

	if (n > UINT16_MAX / 4)
		return -EMSGSIZE;
	for (i = 0; i < n; i++)
		if (ranges[i][0] == 0 || ranges[i][0] > ranges[i][1])
			return -EINVAL;
	if ((r = ctl_put_attr(b, type, NULL, 0)) < 0)
		return r;
	for (i = 0; i < n; i++) {
		lo = ranges[i][0];
		hi = ranges[i][1];
		if ((r = dbuf_u16(b, lo)) < 0 || (r = dbuf_u16(b, hi)) < 0) {
			b->len = off;
			return r;
		}
	}
	return dbuf_put_u16_at(b, off + 2, (uint16_t)(n * 4));
}

const char *
ctl_type_name(uint16_t type)
{
	switch (type) {
	case CTL_HELLO:
		return "HELLO";
	case CTL_WELCOME:
		return "WELCOME";
	case CTL_ERROR:
		return "ERROR";
	case CTL_BYE:
		return "BYE";
	case CTL_PING:
		return "PING";
	case CTL_PONG:
		return "PONG";
	case CTL_WATCH:
		return "WATCH";
	case CTL_SEEN:
		return "SEEN";
	case CTL_SEND:
		return "SEND";
	case CTL_SENT:
		return "SENT";
	case CTL_SWEEP:
		return "SWEEP";
	case CTL_CONNECT:
		return "CONNECT";
	case CTL_MEDIA:
		return "MEDIA";
	case CTL_MEDIA_STATS:
		return "MEDIA_STATS";
	case CTL_WEBRTC_OFFER:
		return "WEBRTC_OFFER";
	case CTL_WEBRTC_ANSWER:
		return "WEBRTC_ANSWER";
	case CTL_WEBRTC_STATS:
		return "WEBRTC_STATS";
	case CTL_RELAY:
		return "RELAY";
	case CTL_RELAY_CREDS:
		return "RELAY_CREDS";
	default:
		return "?";
	}
}

void
ctl_nonce_hex(const uint8_t nonce[CTL_NONCE_LEN],
    char out[CTL_NONCE_HEX_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < CTL_NONCE_LEN; i++) {
		out[2 * i] = hex[nonce[i] >> 4];
		out[2 * i + 1] = hex[nonce[i] & 15];
	}
	out[CTL_NONCE_HEX_LEN] = '\0';
}

#define CTL_SWEEP_TAG "PINHOLE-SWEEP "

int
ctl_sweep_payload(char *buf, size_t len, const char *nonce_hex, uint16_t port)
{
	int n = snprintf(buf, len, CTL_SWEEP_TAG "%s %u\n", nonce_hex, port);

	return n < 0 || (size_t)n >= len ? -ENOSPC : n;
}

uint16_t
ctl_sweep_port(const uint8_t *p, size_t n, const char *nonce_hex)
{
	size_t tl = sizeof(CTL_SWEEP_TAG) - 1, hl = strlen(nonce_hex);
	const uint8_t *d, *nl;
	uint64_t port;

	if (n < tl + hl + 2 || memcmp(p, CTL_SWEEP_TAG, tl) != 0 ||
	    memcmp(p + tl, nonce_hex, hl) != 0 || p[tl + hl] != ' ')
		return 0;
	/* The port, to the end or to a newline. */
	d = p + tl + hl + 1;
	nl = memchr(d, '\n', n - (tl + hl + 1));
	if (parse_digits(d, nl != NULL ? (size_t)(nl - d) : n - (tl + hl + 1),
	    65535, &port) < 0)
		return 0;
	return (uint16_t)port;
}
