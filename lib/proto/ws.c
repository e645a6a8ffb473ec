/* ws.c - RFC 6455 frames and the handshake's accept key (ws.h). */
#include <errno.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "ws.h"

int
ws_accept_key(const uint8_t *key, size_t n, char out[WS_ACCEPT_LEN + 1])
{
	uint8_t raw[18], cat[WS_KEY_LEN + sizeof(WS_GUID) - 1];
	uint8_t md[SHA_DIGEST_LENGTH];

	/* 16 bytes in base64: 22 letters and "==". */
	if (n != WS_KEY_LEN || key[22] != '=' || key[23] != '=' ||
	    EVP_DecodeBlock(raw, key, (int)n) != 18)
		return -EINVAL;
	memcpy(cat, key, n);
	memcpy(cat + n, WS_GUID, sizeof(WS_GUID) - 1);
	SHA1(cat, sizeof(cat), md);
	if (EVP_EncodeBlock((unsigned char *)out, md, sizeof(md)) !=
	    WS_ACCEPT_LEN)
		return -EINVAL;
	out[WS_ACCEPT_LEN] = '\0';
	return 0;
}

int
ws_frame_decode(const uint8_t *p, size_t n, size_t max_payload,
    struct ws_frame *f)
{
	struct cursor c;
	struct ws_frame w;
	uint8_t b0, b1;
	uint16_t l16;
	uint64_t len;

	memset(&w, 0, sizeof(w));
	cur_init(&c, p, n);
	if (cur_u8(&c, &b0) < 0 || cur_u8(&c, &b1) < 0)
		return -EAGAIN;
	if (b0 & 0x70)			/* RSV1-3: no extension */
		return -EPROTO;
	w.fin = (b0 & 0x80) != 0;
	w.opcode = (enum ws_opcode)(b0 & 0x0f);
	switch (w.opcode) {
	case WS_CONT:
	case WS_TEXT:
	case WS_BINARY:
		break;
	case WS_CLOSE:
	case WS_PING:
	case WS_PONG:
		if (!w.fin || (b1 & 0x7f) > WS_CONTROL_MAX)
			return -EPROTO;
		break;
	default:
		return -EPROTO;
	}
	w.masked = (b1 & 0x80) != 0;
	if (!w.masked)			/* a client masks every frame */
		return -EPROTO;
	len = b1 & 0x7f;
	if (len == 126) {
		if (cur_u16(&c, &l16) < 0)
			return -EAGAIN;
		if (l16 < 126)
			return -EPROTO;
		len = l16;
	} else if (len == 127) {
		if (cur_u64(&c, &len) < 0)
			return -EAGAIN;
		if (len >> 63 || len <= 0xffff)
			return -EPROTO;
	}
	if (len > max_payload)
		return -EMSGSIZE;
	if (cur_copy(&c, w.mask, 4) < 0)
		return -EAGAIN;
	w.payload_len = len;
	w.head_len = c.pos;
	if (cur_ref(&c, &w.payload, (size_t)len) < 0)
		return -EAGAIN;
	w.frame_len = c.pos;
	*f = w;
	return 0;
}

void
ws_frame_unmask(const struct ws_frame *f, uint8_t *dst)
{
	size_t i;

	for (i = 0; i < f->payload_len; i++)
		dst[i] = f->payload[i] ^ f->mask[i & 3];
}

int
ws_frame_encode(struct dbuf *b, enum ws_opcode opcode, const void *p,
    size_t n)
{
	uint8_t h[10];
	size_t hl = 2, start = b->len;
	int r;

	if (opcode >= WS_CLOSE && n > WS_CONTROL_MAX)
		return -EINVAL;
	h[0] = 0x80 | (uint8_t)opcode;
	if (n < 126)
		h[1] = (uint8_t)n;
	else if (n <= 0xffff) {
		h[1] = 126;
		h[2] = (uint8_t)(n >> 8);
		h[3] = (uint8_t)n;
		hl = 4;
	} else {
		h[1] = 127;
		for (hl = 2; hl < 10; hl++)
			h[hl] = (uint8_t)((uint64_t)n >> (8 * (9 - hl)));
	}
	if ((r = dbuf_add(b, h, hl)) < 0)
		return r;
	if (n > 0 && (r = dbuf_add(b, p, n)) < 0) {
		b->len = start;
		return r;
	}
	return 0;
}

int
ws_close_encode(struct dbuf *b, uint16_t code, const char *reason)
{
	uint8_t p[WS_CONTROL_MAX];
	size_t n = strlen(reason);

	if (n > WS_CONTROL_MAX - 2)
		n = WS_CONTROL_MAX - 2;
	/* Cut on a character boundary: the reason stays UTF-8. */
	while (n > 0 && !ws_utf8_valid((const uint8_t *)reason, n))
		n--;
	p[0] = (uint8_t)(code >> 8);
	p[1] = (uint8_t)code;
	memcpy(p + 2, reason, n);
	return ws_frame_encode(b, WS_CLOSE, p, n + 2);
}

int
ws_close_parse(const uint8_t *p, size_t n, uint16_t *code)
{
	uint16_t c;

	if (n == 0) {
		*code = 1005;
		return 0;
	}
	if (n == 1)
		return -EPROTO;
	c = (uint16_t)(p[0] << 8 | p[1]);
	/* 7.4.1/7.4.2: 1004-1006 and 1015 are never sent; 1016-2999 are
	 * reserved for RFCs not yet written; below 1000 is unused. */
	if (c < 1000 || c == 1004 || c == 1005 || c == 1006 ||
	    (c >= 1015 && c < 3000) || c >= 5000)
		return -EPROTO;
	if (!ws_utf8_valid(p + 2, n - 2))
		return -EPROTO;
	*code = c;
	return 0;
}

int
ws_utf8_valid(const uint8_t *p, size_t n)
{
	size_t i = 0, k, more;
	uint32_t cp, min;

	while (i < n) {
		uint8_t b = p[i];

		if (b < 0x80) {
			i++;
			continue;
		}
		if ((b & 0xe0) == 0xc0) {
			more = 1;
			cp = b & 0x1f;
			min = 0x80;
		} else if ((b & 0xf0) == 0xe0) {
			more = 2;
			cp = b & 0x0f;
			min = 0x800;
		} else if ((b & 0xf8) == 0xf0) {
			more = 3;
			cp = b & 0x07;
			min = 0x10000;
		} else
			return 0;
		if (n - i <= more)
			return 0;
		for (k = 1; k <= more; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += more + 1;
	}
	return 1;
}
