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
#include "ctlcli_priv.h"
#include "log.h"

enum {
	CTLCLI_CONNECTING,
	CTLCLI_PREAMBLE,
	CTLCLI_WAIT_WELCOME,
	CTLCLI_VERSION_REFUSED,		/* reading the one ERROR allowed */
	CTLCLI_READY,
	CTLCLI_FAILED,
};

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
	/* Every wait on the loop ends with the session's error. */
	if (was_open)
		loop_fail(c->loop, err);
}

int
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
	c->last_write_ms = loop_now_ms(c->loop);
	return 0;
}

/*
 * The server closes a control connection that sends no frame for its idle
 * timeout (30 s by default); a long wait keeps it open with PINGs.
 */
#define CTLCLI_KEEPALIVE_MS 10000

static void
ctlcli_keepalive(struct ctlcli *c)
{
	struct dbuf b;
	size_t start;

	if (c->state != CTLCLI_READY ||
	    loop_now_ms(c->loop) - c->last_write_ms < CTLCLI_KEEPALIVE_MS)
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
ctlcli_on_seen(struct ctlcli *c, const struct ctl_msg *m)
{
	struct ctl_seen s;
	int r;

	if ((r = ctl_seen_decode(m, &s)) < 0)
		return r;
	if ((r = ctlstore_seen_add(&c->store, &s)) != -ENOBUFS)
		return r;
	ctlcli_fail(c, -ENOBUFS, "the server sent more SEEN reports than a "
	    "check can ask for (at most %d, %u bytes)", CTLCLI_MAX_SEEN,
	    CTLCLI_MAX_SEEN_BYTES);
	return 0;
}

static int
ctlcli_on_mstats(struct ctlcli *c, const struct ctl_msg *m)
{
	struct ctl_media_stats st;
	int r;

	if (ctl_media_stats_decode(m, &st) < 0)
		return -EBADMSG;
	if ((r = ctlstore_mstats_add(&c->store, &st, c->next_req)) != -ENOBUFS)
		return r;
	ctlcli_fail(c, -ENOBUFS, "the server sent more than %d media reports",
	    CTLCLI_MAX_MSTATS);
	return 0;
}

/* The credentials for the relays: kept, one set, never logged. */
static int
ctlcli_on_relay_creds(struct ctlcli *c, const struct ctl_msg *m)
{
	struct ctl_relay_creds rc;

	if (ctl_relay_creds_decode(m, &rc) < 0)
		return -EBADMSG;
	if (rc.req_id >= c->next_req)
		return 0;		/* not one we asked for */
	c->relay = rc;
	explicit_bzero(&rc, sizeof(rc));
	return 0;
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
		c->opened_ms = loop_now_ms(c->loop);
		return 0;
	case CTL_ERROR:
	case CTL_SENT:
		if ((r = ctl_answer_decode(m, &a)) < 0)
			return r;
		if (a.req_id != 0 && c->state == CTLCLI_READY)
			return ctlstore_answer_add(&c->store, &a, c->next_req);
		if (m->type == CTL_SENT)
			return -EPROTO;
		ctlcli_fail(c, -EACCES, "server refused: %d %s",
		    a.code, a.reason);
		return 0;
	case CTL_SEEN:
		return ctlcli_on_seen(c, m);
	case CTL_MEDIA_STATS:
		return ctlcli_on_mstats(c, m);
	case CTL_RELAY_CREDS:
		return ctlcli_on_relay_creds(c, m);
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

static int
ctlcli_ready_h(void *arg)
{
	struct ctlcli *c = arg;

	/* A failure before WELCOME is the open's, not the loop's. */
	return c->state == CTLCLI_READY || c->state == CTLCLI_FAILED;
}

int
ctlcli_open(struct ctlcli *c, const struct sockaddr *server, socklen_t slen,
    int timeout_ms)
{
	uint8_t pre[CTL_PREAMBLE_LEN];
	char sa[NET_ADDRSTRLEN];
	struct timeval ka = { 1, 0 };
	struct dbuf b;
	size_t start;
	int r;

	struct ssl_ctx_st *tls = c->tls;
	const char *tls_host = c->tls_host;
	struct loop *loop = c->loop;
	struct event_base *base = loop->base;
	SSL *ssl = NULL;

	ctlcli_close(c);
	memset(c, 0, sizeof(*c));
	c->tls = tls;
	c->tls_host = tls_host;
	c->loop = loop;
	c->next_req = 1;
	loop_fail(loop, 0);
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
	/* The server closes a session idle for long: PINGs keep it. */
	if ((c->keepalive = event_new(base, -1, EV_PERSIST, ctlcli_keepalive_h,
	    c)) == NULL)
		return -ENOMEM;
	event_add(c->keepalive, &ka);

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
	r = loop_wait(c->loop, ctlcli_ready_h, c, timeout_ms);
	if (r == 0 && c->state == CTLCLI_FAILED)
		r = c->error ? c->error : -EIO;
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
	size_t start;

	if (c->bev != NULL && c->state == CTLCLI_READY) {
		dbuf_init(&b, 64);
		if (ctl_enc_begin(&b, CTL_BYE, &start) == 0 &&
		    ctl_enc_end(&b, start) == 0 &&
		    ctlcli_write(c, &b) == 0) {
			/* Let the BYE out; the server closes after it. */
			bufferevent_flush(c->bev, EV_WRITE, BEV_FLUSH);
			event_base_loop(c->loop->base, EVLOOP_NONBLOCK);
		}
		dbuf_free(&b);
	}
	if (c->bev != NULL)
		bufferevent_free(c->bev);
	c->bev = NULL;
	if (c->keepalive != NULL)
		event_free(c->keepalive);
	c->keepalive = NULL;
	ctlstore_free(&c->store);
	explicit_bzero(&c->relay, sizeof(c->relay));
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

struct ctlcli *
ctlcli_new(struct loop *l)
{
	struct ctlcli *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->loop = l;
	return c;
}

void
ctlcli_free(struct ctlcli *c)
{
	if (c == NULL)
		return;
	ctlcli_close(c);
	free(c);
}

const struct ctl_welcome *
ctlcli_welcome(const struct ctlcli *c)
{
	return &c->w;
}

const struct sockaddr *
ctlcli_server(const struct ctlcli *c)
{
	return (const struct sockaddr *)&c->server;
}

const struct sockaddr *
ctlcli_local(const struct ctlcli *c)
{
	return (const struct sockaddr *)&c->local;
}

long long
ctlcli_opened_ms(const struct ctlcli *c)
{
	return c->opened_ms;
}

const char *
ctlcli_errmsg(const struct ctlcli *c)
{
	return c->errmsg;
}
