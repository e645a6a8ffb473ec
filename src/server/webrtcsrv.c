/*
 * webrtcsrv.c - pinholed's WebRTC peer for one audio-only browser
 * session (docs/protocol.md, WEBRTC_OFFER): the offer in, an answer with
 * ICE-lite host candidates on media ports, then on those ports:
 *
 *   - ICE checks (STUN, first byte 0-3, RFC 7983) from the session
 *     client's IP only, whose USERNAME starts with our ufrag and whose
 *     MESSAGE-INTEGRITY is under our ice-pwd, answered with no more bytes
 *     than they carry; the first valid check, then the last one with
 *     USE-CANDIDATE, chooses the 5-tuple everything else must come from
 *     and goes to.  Consent (RFC 7675): we stop sending media when no
 *     valid check came for WEBRTC_CONSENT_MS.
 *   - DTLS (20-63) on that 5-tuple only, to webrtcdtls.c;
 *   - SRTP and SRTCP (128-191): the browser's Opus is kept as mediasrv.c
 *     keeps a MEDIA stream (sequence, TOS, nominal send time from the RTP
 *     timestamp, kernel receive time), and we send our own Opus (a 20 ms
 *     silence frame) every 20 ms, with RTCP SR and RR every few seconds.
 *
 * A peer is a session child, charged to the session's media quotas; it
 * goes with the session, or when the session offers again.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/rand.h>

#include "conn.h"
#include "ctlreq.h"
#include "session.h"
#include "srvproto.h"
#include "stun.h"
#include "stunans.h"
#include "webrtc.h"

#define WEBRTC_CONSENT_MS	30000	/* RFC 7675 */
#define WEBRTC_MEDIA_MS		60000	/* a peer sends for at most this */
#define WEBRTC_BPS		64000	/* charged: Opus, SRTP, RTCP */
#define WEBRTC_PTIME_MS		20
#define WEBRTC_RTCP_MS		2500
#define WEBRTC_MAX_RECS		(WEBRTC_MEDIA_MS / WEBRTC_PTIME_MS * 5 / 4)
#define WEBRTC_MAX_PORTS	BROWSER_WEBRTC_PORTS
#define WEBRTC_PKT_MAX		1500
#define WEBRTC_JB_MS		BROWSER_WEBRTC_JB

struct wpeer {
	struct session_child ch;
	struct session *ss;
	struct server *srv;
	char ufrag[9];
	char pwd[25];
	uint8_t rfp[SDP_FP_LEN];	/* the offer's a=fingerprint */
	uint16_t ports[WEBRTC_MAX_PORTS];
	size_t nports;
	/* The selected 5-tuple. */
	int have_pair, nominated;
	struct listener *l;
	struct sockaddr_storage peer;
	socklen_t peer_len;
	struct net_ip peer_ip;
	uint16_t peer_port;
	struct sockaddr_storage local;
	int have_local;
	long long last_check_ms;
	uint32_t checks, checks_refused;
	uint32_t port_checks[WEBRTC_MAX_PORTS];	/* valid checks per port */
	struct wdtls *dtls;
	/* What we send. */
	uint32_t ssrc;
	uint16_t seq0;
	uint32_t nsent, octets;
	int64_t t0_us, next_us;
	long long media_end_ms;
	long long next_rtcp_ms;
	struct event *tick;
	int opus_pt;
	/* What we receive. */
	int have_rx;
	uint32_t rssrc, ts0;
	uint16_t rseq0;
	int64_t hi;			/* highest index so far */
	uint32_t ndup_or_stray;
	double jitter;			/* RFC 3550, timestamp units */
	int64_t prev_transit;
	uint32_t lsr;			/* middle of the NTP time of their SR */
	int64_t lsr_rx_us;
	uint32_t rtt_us;		/* from their RR on our stream */
	struct rtp_rec *recs;
	size_t nrecs;
	uint32_t srtp_bad;
};

#define wpeer_of(chp) ((struct wpeer *)(void *)((char *)(chp) - \
	offsetof(struct wpeer, ch)))

static struct wpeer *
wpeer_find(struct session *ss)
{
	struct session_child *ch;

	for (ch = ss->children; ch != NULL; ch = ch->next)
		if (ch->kind == SCH_WEBRTC)
			return wpeer_of(ch);
	return NULL;
}

static void
wpeer_free(struct wpeer *p, int unlink)
{
	if (unlink) {
		session_child_del(p->ss, &p->ch);
		session_release(p->ss, SQ_MEDIA_STREAMS, 1);
		session_release(p->ss, SQ_MEDIA_BPS, WEBRTC_BPS);
	}
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
			cands[(*ncands)++].port = p->ports[k];
		}
	return *ncands > 0 ? 0 : -ENOENT;
}

static void wpeer_tick_h(evutil_socket_t fd, short what, void *arg);

int
webrtc_offer(struct session *ss, const struct net_ip *local,
    const char *offer, size_t len, struct dbuf *answer)
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
	memcpy(p->rfp, o->fingerprint, SDP_FP_LEN);
	session_child_add(ss, &p->ch);
	s->webrtc->npeers++;
	if ((p->recs = calloc(WEBRTC_MAX_RECS, sizeof(*p->recs))) == NULL ||
	    (p->tick = evtimer_new(s->base, wpeer_tick_h, p)) == NULL)
		goto fail;
	r = -EIO;
	if (wpeer_random_chars(p->ufrag, 8) < 0 ||
	    wpeer_random_chars(p->pwd, 24) < 0 ||
	    RAND_bytes((uint8_t *)&p->ssrc, sizeof(p->ssrc)) != 1 ||
	    RAND_bytes((uint8_t *)&p->seq0, sizeof(p->seq0)) != 1)
		goto fail;
	p->seq0 &= 0x7fff;	/* RFC 3550: well away from a wrap */
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

/* Everything leaves from the selected pair's port to its peer. */
static void
wpeer_send(void *arg, const uint8_t *buf, size_t n)
{
	struct wpeer *p = arg;

	if (!p->have_pair)
		return;
	(void)listen_send(p->l, p->have_local ?
	    (const struct sockaddr *)&p->local : NULL,
	    (const struct sockaddr *)&p->peer, p->peer_len, buf, n);
}

/* Our packet or report, protected, to the pair. */
static void
wpeer_send_srtp(struct wpeer *p, uint8_t *b, size_t n, int rtcp)
{
	if (wdtls_protect(p->dtls, b, &n, WEBRTC_PKT_MAX, rtcp) == 0)
		wpeer_send(p, b, n);
}

static void
put32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

static uint32_t
get32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | b[3];
}

/* The middle 32 bits of the NTP time of 'real_us' (RFC 3550 4). */
static uint64_t
wntp(int64_t real_us)
{
	return (uint64_t)(real_us / 1000000 + 2208988800LL) << 32 |
	    (uint64_t)(((real_us % 1000000) << 32) / 1000000);
}

/*
 * RTCP (RFC 3550 6.4.1, 6.5): an SR, with a report block on the
 * browser's stream once it sent, and an SDES with our CNAME.  Into 'b'
 * (at least 80 bytes); returns the length.
 */
static size_t
wpeer_rtcp_build(const struct wpeer *p, uint8_t *b)
{
	int64_t now = srv_clock_us(CLOCK_REALTIME);
	uint64_t ntp = wntp(now);
	int rc = p->have_rx ? 1 : 0;
	size_t n;

	b[0] = (uint8_t)(0x80 | rc);
	b[1] = 200;
	b[2] = 0;
	b[3] = (uint8_t)(6 + 6 * rc);
	put32(b + 4, p->ssrc);
	put32(b + 8, (uint32_t)(ntp >> 32));
	put32(b + 12, (uint32_t)ntp);
	put32(b + 16, (uint32_t)((srv_clock_us(CLOCK_MONOTONIC) - p->t0_us) *
	    48 / 1000));
	put32(b + 20, p->nsent);
	put32(b + 24, p->octets);
	n = 28;
	if (rc) {
		int64_t expected = p->hi + 1;
		int64_t lost = expected - (int64_t)p->nrecs;
		uint32_t frac, dlsr = 0;

		lost = lost < 0 ? 0 : lost > 0x7fffff ? 0x7fffff : lost;
		frac = expected > 0 ? (uint32_t)(lost * 256 / expected) : 0;
		if (p->lsr != 0)
			dlsr = (uint32_t)((now - p->lsr_rx_us) * 65536 / 1000000);
		put32(b + n, p->rssrc);
		put32(b + n + 4, (frac > 255 ? 255 : frac) << 24 |
		    (uint32_t)lost);
		/* extended highest sequence number: cycles and the number */
		put32(b + n + 8, (uint32_t)((int64_t)p->rseq0 + p->hi));
		put32(b + n + 12, (uint32_t)p->jitter);
		put32(b + n + 16, p->lsr);
		put32(b + n + 20, dlsr);
		n += 24;
	}
	/* SDES: one chunk, CNAME "pinholed", ended and padded to a word. */
	b[n] = 0x81;
	b[n + 1] = 202;
	b[n + 2] = 0;
	b[n + 3] = 4;
	put32(b + n + 4, p->ssrc);
	b[n + 8] = 1;
	b[n + 9] = 8;
	memcpy(b + n + 10, "pinholed", 8);
	b[n + 18] = 0;
	b[n + 19] = 0;
	return n + 20;
}

static void
wpeer_tick_arm(struct wpeer *p)
{
	int64_t wait = p->next_us - srv_clock_us(CLOCK_MONOTONIC);
	struct timeval tv = { 0, 0 };

	if (wait > 0) {
		tv.tv_sec = (time_t)(wait / 1000000);
		tv.tv_usec = (suseconds_t)(wait % 1000000);
	}
	evtimer_add(p->tick, &tv);
}

/* Every 20 ms, on the monotonic clock's schedule: our Opus packet. */
static void
wpeer_tick_h(evutil_socket_t fd, short what, void *arg)
{
	/* A 20 ms Opus frame of silence: TOC config 31 (CELT fullband
	 * 20 ms), mono, one frame; libopus decodes it (RFC 6716 3.1). */
	static const uint8_t opus_silence[3] = { 0xf8, 0xff, 0xfe };
	struct wpeer *p = arg;
	long long now_ms = p->srv->now_ms();
	uint8_t b[WEBRTC_PKT_MAX];
	uint32_t ts;

	(void)fd;
	(void)what;
	if (now_ms - p->last_check_ms > WEBRTC_CONSENT_MS ||
	    now_ms > p->media_end_ms)
		return;		/* consent gone, or our time is up: quiet */
	ts = p->nsent * (48 * WEBRTC_PTIME_MS);
	b[0] = 0x80;
	b[1] = (uint8_t)((p->nsent == 0 ? 0x80 : 0) | p->opus_pt);
	b[2] = (uint8_t)((p->seq0 + p->nsent) >> 8);
	b[3] = (uint8_t)(p->seq0 + p->nsent);
	put32(b + 4, ts);
	put32(b + 8, p->ssrc);
	memcpy(b + 12, opus_silence, sizeof(opus_silence));
	wpeer_send_srtp(p, b, 12 + sizeof(opus_silence), 0);
	p->nsent++;
	p->octets += sizeof(opus_silence);
	if (now_ms >= p->next_rtcp_ms) {
		wpeer_send_srtp(p, b, wpeer_rtcp_build(p, b), 1);
		p->next_rtcp_ms = now_ms + WEBRTC_RTCP_MS;
	}
	p->next_us = p->t0_us + (int64_t)p->nsent * WEBRTC_PTIME_MS * 1000;
	wpeer_tick_arm(p);
}

static void
wpeer_media_start(struct wpeer *p)
{
	p->t0_us = srv_clock_us(CLOCK_MONOTONIC);
	p->next_us = p->t0_us;
	p->media_end_ms = p->srv->now_ms() + WEBRTC_MEDIA_MS;
	p->next_rtcp_ms = p->srv->now_ms() + 500;
	wpeer_tick_arm(p);
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

/* Their SR (for our RR's LSR) and their RR on our stream (the RTT). */
static void
wpeer_rtcp_in(struct wpeer *p, const uint8_t *b, size_t n, int64_t rx_us)
{
	size_t off = 0, len, i, rc;

	while (off + 8 <= n) {
		len = 4 * ((size_t)(b[off + 2] << 8 | b[off + 3]) + 1);
		if ((b[off] >> 6) != 2 || off + len > n)
			return;
		rc = b[off] & 31;
		i = off + 8;
		if (b[off + 1] == 200 && len >= 28) {	/* SR */
			p->lsr = (uint32_t)(get32(b + off + 8) << 16 |
			    get32(b + off + 12) >> 16);
			p->lsr_rx_us = rx_us;
			i = off + 28;
		}
		if (b[off + 1] == 200 || b[off + 1] == 201) {
			for (; rc > 0 && i + 24 <= off + len; rc--, i += 24) {
				uint32_t lsr = get32(b + i + 16);
				uint32_t dlsr = get32(b + i + 20);
				uint32_t now = (uint32_t)(wntp(rx_us) >> 16);
				uint32_t rtt = now - lsr - dlsr;

				if (get32(b + i) == p->ssrc && lsr != 0 &&
				    rtt < 0x80000000u)
					p->rtt_us = (uint32_t)((uint64_t)rtt *
					    1000000 / 65536);
			}
		}
		off += len;
	}
}

/* One of the browser's RTP packets, decrypted: kept as mediasrv keeps. */
static void
wpeer_rtp_in(struct wpeer *p, const uint8_t *b, size_t n,
    const struct srv_dgram *d, int64_t rx_us)
{
	uint16_t seq, delta;
	uint32_t ts, ssrc;
	int64_t idx, transit, dd;
	struct rtp_rec *r;

	if (n < 12)
		return;
	seq = (uint16_t)(b[2] << 8 | b[3]);
	ts = get32(b + 4);
	ssrc = get32(b + 8);
	if (!p->have_rx) {
		p->have_rx = 1;
		p->rssrc = ssrc;
		p->ts0 = ts;
		p->rseq0 = seq;
	}
	if (ssrc != p->rssrc)
		return;
	/* the index, into the 65536-cycle nearest the highest so far */
	delta = (uint16_t)(seq - (uint16_t)(p->rseq0 + p->hi));
	idx = delta < 0x8000 ? p->hi + delta : p->hi + delta - 65536;
	if (idx < 0 || idx > p->hi + 3000) {
		p->ndup_or_stray++;
		return;
	}
	if (idx > p->hi)
		p->hi = idx;
	/* RFC 3550 A.8 jitter, in 48 kHz timestamp units */
	transit = rx_us * 48 / 1000 - (int64_t)(uint32_t)(ts - p->ts0);
	if (p->nrecs > 0) {
		dd = transit - p->prev_transit;
		p->jitter += ((double)(dd < 0 ? -dd : dd) - p->jitter) / 16;
	}
	p->prev_transit = transit;
	if (p->nrecs < WEBRTC_MAX_RECS) {
		r = &p->recs[p->nrecs++];
		r->seq = seq;
		r->tos = d->tos < 0 ? 0 : (uint8_t)d->tos;
		r->sent_us = rtp_ts_sent_us(ts, p->ts0, 48000);
		r->arrived_us = rx_us;
	}
}

static void
wpeer_srtp_in(struct wpeer *p, const uint8_t *buf, size_t n,
    const struct srv_dgram *d)
{
	uint8_t b[WEBRTC_PKT_MAX];
	int rtcp = n >= 2 && buf[1] >= 192 && buf[1] <= 223;	/* RFC 5761 */
	int64_t rx_us = d->rx_ns != 0 ? d->rx_ns / 1000 :
	    srv_clock_us(CLOCK_REALTIME);

	if (!wdtls_ready(p->dtls) || n > sizeof(b))
		return;
	memcpy(b, buf, n);
	if (wdtls_unprotect(p->dtls, b, &n, rtcp) < 0) {
		p->srtp_bad++;
		return;
	}
	if (rtcp)
		wpeer_rtcp_in(p, b, n, rx_us);
	else
		wpeer_rtp_in(p, b, n, d, rx_us);
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

int
webrtc_stats(struct session *ss, struct rtp_side *out)
{
	struct wpeer *p = wpeer_find(ss);

	if (p == NULL)
		return -ENOENT;
	memset(out, 0, sizeof(*out));
	if (rtp_dir_stats(p->recs, p->nrecs, p->have_rx ?
	    (uint32_t)(p->hi + 1) : 0, p->rseq0, WEBRTC_PTIME_MS,
	    WEBRTC_JB_MS, &out->rx) < 0)
		return -ENOMEM;
	out->sent = p->nsent;
	out->rtt_us = p->rtt_us;
	out->rtt_samples = p->rtt_us != RTP_UNKNOWN;
	out->pace_p50_us = out->pace_p99_us = out->pace_max_us = RTP_UNKNOWN;
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
	out->pair_port = p->have_pair ? p->l->port : 0;
	out->peer_port = p->have_pair ? p->peer_port : 0;
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
	r = ss->ctl == NULL ? -EIO : webrtc_offer(ss, &ss->ctl->local_ip, w.sdp, w.sdp_len, &ans);
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
