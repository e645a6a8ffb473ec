/*
 * rawudp.h - an IPv4 UDP datagram as a raw socket receives it: the IP
 * header, the UDP header and the payload, read through the cursor.
 */
#ifndef PINHOLE_RAWUDP_H
#define PINHOLE_RAWUDP_H

#include <stddef.h>
#include <stdint.h>

#include "net.h"

struct rawudp {
	struct net_ip src, dst;
	uint16_t sport, dport;
	uint8_t tos, ttl;
	const uint8_t *payload;		/* into the caller's buffer */
	size_t len;
};

/*
 * Decodes the 'len' bytes of 'buf' into *d.  The packet must be IPv4 with
 * a header length of at least 20 bytes, protocol UDP, not a later fragment
 * (a first fragment is taken, cut at what arrived), and a UDP length of at
 * least 8.  The payload is what the UDP length announces, cut to what was
 * read.  Returns 0, or -EBADMSG.
 */
int rawudp_decode(const uint8_t *buf, size_t len, struct rawudp *d);

#endif
