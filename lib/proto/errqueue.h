/*
 * errqueue.h - the ICMP error of a socket's error queue (IP_RECVERR,
 * IPV6_RECVERR), from the control data of recvmsg(MSG_ERRQUEUE).
 *
 * The kernel writes the control data, but what it carries (the ICMP type,
 * the router that sent it) comes from the network, and the layout is only
 * as long as cmsg_len says: it is read through the cursor.
 */
#ifndef PINHOLE_ERRQUEUE_H
#define PINHOLE_ERRQUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "net.h"

struct errqueue_icmp {
	uint32_t err;			/* the errno the kernel reports */
	uint8_t origin;			/* SO_EE_ORIGIN_* */
	uint8_t type, code;		/* of the ICMP or ICMPv6 message */
	int have_offender;		/* the sender of the ICMP is known */
	struct net_ip offender;
};

/*
 * Finds the first IP_RECVERR or IPV6_RECVERR message in the 'len' bytes of
 * control data 'cbuf' and decodes it into *e.  Returns 0, -ENOENT when
 * there is none, or -EBADMSG when a control message runs past the buffer
 * or is too short for a struct sock_extended_err.
 */
int errqueue_decode(const uint8_t *cbuf, size_t len, struct errqueue_icmp *e);

/* Time exceeded (a hop on the path answered a TTL-limited probe). */
int errqueue_is_hop(const struct errqueue_icmp *e);
/* Any other ICMP error: the destination itself said no. */
int errqueue_is_refusal(const struct errqueue_icmp *e);

#endif
