/* listen.c - every socket pinholed listens on, bound before the privilege drop. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server.h"

static int
listen_open(struct server *s, enum lst_kind kind, const struct net_ip *ip,
    uint16_t port)
{
	struct sockaddr_storage ss;
	struct listener *l;
	socklen_t len;
	int type = kind == LST_SIP_UDP || kind == LST_STUN ? SOCK_DGRAM :
	    SOCK_STREAM;
	int fd, one = 1;
	event_callback_fn cb;
	char a[NET_ADDRSTRLEN];

	len = net_sa_from_ip(ip, port, &ss);
	fd = socket(ss.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (type == SOCK_DGRAM && ss.ss_family == AF_INET) {
		(void)setsockopt(fd, IPPROTO_IP, IP_RECVTOS, &one, sizeof(one));
		(void)setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
	}
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 ||
	    (type == SOCK_STREAM && listen(fd, 128) < 0)) {
		int err = errno;

		log_warnx("cannot listen on %s/%s: %s",
		    net_sa_str((struct sockaddr *)&ss, a, sizeof(a)),
		    type == SOCK_STREAM ? "tcp" : "udp", strerror(err));
		close(fd);
		return -err;
	}
	if ((l = calloc(1, sizeof(*l))) == NULL) {
		close(fd);
		return -ENOMEM;
	}
	switch (kind) {
	case LST_CONTROL: cb = ctlsrv_accept_h; break;
	case LST_SIP_UDP: cb = sipsrv_udp_h; break;
	case LST_SIP_TCP: cb = sipsrv_accept_h; break;
	case LST_HTTP:
	case LST_XMPP:
	case LST_TLS: cb = reachsrv_accept_h; break;
	default: cb = stunsrv_h; break;
	}
	l->srv = s;
	l->kind = kind;
	l->fd = fd;
	l->addr = *ip;
	l->port = port;
	l->ev = event_new(s->base, fd, EV_READ | EV_PERSIST, cb, l);
	if (l->ev == NULL) {
		close(fd);
		free(l);
		return -ENOMEM;
	}
	event_add(l->ev, NULL);
	l->next = s->listeners;
	s->listeners = l;
	return 0;
}

static int
listen_ranges(struct server *s, enum lst_kind kind, const struct net_ip *ip,
    const uint16_t (*r)[2], size_t n)
{
	size_t i;
	unsigned p;
	int rc;

	for (i = 0; i < n; i++)
		for (p = r[i][0]; p <= r[i][1]; p++)
			if ((rc = listen_open(s, kind, ip, (uint16_t)p)) < 0)
				return rc;
	return 0;
}

int
listen_all(struct server *s)
{
	const struct srv_conf *c = &s->conf;
	size_t i;
	int r;

	for (i = 0; i < c->nlisten; i++) {
		const struct net_ip *ip = &c->listen[i];

		if ((r = listen_open(s, LST_CONTROL, ip, c->control_port)) < 0 ||
		    (r = listen_open(s, LST_STUN, ip, c->stun_port)) < 0 ||
		    (c->stun_alt_port != 0 &&
		    (r = listen_open(s, LST_STUN, ip, c->stun_alt_port)) < 0) ||
		    (r = listen_ranges(s, LST_SIP_UDP, ip, c->sip_udp,
		    c->nsip_udp)) < 0 ||
		    (r = listen_ranges(s, LST_SIP_TCP, ip, c->sip_tcp,
		    c->nsip_tcp)) < 0 ||
		    (r = listen_ranges(s, LST_HTTP, ip, c->http, c->nhttp)) < 0 ||
		    (r = listen_ranges(s, LST_XMPP, ip, c->xmpp, c->nxmpp)) < 0 ||
		    (r = listen_ranges(s, LST_SIP_UDP, ip, c->media,
		    c->nmedia)) < 0 ||
		    (s->tls != NULL && (r = listen_ranges(s, LST_TLS, ip,
		    c->tlsp, c->ntlsp)) < 0))
			return r;
	}
	return 0;
}

struct listener *
listen_find(struct server *s, enum lst_kind kind, uint16_t port,
    const struct net_ip *pref)
{
	struct listener *l, *any = NULL;

	for (l = s->listeners; l != NULL; l = l->next) {
		if (l->kind != kind || l->port != port)
			continue;
		if (pref != NULL && net_ip_equal(&l->addr, pref))
			return l;
		if (any == NULL)
			any = l;
	}
	return any;
}

int
listen_is_own(const struct server *s, const struct net_ip *ip)
{
	size_t i;

	for (i = 0; i < s->conf.nlisten; i++)
		if (net_ip_equal(&s->conf.listen[i], ip))
			return 1;
	return 0;
}

ssize_t
listen_recv(int fd, uint8_t *buf, size_t cap, struct srv_dgram *d)
{
	uint8_t cbuf[256];
	struct iovec iov = { buf, cap };
	struct msghdr mh;
	struct cmsghdr *cm;
	socklen_t llen = sizeof(d->local);
	ssize_t n;

	memset(&mh, 0, sizeof(mh));
	mh.msg_name = &d->peer;
	mh.msg_namelen = sizeof(d->peer);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	if ((n = recvmsg(fd, &mh, MSG_DONTWAIT)) < 0)
		return -1;
	d->peer_len = mh.msg_namelen;
	d->truncated = (mh.msg_flags & MSG_TRUNC) != 0;
	d->tos = -1;
	d->have_local = getsockname(fd, (struct sockaddr *)&d->local, &llen) == 0;
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level != IPPROTO_IP)
			continue;
		if (cm->cmsg_type == IP_TOS && cm->cmsg_len >= CMSG_LEN(1))
			d->tos = *(uint8_t *)CMSG_DATA(cm);
		/* Bound to a wildcard: the address it really arrived on. */
		if (cm->cmsg_type == IP_PKTINFO && d->have_local &&
		    d->local.ss_family == AF_INET) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			((struct sockaddr_in *)&d->local)->sin_addr = pi.ipi_addr;
		}
	}
	net_ip_from_sa((struct sockaddr *)&d->peer, &d->peer_ip, NULL);
	return n;
}

int
listen_send(const struct listener *from, const struct sockaddr *src,
    const struct sockaddr *to, socklen_t to_len, const void *p, size_t n)
{
	union {
		struct cmsghdr hdr;
		uint8_t buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
	} cbuf;
	struct iovec iov = { (void *)p, n };
	struct in_pktinfo pi;
	struct msghdr mh;
	struct cmsghdr *cm;

	memset(&mh, 0, sizeof(mh));
	mh.msg_name = (void *)to;
	mh.msg_namelen = to_len;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	/* Bound to a wildcard: leave from the address the request came to. */
	if (src != NULL && src->sa_family == AF_INET &&
	    net_ip_is_any(&from->addr) && from->addr.family == AF_INET) {
		memset(&cbuf, 0, sizeof(cbuf));
		memset(&pi, 0, sizeof(pi));
		pi.ipi_spec_dst = ((const struct sockaddr_in *)src)->sin_addr;
		mh.msg_control = cbuf.buf;
		mh.msg_controllen = sizeof(cbuf.buf);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = IPPROTO_IP;
		cm->cmsg_type = IP_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	}
	return sendmsg(from->fd, &mh, MSG_DONTWAIT) < 0 ? -errno : 0;
}
