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
#include "log.h"

enum {
	CTLCLI_CONNECTING,
	CTLCLI_PREAMBLE,
	CTLCLI_WAIT_WELCOME,
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

	if (c->state == CTLCLI_FAILED)
		return;
	c->state = CTLCLI_FAILED;
	c->error = err;
	va_start(ap, fmt);
	vsnprintf(c->errmsg, sizeof(c->errmsg), fmt, ap);
	va_end(ap);
	if (c->bev != NULL)
		bufferevent_disable(c->bev, EV_READ);
}

static int
ctlcli_write(struct ctlcli *c, const struct dbuf *b)
{
	if (c->bev == NULL || c->state == CTLCLI_FAILED)
		return c->error ? c->error : -ENOTCONN;
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

static void
ctlcli_keepalive_h(evutil_socket_t fd, short what, void *arg)
{
	struct ctlcli *c = arg;
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

static int
ctlcli_on_welcome(struct ctlcli *c, const struct ctl_msg *m)
{
	size_t i;
	int r;

	if (ctl_get_fixed(m, CTL_A_TOKEN, c->token, CTL_TOKEN_LEN) < 0 ||
	    ctl_get_addr(m, CTL_A_OBSERVED, &c->observed_ip,
	    &c->observed_port) < 0)
		return -EBADMSG;
	for (i = 0; i < m->nattr; i++) {
		const struct ctl_attr *a = &m->attr[i];
		uint16_t port;

		if (a->type == CTL_A_SERVER_ADDRS &&
		    c->nserver_addrs < CTLCLI_MAX_ADDRS &&
		    ctl_attr_addr(a, &c->server_addrs[c->nserver_addrs],
		    &port) == 0)
			c->nserver_addrs++;
	}
	if ((r = ctl_get_u16(m, CTL_A_STUN_PORT, &c->stun_port)) < 0 &&
	    r != -ENOENT)
		return r;
	if ((r = ctl_get_u32(m, CTL_A_MAX_PROBES, &c->max_probes)) < 0 &&
	    r != -ENOENT)
		return r;
	if ((r = ctl_get_u32(m, CTL_A_MAX_SECONDS, &c->max_seconds)) < 0 &&
	    r != -ENOENT)
		return r;
	if (ctl_msg_get(m, CTL_A_HTTP_PORTS) != NULL &&
	    (r = ctl_attr_ranges(ctl_msg_get(m, CTL_A_HTTP_PORTS),
	    c->http_ports, CTLCLI_MAX_RANGES, &c->nhttp_ports)) < 0)
		return r;
	if (ctl_msg_get(m, CTL_A_XMPP_PORTS) != NULL &&
	    (r = ctl_attr_ranges(ctl_msg_get(m, CTL_A_XMPP_PORTS),
	    c->xmpp_ports, CTLCLI_MAX_RANGES, &c->nxmpp_ports)) < 0)
		return r;
	if (ctl_msg_get(m, CTL_A_MEDIA_PORTS) != NULL &&
	    (r = ctl_attr_ranges(ctl_msg_get(m, CTL_A_MEDIA_PORTS),
	    c->media_ports, CTLCLI_MAX_RANGES, &c->nmedia_ports)) < 0)
		return r;
	if (ctl_msg_get(m, CTL_A_TLS_PORTS) != NULL &&
	    (r = ctl_attr_ranges(ctl_msg_get(m, CTL_A_TLS_PORTS),
	    c->tls_ports, CTLCLI_MAX_RANGES, &c->ntls_ports)) < 0)
		return r;
	if ((r = ctl_get_fixed(m, CTL_A_CERT_SHA256, c->cert_sha256,
	    sizeof(c->cert_sha256))) == 0)
		c->have_cert = 1;
	else if (r != -ENOENT)
		return r;
	if (ctl_msg_get(m, CTL_A_UDP_PORTS) != NULL &&
	    (r = ctl_attr_ranges(ctl_msg_get(m, CTL_A_UDP_PORTS),
	    c->udp_ports, CTLCLI_MAX_RANGES, &c->nudp_ports)) < 0)
		return r;
	if (ctl_msg_get(m, CTL_A_TCP_PORTS) != NULL &&
	    (r = ctl_attr_ranges(ctl_msg_get(m, CTL_A_TCP_PORTS),
	    c->tcp_ports, CTLCLI_MAX_RANGES, &c->ntcp_ports)) < 0)
		return r;
	return 0;
}

static int
ctlcli_on_seen(struct ctlcli *c, const struct ctl_msg *m)
{
	struct ctl_seen s;
	const uint8_t *p;
	uint8_t u8;
	size_t n;

	memset(&s, 0, sizeof(s));
	s.tos = -1;
	if (ctl_get_fixed(m, CTL_A_NONCE, s.nonce, CTL_NONCE_LEN) < 0 ||
	    ctl_get_u8(m, CTL_A_TRANSPORT, &u8) < 0 ||
	    ctl_get_u16(m, CTL_A_LOCAL_PORT, &s.local_port) < 0 ||
	    ctl_get_addr(m, CTL_A_PEER, &s.peer_ip, &s.peer_port) < 0 ||
	    ctl_get_bytes(m, CTL_A_PAYLOAD, &p, &n) < 0)
		return -EBADMSG;
	s.transport = u8;
	if (ctl_get_u32(m, CTL_A_FLAGS, &s.flags) < 0)
		s.flags = 0;
	if ((s.flags & CTL_F_TOS_VALID) && ctl_get_u8(m, CTL_A_TOS, &u8) == 0)
		s.tos = u8;
	if (c->nseen == c->seen_cap) {
		size_t cap = c->seen_cap ? c->seen_cap * 2 : 16;
		struct ctl_seen *ns;

		if ((ns = realloc(c->seen, cap * sizeof(*ns))) == NULL)
			return -ENOMEM;
		c->seen = ns;
		c->seen_cap = cap;
	}
	if ((s.payload = malloc(n ? n : 1)) == NULL)
		return -ENOMEM;
	memcpy(s.payload, p, n);
	s.len = n;
	c->seen[c->nseen++] = s;
	return 0;
}

static int
ctlcli_add_result(struct ctlcli *c, uint32_t id, int code, const char *reason)
{
	struct ctl_result *r;

	if (c->nresults == c->results_cap) {
		size_t cap = c->results_cap ? c->results_cap * 2 : 16;
		struct ctl_result *nr;

		if ((nr = realloc(c->results, cap * sizeof(*nr))) == NULL)
			return -ENOMEM;
		c->results = nr;
		c->results_cap = cap;
	}
	r = &c->results[c->nresults++];
	r->req_id = id;
	r->code = code;
	snprintf(r->reason, sizeof(r->reason), "%s", reason);
	return 0;
}

static int
ctlcli_on_msg(struct ctlcli *c, const struct ctl_msg *m)
{
	char reason[128] = "";
	uint32_t id = 0;
	uint16_t code = 0;
	struct dbuf b;
	size_t start;
	int r;

	switch (m->type) {
	case CTL_WELCOME:
		if (c->state != CTLCLI_WAIT_WELCOME)
			return -EPROTO;
		if ((r = ctlcli_on_welcome(c, m)) < 0)
			return r;
		c->state = CTLCLI_READY;
		c->opened_ms = ctlcli_now_ms();
		return 0;
	case CTL_ERROR:
		(void)ctl_get_u16(m, CTL_A_CODE, &code);
		(void)ctl_get_str(m, CTL_A_REASON, reason, sizeof(reason));
		if (ctl_get_u32(m, CTL_A_REQ_ID, &id) == 0 && id != 0)
			return ctlcli_add_result(c, id, code ? code : 500, reason);
		ctlcli_fail(c, -ECONNREFUSED, "server refused: %u %s",
		    code, reason);
		return 0;
	case CTL_SENT:
		if (ctl_get_u32(m, CTL_A_REQ_ID, &id) < 0)
			return -EBADMSG;
		return ctlcli_add_result(c, id, 0, "");
	case CTL_SEEN:
		return ctlcli_on_seen(c, m);
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
			c->state = CTLCLI_WAIT_WELCOME;
			continue;
		}
		p = evbuffer_pullup(in, -1);
		if ((r = ctl_frame_peek(p, avail, &flen)) == -EAGAIN)
			return;
		if (r < 0) {
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
			ERR_error_string_n(tlserr, buf, sizeof(buf));
			ctlcli_fail(c, -EPROTO, "TLS on the control connection "
			    "failed: %s", buf);
		} else {
			ctlcli_fail(c, err ? -err : -ECONNRESET, "control "
			    "connection: %s", strerror(err ? err : ECONNRESET));
		}
	} else if (what & BEV_EVENT_EOF) {
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

	if (done(arg))
		return 0;
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
		free(c->seen[i].payload);
	free(c->seen);
	free(c->results);
	c->seen = NULL;
	c->results = NULL;
	c->nseen = c->nresults = 0;
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
	    ctlcli_in_ranges((const uint16_t (*)[2])c->udp_ports,
	    c->nudp_ports, port) :
	    ctlcli_in_ranges((const uint16_t (*)[2])c->tcp_ports,
	    c->ntcp_ports, port);
}

int
ctlcli_watch(struct ctlcli *c, const uint8_t nonce[CTL_NONCE_LEN])
{
	struct dbuf b;
	size_t start;
	int r;

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
	    (r = ctl_put_addr(&b, CTL_A_PEER, &c->observed_ip, peer_port)) == 0 &&
	    (r = ctl_put_bytes(&b, CTL_A_PAYLOAD, payload, len)) == 0 &&
	    (r = ctl_enc_end(&b, start)) == 0)
		r = ctlcli_write(c, &b);
	dbuf_free(&b);
	return r < 0 ? r : (int)id;
}

int
ctlcli_sweep(struct ctlcli *c, const uint8_t nonce[CTL_NONCE_LEN],
    const uint16_t (*ranges)[2], size_t n, const struct net_ip *source)
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
	    (source == NULL ||
	    (r = ctl_put_addr(&b, CTL_A_SOURCE, source, 0)) == 0) &&
	    (r = ctl_enc_end(&b, start)) == 0)
		r = ctlcli_write(c, &b);
	dbuf_free(&b);
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
	    (r = ctl_put_addr(&b, CTL_A_PEER, &c->observed_ip, port)) == 0 &&
	    (source == NULL ||
	    (r = ctl_put_addr(&b, CTL_A_SOURCE, source, 0)) == 0) &&
	    (r = ctl_enc_end(&b, start)) == 0)
		r = ctlcli_write(c, &b);
	dbuf_free(&b);
	return r < 0 ? r : (int)id;
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

const struct ctl_result *
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
ctlcli_use_tls(struct ctlcli *c, struct ssl_ctx_st *tls, const char *host)
{
	c->tls = tls;
	c->tls_host = host;
}
