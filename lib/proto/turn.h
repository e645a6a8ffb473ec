/*
 * turn.h - TURN messages (RFC 8656) over the STUN codec, the long-term
 * credential of RFC 8489, the TURN REST credential providers issue, and
 * ChannelData framing.  Pure functions over buffers; decoding never
 * allocates and its pointers point into the caller's buffer.
 */
#ifndef PINHOLE_TURN_H
#define PINHOLE_TURN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "buf.h"
#include "stun.h"

/* Methods (RFC 8656 18). */
#define TURN_ALLOCATE		0x003
#define TURN_REFRESH		0x004
#define TURN_SEND		0x006
#define TURN_DATA		0x007
#define TURN_CREATE_PERMISSION	0x008
#define TURN_CHANNEL_BIND	0x009

/* Classes, as stun_type() takes them. */
#define STUN_CLASS_REQUEST	0
#define STUN_CLASS_INDICATION	1
#define STUN_CLASS_SUCCESS	2
#define STUN_CLASS_ERROR	3

/* Attributes (RFC 8656 18, RFC 8489 18.3). */
#define TURN_A_CHANNEL_NUMBER		0x000C
#define TURN_A_LIFETIME			0x000D
#define TURN_A_XOR_PEER_ADDRESS		0x0012
#define TURN_A_DATA			0x0013
#define TURN_A_XOR_RELAYED_ADDRESS	0x0016
#define TURN_A_REQUESTED_FAMILY		0x0017
/* REQUESTED-ADDRESS-FAMILY's first byte (RFC 8656 18.8). */
#define TURN_FAMILY_IPV4		0x01
#define TURN_FAMILY_IPV6		0x02
#define TURN_A_EVEN_PORT		0x0018
#define TURN_A_REQUESTED_TRANSPORT	0x0019
#define TURN_A_DONT_FRAGMENT		0x001A
#define TURN_A_RESERVATION_TOKEN	0x0022
#define TURN_A_PASSWORD_ALGORITHM	0x001D
#define TURN_A_PASSWORD_ALGORITHMS	0x8002
#define TURN_A_ADDRESS_ERROR_CODE	0x8001
#define TURN_A_ICMP			0x8004

/* PASSWORD-ALGORITHM values (RFC 8489 18.5). */
#define TURN_PW_MD5		0x0001
#define TURN_PW_SHA256		0x0002

/* Error codes a client acts on or names (RFC 8656 18, RFC 8489 14.8). */
#define TURN_E_TRY_ALTERNATE	300
#define TURN_E_BAD_REQUEST	400
#define TURN_E_UNAUTHORIZED	401
#define TURN_E_FORBIDDEN	403
#define TURN_E_MISMATCH		437
#define TURN_E_STALE_NONCE	438
#define TURN_E_FAMILY		440
#define TURN_E_WRONG_CRED	441
#define TURN_E_TRANSPORT	442
#define TURN_E_PEER_FAMILY	443
#define TURN_E_QUOTA		486
#define TURN_E_CAPACITY		508

/* ChannelData (RFC 8656 12): numbers 0x4000 to 0x4FFF, 4 header bytes. */
#define TURN_CHAN_MIN		0x4000
#define TURN_CHAN_MAX		0x4FFF
#define TURN_CHAN_HDR		4
#define TURN_PROTO_UDP		17	/* REQUESTED-TRANSPORT */

#define TURN_MAX_ALGS		8
#define TURN_KEY_MAX		32	/* an MD5 or SHA-256 long-term key */

/* Bit set in turn_msg.present for each TURN attribute decoded. */
#define TURN_HAS_CHANNEL	(1u << 0)
#define TURN_HAS_LIFETIME	(1u << 1)
#define TURN_HAS_PEER		(1u << 2)
#define TURN_HAS_DATA		(1u << 3)
#define TURN_HAS_RELAYED	(1u << 4)
#define TURN_HAS_REALM		(1u << 5)
#define TURN_HAS_NONCE		(1u << 6)
#define TURN_HAS_ALGS		(1u << 7)

struct turn_msg {
	struct stun_msg stun;		/* header, error, integrity, mapped */
	uint16_t method;		/* TURN_* or STUN's binding (1) */
	int cls;			/* STUN_CLASS_* */
	uint32_t present;		/* TURN_HAS_* */

	uint16_t channel;
	uint32_t lifetime;		/* seconds */
	struct sockaddr_storage peer;	/* XOR-PEER-ADDRESS, the first */
	struct sockaddr_storage relayed;/* XOR-RELAYED-ADDRESS, the first */
	const uint8_t *data;		/* DATA */
	size_t data_len;
	const char *realm;		/* not NUL-terminated */
	size_t realm_len;
	const char *nonce;		/* not NUL-terminated */
	size_t nonce_len;
	uint16_t algs[TURN_MAX_ALGS];	/* PASSWORD-ALGORITHMS offered */
	size_t nalgs;
};

/* The STUN message type of 'method' in class 'cls' (RFC 8489 5). */
uint16_t stun_type(uint16_t method, int cls);

/*
 * Decodes a whole STUN message with TURN's attributes.  The comprehension-
 * required attributes TURN defines are taken off stun.unknown.  Returns 0
 * or -EBADMSG (anything stun_msg_decode() refuses, a TURN attribute of the
 * wrong length or address family, a channel number out of range).
 */
int turn_msg_decode(const uint8_t *buf, size_t len, struct turn_msg *m);

/*
 * The long-term key of RFC 8489 9.2.2: MD5 or SHA-256 of
 * "username:realm:password".  Credentials are taken as they are (no
 * OpaqueString profile): providers' TURN credentials are ASCII.  Returns
 * the key's length, or -EINVAL for an unknown algorithm.
 */
int turn_lt_key(uint16_t alg, const char *user, const char *realm,
    size_t realm_len, const char *pass, uint8_t key[TURN_KEY_MAX]);

/*
 * The TURN REST credential that coturn's use-auth-secret checks: the
 * username "EXPIRY:USER" (or "EXPIRY" when 'user' is empty), the password
 * base64(HMAC-SHA1(secret, username)).  -ENOSPC when a buffer is short.
 */
int turn_rest_cred(const char *secret, size_t secret_len, long long expiry,
    const char *user, char *uname, size_t ulen, char *pass, size_t plen);

/*
 * A Send indication of 'len' bytes to 'peer' into 'out' (reset first):
 * indications carry no credentials (RFC 8656 11).
 */
int turn_enc_send(const struct sockaddr *peer, const void *data, size_t len,
    struct dbuf *out);

/*
 * ChannelData: appends a frame of 'len' bytes of 'data' on 'chan',
 * padded to a multiple of 4 when 'pad' (over TCP and TLS, RFC 8656 12.5).
 */
int turn_chan_encode(struct dbuf *b, uint16_t chan, const void *data,
    size_t len, int pad);
/*
 * Reads one ChannelData message of 'len' bytes: its channel and data.
 * -EBADMSG when the channel is out of range or the length runs past
 * 'len'; padding and trailing bytes after the data are allowed.
 */
int turn_chan_decode(const uint8_t *buf, size_t len, uint16_t *chan,
    const uint8_t **data, size_t *dlen);

/*
 * On a stream (TURN over TCP or TLS): the length of the frame at the
 * front of 'buf' (a STUN message, or ChannelData with its padding), 0
 * while fewer than the frame's bytes are there, or -EBADMSG when the
 * first byte starts neither or the frame would pass 'max'.
 */
long turn_frame_len(const uint8_t *buf, size_t len, size_t max);

/*
 * A relay's URI (RFC 7065): turn:HOST[:PORT][?transport=udp|tcp] (port
 * 3478, UDP unless said) or turns:HOST[:PORT][?transport=tcp] (TLS, port
 * 5349 unless said); HOST a name, an IPv4 address or [IPv6].
 */
#define TURN_URI_HOST_MAX	254
enum turn_uri_tr {
	TURN_URI_UDP,
	TURN_URI_TCP,
	TURN_URI_TLS,
};
struct turn_uri {
	enum turn_uri_tr tr;
	char host[TURN_URI_HOST_MAX + 1];	/* without brackets */
	uint16_t port;
};

/*
 * Parses 's' into *u.  0, or -EINVAL with *why saying what is wrong (a
 * static string, fit for an error message).
 */
int turn_uri_parse(const char *s, struct turn_uri *u, const char **why);

#endif
