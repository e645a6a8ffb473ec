/* ctlcli.c - client side of the control protocol, on libevent. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "config.h"
#include "ctlcli.h"
#include "ctlreq.h"
#include "log.h"

#define CTLCLI_DEBUG_SEEN	32	/* -v: SEEN reports logged */

enum {
	CTLCLI_CONNECTING,
	CTLCLI_PREAMBLE,
	CTLCLI_WAIT_WELCOME,
	CTLCLI_VERSION_REFUSED,		/* reading the one ERROR allowed */
	CTLCLI_READY,
	CTLCLI_FAILED,
};

long long
ctlcli_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
ctlcli_fail(struct ctlcli *c, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
ctlcli_fail(struct ctlcli *c, int err, const char *fmt, ...)
{
	va_list ap;
	int was_open = c->state == CTLCLI_READY;

	if (c->state == CTLCLI_FAILED)
		return;
	c->state = CTLCLI_FAILED;
	c->error = err;
	va_start(ap, fmt);
	vsnprintf(c->errmsg, sizeof(c->errmsg), fmt, ap);
	va_end(ap);
	if (c->bev != NULL)
		bufferevent_disable(c->bev, EV_READ);
	if (was_open && c->lost_h != NULL)
		c->lost_h(c->lost_arg);
}

static int
ctlcli_write(struct ctlcli *c, const struct dbuf *b)
{
	size_t queued;

	if (c->bev == NULL || c->state == CTLCLI_FAILED)
		return c->error ? c->error : -ENOTCONN;
	/* A server that does not read must not make us queue without end. */
	queued = evbuffer_get_length(bufferevent_get_output(c->bev));
	if (queued + b->len > CTLCLI_OUT_MAX) {
		ctlcli_fail(c, -ENOBUFS, "the server does not read the control "
		    "connection (%zu bytes wait to be sent, at most %d)",
		    queued, CTLCLI_OUT_MAX);
		return -ENOBUFS;
	}
	if (bufferevent_write(c->bev, b->b, b->len) < 0)
		return -ENOMEM;
	c->last_write_ms = ctlcli_now_ms();
	return 0;
}

/*
 * The server closes a control connection that sends no frame for its idle
 * timeout (30 s by default); a long wait keeps it open with PINGs.
 */
#define CTLCLI_KEEPALIVE_MS 10000

void
ctlcli_keepalive(struct ctlcli *c)
{
	struct dbuf b;
	size_t start;

	if (c->state != CTLCLI_READY ||
	    ctlcli_now_ms() - c->last_write_ms < CTLCLI_KEEPALIVE_MS)
		return;
	dbuf_init(&b, 16);
	if (ctl_enc_begin(&b, CTL_PING, &start) == 0 &&
	    ctl_enc_end(&b, start) == 0 && ctlcli_write(c, &b) == 0)
		c->pings++;
	dbuf_free(&b);
}

static void
ctlcli_keepalive_h(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	ctlcli_keepalive(arg);
}

static int
ctlcli_watched(const struct ctlcli *c, const uint8_t nonce[CTL_NONCE_LEN])
{
	size_t i;

	for (i = 0; i < c->nwatched; i++)
		if (memcmp(c->watched[i], nonce, CTL_NONCE_LEN) == 0)
			return 1;
	return 0;
}

static int
ctlcli_on_seen(struct ctlcli *c, const struct ctl_msg *m)
{
	struct ctl_seen s;
	uint8_t *copy;
	int r;

	if ((r = ctl_seen_decode(m, &s)) < 0)
		return r;
	if (!ctlcli_watched(c, s.nonce)) {
		c->dropped++;
		return 0;
	}
	if (c->nseen == CTLCLI_MAX_SEEN ||
	    s.len > CTLCLI_MAX_SEEN_BYTES - c->seen_bytes) {
		ctlcli_fail(c, -ENOBUFS, "the server sent more SEEN reports "
		    "than a check can ask for (at most %d, %u bytes)",
		    CTLCLI_MAX_SEEN, CTLCLI_MAX_SEEN_BYTES);
		return 0;
	}
	if (c->nseen == c->seen_cap) {
		size_t cap = c->seen_cap ? c->seen_cap * 2 : 16;
		struct ctl_seen *ns;

		if ((ns = realloc(c->seen, cap * sizeof(*ns))) == NULL)
			return -ENOMEM;
		c->seen = ns;
		c->seen_cap = cap;
	}
	if ((copy = malloc(s.len ? s.len : 1)) == NULL)
		return -ENOMEM;
	/* A sweep is seen port by port: its first reports only. */
	if (c->nseen < CTLCLI_DEBUG_SEEN)
		log_debug("ctl: the server received %zu bytes over %s on its "
		    "port %u from port %u", s.len, s.transport == CTL_TCP ?
		    "TCP" : "UDP", s.local_port, s.peer_port);
	else if (c->nseen == CTLCLI_DEBUG_SEEN)
		log_debug("ctl: further reports of what the server received "
		    "are not logged");
	memcpy(copy, s.payload, s.len);
	s.payload = copy;
	c->seen[c->nseen++] = s;
	c->seen_bytes += s.len;
	return 0;
}

/* Keeps the first answer to a request we made; drops any other. */
static int
ctlcli_on_answer(struct ctlcli *c, const struct ctl_answer *a)
{
	if (a->req_id == 0 || a->req_id >= c->next_req ||
	    ctlcli_result_find(c, a->req_id) != NULL) {
		c->dropped++;
		return 0;
	}
	if (c->nresults == c->results_cap) {
		size_t cap = c->results_cap ? c->results_cap * 2 : 16;
		struct ctl_answer *nr;

		if ((nr = realloc(c->results, cap * sizeof(*nr))) == NULL)
			return -ENOMEM;
		c->results = nr;
		c->results_cap = cap;
	}
	c->results[c->nresults++] = *a;
	log_debug("ctl: #%u: %s%s", a->req_id, a->code ? "refused: " : "done",
	    a->code ? a->reason : "");
	return 0;
}

/* Keeps the first MEDIA_STATS of a request we made; drops others. */
static int
ctlcli_on_mstats(struct ctlcli *c, const struct ctl_msg *m)
{
	struct ctl_media_stats st;

	if (ctl_media_stats_decode(m, &st) < 0)
		return -EBADMSG;
	if (st.req_id >= c->next_req ||
	    ctlcli_mstats_find(c, st.req_id) != NULL) {
		c->dropped++;
		return 0;
	}
	if (c->nmstats >= CTLCLI_MAX_MSTATS) {
		ctlcli_fail(c, -ENOBUFS, "the server sent more than %d media "
		    "reports", CTLCLI_MAX_MSTATS);
		return 0;
	}
	if (c->nmstats == c->mstats_cap) {
		size_t cap = c->mstats_cap ? c->mstats_cap * 2 : 16;
		struct ctl_media_stats *n;

		if ((n = realloc(c->mstats, cap * sizeof(*n))) == NULL)
			return -ENOMEM;
		c->mstats = n;
		c->mstats_cap = cap;
	}
	c->mstats[c->nmstats++] = st;
	return 0;
}

/*
 * The server's preamble named a version above ours: it cannot speak ours
 * (docs/protocol.md, section 2).  'a' is the ERROR it sent, or NULL.
 */
static void
ctlcli_fail_version(struct ctlcli *c, const struct ctl_answer *a)
{
	ctlcli_fail(c, -EPROTONOSUPPORT, "the server speaks control protocol "
	    "version %d or later, this pinhole version %d: a newer pinhole is "
	    "needed%s%s%s", c->version, CTL_VERSION,
	    a != NULL ? " (the server says: " : "",
	    a != NULL ? (a->reason[0] ? a->reason : "no common version") : "",
	    a != NULL ? ")" : "");
}

static int
ctlcli_on_msg(struct ctlcli *c, const struct ctl_msg *m)
{
	struct ctl_answer a;
	struct dbuf b;
	size_t start;
	int r;

	if (c->state == CTLCLI_VERSION_REFUSED) {
		ctlcli_fail_version(c, m->type == CTL_ERROR &&
		    ctl_answer_decode(m, &a) == 0 ? &a : NULL);
		return 0;
	}
	/* Before WELCOME, only WELCOME or a fatal ERROR. */
	if (c->state != CTLCLI_READY && m->type != CTL_WELCOME &&
	    m->type != CTL_ERROR)
		return -EPROTO;
	switch (m->type) {
	case CTL_WELCOME:
		if (c->state != CTLCLI_WAIT_WELCOME)
			return -EPROTO;
		if ((r = ctl_welcome_decode(m, &c->w)) < 0)
			return r;
		c->state = CTLCLI_READY;
		c->opened_ms = ctlcli_now_ms();
		return 0;
	case CTL_ERROR:
	case CTL_SENT:
		if ((r = ctl_answer_decode(m, &a)) < 0)
			return r;
		if (a.req_id != 0 && c->state == CTLCLI_READY)
			return ctlcli_on_answer(c, &a);
		if (m->type == CTL_SENT)
			return -EPROTO;
		ctlcli_fail(c, -ECONNREFUSED, "server refused: %d %s",
		    a.code, a.reason);
		return 0;
	case CTL_SEEN:
		return ctlcli_on_seen(c, m);
	case CTL_MEDIA_STATS:
		return ctlcli_on_mstats(c, m);
	case CTL_PING:
		dbuf_init(&b, 64);
		if (ctl_enc_begin(&b, CTL_PONG, &start) == 0 &&
		    ctl_enc_end(&b, start) == 0)
			(void)ctlcli_write(c, &b);
		dbuf_free(&b);
		return 0;
	case CTL_PONG:
		c->pongs++;
		return 0;
	case CTL_BYE:
		ctlcli_fail(c, -ECONNRESET, "server ended the session");
		return 0;
	default:
		/* Unknown types from a newer server are ignored. */
		return 0;
	}
}

static void
ctlcli_read_h(struct bufferevent *bev, void *arg)
{
	struct ctlcli *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	struct ctl_msg m;
	size_t avail, flen;
	uint8_t *p;
	int r;

	while (c->state != CTLCLI_FAILED) {
		avail = evbuffer_get_length(in);
		if (c->state == CTLCLI_PREAMBLE) {
			if (avail < CTL_PREAMBLE_LEN)
				return;
			p = evbuffer_pullup(in, CTL_PREAMBLE_LEN);
			if ((r = ctl_preamble_check(p, CTL_PREAMBLE_LEN)) < 0) {
				ctlcli_fail(c, -EPROTO, "the server does not "
				    "speak the pinhole control protocol");
				return;
			}
			c->version = r;
			evbuffer_drain(in, CTL_PREAMBLE_LEN);
			/* Higher than ours: one ERROR may follow, then close. */
			c->state = r > CTL_VERSION ? CTLCLI_VERSION_REFUSED :
			    CTLCLI_WAIT_WELCOME;
			continue;
		}
		/* At most one frame is made contiguous, never the stream. */
		if (avail > CTL_HDR_LEN + CTL_MAX_BODY)
			avail = CTL_HDR_LEN + CTL_MAX_BODY;
		p = evbuffer_pullup(in, (ev_ssize_t)avail);
		if ((r = ctl_frame_peek(p, avail, &flen)) == -EAGAIN)
			return;
		if (r < 0) {
			if (c->state == CTLCLI_VERSION_REFUSED)
				ctlcli_fail_version(c, NULL);
			ctlcli_fail(c, -EPROTO, "oversized control frame");
			return;
		}
		if ((r = ctl_msg_decode(p, flen, &m)) < 0 ||
		    (r = ctlcli_on_msg(c, &m)) < 0) {
			ctlcli_fail(c, r, "bad control message from server "
			    "(type %u): %s", m.type, strerror(-r));
			return;
		}
		evbuffer_drain(in, flen);
	}
}

static void
ctlcli_event_h(struct bufferevent *bev, short what, void *arg)
{
	struct ctlcli *c = arg;
	socklen_t len = sizeof(c->local);

	if (what & BEV_EVENT_CONNECTED) {
		(void)getsockname(bufferevent_getfd(bev),
		    (struct sockaddr *)&c->local, &len);
		c->state = CTLCLI_PREAMBLE;
		return;
	}
	if (what & BEV_EVENT_ERROR) {
		unsigned long tlserr = c->tls ? bufferevent_get_openssl_error(bev) : 0;
		int err = EVUTIL_SOCKET_ERROR();
		char buf[128];

		if (tlserr != 0) {
			SSL *ssl = bufferevent_openssl_get_ssl(bev);
			long v = ssl != NULL ? SSL_get_verify_result(ssl) :
			    X509_V_OK;

			/* Why the certificate was refused: "certificate
			 * verify failed" alone does not say. */
			ERR_error_string_n(tlserr, buf, sizeof(buf));
			if (v != X509_V_OK)
				ctlcli_fail(c, -EPROTO, "TLS on the control "
				    "connection: the server's certificate was "
				    "refused: %s",
				    X509_verify_cert_error_string(v));
			else
				ctlcli_fail(c, -EPROTO, "TLS on the control "
				    "connection failed: %s", buf);
		} else {
			ctlcli_fail(c, err ? -err : -ECONNRESET, "control "
			    "connection: %s", strerror(err ? err : ECONNRESET));
		}
	} else if (what & BEV_EVENT_EOF) {
		if (c->state == CTLCLI_VERSION_REFUSED)
			ctlcli_fail_version(c, NULL);
		ctlcli_fail(c, -ECONNRESET, "the server closed the control "
		    "connection");
	}
}

struct wait_state {
	int fired;
};

static void
ctlcli_timeout_h(evutil_socket_t fd, short what, void *arg)
{
	struct wait_state *w = arg;

	w->fired = 1;
}

int
ctlcli_wait(struct ctlcli *c, int (*done)(void *arg), void *arg,
    int timeout_ms)
{
	struct wait_state w = { 0 };
	struct timeval tv, ka = { 1, 0 };
	struct event *t, *k;
	int r;

	if (done(arg))
		return 0;
	if (c->wait_h != NULL &&
	    c->wait_h(c->wait_arg, done, arg, timeout_ms, &r))
		return r;
	if ((t = evtimer_new(c->base, ctlcli_timeout_h, &w)) == NULL)
		return -ENOMEM;
	if ((k = event_new(c->base, -1, EV_PERSIST, ctlcli_keepalive_h, c)) == NULL) {
		event_free(t);
		return -ENOMEM;
	}
	tv.tv_sec = timeout_ms / 1000;
	tv.tv_usec = (timeout_ms % 1000) * 1000;
	evtimer_add(t, &tv);
	event_add(k, &ka);
	while (!w.fired && c->state != CTLCLI_FAILED && !done(arg))
		event_base_loop(c->base, EVLOOP_ONCE);
	event_free(k);
	event_free(t);
	if (done(arg))
		return 0;
	if (c->state == CTLCLI_FAILED)
		return c->error ? c->error : -EIO;
	return -ETIMEDOUT;
}

static int
ctlcli_ready_h(void *arg)
{
	struct ctlcli *c = arg;

	return c->state == CTLCLI_READY;
}

int
ctlcli_open(struct ctlcli *c, struct event_base *base,
    const struct sockaddr *server, socklen_t slen, int timeout_ms)
{
	uint8_t pre[CTL_PREAMBLE_LEN];
	char sa[NET_ADDRSTRLEN];
	struct dbuf b;
	size_t start;
	int r;

	struct ssl_ctx_st *tls = c->tls;
	const char *tls_host = c->tls_host;
	SSL *ssl = NULL;

	memset(c, 0, sizeof(*c));
	c->tls = tls;
	c->tls_host = tls_host;
	c->base = base;
	c->next_req = 1;
	memcpy(&c->server, server, slen);
	c->server_len = slen;
	c->state = CTLCLI_CONNECTING;
	net_sa_str(server, sa, sizeof(sa));

	if (tls != NULL) {
		struct net_ip ip;

		if ((ssl = SSL_new(tls)) == NULL)
			return -ENOMEM;
		if (net_ip_parse(tls_host, &ip) == 0) {
			X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl),
			    tls_host);
		} else {
			SSL_set_tlsext_host_name(ssl, tls_host);
			SSL_set1_host(ssl, tls_host);
		}
		c->bev = bufferevent_openssl_socket_new(base, -1, ssl,
		    BUFFEREVENT_SSL_CONNECTING, BEV_OPT_CLOSE_ON_FREE);
	} else {
		c->bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	}
	if (c->bev == NULL) {
		SSL_free(ssl);
		return -ENOMEM;
	}
	bufferevent_setcb(c->bev, ctlcli_read_h, NULL, ctlcli_event_h, c);
	bufferevent_setwatermark(c->bev, EV_READ, 0, CTLCLI_IN_MAX);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);

	dbuf_init(&b, CTL_MAX_BODY);
	ctl_preamble(pre);
	if ((r = dbuf_add(&b, pre, sizeof(pre))) < 0 ||
	    (r = ctl_enc_begin(&b, CTL_HELLO, &start)) < 0 ||
	    (r = ctl_put_str(&b, CTL_A_SOFTWARE, "pinhole " PINHOLE_VERSION)) < 0 ||
	    (r = ctl_enc_end(&b, start)) < 0 ||
	    (r = ctlcli_write(c, &b)) < 0)
		goto out;
	if (bufferevent_socket_connect(c->bev, (struct sockaddr *)server,
	    (int)slen) < 0) {
		r = -errno ? -errno : -ECONNREFUSED;
		snprintf(c->errmsg, sizeof(c->errmsg), "cannot connect to %s: "
		    "%s", sa, strerror(-r));
		goto out;
	}
	r = ctlcli_wait(c, ctlcli_ready_h, c, timeout_ms);
	if (r == -ETIMEDOUT)
		snprintf(c->errmsg, sizeof(c->errmsg), "no answer from %s "
		    "within %d s", sa, timeout_ms / 1000);
	else if (r < 0 && c->errmsg[0] == '\0')
		snprintf(c->errmsg, sizeof(c->errmsg), "%s: %s", sa,
		    strerror(-r));
out:
	dbuf_free(&b);
	return r;
}

void
ctlcli_close(struct ctlcli *c)
{
	struct dbuf b;
	size_t start, i;

	if (c->bev != NULL && c->state == CTLCLI_READY) {
		dbuf_init(&b, 64);
		if (ctl_enc_begin(&b, CTL_BYE, &start) == 0 &&
		    ctl_enc_end(&b, start) == 0 &&
		    ctlcli_write(c, &b) == 0) {
			/* Let the BYE out; the server closes after it. */
			bufferevent_flush(c->bev, EV_WRITE, BEV_FLUSH);
			event_base_loop(c->base, EVLOOP_NONBLOCK);
		}
		dbuf_free(&b);
	}
	if (c->bev != NULL)
		bufferevent_free(c->bev);
	c->bev = NULL;
	for (i = 0; i < c->nseen; i++)
		free((void *)c->seen[i].payload);
	free(c->seen);
	free(c->results);
	free(c->mstats);
	c->mstats = NULL;
	c->nmstats = c->mstats_cap = 0;
	free(c->watched);
	c->seen = NULL;
	c->results = NULL;
	c->watched = NULL;
	c->nseen = c->nresults = c->nwatched = 0;
}

int
ctlcli_in_ranges(const uint16_t (*r)[2], size_t n, uint16_t port)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (port >= r[i][0] && port <= r[i][1])
			return 1;
	return 0;
}

int
ctlcli_has_port(const struct ctlcli *c, int transport, uint16_t port)
{
	return transport == CTL_UDP ?
	    ctlcli_in_ranges((const uint16_t (*)[2])c->w.udp_ports,
	    c->w.nudp_ports, port) :
	    ctlcli_in_ranges((const uint16_t (*)[2])c->w.tcp_ports,
	    c->w.ntcp_ports, port);
}

int
ctlcli_watch(struct ctlcli *c, const uint8_t nonce[CTL_NONCE_LEN])
{
	struct dbuf b;
	size_t start;
	int r;

	if (!ctlcli_watched(c, nonce)) {
		if (c->nwatched == CTLCLI_MAX_WATCH)
			return -ENOSPC;
		if (c->nwatched == c->watched_cap) {
			size_t cap = c->watched_cap ? c->watched_cap * 2 : 16;
			uint8_t (*nw)[CTL_NONCE_LEN];

			if ((nw = realloc(c->watched, cap * sizeof(*nw))) == NULL)
				return -ENOMEM;
			c->watched = nw;
			c->watched_cap = cap;
		}
		memcpy(c->watched[c->nwatched++], nonce, CTL_NONCE_LEN);
	}
	dbuf_init(&b, 64);
	if ((r = ctl_enc_begin(&b, CTL_WATCH, &start)) == 0 &&
	    (r = ctl_put_bytes(&b, CTL_A_NONCE, nonce, CTL_NONCE_LEN)) == 0 &&
	    (r = ctl_enc_end(&b, start)) == 0)
		r = ctlcli_write(c, &b);
	dbuf_free(&b);
	return r;
}

int
ctlcli_send(struct ctlcli *c, int transport, uint16_t local_port,
    uint16_t peer_port, const void *payload, size_t len)
{
	uint32_t id = c->next_req++;
	struct dbuf b;
	size_t start;
	int r;

	dbuf_init(&b, CTL_MAX_BODY);
	if ((r = ctl_enc_begin(&b, CTL_SEND, &start)) == 0 &&
	    (r = ctl_put_u32(&b, CTL_A_REQ_ID, id)) == 0 &&
	    (r = ctl_put_u8(&b, CTL_A_TRANSPORT, (uint8_t)transport)) == 0 &&
	    (r = ctl_put_u16(&b, CTL_A_LOCAL_PORT, local_port)) == 0 &&
	    (r = ctl_put_addr(&b, CTL_A_PEER, &c->w.observed_ip, peer_port)) == 0 &&
	    (r = ctl_put_bytes(&b, CTL_A_PAYLOAD, payload, len)) == 0 &&
	    (r = ctl_enc_end(&b, start)) == 0)
		r = ctlcli_write(c, &b);
	dbuf_free(&b);
	log_debug("ctl: #%u: the server sends %zu bytes over %s from its "
	    "port %u to %u", id, len, transport == CTL_TCP ? "TCP" : "UDP",
	    local_port, peer_port);
	return r < 0 ? r : (int)id;
}

int
ctlcli_sweep(struct ctlcli *c, const uint8_t nonce[CTL_NONCE_LEN],
    const uint16_t (*ranges)[2], size_t n, const struct net_ip *source,
    uint16_t local_port)
{
	uint32_t id = c->next_req++;
	struct dbuf b;
	size_t start;
	int r;

	dbuf_init(&b, CTL_MAX_BODY);
	if ((r = ctl_enc_begin(&b, CTL_SWEEP, &start)) == 0 &&
	    (r = ctl_put_u32(&b, CTL_A_REQ_ID, id)) == 0 &&
	    (r = ctl_put_bytes(&b, CTL_A_NONCE, nonce, CTL_NONCE_LEN)) == 0 &&
	    (r = ctl_put_ranges(&b, CTL_A_PORTS, ranges, n)) == 0 &&
	    (local_port == 0 ||
	    (r = ctl_put_u16(&b, CTL_A_LOCAL_PORT, local_port)) == 0) &&
	    (source == NULL ||
	    (r = ctl_put_addr(&b, CTL_A_SOURCE, source, 0)) == 0) &&
	    (r = ctl_enc_end(&b, start)) == 0)
		r = ctlcli_write(c, &b);
	dbuf_free(&b);
	log_debug("ctl: #%u: the server sweeps %zu port range%s from %u "
	    "up", id, n, n == 1 ? "" : "s", n ? ranges[0][0] : 0);
	return r < 0 ? r : (int)id;
}

int
ctlcli_connect(struct ctlcli *c, const uint8_t nonce[CTL_NONCE_LEN],
    uint16_t port, const struct net_ip *source)
{
	uint32_t id = c->next_req++;
	struct dbuf b;
	size_t start;
	int r;

	dbuf_init(&b, 128);
	if ((r = ctl_enc_begin(&b, CTL_CONNECT, &start)) == 0 &&
	    (r = ctl_put_u32(&b, CTL_A_REQ_ID, id)) == 0 &&
	    (r = ctl_put_bytes(&b, CTL_A_NONCE, nonce, CTL_NONCE_LEN)) == 0 &&
	    (r = ctl_put_addr(&b, CTL_A_PEER, &c->w.observed_ip, port)) == 0 &&
	    (source == NULL ||
	    (r = ctl_put_addr(&b, CTL_A_SOURCE, source, 0)) == 0) &&
	    (r = ctl_enc_end(&b, start)) == 0)
		r = ctlcli_write(c, &b);
	dbuf_free(&b);
	log_debug("ctl: #%u: the server connects to TCP port %u", id, port);
	return r < 0 ? r : (int)id;
}

int
ctlcli_media(struct ctlcli *c, const struct ctlreq_media *q)
{
	uint32_t id = c->next_req++;
	struct dbuf b;
	size_t start;
	int r;

	dbuf_init(&b, 128);
	if ((r = ctl_enc_begin(&b, CTL_MEDIA, &start)) == 0 &&
	    (r = ctl_put_u32(&b, CTL_A_REQ_ID, id)) == 0 &&
	    (r = ctl_put_u16(&b, CTL_A_LOCAL_PORT, q->local_port)) == 0 &&
	    (r = ctl_put_u32(&b, CTL_A_SSRC, q->ssrc)) == 0 &&
	    (r = ctl_put_u32(&b, CTL_A_MEDIA_KEY, q->key)) == 0 &&
	    (r = ctl_put_u8(&b, CTL_A_RTP_PT, q->pt)) == 0 &&
	    (r = ctl_put_u16(&b, CTL_A_PTIME, q->ptime_ms)) == 0 &&
	    (r = ctl_put_u16(&b, CTL_A_PAYLOAD_LEN, q->payload_len)) == 0 &&
	    (r = ctl_put_u32(&b, CTL_A_PACKETS, q->packets)) == 0 &&
	    (r = ctl_put_u16(&b, CTL_A_FIRST_SEQ, q->first_seq)) == 0 &&
	    (r = ctl_put_u8(&b, CTL_A_TOS, q->tos)) == 0 &&
	    (r = ctl_put_u16(&b, CTL_A_JITTER_BUF, q->jb_ms)) == 0 &&
	    (r = ctl_enc_end(&b, start)) == 0)
		r = ctlcli_write(c, &b);
	dbuf_free(&b);
	return r < 0 ? r : (int)id;
}

const struct ctl_media_stats *
ctlcli_mstats_find(const struct ctlcli *c, uint32_t req_id)
{
	size_t i;

	for (i = 0; i < c->nmstats; i++)
		if (c->mstats[i].req_id == req_id)
			return &c->mstats[i];
	return NULL;
}

const struct ctl_seen *
ctlcli_seen_find(const struct ctlcli *c, const uint8_t nonce[CTL_NONCE_LEN])
{
	size_t i;

	for (i = 0; i < c->nseen; i++)
		if (memcmp(c->seen[i].nonce, nonce, CTL_NONCE_LEN) == 0)
			return &c->seen[i];
	return NULL;
}

const struct ctl_answer *
ctlcli_result_find(const struct ctlcli *c, uint32_t req_id)
{
	size_t i;

	for (i = 0; i < c->nresults; i++)
		if (c->results[i].req_id == req_id)
			return &c->results[i];
	return NULL;
}

static int
ctlcli_pong_h(void *arg)
{
	struct ctlcli *c = arg;

	return c->pongs >= c->pings;
}

int
ctlcli_sync(struct ctlcli *c, int timeout_ms)
{
	struct dbuf b;
	size_t start;
	int r;

	dbuf_init(&b, 16);
	if ((r = ctl_enc_begin(&b, CTL_PING, &start)) == 0 &&
	    (r = ctl_enc_end(&b, start)) == 0)
		r = ctlcli_write(c, &b);
	dbuf_free(&b);
	if (r < 0)
		return r;
	c->pings++;
	return ctlcli_wait(c, ctlcli_pong_h, c, timeout_ms);
}

void
ctlcli_on_lost(struct ctlcli *c, void (*h)(void *arg), void *arg)
{
	c->lost_h = h;
	c->lost_arg = arg;
}

void
ctlcli_on_wait(struct ctlcli *c, int (*h)(void *warg,
    int (*done)(void *arg), void *arg, int timeout_ms, int *result),
    void *warg)
{
	c->wait_h = h;
	c->wait_arg = warg;
}

int
ctlcli_is_open(const struct ctlcli *c)
{
	return c->state == CTLCLI_READY;
}

void
ctlcli_use_tls(struct ctlcli *c, struct ssl_ctx_st *tls, const char *host)
{
	c->tls = tls;
	c->tls_host = host;
}
