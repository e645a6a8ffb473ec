/*
 * webrtcsrv.c - pinholed's WebRTC peer for one audio-only browser
 * session (docs/protocol.md, WEBRTC_OFFER): the offer in, an answer with
 * ICE-lite host candidates on media ports; then webrtcice.c takes the
 * ports' datagrams and webrtcmedia.c the media.
 *
 * A peer is a session child, charged to the session's media quotas; it
 * goes with the session, or when the session offers again.  The
 * session's client is a control connection's (WEBRTC_OFFER) or the check
 * page's (its WebSocket's offer): ICE checks are taken from that IP
 * only.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "conn.h"
#include "ctlreq.h"
#include "srvproto.h"
#include "webrtcpeer.h"

static void
wpeer_free(struct wpeer *p, int unlink)
{
	if (unlink) {
		session_child_del(p->ss, &p->ch);
		session_release(p->ss, SQ_MEDIA_STREAMS, 1);
		session_release(p->ss, SQ_MEDIA_BPS, WEBRTC_BPS);
	}
	wice_peer_gone(p);
	wpeer_index_del(p);
	p->srv->webrtc->npeers--;
	wdtls_free(p->dtls);
	if (p->tick != NULL)
		event_free(p->tick);
	free(p->recs);
	free(p);
}

static void
wpeer_gone(struct session_child *ch)
{
	wpeer_free(wpeer_of(ch), 0);
}

/* Random ice-chars (RFC 8839): 6 bits a character. */
static int
wpeer_random_chars(char *out, size_t n)
{
	static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
	    "qrstuvwxyz0123456789+/";
	uint8_t r[32];
	size_t i;

	if (n > sizeof(r) || RAND_bytes(r, (int)n) != 1)
		return -EIO;
	for (i = 0; i < n; i++)
		out[i] = set[r[i] & 63];
	out[n] = '\0';
	return 0;
}

/* The media port of index 'k' over all media ranges (or SIP UDP ones). */
static int
wpeer_port_at(const struct srv_conf *c, size_t k, uint16_t *port)
{
	const uint16_t (*rg)[2] = c->nmedia > 0 ? c->media : c->sip_udp;
	size_t n = c->nmedia > 0 ? c->nmedia : c->nsip_udp, i, w;

	for (i = 0; i < n; i++) {
		w = (size_t)(rg[i][1] - rg[i][0]) + 1;
		if (k < w) {
			*port = (uint16_t)(rg[i][0] + k);
			return 0;
		}
		k -= w;
	}
	return -ENOENT;
}

/* Up to WEBRTC_MAX_PORTS listening ports spread over the range. */
static size_t
wpeer_ports(struct server *s, uint16_t ports[WEBRTC_MAX_PORTS])
{
	const struct srv_conf *c = &s->conf;
	const uint16_t (*rg)[2] = c->nmedia > 0 ? c->media : c->sip_udp;
	size_t n = c->nmedia > 0 ? c->nmedia : c->nsip_udp, total = 0, i, k;
	size_t np = 0;
	uint16_t port;

	for (i = 0; i < n; i++)
		total += (size_t)(rg[i][1] - rg[i][0]) + 1;
	k = total < WEBRTC_MAX_PORTS ? total : WEBRTC_MAX_PORTS;
	for (i = 0; i < k; i++)
		if (wpeer_port_at(c, i * total / k, &port) == 0 &&
		    listen_find(s, LST_SIP_UDP, port, NULL) != NULL)
			ports[np++] = port;
	return np;
}

int
webrtc_available(struct server *s)
{
	uint16_t ports[WEBRTC_MAX_PORTS];

	return s->webrtc != NULL && s->conf.webrtc_peers > 0 &&
	    wpeer_ports(s, ports) > 0;
}

/* The candidates: each port on the address the client reached first. */
static int
wpeer_candidates(struct wpeer *p, const struct net_ip *ctl_ip,
    struct sdp_cand *cands, size_t *ncands)
{
	const struct srv_conf *c = &p->srv->conf;
	struct net_ip ips[SRV_MAX_LISTEN];
	size_t nips = 0, i, k;

	p->nports = wpeer_ports(p->srv, p->ports);
	/* The control connection's address first: the client reached it. */
	ips[nips++] = *ctl_ip;
	for (i = 0; i < c->nlisten && nips < SRV_MAX_LISTEN; i++)
		if (!net_ip_is_any(&c->listen[i]) &&
		    !net_ip_equal(&c->listen[i], ctl_ip) &&
		    c->listen[i].family == ctl_ip->family)
			ips[nips++] = c->listen[i];
	*ncands = 0;
	for (i = 0; i < nips; i++)
		for (k = 0; k < p->nports && *ncands < SDP_MAX_CANDS; k++) {
			if (net_ip_str(&ips[i], cands[*ncands].addr,
			    sizeof(cands[0].addr)) == NULL)
				continue;
			cands[*ncands].tcp = 0;
			cands[(*ncands)++].port = p->ports[k];
		}
	/* Last, so least preferred: ICE-TCP where the client reached us. */
	if (p->tcp_port != 0 && *ncands < SDP_MAX_CANDS &&
	    net_ip_str(ctl_ip, cands[*ncands].addr,
	    sizeof(cands[0].addr)) != NULL) {
		cands[*ncands].tcp = 1;
		cands[(*ncands)++].port = p->tcp_port;
	}
	return *ncands > 0 ? 0 : -ENOENT;
}

int
webrtc_offer(struct session *ss, const struct net_ip *local,
    uint16_t tcp_port, const char *offer, size_t len, struct dbuf *answer)
{
	struct server *s = ss->srv;
	struct sdp_cand cands[SDP_MAX_CANDS];
	struct sdp_answer_params ap;
	struct sdp_offer *o;
	struct wpeer *p, *old;
	int r;

	if (s->webrtc == NULL)
		return -EIO;
	if ((o = malloc(sizeof(*o))) == NULL)
		return -ENOMEM;
	if ((r = sdp_offer_decode(offer, len, o)) < 0)
		goto out;
	if ((old = wpeer_find(ss)) != NULL)
		wpeer_free(old, 1);
	r = -EBUSY;
	if (s->webrtc->npeers >= s->conf.webrtc_peers)
		goto out;
	r = -EDQUOT;
	if (session_charge(ss, SQ_MEDIA_STREAMS, 1) < 0)
		goto out;
	if (session_charge(ss, SQ_MEDIA_BPS, WEBRTC_BPS) < 0) {
		session_release(ss, SQ_MEDIA_STREAMS, 1);
		goto out;
	}
	if (session_charge(ss, SQ_MEDIA_MS, WEBRTC_MEDIA_MS) < 0) {
		session_release(ss, SQ_MEDIA_STREAMS, 1);
		session_release(ss, SQ_MEDIA_BPS, WEBRTC_BPS);
		goto out;
	}
	r = -ENOMEM;
	if ((p = calloc(1, sizeof(*p))) == NULL) {
		session_release(ss, SQ_MEDIA_STREAMS, 1);
		session_release(ss, SQ_MEDIA_BPS, WEBRTC_BPS);
		goto out;
	}
	p->ss = ss;
	p->srv = s;
	p->ch.kind = SCH_WEBRTC;
	p->ch.gone = wpeer_gone;
	p->rtt_us = RTP_UNKNOWN;
	p->opus_pt = o->opus_pt;
	p->tcp_port = tcp_port;
	memcpy(p->rfp, o->fingerprint, SDP_FP_LEN);
	session_child_add(ss, &p->ch);
	s->webrtc->npeers++;
	s->cnt.webrtc_peers++;
	if ((p->recs = calloc(WEBRTC_MAX_RECS, sizeof(*p->recs))) == NULL ||
	    (p->tick = evtimer_new(s->base, wpeer_tick_h, p)) == NULL)
		goto fail;
	r = -EIO;
	if (wpeer_random_chars(p->ufrag, WEBRTC_UFRAG_LEN) < 0 ||
	    wpeer_random_chars(p->pwd, 24) < 0 ||
	    RAND_bytes((uint8_t *)&p->ssrc, sizeof(p->ssrc)) != 1 ||
	    RAND_bytes((uint8_t *)&p->seq0, sizeof(p->seq0)) != 1)
		goto fail;
	p->seq0 &= 0x7fff;	/* RFC 3550: well away from a wrap */
	/* Checks find the peer by its ufrag (48 random bits; a repeat
	 * would be refused, and the offer fails). */
	if ((r = wpeer_index_add(p)) < 0) {
		r = r == -EEXIST ? -EIO : r;
		goto fail;
	}
	r = -ENOENT;
	if (wpeer_candidates(p, local, cands, &ap.ncands) < 0)
		goto fail;
	ap.sess_id = ((uint64_t)p->ssrc << 16) | p->seq0;
	ap.ufrag = p->ufrag;
	ap.pwd = p->pwd;
	memcpy(ap.fingerprint, s->webrtc->fingerprint, SDP_FP_LEN);
	ap.ssrc = p->ssrc;
	ap.cands = cands;
	if ((r = sdp_answer_build(o, &ap, answer)) < 0)
		goto fail;
	r = 0;
	goto out;
fail:
	wpeer_free(p, 1);
out:
	free(o);
	return r;
}

int
webrtc_via_relay(struct session *ss)
{
	struct wpeer *p = wpeer_find(ss);

	if (p == NULL)
		return -ENOENT;
	if (ss->srv->conf.nrelay_from == 0)
		return -EPERM;
	p->via_relay = 1;
	return 0;
}

int
webrtc_paths(struct session *ss, struct browser_webrtc_srv *out)
{
	struct wpeer *p = wpeer_find(ss);
	size_t i;

	if (p == NULL)
		return -ENOENT;
	out->offered = 1;
	out->nports = p->nports;
	for (i = 0; i < p->nports; i++) {
		out->ports[i] = p->ports[i];
		out->port_checks[i] = p->port_checks[i];
	}
	out->checks = p->checks;
	out->have_pair = p->have_pair;
	out->pair_port = p->have_pair ? p->pair_port : 0;
	out->pair_tcp = p->have_pair && p->pair_tcp;
	out->tcp_port = p->tcp_port;
	out->tcp_checks = p->tcp_checks;
	out->peer_port = p->have_pair ? p->peer_port : 0;
	out->pair_family = p->have_pair ? p->peer_ip.family : 0;
	out->dtls = p->dtls != NULL && wdtls_ready(p->dtls);
	return 0;
}

void
webrtcsrv_offer_request(struct session *ss, const struct ctl_msg *m)
{
	struct ctlreq_webrtc w;
	struct dbuf ans, b;
	size_t start;
	int r;

	if (ctlreq_webrtc_decode(m, &w) < 0) {
		session_fail(ss, CTL_E_BAD_REQUEST, w.req_id,
		    "malformed WEBRTC_OFFER");
		return;
	}
	dbuf_init(&ans, SDP_MAX_LEN);
	r = ss->ctl == NULL ? -EIO : webrtc_offer(ss, &ss->ctl->local_ip, 0, w.sdp, w.sdp_len, &ans);
	if (r < 0) {
		session_fail(ss, r == -EDQUOT ? CTL_E_LIMIT : r == -EBUSY ?
		    CTL_E_BUSY : r == -EBADMSG || r == -ENOTSUP ?
		    CTL_E_BAD_REQUEST : CTL_E_INTERNAL, w.req_id,
		    r == -EDQUOT ? "session media caps reached" :
		    r == -EBUSY ? "WebRTC peers busy" :
		    r == -EBADMSG ? "malformed SDP offer" :
		    r == -ENOTSUP ? "no audio section we can answer" :
		    "cannot answer");
		dbuf_free(&ans);
		return;
	}
	dbuf_init(&b, CTL_HDR_LEN + CTL_MAX_BODY);
	r = ctl_enc_begin(&b, CTL_WEBRTC_ANSWER, &start);
	r = r ? r : ctl_put_u32(&b, CTL_A_REQ_ID, w.req_id);
	r = r ? r : ctl_put_bytes(&b, CTL_A_SDP, ans.b, ans.len);
	r = r ? r : ctl_enc_end(&b, start);
	if (r == 0)
		(void)session_write(ss, &b);
	else
		session_fail(ss, CTL_E_INTERNAL, w.req_id, "answer too large");
	dbuf_free(&b);
	dbuf_free(&ans);
}

void
webrtcsrv_stats_request(struct session *ss, const struct ctl_msg *m)
{
	uint32_t id = ctlreq_req_id(m);
	struct wpeer *p;
	struct rtp_side sd;
	struct dbuf b;
	size_t start;
	int r;

	if (id == 0) {
		session_fail(ss, CTL_E_BAD_REQUEST, 0, "malformed WEBRTC_STATS");
		return;
	}
	if ((r = webrtc_stats(ss, &sd)) < 0) {
		session_fail(ss, r == -ENOENT ? CTL_E_NOT_FOUND :
		    CTL_E_INTERNAL, id, r == -ENOENT ? "no WebRTC peer" :
		    "statistics failed");
		return;
	}
	p = wpeer_find(ss);
	dbuf_init(&b, CTL_HDR_LEN + CTL_MAX_BODY);
	r = ctl_enc_begin(&b, CTL_MEDIA_STATS, &start);
	r = r ? r : ctl_put_u32(&b, CTL_A_REQ_ID, id);
	if (r == 0 && p->have_pair)
		r = ctl_put_addr(&b, CTL_A_PEER, &p->peer_ip, p->peer_port);
	r = r ? r : rtp_side_put(&b, &sd);
	r = r ? r : ctl_enc_end(&b, start);
	if (r == 0)
		(void)session_write(ss, &b);
	dbuf_free(&b);
}
