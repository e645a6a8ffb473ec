/* rawudp.c - IPv4 and UDP headers of a datagram read from a raw socket. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "buf.h"
#include "rawudp.h"

#define RAWUDP_IP_MIN	20
#define RAWUDP_UDP_LEN	8
#define RAWUDP_PROTO	17
#define RAWUDP_OFFMASK	0x1fff

int
rawudp_decode(const uint8_t *buf, size_t len, struct rawudp *d)
{
	struct cursor c;
	uint8_t vihl, proto;
	uint16_t total, frag, ulen, csum;
	size_t hl, left;

	memset(d, 0, sizeof(*d));
	cur_init(&c, buf, len);
	if (cur_u8(&c, &vihl) < 0 || (vihl >> 4) != 4)
		return -EBADMSG;
	hl = (size_t)(vihl & 15) * 4;
	if (hl < RAWUDP_IP_MIN ||
	    cur_u8(&c, &d->tos) < 0 || cur_u16(&c, &total) < 0 ||
	    cur_skip(&c, 2) < 0 || cur_u16(&c, &frag) < 0 ||
	    cur_u8(&c, &d->ttl) < 0 || cur_u8(&c, &proto) < 0 ||
	    cur_skip(&c, 2) < 0)
		return -EBADMSG;
	d->src.family = d->dst.family = AF_INET;
	if (cur_copy(&c, d->src.a, 4) < 0 || cur_copy(&c, d->dst.a, 4) < 0 ||
	    cur_skip(&c, hl - RAWUDP_IP_MIN) < 0)
		return -EBADMSG;
	if (proto != RAWUDP_PROTO || (frag & RAWUDP_OFFMASK) != 0 ||
	    total < hl + RAWUDP_UDP_LEN)
		return -EBADMSG;
	if (cur_u16(&c, &d->sport) < 0 || cur_u16(&c, &d->dport) < 0 ||
	    cur_u16(&c, &ulen) < 0 || cur_u16(&c, &csum) < 0 ||
	    ulen < RAWUDP_UDP_LEN)
		return -EBADMSG;
	/* What the headers announce, cut to what was read. */
	left = cur_left(&c);
	d->len = (size_t)ulen - RAWUDP_UDP_LEN;
	if ((size_t)total - hl - RAWUDP_UDP_LEN < d->len)
		d->len = (size_t)total - hl - RAWUDP_UDP_LEN;
	if (left < d->len)
		d->len = left;
	return cur_ref(&c, &d->payload, d->len);
}
