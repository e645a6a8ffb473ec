/*
 * webrtcpeer.h - one WebRTC peer of pinholed (webrtc.h), shared by its
 * three files: webrtcsrv.c (the peers, the offer and answer, the control
 * glue), webrtcice.c (the media ports' datagrams: ICE checks, the pair,
 * DTLS) and webrtcmedia.c (SRTP: the browser's stream kept, ours sent,
 * RTCP both ways).
 */
#ifndef PINHOLED_WEBRTCPEER_H
#define PINHOLED_WEBRTCPEER_H

#include <stddef.h>
#include <stdint.h>

#include "session.h"
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
#define WEBRTC_MAX_TCP		4	/* ICE-TCP connections of one peer */
#define WEBRTC_UFRAG_LEN	8

struct wice;

struct wpeer {
	struct session_child ch;
	struct session *ss;
	struct server *srv;
	struct wpeer *ufrag_next;	/* webrtcsrv's by_ufrag chain */
	struct wpeer *pair_next;	/* by_pair chain, while indexed */
	int pair_indexed;
	size_t pair_slot;
	char ufrag[WEBRTC_UFRAG_LEN + 1];
	char pwd[25];
	uint8_t rfp[SDP_FP_LEN];	/* the offer's a=fingerprint */
	uint16_t ports[WEBRTC_MAX_PORTS];
	size_t nports;
	int via_relay;			/* checks may come from relay-from */
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
	uint16_t tcp_port;		/* the passive ICE-TCP candidate's, or 0 */
	uint32_t tcp_checks;
	struct conn *tcp;		/* the pair is this ICE-TCP connection
					 * (NULL once it closed) */
	struct wice *tconns;		/* the ICE-TCP connections whose
					 * first check was this peer's */
	int pair_tcp;			/* the pair is, or was, ICE-TCP */
	uint16_t pair_port;		/* our port of the pair */
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


/* webrtcpeer.c: the session's peer, or NULL. */
struct wpeer *wpeer_find(struct session *ss);
/* Indexes peer 'p' by its ufrag; 0, -EEXIST when another peer has it,
 * -ENOMEM. */
int wpeer_index_add(struct wpeer *p);
/* Takes 'p' out of both indexes. */
void wpeer_index_del(struct wpeer *p);
/* The peer whose ufrag starts the ICE USERNAME 'user' ("ours:theirs"),
 * or NULL. */
struct wpeer *wpeer_by_ufrag(struct server *s, const uint8_t *user,
    size_t len);
/* Indexes 'p' by its selected pair (after it changed; a TCP pair is not
 * indexed: its connection is known). */
void wpeer_pair_index(struct wpeer *p);
/* The peer whose selected UDP pair is local port 'lport' and the peer
 * 'ip' and 'port', or NULL. */
struct wpeer *wpeer_by_pair(struct server *s, uint16_t lport,
    const struct net_ip *ip, uint16_t port);

/* webrtcice.c: the peer goes; its ICE-TCP connections are closed and let
 * go of it. */
void wice_peer_gone(struct wpeer *p);

/* webrtcice.c: one datagram to the selected pair (a wdtls_send_fn). */
void wpeer_send(void *arg, const uint8_t *buf, size_t n);

/* webrtcmedia.c */
/* DTLS is done: our stream starts, for WEBRTC_MEDIA_MS at most. */
void wpeer_media_start(struct wpeer *p);
/* The peer's timer: our next packet, and RTCP now and then. */
void wpeer_tick_h(evutil_socket_t fd, short what, void *arg);
/* An SRTP or SRTCP datagram on the selected pair. */
void wpeer_srtp_in(struct wpeer *p, const uint8_t *buf, size_t n,
    const struct srv_dgram *d);

#endif
