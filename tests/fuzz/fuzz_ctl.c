/*
 * fuzz_ctl.c - the control protocol decoder on arbitrary bytes.
 *
 * The input is read as a control stream: an optional preamble, then frames
 * split with ctl_frame_peek().  Every frame is decoded and every getter is
 * run on every attribute type, and a decoded message is encoded again and
 * must decode to the same attributes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_getters(const struct ctl_msg *m)
{
	uint16_t ranges[8][2], u16, port;
	uint8_t u8, fixed[CTL_TOKEN_LEN];
	char str[64];
	const uint8_t *p;
	struct net_ip ip;
	uint32_t u32;
	size_t i, n;
	int t;

	for (t = 0; t <= CTL_A_SERVER_ADDRS + 1; t++) {
		(void)ctl_get_u8(m, (uint16_t)t, &u8);
		(void)ctl_get_u16(m, (uint16_t)t, &u16);
		(void)ctl_get_u32(m, (uint16_t)t, &u32);
		if (ctl_get_bytes(m, (uint16_t)t, &p, &n) == 0 && n > 0 &&
		    (p[0] == 0xff || p[n - 1] == 0xff))
			u8 = 0;		/* touch both ends for ASan */
		(void)ctl_get_fixed(m, (uint16_t)t, fixed, CTL_TOKEN_LEN);
		(void)ctl_get_fixed(m, (uint16_t)t, fixed, CTL_NONCE_LEN);
		(void)ctl_get_str(m, (uint16_t)t, str, sizeof(str));
		(void)ctl_get_addr(m, (uint16_t)t, &ip, &port);
		(void)ctl_get_ranges(m, (uint16_t)t, ranges, 8, &n);
	}
	for (i = 0; i < m->nattr; i++) {
		(void)ctl_attr_addr(&m->attr[i], &ip, &port);
		if (ctl_attr_ranges(&m->attr[i], ranges, 8, &n) == 0 && n > 8)
			abort();
	}
	(void)ctl_type_name(m->type);
}

/* Encodes 'm' again and checks that it decodes to the same thing. */
static void
fuzz_reencode(const struct ctl_msg *m)
{
	struct ctl_msg m2;
	struct dbuf b;
	size_t i, start, flen;

	dbuf_init(&b, CTL_HDR_LEN + CTL_MAX_BODY);
	if (ctl_enc_begin(&b, m->type, &start) < 0)
		abort();
	for (i = 0; i < m->nattr; i++)
		if (ctl_put_bytes(&b, m->attr[i].type, m->attr[i].val,
		    m->attr[i].len) < 0)
			abort();
	if (ctl_enc_end(&b, start) < 0 ||
	    ctl_frame_peek(b.b, b.len, &flen) < 0 || flen != b.len ||
	    ctl_msg_decode(b.b, b.len, &m2) < 0)
		abort();
	if (m2.type != m->type || m2.nattr != m->nattr)
		abort();
	for (i = 0; i < m->nattr; i++)
		if (m2.attr[i].type != m->attr[i].type ||
		    m2.attr[i].len != m->attr[i].len ||
		    (m->attr[i].len > 0 && memcmp(m2.attr[i].val,
		    m->attr[i].val, m->attr[i].len) != 0))
			abort();
	dbuf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctl_msg m;
	size_t off = 0, flen;
	int r;

	(void)ctl_looks_like(data, size);
	if (ctl_sweep_port(data, size, "0123456789abcdef") > 65535)
		abort();
	r = ctl_preamble_check(data, size);
	if (r > 0)
		off = CTL_PREAMBLE_LEN;
	while (off < size) {
		r = ctl_frame_peek(data + off, size - off, &flen);
		if (r < 0) {
			if (r != -EAGAIN && r != -EMSGSIZE)
				abort();
			/* The decoder must refuse what peek did not pass. */
			if (ctl_msg_decode(data + off, size - off, &m) == 0)
				abort();
			break;
		}
		if (flen < CTL_HDR_LEN || flen > size - off)
			abort();
		if (ctl_msg_decode(data + off, flen, &m) == 0) {
			if (m.nattr > CTL_MAX_ATTRS)
				abort();
			fuzz_getters(&m);
			fuzz_reencode(&m);
		}
		off += flen;
	}
	return 0;
}
