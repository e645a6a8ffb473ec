/*
 * sdp.h - the little of SDP (RFC 8866) that a WebRTC audio peer needs:
 * decoding a browser's offer (ICE credentials, the DTLS fingerprint and
 * role, the audio section with Opus, mid, rtcp-mux, BUNDLE) and building
 * pinholed's answer (ICE-lite, host candidates, passive DTLS, Opus).
 *
 * Pure functions over buffers; the offer comes from anyone, so the
 * decoder reads every line through a bounds check and keeps nothing it
 * does not need.
 */
#ifndef PINHOLE_SDP_H
#define PINHOLE_SDP_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define SDP_MAX_LEN		16000	/* an offer or answer, in bytes: one
					   control frame with room to spare */
#define SDP_MAX_LINE		4096
#define SDP_MAX_MEDIA		16	/* m= sections kept (more: refused) */
#define SDP_UFRAG_MAX		256	/* RFC 8839 5.4: 4-256 ice-chars */
#define SDP_PWD_MAX		256	/* 22-256 ice-chars */
#define SDP_MID_MAX		32	/* token, RFC 5888 (bounded here) */
#define SDP_TOKEN_MAX		32	/* media type, first format */
#define SDP_PROTO_MAX		32
#define SDP_FP_LEN		32	/* sha-256 */
#define SDP_MAX_CANDS		16

enum sdp_setup { SDP_SETUP_NONE, SDP_SETUP_ACTPASS, SDP_SETUP_ACTIVE,
    SDP_SETUP_PASSIVE, SDP_SETUP_HOLDCONN };

enum sdp_dir { SDP_SENDRECV, SDP_SENDONLY, SDP_RECVONLY, SDP_INACTIVE };

/* One m= section of an offer: what the answer must echo, or reject. */
struct sdp_media {
	char type[SDP_TOKEN_MAX + 1];	/* audio, video, application ... */
	char proto[SDP_PROTO_MAX + 1];	/* UDP/TLS/RTP/SAVPF ... */
	char fmt[SDP_TOKEN_MAX + 1];	/* the first format */
	char mid[SDP_MID_MAX + 1];	/* "" when none */
	uint16_t port;
};

struct sdp_offer {
	struct sdp_media media[SDP_MAX_MEDIA];
	size_t nmedia;
	int audio;			/* index of the audio section we take,
					   -1 when none fits */
	char ufrag[SDP_UFRAG_MAX + 1];	/* of that section (or the session) */
	char pwd[SDP_PWD_MAX + 1];
	uint8_t fingerprint[SDP_FP_LEN];	/* sha-256 */
	int have_fingerprint;
	enum sdp_setup setup;
	enum sdp_dir dir;
	int opus_pt;			/* payload type of opus/48000/2 */
	int rtcp_mux;
	int bundle;			/* the audio mid is in a BUNDLE group */
};

/*
 * Decodes an offer of 'len' bytes (lines end in CRLF or LF).  Returns 0
 * with *o filled, or -EBADMSG for malformed SDP (no v=0 first, a line
 * that is not "x=...", control bytes, a line longer than SDP_MAX_LINE,
 * more than SDP_MAX_MEDIA sections, a malformed attribute we read),
 * -EMSGSIZE past SDP_MAX_LEN, -ENOTSUP when it has nothing we can answer:
 * no audio section of UDP/TLS/RTP/SAVPF with opus/48000/2 and rtcp-mux,
 * ICE credentials, a sha-256 fingerprint and a setup of actpass or active.
 */
int sdp_offer_decode(const char *buf, size_t len, struct sdp_offer *o);

/* What pinholed puts in its answer. */
struct sdp_cand {
	char addr[64];			/* numeric IPv4 or IPv6 address */
	uint16_t port;
	int tcp;			/* passive ICE-TCP (RFC 6544), else UDP */
};

struct sdp_answer_params {
	uint64_t sess_id;		/* o= session id */
	const char *ufrag;		/* ours: 4+ ice-chars */
	const char *pwd;		/* ours: 22+ ice-chars */
	uint8_t fingerprint[SDP_FP_LEN];	/* of our DTLS certificate */
	uint32_t ssrc;			/* our audio stream */
	const struct sdp_cand *cands;	/* host candidates, best first */
	size_t ncands;			/* 1 .. SDP_MAX_CANDS */
};

/*
 * Appends to 'out' the answer to 'o' (decoded by sdp_offer_decode()):
 * ICE-lite, the audio section accepted (opus, rtcp-mux, setup:passive,
 * the direction that answers the offer's), every other section rejected
 * with port 0, BUNDLE when the offer bundled.  0, -EINVAL for bad
 * parameters, or dbuf's -E2BIG/-ENOMEM.
 */
int sdp_answer_build(const struct sdp_offer *o,
    const struct sdp_answer_params *p, struct dbuf *out);

/* The ICE priority of host candidate 'i' (RFC 8445 5.1.2.1, component 1). */
uint32_t sdp_host_priority(size_t i);

#endif
