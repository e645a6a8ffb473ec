/*
 * ctlmsg.h - typed decoders for the messages a pinholed sends to a
 * client (WELCOME, SEEN, SENT, ERROR, MEDIA_STATS), on top of the codec in ctl.h.
 *
 * These are pure functions over a decoded struct ctl_msg: nothing is
 * allocated, and what points into the message stays valid only as long as
 * the frame it was decoded from.  Everything they read comes from the
 * server, so every value is checked the way docs/protocol.md says.
 */
#ifndef PINHOLE_CTLMSG_H
#define PINHOLE_CTLMSG_H

#include <stddef.h>
#include <stdint.h>

#include "ctl.h"
#include "net.h"
#include "rtpside.h"

#define CTLMSG_MAX_RANGES	32	/* port ranges kept per attribute */
#define CTLMSG_MAX_ADDRS	8	/* SERVER_ADDRS kept */
#define CTLMSG_REASON_LEN	128	/* REASON kept, with its NUL */

/* What WELCOME announces; absent attributes leave zeros. */
struct ctl_welcome {
	uint8_t token[CTL_TOKEN_LEN];
	struct net_ip observed_ip;	/* our public address over TCP */
	uint16_t observed_port;
	struct net_ip server_addrs[CTLMSG_MAX_ADDRS];
	size_t nserver_addrs;
	uint16_t udp_ports[CTLMSG_MAX_RANGES][2];
	size_t nudp_ports;
	uint16_t tcp_ports[CTLMSG_MAX_RANGES][2];
	size_t ntcp_ports;
	uint16_t stun_port;
	uint16_t http_ports[CTLMSG_MAX_RANGES][2];	/* reach responders */
	size_t nhttp_ports;
	uint16_t xmpp_ports[CTLMSG_MAX_RANGES][2];
	size_t nxmpp_ports;
	uint16_t tls_ports[CTLMSG_MAX_RANGES][2];
	size_t ntls_ports;
	uint16_t media_ports[CTLMSG_MAX_RANGES][2];	/* UDP, heard */
	size_t nmedia_ports;
	uint8_t cert_sha256[32];
	int have_cert;
	uint32_t max_probes;
	uint32_t max_seconds;		/* 0: not announced */
};

/* A probe the server saw, as reported by SEEN. */
struct ctl_seen {
	uint8_t nonce[CTL_NONCE_LEN];
	int transport;			/* CTL_UDP or CTL_TCP */
	uint16_t local_port;
	struct net_ip peer_ip;
	uint16_t peer_port;
	int tos;			/* -1 when not known */
	uint32_t flags;			/* CTL_F_* */
	const uint8_t *payload;		/* into the frame, or a copy */
	size_t len;
};

/* The answer to one request: SENT, or ERROR (with or without REQ_ID). */
struct ctl_answer {
	uint32_t req_id;		/* 0: a fatal ERROR */
	int code;			/* 0 for SENT; else the ERROR code */
	char reason[CTLMSG_REASON_LEN];	/* printable ASCII only */
	/* SENT of a MEDIA: the server's stream (both or neither). */
	int has_media;
	uint32_t ssrc;
	uint16_t first_seq;
};

/* MEDIA_STATS: what the server received of a MEDIA stream. */
struct ctl_media_stats {
	uint32_t req_id;
	int has_peer;			/* the source it latched on to */
	struct net_ip peer_ip;
	uint16_t peer_port;
	struct rtp_side side;
};

/*
 * RELAY_CREDS: TURN credentials for the provider's relays, good for
 * 'lifetime' seconds.  Both strings are printable ASCII without spaces
 * (what a TURN REST credential is), so that they can be shown and sent.
 */
#define CTLMSG_TURN_USER_LEN	256
#define CTLMSG_TURN_PASS_LEN	128
struct ctl_relay_creds {
	uint32_t req_id;
	char user[CTLMSG_TURN_USER_LEN];
	char pass[CTLMSG_TURN_PASS_LEN];
	uint32_t lifetime;
};

/*
 * Decodes a WELCOME into *w (zeroed first).  TOKEN and OBSERVED are
 * required; every other known attribute is checked when present.  More
 * than CTLMSG_MAX_RANGES ranges or CTLMSG_MAX_ADDRS addresses are cut.
 * Returns 0, or -EBADMSG when an attribute is missing or malformed.
 */
int ctl_welcome_decode(const struct ctl_msg *m, struct ctl_welcome *w);

/*
 * Decodes a SEEN into *s; s->payload points into the message.  Returns 0,
 * or -EBADMSG when a required attribute is missing or malformed, or the
 * transport is neither UDP nor TCP.
 */
int ctl_seen_decode(const struct ctl_msg *m, struct ctl_seen *s);

/*
 * Decodes a SENT or an ERROR into *a.  A SENT needs a REQ_ID other than 0;
 * an ERROR without CODE gets 500.  The REASON is cut to fit and every byte
 * outside printable ASCII becomes '?', since it ends up on a terminal.
 * Returns 0, -EBADMSG when malformed, -EINVAL for another message type.
 */
int ctl_answer_decode(const struct ctl_msg *m, struct ctl_answer *a);
/*
 * Decodes a MEDIA_STATS: REQ_ID (not 0) and RTP_STATS required, PEER
 * and TOS_COUNTS checked when present.  0, -EINVAL for another type, or
 * -EBADMSG.
 */
int ctl_media_stats_decode(const struct ctl_msg *m, struct ctl_media_stats *s);
/*
 * Decodes a RELAY_CREDS: REQ_ID (not 0), TURN_USER, TURN_PASS (each 1
 * byte at least, printable ASCII without spaces) and LIFETIME (1 to
 * 86400) required.  0, -EINVAL for another type, or -EBADMSG.
 */
int ctl_relay_creds_decode(const struct ctl_msg *m, struct ctl_relay_creds *c);

#endif
