/*
 * webrtc.h - pinholed as the far end of a browser's audio-only
 * RTCPeerConnection: ICE-lite on the media ports, a DTLS server whose
 * keys feed SRTP, Opus both ways (docs/protocol.md, WEBRTC_OFFER).
 *
 * webrtcsrv.c holds the peers (one per session, a session child) and the
 * offer; webrtcice.c the media ports' datagrams (ICE, the pair);
 * webrtcmedia.c RTP and RTCP (webrtcpeer.h is what they share);
 * webrtcdtls.c holds the certificate, DTLS and SRTP.
 */
#ifndef PINHOLED_WEBRTC_H
#define PINHOLED_WEBRTC_H

#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>

#include "browser.h"
#include "buf.h"
#include "ctl.h"
#include "rtp.h"
#include "sdp.h"
#include "server.h"

struct session;

/* What every peer shares, made at start (before the sandbox). */
struct webrtcsrv {
	struct ssl_ctx_st *ctx;		/* DTLS server, use_srtp */
	struct bio_method_st *bio;	/* a datagram per write, to the peer */
	uint8_t fingerprint[SDP_FP_LEN];	/* sha-256 of our certificate */
	struct srtp_ctx_t_ *keep;	/* keeps libsrtp's backend loaded */
	size_t npeers;
	/* The peers by what identifies them (webrtcpeer.c): the ICE ufrag,
	 * and the selected UDP pair; keyed hashes, never a scan. */
	struct wpeer **by_ufrag, **by_pair;
	size_t mask;
};

/* webrtcsrv.c */
/*
 * The answer to an SDP offer for session 'ss', whose client reached us
 * at 'local' (the address its candidates name first), with a passive
 * ICE-TCP candidate on 'local' and 'tcp_port' unless that is 0: a new peer
 * replaces the session's previous one.  ICE checks are taken from the
 * session client's IP only, and media goes only to the one that did
 * ICE.  Appends the SDP answer to 'answer'.  0;
 * -EBADMSG or -ENOTSUP for an offer we cannot take, -EDQUOT past the
 * session's media caps, -EBUSY past webrtc-peers, -ENOMEM, -EIO.
 */
int webrtc_offer(struct session *ss, const struct net_ip *local,
    uint16_t tcp_port, const char *offer, size_t len, struct dbuf *answer);
/*
 * The session's peer is the far end of a relay-only connection: its ICE
 * checks come from an address of [relay] relay-from alone, never from the
 * session client's own (the relay then carries everything, as for MEDIA
 * with VIA_RELAY).  0; -ENOENT: no peer; -EPERM: no relay-from.
 */
int webrtc_via_relay(struct session *ss);
/* True when a peer can be set up: DTLS ready, peers allowed, a port. */
int webrtc_available(struct server *s);
/* The ports the session's peer offered, the ICE checks each took, and
 * the pair chosen, for the browser check's report; -ENOENT: no peer. */
int webrtc_paths(struct session *ss, struct browser_webrtc_srv *out);
/* webrtcmedia.c: what the session's peer received, and sent, so far;
 * -ENOENT: no peer. */
int webrtc_stats(struct session *ss, struct rtp_side *out);
/* Control glue: WEBRTC_OFFER and WEBRTC_STATS requests. */
void webrtcsrv_offer_request(struct session *ss, const struct ctl_msg *m);
void webrtcsrv_stats_request(struct session *ss, const struct ctl_msg *m);
/* webrtcice.c: ICE-TCP on the control port and the peers' datagrams on
 * the UDP ports are responders of the registry (responder.h). */

/* webrtcdtls.c */
/* The certificate (ECDSA P-256, self-signed), the DTLS context, SRTP. */
int webrtc_init(struct server *s);
void webrtc_free(struct server *s);

struct wdtls;
/* Sends one datagram to the peer's selected pair. */
typedef void (*wdtls_send_fn)(void *arg, const uint8_t *p, size_t n);

/*
 * A DTLS server for one peer whose certificate must have sha-256 'fp';
 * what it sends goes through 'send'.  NULL on failure.
 */
struct wdtls *wdtls_new(struct server *s, const uint8_t fp[SDP_FP_LEN],
    wdtls_send_fn send, void *arg);
void wdtls_free(struct wdtls *t);
/*
 * Feeds one DTLS datagram.  Returns 1 when the handshake has just
 * completed (the fingerprint matched and SRTP is keyed), 0 while it goes
 * on or after it, -EACCES for a wrong fingerprint or a failed handshake
 * (the peer is then useless).
 */
int wdtls_input(struct wdtls *t, const uint8_t *p, size_t n);
/* True once SRTP is keyed. */
int wdtls_ready(const struct wdtls *t);
/* The SRTP profile name (for logs), "" before. */
const char *wdtls_profile(const struct wdtls *t);
/*
 * SRTP in place: *len in and out; 'cap' (protect) must leave
 * SRTP_MAX_TRAILER_LEN bytes.  0, or -EBADMSG (unprotect: forged,
 * replayed or malformed), -EIO.
 */
int wdtls_unprotect(struct wdtls *t, uint8_t *p, size_t *len, int rtcp);
int wdtls_protect(struct wdtls *t, uint8_t *p, size_t *len, size_t cap,
    int rtcp);

#endif
