/*
 * mediasrv.c - RTP streams both ways, as a media server in a call does
 * (docs/protocol.md, MEDIA); the request and its caps are mediareq.c's.
 *
 * A MEDIA request names the stream the client is about to send to one of
 * our UDP ports: its SSRC and key, codec payload type, packetization,
 * payload size and length.  The stream waits for its first packet, which
 * must come from the session client's IP and carry the SSRC and key; its
 * source (address and port, the client's NAT mapping) is then latched, as
 * symmetric RTP does, and we send our own stream there, paced by the
 * monotonic clock and marked with the TOS the request asked for.  We
 * never send before a packet of the stream arrived, never to another
 * address, and stop when the client's packets stop for MEDIA_QUIET_MS:
 * the stream goes only to an address that proved itself over TCP (the
 * session's) and keeps asking for it, at the rate the request set, which
 * the session's caps bound.
 *
 * Every packet received is kept (sequence, TOS, the sender's time, the
 * kernel's receive time); when the stream ends, lib/rtpstat.c computes
 * what arrived and MEDIA_STATS carries it to the client, which computes
 * its own direction with the same code.
 *
 * Streams are found by SSRC and key in a keyed hash table; one timer
 * serves every stream, from a heap of their next send times.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "conn.h"
#include "ctlreq.h"
#include "hash.h"
#include "responder.h"
#include "rtp.h"
#include "rtpside.h"
#include "session.h"
#include "srvproto.h"

#define MEDIA_WAIT_MS		5000	/* for the first packet */
#define MEDIA_QUIET_MS		2000	/* no packet: we stop sending */
#define MEDIA_GRACE_MS		1000	/* late packets after the last */
#define MEDIA_EARLY_US		50	/* sent this early rather than late */

enum mstate { MS_WAIT, MS_RUN, MS_DRAIN };

struct mstream {
	struct session_child ch;
	struct session *ss;
	struct listener *l;
	struct ctlreq_media q;
	uint32_t ssrc;			/* ours */
	uint16_t seq0;			/* our first sequence number */
	enum mstate state;
	struct sockaddr_storage peer;
	socklen_t peer_len;
	struct sockaddr_storage local;
	int have_local;
	uint64_t bps;			/* charged to SQ_MEDIA_BPS */
	int64_t t0_mono_us, t0_real_us;	/* our first packet */
	int64_t next_us;		/* when the next is due (mono) */
	uint32_t nsent;
	long long last_rx_ms;
	uint32_t echo_sent_us;		/* the client's latest packet */
	int64_t echo_real_us;		/* when it arrived */
	struct rtp_rec *recs;
	size_t nrecs, caprecs;
	uint8_t *seen;			/* a bit per packet of the client's */
	uint32_t uniq;			/* of them, how many arrived */
	uint32_t *rtt, *pace;
	size_t nrtt;
	size_t heap_i;			/* in the send heap; SIZE_MAX: not */
	struct event *end;		/* wait, quiet and drain deadlines */
	struct mstream *hnext;		/* hash chain */
};

struct mediasrv {
	struct server *srv;
	struct mstream **heap;
	size_t nheap, capheap;
	struct mstream **tab;		/* by SSRC and key */
	size_t ntab;
	size_t nstreams;
	struct event *tick;
};

#define mstream_of(chp) ((struct mstream *)(void *)((char *)(chp) - \
	offsetof(struct mstream, ch)))

static size_t
tab_slot(const struct mediasrv *ms, uint32_t ssrc, uint32_t key)
{
	uint32_t k[2] = { ssrc, key };

	return (size_t)(hash_sip24(ms->srv->hash_key, k, sizeof(k)) %
	    ms->ntab);
}

static struct mstream *
tab_find(const struct mediasrv *ms, uint32_t ssrc, uint32_t key)
{
	struct mstream *m;

	for (m = ms->tab[tab_slot(ms, ssrc, key)]; m != NULL; m = m->hnext)
		if (m->q.ssrc == ssrc && m->q.key == key)
			return m;
	return NULL;
}

static void
tab_del(struct mediasrv *ms, struct mstream *m)
{
	struct mstream **pp = &ms->tab[tab_slot(ms, m->q.ssrc, m->q.key)];

	for (; *pp != NULL; pp = &(*pp)->hnext)
		if (*pp == m) {
			*pp = m->hnext;
			return;
		}
}

/* The send heap: the stream due first on top. */
static void
heap_swap(struct mediasrv *ms, size_t a, size_t b)
{
	struct mstream *t = ms->heap[a];

	ms->heap[a] = ms->heap[b];
	ms->heap[b] = t;
	ms->heap[a]->heap_i = a;
	ms->heap[b]->heap_i = b;
}

static void
heap_fix(struct mediasrv *ms, size_t i)
{
	size_t c;

	while (i > 0 && ms->heap[i]->next_us < ms->heap[(i - 1) / 2]->next_us) {
		heap_swap(ms, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
	for (;;) {
		c = 2 * i + 1;
		if (c >= ms->nheap)
			return;
		if (c + 1 < ms->nheap &&
		    ms->heap[c + 1]->next_us < ms->heap[c]->next_us)
			c++;
		if (ms->heap[i]->next_us <= ms->heap[c]->next_us)
			return;
		heap_swap(ms, i, c);
		i = c;
	}
}

static void
heap_del(struct mediasrv *ms, struct mstream *m)
{
	size_t i = m->heap_i;

	if (i == SIZE_MAX)
		return;
	m->heap_i = SIZE_MAX;
	if (i != --ms->nheap) {
		ms->heap[i] = ms->heap[ms->nheap];
		ms->heap[i]->heap_i = i;
		heap_fix(ms, i);
	}
}

static void
tick_arm(struct mediasrv *ms)
{
	struct timeval tv = { 0, 0 };
	int64_t wait;

	if (ms->nheap == 0) {
		event_del(ms->tick);
		return;
	}
	/* Woken when the first is due, not before: the timer is precise,
	 * and a wakeup MEDIA_EARLY_US early made every first packet of a
	 * wakeup that early.  Those due within it go along. */
	wait = ms->heap[0]->next_us - srv_clock_us(CLOCK_MONOTONIC);
	if (wait > 0) {
		tv.tv_sec = (time_t)(wait / 1000000);
		tv.tv_usec = (suseconds_t)(wait % 1000000);
	}
	event_add(ms->tick, &tv);
}

static void
end_arm(struct mstream *m, long long ms)
{
	struct timeval tv = { (time_t)(ms / 1000), (suseconds_t)(ms % 1000) *
	    1000 };

	event_add(m->end, &tv);
}

static void
mstream_free(struct mstream *m, int unlink)
{
	struct mediasrv *ms = m->ss->srv->media;

	heap_del(ms, m);
	tab_del(ms, m);
	ms->nstreams--;
	if (unlink) {
		session_child_del(m->ss, &m->ch);
		session_release(m->ss, SQ_MEDIA_STREAMS, 1);
		session_release(m->ss, SQ_MEDIA_BPS, m->bps);
	}
	if (m->end != NULL)
		event_free(m->end);
	free(m->recs);
	free(m->seen);
	free(m->rtt);
	free(m->pace);
	free(m);
	tick_arm(ms);
}

static void
mstream_gone(struct session_child *ch)
{
	mstream_free(mstream_of(ch), 0);
}

/* The stream ends: MEDIA_STATS with what arrived, then it is freed. */
static void
mstream_report(struct mstream *m)
{
	struct rtp_side sd;
	struct dbuf b;
	size_t start;
	uint32_t x;
	int r;

	memset(&sd, 0, sizeof(sd));
	if (rtp_dir_stats(m->recs, m->nrecs, m->q.packets, m->q.first_seq,
	    m->q.ptime_ms, m->q.jb_ms, &sd.rx) < 0) {
		session_fail(m->ss, CTL_E_INTERNAL, m->q.req_id,
		    "statistics failed");
		mstream_free(m, 1);
		return;
	}
	sd.sent = m->nsent;
	sd.rtt_samples = (uint32_t)m->nrtt;
	rtp_quantiles(m->rtt, m->nrtt, &sd.rtt_us, &x, &x);
	rtp_quantiles(m->pace, m->nsent, &sd.pace_p50_us, &sd.pace_p99_us,
	    &sd.pace_max_us);
	dbuf_init(&b, CTL_HDR_LEN + CTL_MAX_BODY);
	r = ctl_enc_begin(&b, CTL_MEDIA_STATS, &start);
	r = r ? r : ctl_put_u32(&b, CTL_A_REQ_ID, m->q.req_id);
	if (r == 0 && m->state != MS_WAIT)
		r = ctl_put_addr(&b, CTL_A_PEER, &m->ss->node.ip,
		    net_sa_port((struct sockaddr *)&m->peer));
	r = r ? r : rtp_side_put(&b, &sd);
	r = r ? r : ctl_enc_end(&b, start);
	if (r == 0)
		(void)session_write(m->ss, &b);
	dbuf_free(&b);
	mstream_free(m, 1);
}

static void
mstream_end_h(evutil_socket_t fd, short what, void *arg)
{
	struct mstream *m = arg;
	struct mediasrv *ms = m->ss->srv->media;
	long long now = m->ss->srv->now_ms();

	(void)fd;
	(void)what;
	if (m->state == MS_RUN && now - m->last_rx_ms < MEDIA_QUIET_MS) {
		end_arm(m, MEDIA_QUIET_MS - (now - m->last_rx_ms));
		return;
	}
	if (m->state == MS_RUN) {	/* the client went quiet: so do we */
		heap_del(ms, m);
		m->state = MS_DRAIN;
		end_arm(m, MEDIA_GRACE_MS);
		tick_arm(ms);
		return;
	}
	mstream_report(m);		/* never latched, or drained */
}

/*
 * Counts a packet of the client's once; the last one to arrive, once we
 * have sent ours, ends the stream's grace at once.
 */
static void
mstream_seen(struct mstream *m, uint16_t seq)
{
	uint32_t off = (uint16_t)(seq - m->q.first_seq);

	if (off >= m->q.packets || (m->seen[off / 8] & (1u << (off % 8))))
		return;
	m->seen[off / 8] |= (uint8_t)(1u << (off % 8));
	if (++m->uniq >= m->q.packets && m->state == MS_DRAIN &&
	    m->nsent >= m->q.packets)
		end_arm(m, 0);
}

/* Sends the packets due; the stream ends its sending after the last. */
static void
mstream_send(struct mstream *m, int64_t now_us)
{
	struct mediasrv *ms = m->ss->srv->media;
	uint8_t pkt[RTP_HDR_LEN + RTP_MAX_PAYLOAD];
	struct rtp_pkt p;
	int64_t late;
	size_t n;

	memset(&p, 0, sizeof(p));
	p.pt = m->q.pt;
	p.seq = (uint16_t)(m->seq0 + m->nsent);
	/* 8 kHz for the static payload types, 48 kHz (opus) otherwise. */
	p.ts = m->nsent * m->q.ptime_ms * (m->q.pt >= 96 ? 48u : 8u);
	p.ssrc = m->ssrc;
	p.key = m->q.key;
	p.sent_us = (uint32_t)(now_us - m->t0_mono_us);
	p.echo_sent_us = m->echo_sent_us;
	p.echo_hold_us = m->echo_sent_us == RTP_NO_ECHO ? 0 :
	    (uint32_t)(srv_clock_us(CLOCK_REALTIME) - m->echo_real_us);
	n = rtp_build(pkt, sizeof(pkt), &p, m->q.payload_len);
	late = now_us - m->next_us;
	m->pace[m->nsent] = (uint32_t)(late < 0 ? -late : late);
	(void)listen_send_tos(m->l, RESP_MEDIA, m->have_local ?
	    (const struct sockaddr *)&m->local : NULL,
	    (const struct sockaddr *)&m->peer, m->peer_len, pkt, n, m->q.tos);
	m->nsent++;
	m->next_us = m->t0_mono_us + (int64_t)m->nsent * m->q.ptime_ms * 1000;
	if (m->nsent >= m->q.packets) {
		heap_del(ms, m);
		m->state = MS_DRAIN;
		/* Every packet of the client's in: nothing to wait for. */
		end_arm(m, m->uniq >= m->q.packets ? 0 : MEDIA_GRACE_MS);
	} else {
		heap_fix(ms, m->heap_i);
	}
}

static void
media_tick_h(evutil_socket_t fd, short what, void *arg)
{
	struct mediasrv *ms = arg;
	int64_t now;
	unsigned n;

	(void)fd;
	(void)what;
	now = srv_clock_us(CLOCK_MONOTONIC);
	/* Bounded work per wakeup; what is left is due again at once. */
	for (n = 0; n < 4096 && ms->nheap > 0 &&
	    ms->heap[0]->next_us <= now + MEDIA_EARLY_US; n++) {
		mstream_send(ms->heap[0], now);
		if ((n & 63) == 63)
			now = srv_clock_us(CLOCK_MONOTONIC);
	}
	tick_arm(ms);
}

/*
 * Whether a packet may be the stream's: from the session client's own
 * address, or, for a stream through a relay, from an address the
 * provider's relays send from (relay-from): never anyone else's.
 */
static int
mstream_source_ok(const struct server *s, const struct mstream *m,
    const struct srv_dgram *d)
{
	size_t i;

	if (!(m->q.flags & CTL_F_VIA_RELAY))
		return net_ip_equal(&d->peer_ip, &m->ss->node.ip);
	for (i = 0; i < s->conf.nrelay_from; i++)
		if (net_cidr_contains(&s->conf.relay_from[i], &d->peer_ip))
			return 1;
	return 0;
}

/* The first packet: latch its source and start our stream. */
static int
mstream_latch(struct mstream *m, struct listener *l,
    const struct srv_dgram *d)
{
	struct mediasrv *ms = m->ss->srv->media;
	struct mstream **h;

	if ((h = buf_array_grow(ms->heap, ms->nheap, &ms->capheap,
	    sizeof(*h), 64)) == NULL)
		return -ENOMEM;
	ms->heap = h;
	/* Of the port's listeners (one per address), the one it came to. */
	m->l = l;
	memcpy(&m->peer, &d->peer, sizeof(m->peer));
	m->peer_len = d->peer_len;
	m->local = d->local;
	m->have_local = d->have_local;
	m->state = MS_RUN;
	m->t0_mono_us = srv_clock_us(CLOCK_MONOTONIC);
	m->t0_real_us = srv_clock_us(CLOCK_REALTIME);
	m->next_us = m->t0_mono_us;
	m->heap_i = ms->nheap;
	ms->heap[ms->nheap++] = m;
	heap_fix(ms, m->heap_i);
	end_arm(m, MEDIA_QUIET_MS);
	tick_arm(ms);
	return 0;
}

void
mediasrv_handle(struct listener *l, const uint8_t *buf, size_t n,
    const struct srv_dgram *d)
{
	struct server *s = l->srv;
	struct mediasrv *ms = s->media;
	struct rtp_pkt p;
	struct rtp_rec *r;
	struct mstream *m;
	int64_t rx_us, rtt;

	if (ms == NULL || ms->nstreams == 0 || rtp_parse(buf, n, &p) < 0 ||
	    (m = tab_find(ms, p.ssrc, p.key)) == NULL ||
	    l->port != m->q.local_port || !mstream_source_ok(s, m, d)) {
		s->cnt.dropped++;
		return;
	}
	if (m->state == MS_WAIT && mstream_latch(m, l, d) < 0)
		return;
	/* Packets from another port of the client are kept, not latched. */
	m->last_rx_ms = s->now_ms();
	rx_us = d->rx_ns != 0 ? d->rx_ns / 1000 : srv_clock_us(CLOCK_REALTIME);
	if (m->nrecs < m->caprecs) {
		r = &m->recs[m->nrecs++];
		r->seq = p.seq;
		r->tos = d->tos < 0 ? 0 : (uint8_t)d->tos;
		r->sent_us = p.sent_us;
		r->arrived_us = rx_us;
	}
	mstream_seen(m, p.seq);
	if ((rtt = rtp_rtt_us(&p, rx_us - m->t0_real_us)) >= 0 &&
	    m->nrtt < m->caprecs)
		m->rtt[m->nrtt++] = (uint32_t)rtt;
	m->echo_sent_us = p.sent_us;
	m->echo_real_us = rx_us;
}

static int
media_init(struct server *s)
{
	struct mediasrv *ms;

	if ((ms = calloc(1, sizeof(*ms))) == NULL)
		return -ENOMEM;
	ms->srv = s;
	ms->ntab = 1024;
	if ((ms->tab = calloc(ms->ntab, sizeof(*ms->tab))) == NULL ||
	    (ms->tick = evtimer_new(s->base, media_tick_h, ms)) == NULL) {
		free(ms->tab);
		free(ms);
		return -ENOMEM;
	}
	s->media = ms;
	return 0;
}

int
mediasrv_stream_check(struct server *s, const struct ctlreq_media *q)
{
	if (s->media == NULL && media_init(s) < 0)
		return -ENOMEM;
	if (tab_find(s->media, q->ssrc, q->key) != NULL)
		return -EEXIST;
	if (s->media->nstreams >= s->conf.media_streams)
		return -EBUSY;
	return 0;
}

int
mediasrv_stream_new(struct session *ss, struct listener *l,
    const struct ctlreq_media *q, uint64_t bps, uint32_t *ssrc,
    uint16_t *seq0)
{
	struct server *s = ss->srv;
	struct mediasrv *ms = s->media;
	struct mstream *m;
	size_t slot;

	m = calloc(1, sizeof(*m));
	if (m != NULL) {
		/* Duplicates too, and the client's retransmissions. */
		m->caprecs = (size_t)q->packets + q->packets / 4 + 16;
		m->recs = calloc(m->caprecs, sizeof(*m->recs));
		m->rtt = calloc(m->caprecs, sizeof(*m->rtt));
		m->pace = calloc(q->packets, sizeof(*m->pace));
		m->seen = calloc((size_t)q->packets / 8 + 1, 1);
		m->end = evtimer_new(s->base, mstream_end_h, m);
	}
	if (m == NULL || m->recs == NULL || m->rtt == NULL ||
	    m->pace == NULL || m->seen == NULL || m->end == NULL) {
		if (m != NULL) {
			free(m->recs);
			free(m->seen);
			free(m->rtt);
			free(m->pace);
			if (m->end != NULL)
				event_free(m->end);
			free(m);
		}
		return -ENOMEM;
	}
	m->ss = ss;
	m->l = l;
	m->q = *q;
	m->bps = bps;
	m->heap_i = SIZE_MAX;
	m->echo_sent_us = RTP_NO_ECHO;
	m->ssrc = (uint32_t)hash_sip24(s->hash_key, q, sizeof(*q));
	m->seq0 = (uint16_t)(m->ssrc >> 7);
	m->ch.kind = SCH_MEDIA;
	m->ch.gone = mstream_gone;
	session_child_add(ss, &m->ch);
	slot = tab_slot(ms, q->ssrc, q->key);
	m->hnext = ms->tab[slot];
	ms->tab[slot] = m;
	ms->nstreams++;
	end_arm(m, MEDIA_WAIT_MS);
	*ssrc = m->ssrc;
	*seq0 = m->seq0;
	return 0;
}

void
mediasrv_free(struct server *s)
{
	struct mediasrv *ms = s->media;

	if (ms == NULL)
		return;
	event_free(ms->tick);
	free(ms->heap);
	free(ms->tab);
	free(ms);
	s->media = NULL;
}

/* A MEDIA stream's RTP on the SIP and media UDP ports. */
static int
mediasrv_datagram(struct listener *l, const uint8_t *buf, size_t n,
    const struct srv_dgram *d)
{
	if (!rtp_looks_like(buf, n))
		return 0;
	mediasrv_handle(l, buf, n, d);
	return 1;
}

const struct responder mediasrv_responder = {
	.name = "rtp",
	.datagram = mediasrv_datagram,
};
