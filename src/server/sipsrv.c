/*
 * sipsrv.c - the SIP probe listeners.  They never answer: a message from
 * a session's client that carries one of its nonces is reported, byte for
 * byte, on the session's control connection; anything else is dropped.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>

#include "server.h"
#include "sip.h"
#include "stun.h"

#define SIPCONN_NONCE_WAIT	5	/* s for a nonce to show up */
#define SIPCONN_QUIET_MS	1000	/* a partial message is reported after */

struct sipconn {
	struct server *srv;
	struct sipconn *next;
	struct session *ss;		/* NULL until a nonce ties it */
	struct bufferevent *bev;
	struct sockaddr_storage peer;
	struct net_ip peer_ip;
	uint16_t peer_port;
	uint16_t local_port;
	struct event *quiet;		/* partial-message timer */
	struct event *peek;		/* until the first byte: TLS or SIP */
	int fd;
	struct sipconn *pending_next;	/* unattached connections */
};

/* Connections not yet tied to a session, so they can be counted and freed. */
static struct sipconn *sip_pending;

/*
 * OPTIONS is answered 200 OK, as a SIP server would (reachability probes
 * use it); a source without a session only when the answer is no larger
 * than the request.  Returns 1 when 'buf' was an OPTIONS request.
 */
static int
sipsrv_options(struct listener *l, const uint8_t *buf, size_t n,
    const struct srv_dgram *d)
{
	struct server *s = l->srv;
	struct dbuf b;
	int validated;

	if (n < 8 || memcmp(buf, "OPTIONS ", 8) != 0)
		return 0;
	validated = session_validated(s, &d->peer_ip);
	if (!validated) {
		s->cnt.unval_in_bytes += n;
		s->cnt.unval_in_pkts++;
		if (!rate_take(&s->stun_rate, &d->peer_ip, srv_now_ms()))
			return 1;
	}
	dbuf_init(&b, SIP_MAX_MSG);
	if (sip_options_answer(buf, n, &b) == 0 && (validated || b.len <= n) &&
	    listen_send(l, d->have_local ? (const struct sockaddr *)&d->local :
	    NULL, (const struct sockaddr *)&d->peer, d->peer_len, b.b,
	    b.len) == 0 && !validated) {
		s->cnt.unval_out_bytes += b.len;
		s->cnt.unval_out_pkts++;
	}
	dbuf_free(&b);
	return 1;
}

void
sipsrv_udp_h(evutil_socket_t fd, short what, void *arg)
{
	struct listener *l = arg;
	struct server *s = l->srv;
	uint8_t buf[SIP_MAX_MSG];
	struct srv_dgram d;
	const uint8_t *nonce;
	struct session *ss;
	ssize_t n;
	int i;

	for (i = 0; i < 64; i++) {	/* bounded work per wakeup */
		if ((n = listen_recv(fd, buf, sizeof(buf), &d)) < 0)
			return;
		if (stun_is_stun(buf, (size_t)n)) {	/* keepalives, RFC 5626 */
			stunsrv_handle(l, buf, (size_t)n, &d);
			continue;
		}
		if (sipsrv_options(l, buf, (size_t)n, &d))
			continue;
		ss = session_match(s, &d.peer_ip, buf, (size_t)n, &nonce);
		if (ss == NULL) {
			s->cnt.dropped++;
			s->cnt.unval_in_bytes += (uint64_t)n;
			s->cnt.unval_in_pkts++;
			continue;
		}
		(void)session_report_seen(ss, nonce, CTL_UDP, l->port,
		    (struct sockaddr *)&d.peer, d.tos,
		    d.truncated ? CTL_F_TRUNCATED : 0, buf, (size_t)n);
	}
}

static void
sipconn_unlink(struct sipconn *c)
{
	struct sipconn **pp;

	for (pp = &sip_pending; *pp != NULL; pp = &(*pp)->pending_next)
		if (*pp == c) {
			*pp = c->pending_next;
			break;
		}
	if (c->ss != NULL) {
		for (pp = &c->ss->conns; *pp != NULL; pp = &(*pp)->next)
			if (*pp == c) {
				*pp = c->next;
				break;
			}
	}
}

static void
sipconn_free(struct sipconn *c)
{
	sipconn_unlink(c);
	if (c->quiet)
		event_free(c->quiet);
	if (c->peek)
		event_free(c->peek);
	if (c->bev != NULL)
		bufferevent_free(c->bev);
	else if (c->fd >= 0)
		close(c->fd);
	free(c);
}

void
sipsrv_session_gone(struct session *ss)
{
	while (ss->conns != NULL)
		sipconn_free(ss->conns);
}

/* Reports what is buffered (or up to 'len'), and consumes it. */
static void
sipconn_report(struct sipconn *c, size_t len, uint32_t flags)
{
	struct evbuffer *in = bufferevent_get_input(c->bev);
	const uint8_t *nonce;
	struct session *ss;
	uint8_t *p;

	p = evbuffer_pullup(in, (ssize_t)len);
	if (flags == 0 && len >= 8 && memcmp(p, "OPTIONS ", 8) == 0) {
		struct dbuf b;

		dbuf_init(&b, SIP_MAX_MSG);
		if (sip_options_answer(p, len, &b) == 0)
			bufferevent_write(c->bev, b.b, b.len);
		dbuf_free(&b);
		evbuffer_drain(in, len);
		return;
	}
	ss = session_match(c->srv, &c->peer_ip, p, len, &nonce);
	if (ss != NULL) {
		if (c->ss == NULL) {
			sipconn_unlink(c);
			c->ss = ss;
			c->next = ss->conns;
			ss->conns = c;
			bufferevent_set_timeouts(c->bev, &(struct timeval){
			    (time_t)c->srv->conf.idle_timeout, 0 }, NULL);
		}
		(void)session_report_seen(ss, nonce, CTL_TCP, c->local_port,
		    (struct sockaddr *)&c->peer, -1, flags, p, len);
	}
	evbuffer_drain(in, len);
}

static void
sipconn_quiet_h(evutil_socket_t fd, short what, void *arg)
{
	struct sipconn *c = arg;
	size_t n = evbuffer_get_length(bufferevent_get_input(c->bev));

	if (n > 0)
		sipconn_report(c, n, CTL_F_TRUNCATED);
}

static void
sipconn_read_h(struct bufferevent *bev, void *arg)
{
	struct sipconn *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	struct timeval quiet = { 0, SIPCONN_QUIET_MS * 1000 };
	size_t avail, len;
	int r;

	while ((avail = evbuffer_get_length(in)) > 0) {
		r = sip_frame_len(evbuffer_pullup(in, -1), avail, &len);
		if (r == -EAGAIN) {
			evtimer_add(c->quiet, &quiet);
			return;
		}
		if (r < 0) {
			/* Not SIP, or larger than any probe: report it cut. */
			sipconn_report(c, avail, CTL_F_TRUNCATED);
			continue;
		}
		evtimer_del(c->quiet);
		sipconn_report(c, len, 0);
	}
}

static void
sipconn_event_h(struct bufferevent *bev, short what, void *arg)
{
	struct sipconn *c = arg;
	size_t n = evbuffer_get_length(bufferevent_get_input(bev));

	if (what & BEV_EVENT_EOF && n > 0)
		sipconn_report(c, n, CTL_F_TRUNCATED | CTL_F_CLOSED);
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR | BEV_EVENT_TIMEOUT))
		sipconn_free(c);
}

/* The first byte decides: a TLS handshake (0x16), or SIP over TCP. */
static void
sipconn_peek_h(evutil_socket_t fd, short what, void *arg)
{
	struct sipconn *c = arg;
	struct server *s = c->srv;
	struct timeval tv = { SIPCONN_NONCE_WAIT, 0 };
	uint8_t first;

	event_free(c->peek);
	c->peek = NULL;
	if ((what & EV_TIMEOUT) || recv(fd, &first, 1, MSG_PEEK) != 1) {
		sipconn_free(c);
		return;
	}
	if (first == 0x16 && s->tls != NULL) {
		c->fd = -1;		/* handed over */
		sipconn_free(c);
		reachsrv_tls_fd(s, fd);
		return;
	}
	c->bev = bufferevent_socket_new(s->base, fd, BEV_OPT_CLOSE_ON_FREE);
	c->quiet = evtimer_new(s->base, sipconn_quiet_h, c);
	if (c->bev == NULL || c->quiet == NULL) {
		sipconn_free(c);
		return;
	}
	bufferevent_set_timeouts(c->bev, &tv, NULL);
	bufferevent_setwatermark(c->bev, EV_READ, 0, 2 * SIP_MAX_MSG);
	bufferevent_setcb(c->bev, sipconn_read_h, NULL, sipconn_event_h, c);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
}

void
sipsrv_accept_h(evutil_socket_t lfd, short what, void *arg)
{
	struct listener *l = arg;
	struct server *s = l->srv;
	struct timeval tv = { SIPCONN_NONCE_WAIT, 0 };
	struct sipconn *c, *o;
	socklen_t plen;
	size_t per = 0;
	int fd;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return;
	plen = sizeof(c->peer);
	fd = accept4(lfd, (struct sockaddr *)&c->peer, &plen,
	    SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0) {
		free(c);
		return;
	}
	c->srv = s;
	c->local_port = l->port;
	net_ip_from_sa((struct sockaddr *)&c->peer, &c->peer_ip, &c->peer_port);
	for (o = sip_pending; o != NULL; o = o->pending_next)
		per += net_ip_equal(&o->peer_ip, &c->peer_ip);
	/* Only session clients get a connection held open. */
	if (!session_validated(s, &c->peer_ip) ||
	    per >= s->conf.max_tcp_per_source ||
	    !rate_take(&s->conn_rate, &c->peer_ip, srv_now_ms())) {
		srv_log_remote(s, "refused a SIP/TCP connection");
		close(fd);
		free(c);
		return;
	}
	c->fd = fd;
	c->peek = event_new(s->base, fd, EV_READ, sipconn_peek_h, c);
	if (c->peek == NULL) {
		close(fd);
		free(c);
		return;
	}
	event_add(c->peek, &tv);
	c->pending_next = sip_pending;
	sip_pending = c;
}

int
sipsrv_tcp_send(struct session *ss, uint16_t peer_port, uint16_t local_port,
    const uint8_t *p, size_t n)
{
	struct sipconn *c;

	for (c = ss->conns; c != NULL; c = c->next)
		if (c->peer_port == peer_port && c->local_port == local_port)
			return bufferevent_write(c->bev, p, n) < 0 ? -ENOMEM : 0;
	return -ENOENT;
}
