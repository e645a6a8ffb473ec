/* listen.c - every socket pinholed listens on, bound before the privilege drop. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "server.h"

static int
listen_open(struct server *s, enum lst_kind kind, const struct net_ip *ip,
    uint16_t port, const lst_handler_fn handlers[LST_NKINDS])
{
	struct sockaddr_storage ss;
	struct listener *l;
	socklen_t len;
	int type = kind == LST_SIP_UDP || kind == LST_STUN ? SOCK_DGRAM :
	    SOCK_STREAM;
	int fd, one = 1;
	char a[NET_ADDRSTRLEN];

	len = net_sa_from_ip(ip, port, &ss);
	fd = socket(ss.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (type == SOCK_DGRAM && ss.ss_family == AF_INET) {
		(void)setsockopt(fd, IPPROTO_IP, IP_RECVTOS, &one, sizeof(one));
		/* Only a wildcard needs to be told where a datagram arrived. */
		if (net_ip_is_any(ip))
			(void)setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one,
			    sizeof(one));
	}
	if (type == SOCK_DGRAM && ss.ss_family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_RECVTCLASS, &one,
		    sizeof(one));
	/* Media streams are timed by the kernel's receive time. */
	if (kind == LST_SIP_UDP)
		(void)setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one,
		    sizeof(one));
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
	l->srv = s;
	l->kind = kind;
	l->fd = fd;
	l->stream = type == SOCK_STREAM;
	l->addr = *ip;
	l->port = port;
	l->local = ss;		/* the address as bound: no lookup per packet */
	l->ev = event_new(s->base, fd, EV_READ | EV_PERSIST, handlers[kind], l);
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
    const uint16_t (*r)[2], size_t n, const lst_handler_fn handlers[LST_NKINDS])
{
	size_t i;
	unsigned p;
	int rc;

	for (i = 0; i < n; i++)
		for (p = r[i][0]; p <= r[i][1]; p++)
			if ((rc = listen_open(s, kind, ip, (uint16_t)p,
			    handlers)) < 0)
				return rc;
	return 0;
}

unsigned
listen_count(const struct server *s)
{
	const struct listener *l;
	unsigned n = 0;

	for (l = s->listeners; l != NULL; l = l->next)
		n++;
	return n;
}

int
listen_all(struct server *s, const lst_handler_fn handlers[LST_NKINDS])
{
	const struct srv_conf *c = &s->conf;
	size_t i;
	int r;

	for (i = 0; i < c->nlisten; i++) {
		const struct net_ip *ip = &c->listen[i];

		if ((r = listen_open(s, LST_CONTROL, ip, c->control_port,
		    handlers)) < 0 ||
		    (r = listen_open(s, LST_STUN, ip, c->stun_port,
		    handlers)) < 0 ||
		    (c->stun_alt_port != 0 &&
		    (r = listen_open(s, LST_STUN, ip, c->stun_alt_port,
		    handlers)) < 0) ||
		    (r = listen_ranges(s, LST_SIP_UDP, ip, c->sip_udp,
		    c->nsip_udp, handlers)) < 0 ||
		    (r = listen_ranges(s, LST_SIP_TCP, ip, c->sip_tcp,
		    c->nsip_tcp, handlers)) < 0 ||
		    (r = listen_ranges(s, LST_HTTP, ip, c->http, c->nhttp,
		    handlers)) < 0 ||
		    (r = listen_ranges(s, LST_XMPP, ip, c->xmpp, c->nxmpp,
		    handlers)) < 0 ||
		    (r = listen_ranges(s, LST_SIP_UDP, ip, c->media,
		    c->nmedia, handlers)) < 0 ||
		    (s->tls != NULL && (r = listen_ranges(s, LST_TLS, ip,
		    c->tlsp, c->ntlsp, handlers)) < 0))
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

/* Addresses and TOS of one received datagram, from its control data. */
static void
listen_dgram_meta(const struct listener *l, struct msghdr *mh,
    struct srv_dgram *d)
{
	struct cmsghdr *cm;

	d->peer_len = mh->msg_namelen;
	d->truncated = (mh->msg_flags & MSG_TRUNC) != 0;
	d->tos = -1;
	d->rx_ns = 0;
	d->local = l->local;
	d->have_local = 1;
	for (cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm)) {
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_TIMESTAMPNS &&
		    cm->cmsg_len >= CMSG_LEN(sizeof(struct timespec))) {
			struct timespec ts;

			memcpy(&ts, CMSG_DATA(cm), sizeof(ts));
			d->rx_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
		}
		if (cm->cmsg_level == IPPROTO_IPV6 &&
		    cm->cmsg_type == IPV6_TCLASS &&
		    cm->cmsg_len >= CMSG_LEN(sizeof(int))) {
			int tc;

			memcpy(&tc, CMSG_DATA(cm), sizeof(tc));
			d->tos = tc & 0xff;
		}
		if (cm->cmsg_level != IPPROTO_IP)
			continue;
		if (cm->cmsg_type == IP_TOS && cm->cmsg_len >= CMSG_LEN(1))
			d->tos = *(uint8_t *)CMSG_DATA(cm);
		/* Bound to a wildcard: the address it really arrived on. */
		if (cm->cmsg_type == IP_PKTINFO && d->local.ss_family == AF_INET &&
		    cm->cmsg_len >= CMSG_LEN(sizeof(struct in_pktinfo))) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			((struct sockaddr_in *)&d->local)->sin_addr = pi.ipi_addr;
		}
	}
	net_ip_from_sa((struct sockaddr *)&d->peer, &d->peer_ip, NULL);
}

size_t
listen_recv_batch(const struct listener *l, struct listen_rx *rx, size_t cap)
{
	size_t i;
	int n;

	if (cap > LISTEN_DGRAM_MAX)
		cap = LISTEN_DGRAM_MAX;
	/* Only what the kernel changes is set again on each call. */
	for (i = 0; i < LISTEN_BATCH; i++) {
		struct msghdr *mh = &rx->mm[i].msg_hdr;

		if (mh->msg_iov != &rx->iov[i]) {
			memset(mh, 0, sizeof(*mh));
			rx->iov[i].iov_base = rx->buf[i];
			mh->msg_name = &rx->d[i].peer;
			mh->msg_iov = &rx->iov[i];
			mh->msg_iovlen = 1;
			mh->msg_control = rx->cbuf[i];
		}
		rx->iov[i].iov_len = cap;
		mh->msg_namelen = sizeof(rx->d[i].peer);
		mh->msg_controllen = sizeof(rx->cbuf[i]);
		mh->msg_flags = 0;
	}
	if ((n = recvmmsg(l->fd, rx->mm, LISTEN_BATCH, MSG_DONTWAIT, NULL)) <= 0)
		return 0;
	l->srv->cnt.dgram_in[l->kind] += (uint64_t)n;
	for (i = 0; i < (size_t)n; i++) {
		rx->len[i] = rx->mm[i].msg_len;
		l->srv->cnt.dgram_in_bytes[l->kind] += rx->len[i];
		listen_dgram_meta(l, &rx->mm[i].msg_hdr, &rx->d[i]);
	}
	return (size_t)n;
}

/* Bound to a wildcard: leave from the address the request came to. */
static void
listen_pktinfo(const struct listener *from, const struct sockaddr *src,
    struct msghdr *mh, void *cbuf, size_t clen)
{
	struct in_pktinfo pi;
	struct cmsghdr *cm;

	if (src == NULL || src->sa_family != AF_INET ||
	    !net_ip_is_any(&from->addr) || from->addr.family != AF_INET)
		return;
	memset(cbuf, 0, clen);
	memset(&pi, 0, sizeof(pi));
	pi.ipi_spec_dst = ((const struct sockaddr_in *)src)->sin_addr;
	mh->msg_control = cbuf;
	mh->msg_controllen = CMSG_SPACE(sizeof(pi));
	cm = CMSG_FIRSTHDR(mh);
	cm->cmsg_level = IPPROTO_IP;
	cm->cmsg_type = IP_PKTINFO;
	cm->cmsg_len = CMSG_LEN(sizeof(pi));
	memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
}

static int
listen_send_tos1(const struct listener *from, const struct sockaddr *src,
    const struct sockaddr *to, socklen_t to_len, const void *p, size_t n,
    int tos)
{
	union listen_cbuf cbuf;
	struct iovec iov = { (void *)p, n };
	struct cmsghdr *cm;
	struct msghdr mh;
	size_t used;

	memset(&mh, 0, sizeof(mh));
	mh.msg_name = (void *)to;
	mh.msg_namelen = to_len;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	listen_pktinfo(from, src, &mh, &cbuf, sizeof(cbuf));
	if (tos < 0)
		return sendmsg(from->fd, &mh, MSG_DONTWAIT) < 0 ? -errno : 0;
	used = mh.msg_controllen;
	if (used == 0)
		memset(&cbuf, 0, sizeof(cbuf));
	mh.msg_control = &cbuf;
	mh.msg_controllen = used + CMSG_SPACE(sizeof(int));
	cm = (struct cmsghdr *)(void *)(cbuf.b + used);
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	if (to->sa_family == AF_INET6) {
		cm->cmsg_level = IPPROTO_IPV6;
		cm->cmsg_type = IPV6_TCLASS;
	} else {
		cm->cmsg_level = IPPROTO_IP;
		cm->cmsg_type = IP_TOS;
	}
	memcpy(CMSG_DATA(cm), &tos, sizeof(tos));
	return sendmsg(from->fd, &mh, MSG_DONTWAIT) < 0 ? -errno : 0;
}

/* Counts 'k' datagrams of 'bytes' sent for listener 'from' and 'resp'. */
static void
listen_count_out(const struct listener *from, int resp, uint64_t k,
    uint64_t bytes)
{
	struct srv_counters *c = &from->srv->cnt;

	c->dgram_out[from->kind] += k;
	c->dgram_out_bytes[from->kind] += bytes;
	c->resp_dgram_out[resp] += k;
	c->resp_dgram_out_bytes[resp] += bytes;
}

int
listen_send_tos(const struct listener *from, int resp,
    const struct sockaddr *src, const struct sockaddr *to, socklen_t to_len,
    const void *p, size_t n, int tos)
{
	int r = listen_send_tos1(from, src, to, to_len, p, n, tos);

	if (r == 0)
		listen_count_out(from, resp, 1, n);
	return r;
}

int
listen_send(const struct listener *from, int resp,
    const struct sockaddr *src, const struct sockaddr *to, socklen_t to_len,
    const void *p, size_t n)
{
	return listen_send_tos(from, resp, src, to, to_len, p, n, -1);
}

void
listen_tx_add(const struct listener *from, struct listen_tx *tx,
    const struct sockaddr *src, const struct sockaddr *to, socklen_t to_len,
    const void *p, size_t n)
{
	struct msghdr *mh;
	size_t i = tx->n;

	if (i == LISTEN_BATCH)
		return;
	memcpy(&tx->to[i], to, to_len);
	tx->iov[i].iov_base = (void *)p;
	tx->iov[i].iov_len = n;
	mh = &tx->mm[i].msg_hdr;
	memset(mh, 0, sizeof(*mh));
	mh->msg_name = &tx->to[i];
	mh->msg_namelen = to_len;
	mh->msg_iov = &tx->iov[i];
	mh->msg_iovlen = 1;
	listen_pktinfo(from, src, mh, &tx->cb[i], sizeof(tx->cb[i]));
	tx->n++;
}

size_t
listen_tx_flush(const struct listener *from, int resp, struct listen_tx *tx)
{
	size_t done = 0, end;
	uint64_t bytes;
	int r;

	/* A full socket buffer drops a datagram, not the batch. */
	while (done < tx->n) {
		r = sendmmsg(from->fd, tx->mm + done, (unsigned)(tx->n - done),
		    MSG_DONTWAIT);
		if (r <= 0) {
			done++;
			continue;
		}
		for (bytes = 0, end = done + (size_t)r; done < end; done++)
			bytes += tx->iov[done].iov_len;
		listen_count_out(from, resp, (uint64_t)r, bytes);
	}
	r = (int)tx->n;
	tx->n = 0;
	return (size_t)r;
}
