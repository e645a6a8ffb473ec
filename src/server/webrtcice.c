/*
 * webrtcice.c - the WebRTC peer's datagrams on the media ports (see
 * webrtc.h), demultiplexed by their first byte (RFC 7983):
 *
 *   - ICE checks (STUN, 0-3) from the session client's IP only, whose
 *     USERNAME starts with our ufrag and whose MESSAGE-INTEGRITY is under
 *     our ice-pwd, answered with no more bytes than they carry; the first
 *     valid check, then the last one with USE-CANDIDATE, chooses the
 *     5-tuple everything else must come from and goes to.  Consent
 *     (RFC 7675): webrtcmedia.c stops sending when no valid check came
 *     for WEBRTC_CONSENT_MS.
 *   - DTLS (20-63) on that 5-tuple only, to webrtcdtls.c;
 *   - SRTP and SRTCP (128-191) on it, to webrtcmedia.c.
 */
#include <string.h>

#include "conn.h"
#include "srvproto.h"
#include "stun.h"
#include "stunans.h"
#include "webrtcpeer.h"

/* Everything leaves from the selected pair's port to its peer. */
void
wpeer_send(void *arg, const uint8_t *buf, size_t n)
{
	struct wpeer *p = arg;

	if (!p->have_pair)
		return;
	(void)listen_send(p->l, p->have_local ?
	    (const struct sockaddr *)&p->local : NULL,
	    (const struct sockaddr *)&p->peer, p->peer_len, buf, n);
}

/* A valid check: answered; it may choose the pair. */
static void
wpeer_check(struct wpeer *p, struct listener *l, const uint8_t *buf,
    size_t n, const struct stun_msg *req, const struct srv_dgram *d)
{
	struct server *s = p->srv;
	struct dbuf *b = &s->stun_out[0];
	uint16_t port = net_sa_port((const struct sockaddr *)&d->peer);
	size_t i;

	for (i = 0; i < p->nports && p->ports[i] != l->port; i++)
		;
	if (i == p->nports || stun_ice_answer_build(buf, n, req, p->ufrag,
	    p->pwd, (const struct sockaddr *)&d->peer, b) < 0) {
		p->checks_refused++;
		s->cnt.dropped++;
		return;
	}
	(void)listen_send(l, d->have_local ? (const struct sockaddr *)&d->local :
	    NULL, (const struct sockaddr *)&d->peer, d->peer_len, b->b, b->len);
	p->checks++;
	p->port_checks[i]++;
	p->last_check_ms = s->now_ms();
	if (p->have_pair && (!(req->present & STUN_HAS_USE_CANDIDATE) ||
	    (p->nominated && p->l == l && p->peer_port == port)))
		return;
	/* DTLS and media follow the pair: one association, another path. */
	p->have_pair = 1;
	p->nominated = (req->present & STUN_HAS_USE_CANDIDATE) != 0;
	p->l = l;
	memcpy(&p->peer, &d->peer, sizeof(p->peer));
	p->peer_len = d->peer_len;
	p->peer_ip = d->peer_ip;
	p->peer_port = port;
	p->local = d->local;
	p->have_local = d->have_local;
}

/* The datagram came on the selected 5-tuple. */
static int
wpeer_on_pair(const struct wpeer *p, const struct listener *l,
    const struct srv_dgram *d)
{
	return p->have_pair && l->port == p->l->port &&
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

int
webrtcsrv_datagram(struct listener *l, const uint8_t *buf, size_t n,
    const struct srv_dgram *d)
{
	struct server *s = l->srv;
	struct stun_msg req;
	struct session *ss;
	struct wpeer *p;

	if (s->webrtc == NULL || s->webrtc->npeers == 0 || n == 0)
		return 0;
	if (buf[0] <= 3) {
		/* An ICE check carries USERNAME; other STUN is not ours. */
		if (!stun_is_stun(buf, n) || stun_msg_decode(buf, n, &req) < 0 ||
		    req.type != STUN_BINDING_REQUEST ||
		    !(req.present & STUN_HAS_USERNAME))
			return 0;
		if ((ss = session_find(s, &d->peer_ip)) == NULL ||
		    (p = wpeer_find(ss)) == NULL) {
			s->cnt.dropped++;	/* not from a session's client */
			return 1;
		}
		wpeer_check(p, l, buf, n, &req, d);
		return 1;
	}
	if ((buf[0] < 20 || buf[0] > 63) && (buf[0] < 128 || buf[0] > 191))
		return 0;
	if ((ss = session_find(s, &d->peer_ip)) == NULL ||
	    (p = wpeer_find(ss)) == NULL || !wpeer_on_pair(p, l, d))
		return 0;	/* a MEDIA stream's RTP, maybe */
	if (buf[0] <= 63)
		wpeer_dtls(p, buf, n);
	else
		wpeer_srtp_in(p, buf, n, d);
	return 1;
}
