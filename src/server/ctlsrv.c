/*
 * ctlsrv.c - control connections and the sessions they carry.
 *
 * A connection starts unauthenticated; the first bytes decide what it is
 * (our preamble, or else it is closed).  HELLO opens a session, subject to
 * the global and per-source caps; the session lives as long as its
 * connection, and at most session-seconds.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <openssl/ssl.h>
#include <openssl/rand.h>

#include "config.h"
#include "server.h"

enum { CC_PREAMBLE, CC_HELLO, CC_READY, CC_CLOSING };

struct ctlconn {
	struct server *srv;
	int fd;
	struct event *peek;		/* until the first byte is in */
	struct bufferevent *bev;
	struct net_ip peer_ip;
	uint16_t peer_port;
	struct net_ip local_ip;
	int state;
	struct session *ss;
};

static void ctlconn_free(struct ctlconn *cc);
static void ctlconn_event_h(struct bufferevent *bev, short what, void *arg);
static void ctlsrv_peek_h(evutil_socket_t fd, short what, void *arg);

static void
session_free(struct session *ss)
{
	struct server *s = ss->srv;
	struct session **pp;

	for (pp = &s->sessions; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == ss) {
			*pp = ss->next;
			s->nsessions--;
			break;
		}
	}
	sipsrv_session_gone(ss);
	sweepsrv_session_gone(ss);
	if (ss->expire)
		event_free(ss->expire);
	free(ss);
}

int
session_validated(const struct server *s, const struct net_ip *ip)
{
	const struct session *ss;

	for (ss = s->sessions; ss != NULL; ss = ss->next)
		if (net_ip_equal(&ss->client_ip, ip))
			return 1;
	return 0;
}

struct session *
session_match(struct server *s, const struct net_ip *ip, const uint8_t *buf,
    size_t len, const uint8_t **nonce)
{
	struct session *ss;
	size_t i;

	for (ss = s->sessions; ss != NULL; ss = ss->next) {
		if (!net_ip_equal(&ss->client_ip, ip))
			continue;
		for (i = 0; i < ss->nwatch; i++) {
			if (memmem(buf, len, ss->watch_hex[i],
			    2 * CTL_NONCE_LEN) != NULL) {
				*nonce = ss->watch[i];
				return ss;
			}
		}
	}
	return NULL;
}

int
session_write(struct session *ss, const struct dbuf *b)
{
	if (ss->cc == NULL || ss->cc->state == CC_CLOSING)
		return -ENOTCONN;
	return bufferevent_write(ss->cc->bev, b->b, b->len) < 0 ? -ENOMEM : 0;
}

int
session_report_seen(struct session *ss, const uint8_t *nonce, int transport,
    uint16_t local_port, const struct sockaddr *peer, int tos, uint32_t flags,
    const uint8_t *payload, size_t len)
{
	struct net_ip ip;
	uint16_t port;
	struct dbuf b;
	size_t start;
	int r;

	net_ip_from_sa(peer, &ip, &port);
	if (tos >= 0)
		flags |= CTL_F_TOS_VALID;
	dbuf_init(&b, CTL_HDR_LEN + CTL_MAX_BODY);
	if ((r = ctl_enc_begin(&b, CTL_SEEN, &start)) == 0 &&
	    (r = ctl_put_bytes(&b, CTL_A_NONCE, nonce, CTL_NONCE_LEN)) == 0 &&
	    (r = ctl_put_u8(&b, CTL_A_TRANSPORT, (uint8_t)transport)) == 0 &&
	    (r = ctl_put_u16(&b, CTL_A_LOCAL_PORT, local_port)) == 0 &&
	    (r = ctl_put_addr(&b, CTL_A_PEER, &ip, port)) == 0 &&
	    (r = ctl_put_u8(&b, CTL_A_TOS, (uint8_t)(tos < 0 ? 0 : tos))) == 0 &&
	    (r = ctl_put_u32(&b, CTL_A_FLAGS, flags)) == 0 &&
	    (r = ctl_put_bytes(&b, CTL_A_PAYLOAD, payload, len)) == 0 &&
	    (r = ctl_enc_end(&b, start)) == 0)
		r = session_write(ss, &b);
	dbuf_free(&b);
	return r;
}

void
session_sent(struct session *ss, uint32_t req_id)
{
	struct dbuf b;
	size_t start;

	dbuf_init(&b, 64);
	if (ctl_enc_begin(&b, CTL_SENT, &start) == 0 &&
	    ctl_put_u32(&b, CTL_A_REQ_ID, req_id) == 0 &&
	    ctl_enc_end(&b, start) == 0)
		(void)session_write(ss, &b);
	dbuf_free(&b);
}

/* An ERROR frame into 'b' (REQ_ID only when not 0); 0 or -errno. */
static int
ctl_error_frame(struct dbuf *b, uint16_t code, uint32_t req_id,
    const char *reason)
{
	size_t start;
	int r;

	if ((r = ctl_enc_begin(b, CTL_ERROR, &start)) == 0 &&
	    (r = ctl_put_u16(b, CTL_A_CODE, code)) == 0 &&
	    (req_id == 0 || (r = ctl_put_u32(b, CTL_A_REQ_ID, req_id)) == 0) &&
	    (r = ctl_put_str(b, CTL_A_REASON, reason)) == 0)
		r = ctl_enc_end(b, start);
	return r;
}

void
session_fail(struct session *ss, uint16_t code, uint32_t req_id,
    const char *reason)
{
	struct dbuf b;

	dbuf_init(&b, 512);
	if (ctl_error_frame(&b, code, req_id, reason) == 0)
		(void)session_write(ss, &b);
	dbuf_free(&b);
}

static void
ctlconn_drained_h(struct bufferevent *bev, void *arg)
{
	struct ctlconn *cc = arg;

	if (evbuffer_get_length(bufferevent_get_output(bev)) == 0)
		ctlconn_free(cc);
}

static void
ctlconn_free_h(evutil_socket_t fd, short what, void *arg)
{
	ctlconn_free(arg);
}

/* Stops reading and frees the connection once its output is out. */
static void
ctlconn_close_later(struct ctlconn *cc)
{
	static const struct timeval now = { 0, 0 };

	if (cc->state == CC_CLOSING)
		return;
	cc->state = CC_CLOSING;
	bufferevent_disable(cc->bev, EV_READ);
	bufferevent_setcb(cc->bev, NULL, ctlconn_drained_h, ctlconn_event_h, cc);
	if (evbuffer_get_length(bufferevent_get_output(cc->bev)) == 0) {
		/* Nothing left to send: free it from the loop, and let no
		 * callback of the bufferevent run before that. */
		bufferevent_setcb(cc->bev, NULL, NULL, NULL, NULL);
		event_base_once(cc->srv->base, -1, EV_TIMEOUT, ctlconn_free_h,
		    cc, &now);
	}
}

/* Sends an ERROR; without a request id it is fatal and we close after it. */
static void
ctlconn_error(struct ctlconn *cc, uint16_t code, uint32_t req_id,
    const char *reason)
{
	struct dbuf b;

	dbuf_init(&b, 512);
	if (ctl_error_frame(&b, code, req_id, reason) == 0)
		(void)bufferevent_write(cc->bev, b.b, b.len);
	dbuf_free(&b);
	if (req_id == 0)
		ctlconn_close_later(cc);
}

static void
ctlsrv_expire_h(evutil_socket_t fd, short what, void *arg)
{
	struct session *ss = arg;

	if (ss->cc != NULL)
		ctlconn_error(ss->cc, CTL_E_LIMIT, 0, "session time is up");
}

static void
ctlsrv_hello(struct ctlconn *cc)
{
	struct server *s = cc->srv;
	const struct srv_conf *c = &s->conf;
	struct session *ss, *o;
	struct timeval tv = { (time_t)c->session_seconds, 0 };
	struct dbuf b;
	size_t start, i, per = 0;
	int r;

	for (o = s->sessions; o != NULL; o = o->next)
		per += net_ip_equal(&o->client_ip, &cc->peer_ip);
	if (s->nsessions >= c->max_sessions) {
		ctlconn_error(cc, CTL_E_BUSY, 0, "too many sessions");
		return;
	}
	if (per >= c->max_sessions_per_source) {
		ctlconn_error(cc, CTL_E_LIMIT, 0, "too many sessions from "
		    "this address");
		return;
	}
	if ((ss = calloc(1, sizeof(*ss))) == NULL ||
	    RAND_bytes(ss->token, sizeof(ss->token)) != 1 ||
	    (ss->expire = evtimer_new(s->base, ctlsrv_expire_h, ss)) == NULL) {
		free(ss);
		ctlconn_error(cc, CTL_E_INTERNAL, 0, "out of resources");
		return;
	}
	ss->srv = s;
	ss->cc = cc;
	ss->client_ip = cc->peer_ip;
	ss->next = s->sessions;
	s->sessions = ss;
	s->nsessions++;
	cc->ss = ss;
	cc->state = CC_READY;
	evtimer_add(ss->expire, &tv);

	dbuf_init(&b, CTL_HDR_LEN + CTL_MAX_BODY);
	r = ctl_enc_begin(&b, CTL_WELCOME, &start);
	r = r ? r : ctl_put_bytes(&b, CTL_A_TOKEN, ss->token, CTL_TOKEN_LEN);
	r = r ? r : ctl_put_str(&b, CTL_A_SOFTWARE, "pinholed " PINHOLE_VERSION);
	r = r ? r : ctl_put_addr(&b, CTL_A_OBSERVED, &cc->peer_ip, cc->peer_port);
	for (i = 0; r == 0 && i < c->nlisten; i++) {
		struct net_ip any;

		net_ip_parse(c->listen[i].family == AF_INET ? "0.0.0.0" : "::",
		    &any);
		r = ctl_put_addr(&b, CTL_A_SERVER_ADDRS,
		    net_ip_equal(&c->listen[i], &any) ? &cc->local_ip :
		    &c->listen[i], 0);
	}
	r = r ? r : ctl_put_ranges(&b, CTL_A_UDP_PORTS,
	    (const uint16_t (*)[2])c->sip_udp, c->nsip_udp);
	r = r ? r : ctl_put_ranges(&b, CTL_A_TCP_PORTS,
	    (const uint16_t (*)[2])c->sip_tcp, c->nsip_tcp);
	r = r ? r : ctl_put_u16(&b, CTL_A_STUN_PORT, c->stun_port);
	if (c->nhttp > 0)
		r = r ? r : ctl_put_ranges(&b, CTL_A_HTTP_PORTS,
		    (const uint16_t (*)[2])c->http, c->nhttp);
	if (c->nmedia > 0)
		r = r ? r : ctl_put_ranges(&b, CTL_A_MEDIA_PORTS,
		    (const uint16_t (*)[2])c->media, c->nmedia);
	if (c->nxmpp > 0)
		r = r ? r : ctl_put_ranges(&b, CTL_A_XMPP_PORTS,
		    (const uint16_t (*)[2])c->xmpp, c->nxmpp);
	if (s->tls != NULL && c->ntlsp > 0)
		r = r ? r : ctl_put_ranges(&b, CTL_A_TLS_PORTS,
		    (const uint16_t (*)[2])c->tlsp, c->ntlsp);
	if (s->tls != NULL)	/* the control port speaks TLS too */
		r = r ? r : ctl_put_bytes(&b, CTL_A_CERT_SHA256, s->cert_sha256,
		    sizeof(s->cert_sha256));
	r = r ? r : ctl_put_u32(&b, CTL_A_MAX_PROBES, c->session_probes);
	r = r ? r : ctl_put_u32(&b, CTL_A_MAX_SECONDS, c->session_seconds);
	r = r ? r : ctl_put_u32(&b, CTL_A_MAX_BYTES, c->session_bytes);
	r = r ? r : ctl_enc_end(&b, start);
	if (r == 0)
		r = session_write(ss, &b);
	dbuf_free(&b);
	bufferevent_set_timeouts(cc->bev, &(struct timeval){
	    (time_t)c->idle_timeout, 0 }, NULL);
	if (r < 0)
		ctlconn_error(cc, CTL_E_INTERNAL, 0, "cannot build WELCOME");
}

static void
ctlsrv_send(struct ctlconn *cc, const struct ctl_msg *m)
{
	struct session *ss = cc->ss;
	struct server *s = cc->srv;
	struct sockaddr_storage to;
	struct listener *l;
	struct net_ip ip;
	uint16_t lport, pport;
	const uint8_t *p;
	uint32_t id = 0;
	uint8_t tr;
	size_t n;
	socklen_t tl;

	if (ctl_get_u32(m, CTL_A_REQ_ID, &id) < 0 || id == 0 ||
	    ctl_get_u8(m, CTL_A_TRANSPORT, &tr) < 0 ||
	    ctl_get_u16(m, CTL_A_LOCAL_PORT, &lport) < 0 ||
	    ctl_get_addr(m, CTL_A_PEER, &ip, &pport) < 0 ||
	    ctl_get_bytes(m, CTL_A_PAYLOAD, &p, &n) < 0 || pport == 0) {
		ctlconn_error(cc, CTL_E_BAD_REQUEST, id, "malformed SEND");
		return;
	}
	if (!net_ip_equal(&ip, &ss->client_ip) ||
	    !net_ip_sendable(&ip, s->conf.allow_loopback) ||
	    listen_is_own(s, &ip)) {
		ctlconn_error(cc, CTL_E_FORBIDDEN, id, "only the session's "
		    "own client address may be sent to");
		return;
	}
	if (n > 8192 || ss->probes + 1 > s->conf.session_probes ||
	    ss->bytes + n > s->conf.session_bytes) {
		ctlconn_error(cc, CTL_E_LIMIT, id, "session probe or byte "
		    "cap reached");
		return;
	}
	ss->probes++;
	ss->bytes += n;
	if (tr == CTL_UDP) {
		l = listen_find(s, LST_SIP_UDP, lport, &cc->local_ip);
		if (l == NULL) {
			ctlconn_error(cc, CTL_E_NOT_FOUND, id, "no UDP "
			    "listener on that port");
			return;
		}
		tl = net_sa_from_ip(&ip, pport, &to);
		if (sendto(l->fd, p, n, 0, (struct sockaddr *)&to, tl) < 0) {
			ctlconn_error(cc, CTL_E_INTERNAL, id, strerror(errno));
			return;
		}
	} else if (tr == CTL_TCP) {
		if (sipsrv_tcp_send(ss, pport, lport, p, n) < 0) {
			ctlconn_error(cc, CTL_E_NOT_FOUND, id, "no TCP probe "
			    "connection from that port");
			return;
		}
	} else {
		ctlconn_error(cc, CTL_E_BAD_REQUEST, id, "unknown transport");
		return;
	}
	session_sent(ss, id);
}

static void
ctlsrv_watch(struct ctlconn *cc, const struct ctl_msg *m)
{
	struct session *ss = cc->ss;
	size_t i;

	if (ss->probes + 1 > cc->srv->conf.session_probes) {
		ctlconn_error(cc, CTL_E_LIMIT, 0, "session probe cap reached");
		return;
	}
	if (ss->nwatch < SRV_MAX_WATCH)
		i = ss->nwatch++;
	else
		i = ss->watch_next++ % SRV_MAX_WATCH;	/* oldest goes */
	if (ctl_get_fixed(m, CTL_A_NONCE, ss->watch[i], CTL_NONCE_LEN) < 0) {
		ctlconn_error(cc, CTL_E_BAD_REQUEST, 0, "malformed WATCH");
		return;
	}
	ctl_nonce_hex(ss->watch[i], ss->watch_hex[i]);
	ss->probes++;
}

static void
ctlsrv_msg(struct ctlconn *cc, const struct ctl_msg *m)
{
	struct dbuf b;
	size_t start;

	if (cc->state == CC_HELLO) {
		if (m->type != CTL_HELLO)
			ctlconn_error(cc, CTL_E_BAD_REQUEST, 0, "HELLO first");
		else
			ctlsrv_hello(cc);
		return;
	}
	switch (m->type) {
	case CTL_WATCH:
		ctlsrv_watch(cc, m);
		break;
	case CTL_SEND:
		ctlsrv_send(cc, m);
		break;
	case CTL_SWEEP:
		sweepsrv_sweep(cc->ss, m, &cc->local_ip);
		break;
	case CTL_CONNECT:
		sweepsrv_connect(cc->ss, m, &cc->local_ip);
		break;
	case CTL_PING:
		dbuf_init(&b, 16);
		if (ctl_enc_begin(&b, CTL_PONG, &start) == 0 &&
		    ctl_enc_end(&b, start) == 0)
			(void)bufferevent_write(cc->bev, b.b, b.len);
		dbuf_free(&b);
		break;
	case CTL_PONG:
		break;
	case CTL_BYE:
		ctlconn_close_later(cc);
		break;
	default:
		ctlconn_error(cc, CTL_E_BAD_REQUEST, 0, "unknown message type");
		break;
	}
}

static void
ctlconn_read_h(struct bufferevent *bev, void *arg)
{
	struct ctlconn *cc = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	uint8_t pre[CTL_PREAMBLE_LEN];
	struct ctl_msg m;
	size_t avail, flen;
	uint8_t *p;
	int r;

	while (cc->state == CC_PREAMBLE || cc->state == CC_HELLO ||
	    cc->state == CC_READY) {
		avail = evbuffer_get_length(in);
		if (avail == 0)
			return;
		p = evbuffer_pullup(in, -1);
		if (cc->state == CC_PREAMBLE) {
			if (!ctl_looks_like(p, avail)) {
				srv_log_remote(cc->srv, "closing a connection "
				    "that does not speak the control protocol");
				ctlconn_free(cc);
				return;
			}
			if ((r = ctl_preamble_check(p, avail)) == -EAGAIN)
				return;
			evbuffer_drain(in, CTL_PREAMBLE_LEN);
			ctl_preamble(pre);
			bufferevent_write(bev, pre, sizeof(pre));
			if (r < CTL_VERSION && r >= 0) {
				ctlconn_error(cc, CTL_E_VERSION, 0,
				    "no common protocol version");
				return;
			}
			cc->state = CC_HELLO;
			continue;
		}
		if ((r = ctl_frame_peek(p, avail, &flen)) == -EAGAIN)
			return;
		if (r < 0 || ctl_msg_decode(p, flen, &m) < 0) {
			srv_log_remote(cc->srv, "malformed control frame");
			ctlconn_free(cc);
			return;
		}
		ctlsrv_msg(cc, &m);
		if (cc->state == CC_CLOSING)
			return;		/* cc may be gone */
		evbuffer_drain(in, flen);
	}
}

static void
ctlconn_event_h(struct bufferevent *bev, short what, void *arg)
{
	struct ctlconn *cc = arg;

	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR | BEV_EVENT_TIMEOUT))
		ctlconn_free(cc);
}

static void
ctlconn_free(struct ctlconn *cc)
{
	if (cc->ss != NULL) {
		cc->ss->cc = NULL;
		session_free(cc->ss);
	}
	bufferevent_free(cc->bev);
	free(cc);
}

void
ctlsrv_accept_h(evutil_socket_t lfd, short what, void *arg)
{
	struct listener *l = arg;
	struct server *s = l->srv;
	struct sockaddr_storage peer, local;
	socklen_t plen = sizeof(peer), llen = sizeof(local);
	struct timeval tv = { (time_t)s->conf.hello_timeout, 0 };
	struct ctlconn *cc;
	int fd;

	fd = accept4(lfd, (struct sockaddr *)&peer, &plen,
	    SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	if ((cc = calloc(1, sizeof(*cc))) == NULL) {
		close(fd);
		return;
	}
	cc->srv = s;
	net_ip_from_sa((struct sockaddr *)&peer, &cc->peer_ip, &cc->peer_port);
	if (!rate_take(&s->conn_rate, &cc->peer_ip, srv_now_ms())) {
		srv_log_remote(s, "connection rate exceeded");
		free(cc);
		close(fd);
		return;
	}
	if (getsockname(fd, (struct sockaddr *)&local, &llen) == 0)
		net_ip_from_sa((struct sockaddr *)&local, &cc->local_ip, NULL);
	/* The first byte decides: TLS, or the control protocol in the clear. */
	cc->fd = fd;
	cc->peek = event_new(s->base, fd, EV_READ | EV_TIMEOUT, ctlsrv_peek_h, cc);
	if (cc->peek == NULL) {
		free(cc);
		close(fd);
		return;
	}
	event_add(cc->peek, &tv);
}

static void
ctlsrv_peek_h(evutil_socket_t fd, short what, void *arg)
{
	struct ctlconn *cc = arg;
	struct server *s = cc->srv;
	struct timeval tv = { (time_t)s->conf.hello_timeout, 0 };
	uint8_t first;
	SSL *ssl;

	event_free(cc->peek);
	cc->peek = NULL;
	if (!(what & EV_READ) || recv(fd, &first, 1, MSG_PEEK) != 1)
		goto drop;
	if (first == 0x16) {
		if (s->tls == NULL || (ssl = SSL_new(s->tls)) == NULL) {
			srv_log_remote(s, "TLS on the control port, but no "
			    "certificate is configured");
			goto drop;
		}
		cc->bev = bufferevent_openssl_socket_new(s->base, fd, ssl,
		    BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
	} else {
		cc->bev = bufferevent_socket_new(s->base, fd,
		    BEV_OPT_CLOSE_ON_FREE);
	}
	if (cc->bev == NULL)
		goto drop;
	/* A slow client cannot hold a slot: HELLO must come within the limit. */
	bufferevent_set_timeouts(cc->bev, &tv, &tv);
	bufferevent_setwatermark(cc->bev, EV_READ, 0,
	    CTL_PREAMBLE_LEN + CTL_HDR_LEN + CTL_MAX_BODY);
	bufferevent_setcb(cc->bev, ctlconn_read_h, NULL, ctlconn_event_h, cc);
	bufferevent_enable(cc->bev, EV_READ | EV_WRITE);
	return;
drop:
	close(fd);
	free(cc);
}
