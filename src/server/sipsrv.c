/*
 * sipsrv.c - the SIP probe listeners.  A message from a session's client
 * that carries one of its nonces is reported, byte for byte, on the
 * session's control connection; OPTIONS is answered 200 OK (reachability
 * probes use it), under the amplification rule for sources without a
 * session; anything else is dropped.  Over TCP, only a session's client
 * gets a connection, and it must tie it to its session with a nonce
 * within SIPCONN_NONCE_WAIT seconds.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "conn.h"
#include "session.h"
#include "sip.h"
#include "responder.h"
#include "srvproto.h"

#define SIPCONN_NONCE_WAIT	5	/* s for a nonce to show up */
#define SIPCONN_QUIET_MS	1000	/* a partial message is reported after */

struct sipconn {
	struct conn *c;
	struct session *ss;		/* NULL until a nonce ties it */
	struct session_child ch;
	struct event *quiet;		/* partial-message timer */
};

#define sipconn_of(chp) ((struct sipconn *)(void *)((char *)(chp) - \
	offsetof(struct sipconn, ch)))

/*
 * OPTIONS is answered 200 OK, as a SIP server would; a source without a
 * session only when the answer is no larger than the request, and within
 * the sessionless rate.  Returns 1 when 'buf' was an OPTIONS request.
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
	if (!validated && !rate_take(&s->stun_rate, &d->peer_ip, s->now_ms()))
		return 1;
	dbuf_init(&b, SIP_MAX_MSG);
	if (sip_options_answer(buf, n, &b) == 0 && (validated || b.len <= n) &&
	    listen_send(l, RESP_SIP, d->have_local ?
	    (const struct sockaddr *)&d->local : NULL,
	    (const struct sockaddr *)&d->peer, d->peer_len, b.b, b.len) == 0 &&
	    !validated) {
		s->cnt.unval_out_bytes += b.len;
		s->cnt.unval_out_pkts++;
	}
	dbuf_free(&b);
	return 1;
}

/* The last of the UDP ports' responders (responder.c): what is left is
 * SIP, or dropped. */
static int
sipsrv_datagram(struct listener *l, const uint8_t *buf, size_t n,
    const struct srv_dgram *d)
{
	struct server *s = l->srv;
	const uint8_t *nonce;
	struct session *ss;
	int options;

	if (!session_validated(s, &d->peer_ip)) {
		s->cnt.unval_in_bytes += (uint64_t)n;
		s->cnt.unval_in_pkts++;
	}
	/* An OPTIONS is answered; one that carries a watched nonce is also
	 * reported, as a probe of whether OPTIONS gets through. */
	options = sipsrv_options(l, buf, n, d);
	ss = session_match(s, &d->peer_ip, buf, n, &nonce);
	if (ss == NULL) {
		if (!options)
			s->cnt.dropped++;
		return 1;
	}
	(void)session_report_seen(ss, nonce, CTL_UDP, l->port,
	    (const struct sockaddr *)&d->peer, d->tos,
	    d->truncated ? CTL_F_TRUNCATED : 0, buf, n);
	return 1;
}

const struct responder sipsrv_responder = {
	.name = "sip",
	.datagram = sipsrv_datagram,
};

/* Reports what is buffered (or up to 'len'), and consumes it. */
static void
sipconn_report(struct sipconn *sc, struct evbuffer *in, size_t len,
    uint32_t flags)
{
	struct conn *c = sc->c;
	struct server *s = c->srv;
	struct sockaddr_storage peer;
	const uint8_t *nonce;
	struct session *ss;
	uint8_t *p;

	p = evbuffer_pullup(in, (ssize_t)len);
	if (flags == 0 && len >= 8 && memcmp(p, "OPTIONS ", 8) == 0) {
		struct dbuf b;

		dbuf_init(&b, SIP_MAX_MSG);
		if (sip_options_answer(p, len, &b) == 0)
			(void)conn_write(c, b.b, b.len);
		dbuf_free(&b);
		evbuffer_drain(in, len);
		return;
	}
	ss = session_match(s, &c->peer_ip, p, len, &nonce);
	if (ss != NULL) {
		if (sc->ss == NULL) {
			sc->ss = ss;
			session_child_add(ss, &sc->ch);
			conn_deadline(c, CONN_DL_START, 0);	/* tied */
		}
		conn_deadline(c, CONN_DL_IDLE, s->conf.idle_timeout);
		net_sa_from_ip(&c->peer_ip, c->peer_port, &peer);
		(void)session_report_seen(ss, nonce, CTL_TCP, c->local_port,
		    (struct sockaddr *)&peer, -1, flags, p, len);
	}
	evbuffer_drain(in, len);
}

static void
sipconn_quiet_h(evutil_socket_t fd, short what, void *arg)
{
	struct sipconn *sc = arg;
	struct evbuffer *in;
	size_t n;

	(void)fd;
	(void)what;
	if (!conn_is_open(sc->c))
		return;
	in = bufferevent_get_input(sc->c->bev);
	if ((n = evbuffer_get_length(in)) > 0)
		sipconn_report(sc, in, n, CTL_F_TRUNCATED);
}

static void
sipconn_read_h(struct conn *c, struct evbuffer *in)
{
	struct sipconn *sc = c->arg;
	struct timeval quiet = { 0, SIPCONN_QUIET_MS * 1000 };
	size_t avail, len, plen;
	int r;

	while (conn_is_open(c) && (avail = evbuffer_get_length(in)) > 0) {
		plen = avail < 2 * SIP_MAX_MSG ? avail : 2 * SIP_MAX_MSG;
		r = sip_frame_len(evbuffer_pullup(in, (ssize_t)plen), plen,
		    &len);
		if (r == -EAGAIN) {
			evtimer_add(sc->quiet, &quiet);
			return;
		}
		evtimer_del(sc->quiet);
		if (r < 0)	/* not SIP, or larger than any probe: cut */
			sipconn_report(sc, in, plen, CTL_F_TRUNCATED);
		else
			sipconn_report(sc, in, len, 0);
	}
}

static void
sipconn_eof_h(struct conn *c, struct evbuffer *in)
{
	size_t n = evbuffer_get_length(in);

	if (n > 0)
		sipconn_report(c->arg, in, n < 2 * SIP_MAX_MSG ? n :
		    2 * SIP_MAX_MSG, CTL_F_TRUNCATED | CTL_F_CLOSED);
}

static void
sipconn_gone_h(struct conn *c)
{
	struct sipconn *sc = c->arg;

	if (sc->ss != NULL)
		session_child_del(sc->ss, &sc->ch);
	if (sc->quiet != NULL)
		event_free(sc->quiet);
	free(sc);
}

/* The session ended before the connection. */
static void
sipconn_session_gone(struct session_child *ch)
{
	struct sipconn *sc = sipconn_of(ch);

	sc->ss = NULL;
	conn_abort(sc->c);
}

static void sipconn_peek_h(struct conn *c, uint8_t first);

static const struct conn_ops sipconn_ops = {
	.name = "SIP/TCP",
	.peek = sipconn_peek_h,
	.read = sipconn_read_h,
	.eof = sipconn_eof_h,
	.gone = sipconn_gone_h,
};

/* The first byte decides: a TLS handshake (0x16), or SIP over TCP. */
static void
sipconn_peek_h(struct conn *c, uint8_t first)
{
	if (first == 0x16 && c->srv->tls != NULL) {
		reachsrv_tls_take(c);	/* sipconn_gone_h frees sc */
		return;
	}
	(void)conn_start(c, NULL, 2 * SIP_MAX_MSG);
}

void
sipsrv_accept_h(evutil_socket_t lfd, short what, void *arg)
{
	struct listener *l = arg;
	struct server *s = l->srv;
	struct sipconn *sc;
	struct conn *c;

	(void)lfd;
	(void)what;
	if ((sc = calloc(1, sizeof(*sc))) == NULL)
		return;
	sc->ch.kind = SCH_SIPCONN;
	sc->ch.gone = sipconn_session_gone;
	if ((sc->quiet = evtimer_new(s->base, sipconn_quiet_h, sc)) == NULL ||
	    (c = conn_accept(l, &sipconn_ops, sc, SIPCONN_NONCE_WAIT)) == NULL) {
		if (sc->quiet != NULL)
			event_free(sc->quiet);
		free(sc);
		return;
	}
	sc->c = c;
	c->resp = RESP_SIP;
	/* Only session clients get a connection held open. */
	if (!session_validated(s, &c->peer_ip) ||
	    conn_probe(c, s->conf.max_tcp_per_source) < 0) {
		srv_log_remote(s, "refused a SIP/TCP connection");
		conn_abort(c);
	}
}

int
sipsrv_tcp_send(struct session *ss, uint16_t peer_port, uint16_t local_port,
    const uint8_t *p, size_t n)
{
	struct session_child *ch;
	struct sipconn *sc;

	for (ch = ss->children; ch != NULL; ch = ch->next) {
		if (ch->kind != SCH_SIPCONN)
			continue;
		sc = sipconn_of(ch);
		if (sc->c->peer_port == peer_port &&
		    sc->c->local_port == local_port)
			return conn_write(sc->c, p, n) < 0 ? -ENOENT : 0;
	}
	return -ENOENT;
}
