/*
 * ctl.h - the pinhole control protocol codec (see docs/protocol.md).
 *
 * A connection starts with an 8-byte preamble in each direction: the
 * magic "PINHOLE" and one version byte.  Then frames follow:
 *
 *     u16 type | u16 body length | body
 *
 * where the body is a sequence of attributes "u16 type | u16 length |
 * value", all big-endian.  Decoding never allocates; attribute values
 * point into the caller's buffer.
 */
#ifndef PINHOLE_CTL_H
#define PINHOLE_CTL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "buf.h"
#include "net.h"

#define CTL_MAGIC		"PINHOLE"
#define CTL_MAGIC_LEN		7
#define CTL_PREAMBLE_LEN	8
#define CTL_VERSION		1
#define CTL_HDR_LEN		4
#define CTL_MAX_BODY		16384	/* frames above this are refused */
#define CTL_MAX_ATTRS		64
#define CTL_TOKEN_LEN		16
#define CTL_NONCE_LEN		8
#define CTL_NONCE_HEX_LEN	(2 * CTL_NONCE_LEN)	/* as it appears in SIP */
#define CTL_PORT		443	/* default server port (shared with TLS) */
#define CTL_HELLO_TIMEOUT	10	/* s from connect to a complete HELLO */
#define CTL_IDLE_TIMEOUT	30	/* s without a complete frame: closed */

/* Message types. */
enum ctl_type {
	CTL_HELLO = 1,		/* C->S: opens a session */
	CTL_WELCOME = 2,	/* S->C: session accepted */
	CTL_ERROR = 3,		/* either way: a request failed */
	CTL_BYE = 4,		/* either way: session ends */
	CTL_PING = 5,		/* either way: keepalive, echoed as PONG */
	CTL_PONG = 6,
	CTL_WATCH = 16,		/* C->S: report SIP probes carrying NONCE */
	CTL_SEEN = 17,		/* S->C: a watched probe arrived */
	CTL_SEND = 18,		/* C->S: send PAYLOAD to the client's IP */
	CTL_SENT = 19,		/* S->C: result of a SEND, SWEEP or CONNECT */
	CTL_SWEEP = 20,		/* C->S: a datagram to each of PORTS */
	CTL_CONNECT = 21,	/* C->S: a TCP connection to PEER's port */
	CTL_MEDIA = 22,		/* C->S: an RTP stream both ways */
	CTL_MEDIA_STATS = 23,	/* S->C: what the server received of it */
	CTL_WEBRTC_OFFER = 24,	/* C->S: an SDP offer for pinholed's peer */
	CTL_WEBRTC_ANSWER = 25,	/* S->C: its SDP answer */
	CTL_WEBRTC_STATS = 26,	/* C->S: what the peer received so far */
	CTL_RELAY = 27,		/* C->S: credentials for the TURN relays */
	CTL_RELAY_CREDS = 28,	/* S->C: short-lived TURN credentials */
};

/* Attribute types. */
enum ctl_attr_type {
	CTL_A_TOKEN = 1,	/* 16 bytes: session token */
	CTL_A_SOFTWARE = 2,	/* text: program and version */
	CTL_A_OBSERVED = 3,	/* addr: the peer as the server saw it */
	CTL_A_UDP_PORTS = 4,	/* port ranges: u16 lo, u16 hi, repeated */
	CTL_A_TCP_PORTS = 5,	/* port ranges */
	CTL_A_STUN_PORT = 6,	/* u16 */
	CTL_A_CODE = 7,		/* u16: error code (enum ctl_err) */
	CTL_A_REASON = 8,	/* text */
	CTL_A_NONCE = 9,	/* 8 bytes: probe identifier */
	CTL_A_TRANSPORT = 10,	/* u8: enum ctl_transport */
	CTL_A_LOCAL_PORT = 11,	/* u16: the server's port */
	CTL_A_PEER = 12,	/* addr: the other end of a probe */
	CTL_A_PAYLOAD = 13,	/* bytes */
	CTL_A_REQ_ID = 14,	/* u32: matches a SENT to its SEND */
	CTL_A_TOS = 15,		/* u8: the TOS byte a probe arrived with */
	CTL_A_FLAGS = 16,	/* u32: enum ctl_flags */
	CTL_A_MAX_PROBES = 17,	/* u32: session limits, in WELCOME */
	CTL_A_MAX_SECONDS = 18,	/* u32 */
	CTL_A_MAX_BYTES = 19,	/* u32 */
	CTL_A_SERVER_ADDRS = 20,/* addr, may repeat: the server's addresses */
	CTL_A_HTTP_PORTS = 21,	/* port ranges: HTTP and BOSH responders */
	CTL_A_XMPP_PORTS = 22,	/* port ranges: XMPP stream responders */
	CTL_A_TLS_PORTS = 23,	/* port ranges: TLS handshake responders */
	CTL_A_CERT_SHA256 = 24,	/* fixed(32): SHA-256 of the server's certificate */
	CTL_A_PORTS = 25,	/* port ranges: what a SWEEP covers */
	CTL_A_SOURCE = 26,	/* addr: which server address sends (port 0) */
	CTL_A_MEDIA_PORTS = 27,	/* port ranges: UDP listeners in media ranges */
	CTL_A_SSRC = 28,	/* u32: an RTP stream's SSRC */
	CTL_A_MEDIA_KEY = 29,	/* u32: ties RTP packets to their stream */
	CTL_A_RTP_PT = 30,	/* u8: RTP payload type */
	CTL_A_PTIME = 31,	/* u16: ms of audio per packet */
	CTL_A_PAYLOAD_LEN = 32,	/* u16: RTP payload bytes */
	CTL_A_PACKETS = 33,	/* u32: packets each side sends */
	CTL_A_FIRST_SEQ = 34,	/* u16: the first RTP sequence number */
	CTL_A_JITTER_BUF = 35,	/* u16: ms of the jitter buffer modelled */
	CTL_A_RTP_STATS = 36,	/* u32 list: see lib/ctl/rtpside.c */
	CTL_A_TOS_COUNTS = 37,	/* (u8 tos, u32 count) repeated */
	CTL_A_SDP = 38,		/* text: an SDP offer or answer */
	CTL_A_TURN_USER = 39,	/* text: a TURN username */
	CTL_A_TURN_PASS = 40,	/* text: its password */
	CTL_A_LIFETIME = 41,	/* u32: seconds the credentials hold */
};

enum ctl_transport {
	CTL_UDP = 1,
	CTL_TCP = 2,
};

enum ctl_flags {
	CTL_F_TRUNCATED = 1u << 0,	/* SEEN: message ended early */
	CTL_F_CLOSED = 1u << 1,		/* SEEN: TCP peer closed */
	CTL_F_TOS_VALID = 1u << 2,	/* SEEN: TOS attribute is meaningful */
	CTL_F_VIA_RELAY = 1u << 3,	/* MEDIA: the stream comes through one
					   of the provider's TURN relays */
};

enum ctl_err {
	CTL_E_BAD_REQUEST = 400,
	CTL_E_FORBIDDEN = 403,	/* address or port not allowed */
	CTL_E_NOT_FOUND = 404,	/* no such listener or connection */
	CTL_E_UNREACHABLE = 502,/* CONNECT: refused, unreachable or timed out */
	CTL_E_LIMIT = 429,	/* a session cap was reached */
	CTL_E_BUSY = 503,	/* global session cap */
	CTL_E_VERSION = 505,	/* no common protocol version */
	CTL_E_INTERNAL = 500,
};

struct ctl_attr {
	uint16_t type;
	uint16_t len;
	const uint8_t *val;
};

struct ctl_msg {
	uint16_t type;
	size_t nattr;
	struct ctl_attr attr[CTL_MAX_ATTRS];
};

/* Writes our preamble (8 bytes) into 'out'. */
void ctl_preamble(uint8_t out[CTL_PREAMBLE_LEN]);
/*
 * Checks a peer's preamble.  Returns its version (>= 1), -EAGAIN if fewer
 * than 8 bytes are there yet, or -EPROTO when the magic is wrong.
 */
int ctl_preamble_check(const uint8_t *buf, size_t len);
/* True when the first bytes of a stream could be our preamble (demux). */
int ctl_looks_like(const uint8_t *buf, size_t len);

/*
 * Looks at the start of a stream buffer.  Returns 0 and sets *framelen
 * (header plus body) when a whole frame is there, -EAGAIN when more bytes
 * are needed, -EMSGSIZE when the body is longer than CTL_MAX_BODY.
 */
int ctl_frame_peek(const uint8_t *buf, size_t len, size_t *framelen);
/* Decodes exactly one frame of 'len' bytes.  -EBADMSG when malformed. */
int ctl_msg_decode(const uint8_t *buf, size_t len, struct ctl_msg *msg);

/* The first attribute of 'type', or NULL. */
const struct ctl_attr *ctl_msg_get(const struct ctl_msg *msg, uint16_t type);
/* Typed getters: -ENOENT when absent, -EBADMSG when the length is wrong. */
int ctl_get_u8(const struct ctl_msg *msg, uint16_t type, uint8_t *v);
int ctl_get_u16(const struct ctl_msg *msg, uint16_t type, uint16_t *v);
int ctl_get_u32(const struct ctl_msg *msg, uint16_t type, uint32_t *v);
int ctl_get_bytes(const struct ctl_msg *msg, uint16_t type,
    const uint8_t **p, size_t *n);
/* Exactly 'n' bytes copied out. */
int ctl_get_fixed(const struct ctl_msg *msg, uint16_t type, void *out, size_t n);
/* Copies text into 'out' (NUL-terminated); -EMSGSIZE if it does not fit. */
int ctl_get_str(const struct ctl_msg *msg, uint16_t type, char *out, size_t n);
/* addr attribute: u8 family (4 or 6), u16 port, 4 or 16 address bytes. */
int ctl_attr_addr(const struct ctl_attr *a, struct net_ip *ip, uint16_t *port);
int ctl_get_addr(const struct ctl_msg *msg, uint16_t type,
    struct net_ip *ip, uint16_t *port);
/*
 * Port ranges attribute: fills up to 'max' pairs, sets *n.  -EBADMSG when
 * the length is not a multiple of 4 or a range is reversed or has port 0.
 */
int ctl_attr_ranges(const struct ctl_attr *a, uint16_t (*ranges)[2],
    size_t max, size_t *n);
/* ctl_attr_ranges() on the first attribute of 'type'; -ENOENT if absent. */
int ctl_get_ranges(const struct ctl_msg *msg, uint16_t type,
    uint16_t (*ranges)[2], size_t max, size_t *n);

/*
 * Encoding: ctl_enc_begin() appends a header and returns (in *start) its
 * offset; attributes follow; ctl_enc_end() writes the body length, failing
 * with -EMSGSIZE past CTL_MAX_BODY.
 */
int ctl_enc_begin(struct dbuf *b, uint16_t type, size_t *start);
int ctl_enc_end(struct dbuf *b, size_t start);
int ctl_put_u8(struct dbuf *b, uint16_t type, uint8_t v);
int ctl_put_u16(struct dbuf *b, uint16_t type, uint16_t v);
int ctl_put_u32(struct dbuf *b, uint16_t type, uint32_t v);
int ctl_put_bytes(struct dbuf *b, uint16_t type, const void *p, size_t n);
int ctl_put_str(struct dbuf *b, uint16_t type, const char *s);
int ctl_put_addr(struct dbuf *b, uint16_t type, const struct net_ip *ip,
    uint16_t port);
int ctl_put_ranges(struct dbuf *b, uint16_t type, const uint16_t (*ranges)[2],
    size_t n);
/*
 * Appends a whole ERROR frame: CODE, REQ_ID when 'req_id' is not 0 (the
 * error then concerns that request only), and REASON.  0 or -errno.
 */
int ctl_enc_error(struct dbuf *b, uint16_t code, uint32_t req_id,
    const char *reason);

/* Name of a message type for logs ("HELLO", ...; "?" if unknown). */
const char *ctl_type_name(uint16_t type);

/*
 * The form in which a nonce travels inside SIP probes: 16 lowercase hex
 * digits, NUL-terminated in 'out'.
 */
void ctl_nonce_hex(const uint8_t nonce[CTL_NONCE_LEN],
    char out[CTL_NONCE_HEX_LEN + 1]);

/*
 * The payload of a SWEEP datagram, "PINHOLE-SWEEP <nonce hex> <port>\n",
 * written into buf; its length, or -ENOSPC.
 */
int ctl_sweep_payload(char *buf, size_t len, const char *nonce_hex,
    uint16_t port);
/*
 * The port a received datagram 'p' names when it is the SWEEP payload of
 * 'nonce_hex'; 0 otherwise.  Reads nothing past 'n'.
 */
uint16_t ctl_sweep_port(const uint8_t *p, size_t n, const char *nonce_hex);

#endif
