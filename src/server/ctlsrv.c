/*
 * ctlsrv.c - the control protocol on a control connection.
 *
 * The connection lives by the lifecycle of conn.c: the responder registry
 * (responder.c) hands it over once its first bytes, in the clear or inside
 * TLS, are the preamble's; the preamble and HELLO must be complete by the
 * HELLO deadline, then a session (session.c) is opened and the connection
 * must carry a complete frame every idle-timeout and ends at
 * session-seconds.  Requests are checked here and handed to the modules
 * that carry them out (SEND over SIP listeners, SWEEP and CONNECT).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include "config.h"
#include "conn.h"
#include "ctlreq.h"
#include "responder.h"
#include "session.h"
#include "srvproto.h"
#include "webrtc.h"

enum { CC_PREAMBLE, CC_HELLO, CC_READY };

struct ctlconn {
	struct conn *c;
	int state;
	struct session *ss;
};

/* Sends an ERROR; without a request id it is fatal and we close after it. */
static void
ctl_error(struct ctlconn *cc, uint16_t code, uint32_t req_id,
    const char *reason)
{
	struct dbuf b;

	dbuf_init(&b, 512);
	if (ctl_enc_error(&b, code, req_id, reason) == 0)
		(void)conn_write(cc->c, b.b, b.len);
	dbuf_free(&b);
	if (req_id == 0)
		conn_close(cc->c);
}

static int
ctl_welcome(struct ctlconn *cc)
{
	struct server *s = cc->c->srv;
	const struct srv_conf *c = &s->conf;
	struct session *ss = cc->ss;
	struct dbuf b;
	size_t start, i;
	int r;

	dbuf_init(&b, CTL_HDR_LEN + CTL_MAX_BODY);
	r = ctl_enc_begin(&b, CTL_WELCOME, &start);
	r = r ? r : ctl_put_bytes(&b, CTL_A_TOKEN, ss->token, CTL_TOKEN_LEN);
	r = r ? r : ctl_put_str(&b, CTL_A_SOFTWARE, "pinholed " PINHOLE_VERSION);
	r = r ? r : ctl_put_addr(&b, CTL_A_OBSERVED, &cc->c->peer_ip,
	    cc->c->peer_port);
	for (i = 0; r == 0 && i < c->nlisten; i++)
		r = ctl_put_addr(&b, CTL_A_SERVER_ADDRS,
		    net_ip_is_any(&c->listen[i]) ? &cc->c->local_ip :
		    &c->listen[i], 0);
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
	return r;
}

static void
ctl_hello(struct ctlconn *cc)
{
	struct server *s = cc->c->srv;
	const struct srv_conf *c = &s->conf;
	int r;

	if (!rate_take(&s->conn_rate, &cc->c->peer_ip, s->now_ms())) {
		ctl_error(cc, CTL_E_LIMIT, 0, "sessions opened too fast from "
		    "this address");
		return;
	}
	r = session_open(s, cc->c, &cc->c->peer_ip, &cc->ss);
	if (r == -EBUSY) {
		ctl_error(cc, CTL_E_BUSY, 0, "too many sessions");
		return;
	}
	if (r == -EUSERS) {
		ctl_error(cc, CTL_E_LIMIT, 0, "too many sessions from this "
		    "address");
		return;
	}
	if (r < 0) {
		ctl_error(cc, CTL_E_INTERNAL, 0, "out of resources");
		return;
	}
	cc->state = CC_READY;
	conn_authed(cc->c);
	conn_deadline(cc->c, CONN_DL_IDLE, c->idle_timeout);
	conn_deadline(cc->c, CONN_DL_TOTAL, c->session_seconds);
	if (ctl_welcome(cc) < 0 && conn_is_open(cc->c))
		ctl_error(cc, CTL_E_INTERNAL, 0, "cannot build WELCOME");
}

static void
ctl_send(struct ctlconn *cc, const struct ctl_msg *m)
{
	struct session *ss = cc->ss;
	struct server *s = cc->c->srv;
	struct sockaddr_storage to;
	struct ctlreq_send q;
	struct listener *l;
	socklen_t tl;

	if (ctlreq_send_decode(m, &q) < 0) {
		ctl_error(cc, CTL_E_BAD_REQUEST, q.req_id, "malformed SEND");
		return;
	}
	if (!net_ip_equal(&q.peer_ip, &ss->node.ip) ||
	    !net_ip_sendable(&q.peer_ip, s->conf.allow_loopback) ||
	    listen_is_own(s, &q.peer_ip)) {
		ctl_error(cc, CTL_E_FORBIDDEN, q.req_id, "only the session's "
		    "own client address may be sent to");
		return;
	}
	if (session_charge(ss, SQ_BYTES, q.payload_len) < 0) {
		ctl_error(cc, CTL_E_LIMIT, q.req_id, "session byte cap reached");
		return;
	}
	if (session_charge(ss, SQ_PROBES, 1) < 0) {
		session_release(ss, SQ_BYTES, q.payload_len);
		ctl_error(cc, CTL_E_LIMIT, q.req_id, "session probe cap reached");
		return;
	}
	if (q.transport == CTL_UDP) {
		l = listen_find(s, LST_SIP_UDP, q.local_port, &cc->c->local_ip);
		if (l == NULL) {
			ctl_error(cc, CTL_E_NOT_FOUND, q.req_id, "no UDP "
			    "listener on that port");
			return;
		}
		tl = net_sa_from_ip(&q.peer_ip, q.peer_port, &to);
		if (sendto(l->fd, q.payload, q.payload_len, MSG_DONTWAIT,
		    (struct sockaddr *)&to, tl) < 0) {
			ctl_error(cc, CTL_E_INTERNAL, q.req_id, strerror(errno));
			return;
		}
	} else if (sipsrv_tcp_send(ss, q.peer_port, q.local_port, q.payload,
	    q.payload_len) < 0) {
		ctl_error(cc, CTL_E_NOT_FOUND, q.req_id, "no TCP probe "
		    "connection from that port");
		return;
	}
	session_sent(ss, q.req_id);
}

static void
ctl_watch(struct ctlconn *cc, const struct ctl_msg *m)
{
	struct ctlreq_watch w;

	if (ctlreq_watch_decode(m, &w) < 0) {
		ctl_error(cc, CTL_E_BAD_REQUEST, 0, "malformed WATCH");
		return;
	}
	if (session_watch(cc->ss, w.nonce) < 0)
		ctl_error(cc, CTL_E_LIMIT, 0, "session probe cap reached");
}

static void
ctl_msg(struct ctlconn *cc, const struct ctl_msg *m)
{
	struct dbuf b;
	size_t start;
	uint32_t id = 0;

	if (cc->state == CC_HELLO) {
		if (m->type != CTL_HELLO)
			ctl_error(cc, CTL_E_BAD_REQUEST, 0, "HELLO first");
		else
			ctl_hello(cc);
		return;
	}
	metrics_request(cc->c->srv, m->type);
	switch (m->type) {
	case CTL_WATCH:
		ctl_watch(cc, m);
		break;
	case CTL_SEND:
		ctl_send(cc, m);
		break;
	case CTL_SWEEP:
		sweepsrv_sweep(cc->ss, m, &cc->c->local_ip);
		break;
	case CTL_CONNECT:
		sweepsrv_connect(cc->ss, m, &cc->c->local_ip);
		break;
	case CTL_MEDIA:
		mediasrv_request(cc->ss, m);
		break;
	case CTL_WEBRTC_OFFER:
		webrtcsrv_offer_request(cc->ss, m);
		break;
	case CTL_WEBRTC_STATS:
		webrtcsrv_stats_request(cc->ss, m);
		break;
	case CTL_RELAY:
		relaysrv_request(cc->ss, m);
		break;
	case CTL_PING:
		dbuf_init(&b, 16);
		if (ctl_enc_begin(&b, CTL_PONG, &start) == 0 &&
		    ctl_enc_end(&b, start) == 0)
			(void)conn_write(cc->c, b.b, b.len);
		dbuf_free(&b);
		break;
	case CTL_PONG:
		break;
	case CTL_BYE:
		conn_close(cc->c);
		break;
	default:
		/* Unknown or misplaced: the session goes on when the message
		 * names a request it can be told about (section 6). */
		id = ctlreq_req_id(m);
		ctl_error(cc, CTL_E_BAD_REQUEST, id, m->type == CTL_HELLO ?
		    "a second HELLO" : "unknown or misplaced message type");
		break;
	}
}

/* The preamble: 0 when answered, -EAGAIN for more bytes, -1 when closed. */
static int
ctl_preamble_in(struct ctlconn *cc, struct evbuffer *in)
{
	uint8_t pre[CTL_PREAMBLE_LEN], *p;
	size_t avail = evbuffer_get_length(in);
	int r;

	if (avail > CTL_PREAMBLE_LEN)
		avail = CTL_PREAMBLE_LEN;
	p = evbuffer_pullup(in, (ssize_t)avail);
	if ((r = ctl_preamble_check(p, avail)) == -EAGAIN)
		return -EAGAIN;
	if (r < 0) {
		/* Version 0 or a wrong magic: closed without an answer. */
		srv_log_remote(cc->c->srv, "closing a connection with an "
		    "invalid preamble");
		conn_abort(cc->c);
		return -1;
	}
	evbuffer_drain(in, CTL_PREAMBLE_LEN);
	ctl_preamble(pre);	/* min(theirs, ours): ours is the lowest */
	if (conn_write(cc->c, pre, sizeof(pre)) < 0)
		return -1;
	cc->state = CC_HELLO;
	return 0;
}

static void
ctl_read_h(struct conn *c, struct evbuffer *in)
{
	struct ctlconn *cc = c->arg;
	struct ctl_msg m;
	size_t avail, flen;
	uint8_t *p;
	int r;

	while (conn_is_open(c) && (avail = evbuffer_get_length(in)) > 0) {
		if (cc->state == CC_PREAMBLE) {
			if (ctl_preamble_in(cc, in) < 0)
				return;
			continue;
		}
		if (avail > CTL_HDR_LEN + CTL_MAX_BODY)
			avail = CTL_HDR_LEN + CTL_MAX_BODY;
		p = evbuffer_pullup(in, (ssize_t)avail);
		if ((r = ctl_frame_peek(p, avail, &flen)) == -EAGAIN)
			return;
		if (r < 0) {
			srv_log_remote(c->srv, "control frame too large");
			ctl_error(cc, CTL_E_BAD_REQUEST, 0, "frame larger than "
			    "16384 bytes");
			return;
		}
		if (ctl_msg_decode(p, flen, &m) < 0) {
			srv_log_remote(c->srv, "malformed control frame");
			ctl_error(cc, CTL_E_BAD_REQUEST, 0, "malformed frame");
			return;
		}
		/* Only complete frames count as activity. */
		if (cc->state == CC_READY)
			conn_deadline(c, CONN_DL_IDLE, c->srv->conf.idle_timeout);
		ctl_msg(cc, &m);
		evbuffer_drain(in, flen);
	}
}

static void
ctl_expired_h(struct conn *c, enum conn_deadline which)
{
	struct ctlconn *cc = c->arg;

	if (cc->state == CC_PREAMBLE)
		return;		/* nothing was ever said: just close */
	if (which == CONN_DL_START)
		ctl_error(cc, CTL_E_LIMIT, 0, "HELLO did not arrive in time");
	else if (which == CONN_DL_IDLE)
		ctl_error(cc, CTL_E_LIMIT, 0, "no frame within the idle "
		    "timeout");
	else
		ctl_error(cc, CTL_E_LIMIT, 0, "session time is up");
}

static void
ctl_gone_h(struct conn *c)
{
	struct ctlconn *cc = c->arg;

	if (cc->ss != NULL) {
		cc->ss->ctl = NULL;
		session_close(cc->ss);
	}
	free(cc);
}

static const struct conn_ops ctl_ops = {
	.name = "control",
	.read = ctl_read_h,
	.expired = ctl_expired_h,
	.gone = ctl_gone_h,
};

/* The control preamble's magic, in the clear or inside TLS. */
static int
ctl_stream_is(const struct server *s, int tls, const uint8_t *p, size_t n)
{
	(void)s;
	(void)tls;
	if (!ctl_looks_like(p, n))
		return 0;
	return n < CTL_MAGIC_LEN ? -EAGAIN : 1;
}

static void
ctl_stream_take(struct conn *c, int tls, struct evbuffer *in)
{
	struct ctlconn *cc = calloc(1, sizeof(*cc));

	if (cc == NULL) {
		conn_abort(c);
		return;
	}
	cc->c = c;
	cc->state = CC_PREAMBLE;
	(void)tls;		/* the same protocol in the clear and in TLS */
	conn_handover(c, &ctl_ops, cc);
	ctl_read_h(c, in);
}

const struct responder ctlsrv_responder = {
	.name = "control",
	.stream_is = ctl_stream_is,
	.stream_take = ctl_stream_take,
};
