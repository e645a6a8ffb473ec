/* errqueue.c - ICMP errors from a socket's error queue. */
#include <errno.h>
#include <string.h>
#include <netinet/in.h>
#include <linux/errqueue.h>
#include <sys/socket.h>

#include "buf.h"
#include "errqueue.h"

#define ERRQUEUE_ICMP_TIME_EXCEEDED	11
#define ERRQUEUE_ICMP6_TIME_EXCEEDED	3

/* The offender sockaddr that follows the struct, when there is one. */
static void
errqueue_offender(struct cursor *c, struct errqueue_icmp *e)
{
	struct sockaddr_in6 s6;
	struct sockaddr_in s4;
	sa_family_t fam;
	size_t at = c->pos;

	if (cur_copy(c, &fam, sizeof(fam)) < 0)
		return;
	c->pos = at;
	if (fam == AF_INET && cur_copy(c, &s4, sizeof(s4)) == 0) {
		e->offender.family = AF_INET;
		memcpy(e->offender.a, &s4.sin_addr, 4);
		e->have_offender = 1;
	} else if (fam == AF_INET6 && cur_copy(c, &s6, sizeof(s6)) == 0) {
		e->offender.family = AF_INET6;
		memcpy(e->offender.a, &s6.sin6_addr, 16);
		e->have_offender = 1;
	}
}

int
errqueue_decode(const uint8_t *cbuf, size_t len, struct errqueue_icmp *e)
{
	struct sock_extended_err ee;
	struct cmsghdr cm;
	struct cursor c, data;
	const uint8_t *p;
	size_t dlen, step;

	memset(e, 0, sizeof(*e));
	cur_init(&c, cbuf, len);
	while (cur_left(&c) >= sizeof(cm)) {
		if (cur_copy(&c, &cm, sizeof(cm)) < 0 ||
		    cm.cmsg_len < sizeof(cm))
			return -EBADMSG;
		dlen = cm.cmsg_len - sizeof(cm);
		if (cur_ref(&c, &p, dlen) < 0)
			return -EBADMSG;
		/* The next header starts aligned, when one follows. */
		step = CMSG_ALIGN(cm.cmsg_len) - cm.cmsg_len;
		if (cur_left(&c) > step)
			(void)cur_skip(&c, step);
		else
			c.pos = c.len;
		if (!((cm.cmsg_level == IPPROTO_IP &&
		    cm.cmsg_type == IP_RECVERR) ||
		    (cm.cmsg_level == IPPROTO_IPV6 &&
		    cm.cmsg_type == IPV6_RECVERR)))
			continue;
		cur_init(&data, p, dlen);
		if (cur_copy(&data, &ee, sizeof(ee)) < 0)
			return -EBADMSG;
		e->err = ee.ee_errno;
		e->origin = ee.ee_origin;
		e->type = ee.ee_type;
		e->code = ee.ee_code;
		if (e->origin == SO_EE_ORIGIN_ICMP ||
		    e->origin == SO_EE_ORIGIN_ICMP6)
			errqueue_offender(&data, e);
		return 0;
	}
	return -ENOENT;
}

int
errqueue_is_hop(const struct errqueue_icmp *e)
{
	return (e->origin == SO_EE_ORIGIN_ICMP &&
	    e->type == ERRQUEUE_ICMP_TIME_EXCEEDED) ||
	    (e->origin == SO_EE_ORIGIN_ICMP6 &&
	    e->type == ERRQUEUE_ICMP6_TIME_EXCEEDED);
}

int
errqueue_is_refusal(const struct errqueue_icmp *e)
{
	return (e->origin == SO_EE_ORIGIN_ICMP ||
	    e->origin == SO_EE_ORIGIN_ICMP6) && !errqueue_is_hop(e);
}
