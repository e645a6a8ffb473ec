/*
 * responder.c - the responder registry (responder.h): the control port's
 * connections are the registry's until their first bytes say whose they
 * are, and the SIP and media UDP ports' datagrams go to the first
 * responder that takes them.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include <event2/bufferevent_ssl.h>
#include <openssl/ssl.h>

#include "conn.h"
#include "ctl.h"
#include "responder.h"
#include "sip.h"

/* Read ahead while the first bytes decide: a preamble and a HELLO. */
#define RESP_READ_MAX	(CTL_PREAMBLE_LEN + CTL_HDR_LEN + CTL_MAX_BODY)
/* The first bytes any responder needs to decide. */
#define RESP_PEEK_MAX	16

_Static_assert(RESP_N <= MTR_RESPONDERS, "a responder without counters");

extern const struct responder tls_responder;

/* In order: the first that claims a stream or a datagram takes it. */
static const struct responder *const responders[RESP_N] = {
	[RESP_TLS] = &tls_responder,
	[RESP_CONTROL] = &ctlsrv_responder,
	[RESP_ICE_TCP] = &wice_responder,
	[RESP_HTTPS] = &websrv_responder,
	[RESP_WEBRTC] = &webrtc_responder,
	[RESP_STUN] = &stunsrv_responder,
	[RESP_MEDIA] = &mediasrv_responder,
	[RESP_SIP] = &sipsrv_responder,
};

static void resp_peek_h(struct conn *c, uint8_t first);
static void resp_read_h(struct conn *c, struct evbuffer *in);

/* The registry owns a connection until its first bytes decide. */
static const struct conn_ops resp_clear_ops = {
	.name = "undecided",
	.peek = resp_peek_h,
	.read = resp_read_h,
};

static const struct conn_ops resp_tls_ops = {
	.name = "undecided TLS",
	.read = resp_read_h,
};

static void
resp_peek_h(struct conn *c, uint8_t first)
{
	const struct responder *r;
	size_t i;

	for (i = 0; i < RESP_N; i++) {
		r = responders[i];
		if (r->layer && r->stream_is != NULL &&
		    r->stream_is(c->srv, 0, &first, 1) == 1) {
			r->stream_take(c, 0, NULL);
			return;
		}
	}
	(void)conn_start(c, NULL, RESP_READ_MAX);
}

static void
resp_read_h(struct conn *c, struct evbuffer *in)
{
	int tls = bufferevent_openssl_get_ssl(c->bev) != NULL, more = 0, m;
	size_t i, n = evbuffer_get_length(in);
	const struct responder *r;
	const uint8_t *p;

	if (n == 0)
		return;
	if (n > RESP_PEEK_MAX)
		n = RESP_PEEK_MAX;
	p = evbuffer_pullup(in, (ssize_t)n);
	for (i = 0; i < RESP_N; i++) {
		r = responders[i];
		if (r->layer || r->stream_is == NULL)
			continue;
		if ((m = r->stream_is(c->srv, tls, p, n)) < 0)
			more = 1;	/* it, before any later one */
		else if (m == 1) {
			if (!more) {
				c->resp = (int)i;
				r->stream_take(c, tls, in);
			}
			return;
		}
	}
	if (more)
		return;		/* the START deadline bounds the wait */
	srv_log_remote(c->srv, "closing a connection whose first bytes no "
	    "responder of the control port takes");
	conn_abort(c);
}

/* TLS: a layer, inside which the first bytes decide again. */
static int
tls_stream_is(const struct server *s, int tls, const uint8_t *p, size_t n)
{
	(void)s;
	(void)n;
	return !tls && p[0] == 0x16;
}

static void
tls_stream_take(struct conn *c, int tls, struct evbuffer *in)
{
	struct server *s = c->srv;
	SSL *ssl;

	(void)tls;
	(void)in;
	if (s->tls == NULL || (ssl = SSL_new(s->tls)) == NULL) {
		srv_log_remote(s, "TLS on the control port, but no certificate "
		    "is configured");
		conn_abort(c);
		return;
	}
	conn_handover(c, &resp_tls_ops, NULL);
	(void)conn_start(c, ssl, RESP_READ_MAX);
}

const struct responder tls_responder = {
	.name = "tls",
	.stream_is = tls_stream_is,
	.stream_take = tls_stream_take,
	.layer = 1,
};

const char *
responder_name(int id)
{
	return id >= 0 && id < RESP_N ? responders[id]->name : "none";
}

void
responder_accept_h(evutil_socket_t lfd, short what, void *arg)
{
	struct listener *l = arg;
	struct conn *c;
	int i;

	(void)lfd;
	(void)what;
	for (i = 0; i < 16 && !l->srv->accept_paused; i++) {
		c = conn_accept(l, &resp_clear_ops, NULL,
		    l->srv->conf.hello_timeout);
		if (c == NULL)
			return;
		conn_admit(c);
	}
}

static void
resp_datagram(struct listener *l, const uint8_t *buf, size_t n,
    const struct srv_dgram *d)
{
	size_t i;

	for (i = 0; i < RESP_N; i++)
		if (responders[i]->datagram != NULL &&
		    responders[i]->datagram(l, buf, n, d)) {
			l->srv->cnt.resp_dgram_in[i]++;
			l->srv->cnt.resp_dgram_in_bytes[i] += n;
			return;
		}
}

void
responder_udp_h(evutil_socket_t fd, short what, void *arg)
{
	struct listener *l = arg;
	struct listen_rx *rx = l->srv->rx;
	size_t i, n;
	int round;

	(void)fd;
	(void)what;
	for (round = 0; round < 4; round++) {	/* bounded work per wakeup */
		n = listen_recv_batch(l, rx, SIP_MAX_MSG);
		for (i = 0; i < n; i++)
			resp_datagram(l, rx->buf[i], rx->len[i], &rx->d[i]);
		if (n < LISTEN_BATCH)
			return;
	}
}
