/*
 * ctlreq.h - the client's requests of the control protocol (WATCH, SEND,
 * SWEEP, CONNECT, MEDIA; docs/protocol.md section 5) decoded from a struct
 * ctl_msg into typed structs, with every rule that needs no server state.
 *
 * Common rules:
 * - An attribute counts by its first occurrence; unknown ones are ignored.
 * - A required attribute that is absent, or any known attribute (required
 *   or optional) whose value has the wrong length or content, makes the
 *   request malformed: -EBADMSG, which the server answers with ERROR 400.
 * - REQ_ID is a u32 and not 0.  The decoders of requests that carry one
 *   write req_id first, also when they then fail, so that the ERROR can
 *   carry it: it is 0 when REQ_ID is absent, malformed or 0 (and then the
 *   ERROR is fatal).
 * - A port (LOCAL_PORT, the port of PEER) is not 0.
 * - What needs the server's state is left to the server: whether PEER is
 *   the session client's IP, whether LOCAL_PORT and SOURCE are its own,
 *   the session caps.
 *
 * The decoded structs point into the message's buffer (payload), which the
 * caller keeps alive; nothing is allocated.
 */
#ifndef PINHOLE_CTLREQ_H
#define PINHOLE_CTLREQ_H

#include <stddef.h>
#include <stdint.h>

#include "ctl.h"
#include "net.h"

#define CTLREQ_MAX_PAYLOAD	8192	/* SEND: PAYLOAD bytes, SIP_MAX_MSG */
#define CTLREQ_MAX_RANGES	64	/* SWEEP: ranges in PORTS */

/* WATCH: NONCE (R). */
struct ctlreq_watch {
	uint8_t nonce[CTL_NONCE_LEN];
};

/*
 * SEND: REQ_ID (R), TRANSPORT (R, 1 or 2), LOCAL_PORT (R, not 0), PEER (R,
 * port not 0), PAYLOAD (R, 1 to CTLREQ_MAX_PAYLOAD bytes).
 */
struct ctlreq_send {
	uint32_t req_id;
	uint8_t transport;		/* CTL_UDP or CTL_TCP */
	uint16_t local_port;
	struct net_ip peer_ip;
	uint16_t peer_port;
	const uint8_t *payload;		/* into the message */
	size_t payload_len;
};

/*
 * SWEEP: REQ_ID (R), NONCE (R), PORTS (R: 1 to CTLREQ_MAX_RANGES ranges,
 * each 1 <= lo <= hi; ranges may overlap and come in any order),
 * LOCAL_PORT (O, not 0), SOURCE (O, its port is ignored).
 */
struct ctlreq_sweep {
	uint32_t req_id;
	uint8_t nonce[CTL_NONCE_LEN];
	uint16_t ranges[CTLREQ_MAX_RANGES][2];
	size_t nranges;
	uint32_t total;			/* datagrams: ports over all ranges */
	int has_local_port;
	uint16_t local_port;
	int has_source;
	struct net_ip source;
};

/* CONNECT: REQ_ID (R), NONCE (R), PEER (R, port not 0), SOURCE (O). */
struct ctlreq_connect {
	uint32_t req_id;
	uint8_t nonce[CTL_NONCE_LEN];
	struct net_ip peer_ip;
	uint16_t peer_port;
	int has_source;
	struct net_ip source;
};

/*
 * MEDIA: REQ_ID (R), LOCAL_PORT (R, not 0), SSRC (R), MEDIA_KEY (R),
 * RTP_PT (R, 0-127), PTIME (R, 10-120 ms, a multiple of 10), PAYLOAD_LEN
 * (R, CTLREQ_MEDIA_MIN_PAYLOAD to CTLREQ_MEDIA_MAX_PAYLOAD), PACKETS (R,
 * at least 1, and PACKETS x PTIME at most CTLREQ_MEDIA_MAX_MS), FIRST_SEQ
 * (R), TOS (O, default 0), JITTER_BUF (O, 0 to 1000 ms, default
 * CTLREQ_MEDIA_JB_MS), FLAGS (O: CTL_F_VIA_RELAY alone).
 */
#define CTLREQ_MEDIA_MIN_PAYLOAD 16	/* RTP_MIN_PAYLOAD */
#define CTLREQ_MEDIA_MAX_PAYLOAD 1280	/* RTP_MAX_PAYLOAD */
#define CTLREQ_MEDIA_MAX_MS	60000	/* a stream's length */
#define CTLREQ_MEDIA_JB_MS	60
struct ctlreq_media {
	uint32_t req_id;
	uint16_t local_port;
	uint32_t ssrc, key;
	uint8_t pt;
	uint16_t ptime_ms;
	uint16_t payload_len;
	uint32_t packets;
	uint16_t first_seq;
	uint8_t tos;
	uint16_t jb_ms;
	uint32_t flags;			/* CTL_F_VIA_RELAY, or 0 */
};

/* WEBRTC_OFFER: the SDP points into the message, not NUL-terminated. */
#define CTLREQ_MAX_SDP		16000	/* SDP_MAX_LEN */
struct ctlreq_webrtc {
	uint32_t req_id;
	const char *sdp;
	size_t sdp_len;		/* 1 .. CTLREQ_MAX_SDP, no NUL byte */
};

/*
 * Each decodes 'm' (of its type; the type itself is not checked) into the
 * caller's struct.  0, or -EBADMSG when the request is malformed; on error
 * only req_id is meaningful.
 */
int ctlreq_watch_decode(const struct ctl_msg *m, struct ctlreq_watch *w);
int ctlreq_send_decode(const struct ctl_msg *m, struct ctlreq_send *s);
int ctlreq_sweep_decode(const struct ctl_msg *m, struct ctlreq_sweep *s);
int ctlreq_connect_decode(const struct ctl_msg *m, struct ctlreq_connect *c);
int ctlreq_media_decode(const struct ctl_msg *m, struct ctlreq_media *q);
int ctlreq_webrtc_decode(const struct ctl_msg *m, struct ctlreq_webrtc *w);

/*
 * The REQ_ID of any message: its value when the first REQ_ID attribute is
 * a u32, else 0.  For answering messages of unknown type (protocol section
 * 6) and malformed requests.
 */
uint32_t ctlreq_req_id(const struct ctl_msg *m);

#endif
