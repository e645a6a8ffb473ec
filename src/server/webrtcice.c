/*
 * webrtcice.c - the WebRTC peer's datagrams on the media ports (see
 * webrtc.h), demultiplexed by their first byte (RFC 7983):
 *
 *   - ICE checks (STUN, 0-3) from the session client's IP only (a peer
 *     through a relay: from an address of [relay] relay-from only), whose
 *     USERNAME starts with our ufrag and whose MESSAGE-INTEGRITY is under
 *     our ice-pwd, answered with no more bytes than they carry; the first
 *     valid check, then the last one with USE-CANDIDATE, chooses the
 *     5-tuple everything else must come from and goes to.  Consent
 *     (RFC 7675): webrtcmedia.c stops sending when no valid check came
 *     for WEBRTC_CONSENT_MS.
 *   - DTLS (20-63) on that 5-tuple only, to webrtcdtls.c;
 *   - SRTP and SRTCP (128-191) on it, to webrtcmedia.c.
 *
 * The same on ICE-TCP (RFC 6544, passive, on the control port, whose
 * first byte tells the responder registry: RFC 4571 frames, a 2-byte
 * length, and the first frame an ICE check): a connection from the session
 * client's IP whose first frame is not a valid check is closed; one whose
 * check chose the pair carries DTLS and SRTP framed the same way.
 *
 * A peer is found by what identifies it, never by its client's address
 * (many pages share one behind a NAT): a check by the ufrag its USERNAME
 * starts with, DTLS and SRTP by the selected pair.  An ICE-TCP connection
 * belongs to the peer of its first check; the peer and the connection
 * each let go of the other when they end (wice_peer_gone(), wice_gone_h),
 * so nothing is ever written through a connection that is gone.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "conn.h"
#include "responder.h"
#include "rtcp.h"
#include "srvproto.h"
#include "stun.h"
#include "stunans.h"
#include "webrtcpeer.h"

/* A valid check, on UDP port 'l' or ICE-TCP connection 'tcp':
 * answered; it may choose the pair. */
static void
wpeer_check(struct wpeer *p, struct listener *l, struct conn *tcp,
    const uint8_t *buf, size_t n, const struct stun_msg *req,
    const struct srv_dgram *d)
{
	struct server *s = p->srv;
	struct dbuf *b = &s->stun_out[0];
	uint16_t port = net_sa_port((const struct sockaddr *)&d->peer);
	size_t i;

	for (i = 0; l != NULL && i < p->nports && p->ports[i] != l->port; i++)
		;
	if ((l != NULL ? i == p->nports : p->tcp_port == 0 ||
	    tcp->local_port != p->tcp_port) || stun_ice_answer_build(buf, n, req, p->ufrag,
	    p->pwd, (const struct sockaddr *)&d->peer, b) < 0) {
		p->checks_refused++;
		s->cnt.dropped++;
		return;
	}
	if (tcp != NULL) {
		uint8_t hdr[2] = { (uint8_t)(b->len >> 8), (uint8_t)b->len };

		if (conn_write(tcp, hdr, 2) == 0)
			(void)conn_write(tcp, b->b, b->len);
		p->tcp_checks++;
	} else {
		(void)listen_send(l, RESP_WEBRTC, d->have_local ?
		    (const struct sockaddr *)&d->local : NULL,
		    (const struct sockaddr *)&d->peer, d->peer_len, b->b,
		    b->len);
		p->port_checks[i]++;
	}
	p->checks++;
	p->last_check_ms = s->now_ms();
	if (p->have_pair && (!(req->present & STUN_HAS_USE_CANDIDATE) ||
	    (p->nominated && p->l == l && p->tcp == tcp &&
	    p->peer_port == port)))
		return;
	/* DTLS and media follow the pair: one association, another path. */
	p->have_pair = 1;
	p->nominated = (req->present & STUN_HAS_USE_CANDIDATE) != 0;
	p->l = l;
	p->tcp = tcp;
	p->pair_tcp = tcp != NULL;
	p->pair_port = tcp != NULL ? tcp->local_port : l->port;
	memcpy(&p->peer, &d->peer, sizeof(p->peer));
	p->peer_len = d->peer_len;
	p->peer_ip = d->peer_ip;
	p->peer_port = port;
	p->local = d->local;
	p->have_local = d->have_local;
	wpeer_pair_index(p);
}

/* The datagram came on the selected 5-tuple. */
static int
wpeer_on_pair(const struct wpeer *p, const struct listener *l,
    const struct srv_dgram *d)
{
	return p->have_pair && !p->pair_tcp && l->port == p->l->port &&
	    net_ip_equal(&d->peer_ip, &p->peer_ip) &&
	    net_sa_port((const struct sockaddr *)&d->peer) == p->peer_port;
}

static void
wpeer_dtls(struct wpeer *p, const uint8_t *buf, size_t n)
{
	if (p->dtls == NULL && (p->dtls = wdtls_new(p->srv, p->rfp,
	    wpeer_send, p)) == NULL)
		return;
	if (wdtls_input(p->dtls, buf, n) == 1) {
		srv_log_remote(p->srv, "WebRTC peer: DTLS done, %s",
		    wdtls_profile(p->dtls));
		wpeer_media_start(p);
	}
}

/* An ICE-TCP connection, the peer's once its first check was. */
struct wice {
	struct conn *c;
	struct wpeer *p;		/* NULL before, and once the peer went */
	struct wice *next;		/* the peer's connections */
};

/* The peer an ICE check is for: its ufrag, from its session client's IP
 * only, or for a peer through a relay (webrtc_via_relay()) from an address
 * of relay-from alone, as a MEDIA stream through a relay; NULL when there
 * is none. */
static struct wpeer *
wpeer_of_check(struct server *s, const struct stun_msg *req,
    const struct net_ip *src)
{
	struct wpeer *p = wpeer_by_ufrag(s, req->username, req->username_len);
	size_t i;

	if (p == NULL)
		return NULL;
	if (!p->via_relay)
		return net_ip_equal(src, &p->ss->node.ip) ? p : NULL;
	for (i = 0; i < s->conf.nrelay_from; i++)
		if (net_cidr_contains(&s->conf.relay_from[i], src))
			return p;
	return NULL;
}

/* Whether 'buf' is an ICE check: a Binding request with a USERNAME. */
static int
wice_is_check(const uint8_t *buf, size_t n, struct stun_msg *req)
{
	return stun_is_stun(buf, n) && stun_msg_decode(buf, n, req) == 0 &&
	    req->type == STUN_BINDING_REQUEST &&
	    (req->present & STUN_HAS_USERNAME);
}

static int
webrtc_datagram(struct listener *l, const uint8_t *buf, size_t n,
    const struct srv_dgram *d)
{
	struct server *s = l->srv;
	struct stun_msg req;
	struct wpeer *p;

	if (s->webrtc == NULL || s->webrtc->npeers == 0 || n == 0)
		return 0;
	if (buf[0] <= 3) {
		/* An ICE check carries USERNAME; other STUN is not ours. */
		if (!wice_is_check(buf, n, &req))
			return 0;
		if ((p = wpeer_of_check(s, &req, &d->peer_ip)) == NULL) {
			s->cnt.dropped++;	/* no peer's, or not its client's */
			return 1;
		}
		wpeer_check(p, l, NULL, buf, n, &req, d);
		return 1;
	}
	if ((buf[0] < 20 || buf[0] > 63) && (buf[0] < 128 || buf[0] > 191))
		return 0;
	if ((p = wpeer_by_pair(s, l->port, &d->peer_ip,
	    net_sa_port((const struct sockaddr *)&d->peer))) == NULL ||
	    !wpeer_on_pair(p, l, d))
		return 0;	/* a MEDIA stream's RTP, maybe */
	if (buf[0] <= 63)
		wpeer_dtls(p, buf, n);
	else
		wpeer_srtp_in(p, buf, n, d);
	return 1;
}

const struct responder webrtc_responder = {
	.name = "webrtc",
	.datagram = webrtc_datagram,
};

/* The connection becomes peer 'p''s: -EUSERS past WEBRTC_MAX_TCP. */
static int
wice_bind(struct wice *w, struct wpeer *p)
{
	struct wice *x;
	unsigned k = 0;

	for (x = p->tconns; x != NULL; x = x->next)
		k++;
	if (k >= WEBRTC_MAX_TCP)
		return -EUSERS;
	w->p = p;
	w->next = p->tconns;
	p->tconns = w;
	return 0;
}

void
wice_peer_gone(struct wpeer *p)
{
	struct wice *w;

	while ((w = p->tconns) != NULL) {
		p->tconns = w->next;
		w->next = NULL;
		w->p = NULL;
		conn_close(w->c);
	}
	p->tcp = NULL;
}

/* One RFC 4571 frame of an ICE-TCP connection; < 0 closes it. */
static int
wice_frame(struct wice *w, const uint8_t *buf, size_t n)
{
	struct conn *c = w->c;
	struct server *s = c->srv;
	struct srv_dgram d;
	struct stun_msg req;
	struct wpeer *p;
	uint32_t before;

	memset(&d, 0, sizeof(d));
	d.peer_len = net_sa_from_ip(&c->peer_ip, c->peer_port,
	    &d.peer);
	d.peer_ip = c->peer_ip;
	d.tos = -1;
	if (buf[0] <= 3) {
		if (!wice_is_check(buf, n, &req))
			return -EBADMSG;
		/* Checks for its own peer only, which must still be there. */
		if ((p = wpeer_of_check(s, &req, &c->peer_ip)) == NULL ||
		    (c->authed && p != w->p))
			return -EPERM;
		if (w->p == NULL && wice_bind(w, p) < 0)
			return -EUSERS;
		before = p->checks;
		wpeer_check(p, NULL, c, buf, n, &req, &d);
		if (p->checks == before)
			return -EACCES;
		if (!c->authed) {
			conn_authed(c);
			conn_deadline(c, CONN_DL_TOTAL, WEBRTC_MEDIA_MS / 1000 +
			    WEBRTC_CONSENT_MS / 1000);
		}
		return 0;
	}
	if (!c->authed || (p = w->p) == NULL)
		return -EACCES;		/* a check first, of a live peer */
	if (p->tcp != c || !p->have_pair)
		return 0;
	if (buf[0] >= 20 && buf[0] <= 63)
		wpeer_dtls(p, buf, n);
	else if (buf[0] >= 128 && buf[0] <= 191)
		wpeer_srtp_in(p, buf, n, &d);
	return 0;
}

static void
wice_read_h(struct conn *c, struct evbuffer *in)
{
	size_t avail, len;
	uint8_t *f;
	int r;

	while (conn_is_open(c) && (avail = evbuffer_get_length(in)) > 0) {
		if (avail > 2 + WEBRTC_PKT_MAX)
			avail = 2 + WEBRTC_PKT_MAX;
		f = evbuffer_pullup(in, (ssize_t)avail);
		if ((r = rfc4571_frame_peek(f, avail, WEBRTC_PKT_MAX,
		    &len)) == -EAGAIN)
			return;
		if (r < 0 || wice_frame(c->arg, f + 2, len) < 0) {
			conn_close(c);
			return;
		}
		evbuffer_drain(in, 2 + len);
	}
}

/* The connection goes: its peer, if it still has one, lets go of it. */
static void
wice_gone_h(struct conn *c)
{
	struct wice *w = c->arg, **pp;
	struct wpeer *p = w->p;

	if (p != NULL) {
		for (pp = &p->tconns; *pp != NULL; pp = &(*pp)->next)
			if (*pp == w) {
				*pp = w->next;
				break;
			}
		if (p->tcp == c)
			p->tcp = NULL;	/* the pair stays, for the report */
	}
	free(w);
}

static const struct conn_ops wice_ops = {
	.name = "ice-tcp",
	.read = wice_read_h,
	.gone = wice_gone_h,
};

/* In the clear, a first byte 0: an RFC 4571 length under 256, the first
 * frame an ICE check (the control preamble is text, TLS starts 0x16). */
static int
wice_stream_is(const struct server *s, int tls, const uint8_t *p, size_t n)
{
	(void)n;
	return !tls && s->webrtc != NULL && p[0] == 0x00;
}

static void
wice_stream_take(struct conn *c, int tls, struct evbuffer *in)
{
	struct wice *w = calloc(1, sizeof(*w));

	(void)tls;
	if (w == NULL) {
		conn_abort(c);
		return;
	}
	w->c = c;
	conn_handover(c, &wice_ops, w);
	conn_read_max(c, 2 * (2 + WEBRTC_PKT_MAX));
	wice_read_h(c, in);
}

const struct responder wice_responder = {
	.name = "ice-tcp",
	.stream_is = wice_stream_is,
	.stream_take = wice_stream_take,
};
