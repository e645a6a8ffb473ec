/*
 * webrtcmedia.c - the WebRTC peer's media once DTLS keyed SRTP: the
 * browser's Opus is kept as mediasrv.c keeps a MEDIA stream (sequence,
 * TOS, nominal send time from the RTP timestamp, kernel receive time),
 * and we send our own Opus (a 20 ms silence frame) every 20 ms, with
 * RTCP SR and RR every few seconds.  The packets' bytes are read and
 * written by lib/rtcp.c.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "rtcp.h"
#include "srvproto.h"
#include "webrtcpeer.h"

/* Our packet or report, protected, to the pair. */
static void
wpeer_send_srtp(struct wpeer *p, uint8_t *b, size_t n, int rtcp)
{
	if (wdtls_protect(p->dtls, b, &n, WEBRTC_PKT_MAX, rtcp) == 0)
		wpeer_send(p, b, n);
}

/*
 * RTCP (RFC 3550 6.4.1, 6.5): an SR, with a report block on the
 * browser's stream once it sent, and an SDES with our CNAME.  Into 'b'
 * of 'cap' bytes; returns the length.
 */
static size_t
wpeer_rtcp_build(const struct wpeer *p, uint8_t *b, size_t cap)
{
	int64_t now = srv_clock_us(CLOCK_REALTIME);
	struct rtcp_sr sr;

	memset(&sr, 0, sizeof(sr));
	sr.ssrc = p->ssrc;
	sr.ntp = rtcp_ntp(now);
	sr.rtp_ts = (uint32_t)((srv_clock_us(CLOCK_MONOTONIC) - p->t0_us) *
	    48 / 1000);
	sr.packets = p->nsent;
	sr.octets = p->octets;
	sr.cname = "pinholed";
	if (p->have_rx) {
		int64_t expected = p->hi + 1;
		int64_t lost = expected - (int64_t)p->nrecs;
		int64_t frac;

		lost = lost < 0 ? 0 : lost;
		frac = expected > 0 ? lost * 256 / expected : 0;
		sr.have_rb = 1;
		sr.rb_ssrc = p->rssrc;
		sr.rb_fraction = (uint8_t)(frac > 255 ? 255 : frac);
		sr.rb_lost = lost > 0xffffff ? 0xffffff : (uint32_t)lost;
		/* extended highest sequence number: cycles and the number */
		sr.rb_ext_seq = (uint32_t)((int64_t)p->rseq0 + p->hi);
		sr.rb_jitter = (uint32_t)p->jitter;
		sr.rb_lsr = p->lsr;
		if (p->lsr != 0)
			sr.rb_dlsr = (uint32_t)((now - p->lsr_rx_us) * 65536 /
			    1000000);
	}
	return rtcp_sr_build(b, cap, &sr);
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
void
wpeer_tick_h(evutil_socket_t fd, short what, void *arg)
{
	/* A 20 ms Opus frame of silence: TOC config 31 (CELT fullband
	 * 20 ms), mono, one frame; libopus decodes it (RFC 6716 3.1). */
	static const uint8_t opus_silence[3] = { 0xf8, 0xff, 0xfe };
	struct wpeer *p = arg;
	long long now_ms = p->srv->now_ms();
	uint8_t b[WEBRTC_PKT_MAX];
	struct rtp_hdr h;
	size_t n;

	(void)fd;
	(void)what;
	if (now_ms - p->last_check_ms > WEBRTC_CONSENT_MS ||
	    now_ms > p->media_end_ms)
		return;		/* consent gone, or our time is up: quiet */
	memset(&h, 0, sizeof(h));
	h.marker = p->nsent == 0;
	h.pt = (uint8_t)p->opus_pt;
	h.seq = (uint16_t)(p->seq0 + p->nsent);
	h.ts = p->nsent * (48 * WEBRTC_PTIME_MS);
	h.ssrc = p->ssrc;
	n = rtp_hdr_build(b, sizeof(b), &h);
	memcpy(b + n, opus_silence, sizeof(opus_silence));
	wpeer_send_srtp(p, b, n + sizeof(opus_silence), 0);
	p->nsent++;
	p->octets += sizeof(opus_silence);
	if (now_ms >= p->next_rtcp_ms) {
		if ((n = wpeer_rtcp_build(p, b, sizeof(b))) > 0)
			wpeer_send_srtp(p, b, n, 1);
		p->next_rtcp_ms = now_ms + WEBRTC_RTCP_MS;
	}
	p->next_us = p->t0_us + (int64_t)p->nsent * WEBRTC_PTIME_MS * 1000;
	wpeer_tick_arm(p);
}

void
wpeer_media_start(struct wpeer *p)
{
	p->t0_us = srv_clock_us(CLOCK_MONOTONIC);
	p->next_us = p->t0_us;
	p->media_end_ms = p->srv->now_ms() + WEBRTC_MEDIA_MS;
	p->next_rtcp_ms = p->srv->now_ms() + 500;
	wpeer_tick_arm(p);
}

/* Their SR (for our RR's LSR) and their RR on our stream (the RTT). */
static void
wpeer_rtcp_in(struct wpeer *p, const uint8_t *b, size_t n, int64_t rx_us)
{
	struct rtcp_info ri;
	int64_t rtt;

	if (rtcp_decode(b, n, p->ssrc, &ri) < 0)
		return;
	if (ri.have_sr) {
		p->lsr = ri.sr_ntp_mid;
		p->lsr_rx_us = rx_us;
	}
	if (ri.have_rb && (rtt = rtcp_rtt_us((uint32_t)(rtcp_ntp(rx_us) >> 16),
	    ri.rb_lsr, ri.rb_dlsr)) >= 0)
		p->rtt_us = (uint32_t)rtt;
}

/* One of the browser's RTP packets, decrypted: kept as mediasrv keeps. */
static void
wpeer_rtp_in(struct wpeer *p, const uint8_t *b, size_t n,
    const struct srv_dgram *d, int64_t rx_us)
{
	struct rtp_hdr h;
	uint16_t seq, delta;
	uint32_t ts, ssrc;
	int64_t idx, transit, dd;
	struct rtp_rec *r;

	if (rtp_hdr_decode(b, n, &h) < 0)
		return;
	seq = h.seq;
	ts = h.ts;
	ssrc = h.ssrc;
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

void
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
