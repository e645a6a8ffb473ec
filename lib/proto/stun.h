/*
 * stun.h - STUN message codec (RFC 5389), with the RFC 5780 attributes that
 * NAT behaviour discovery needs.  Pure functions over buffers.
 *
 * Decoding never allocates: pointers in struct stun_msg point into the
 * caller's buffer, which must outlive the message.
 */
#ifndef PINHOLE_STUN_H
#define PINHOLE_STUN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "buf.h"

#define STUN_HDR_LEN		20
#define STUN_MAGIC		0x2112A442u
#define STUN_TID_LEN		12
#define STUN_MAX_MSG		1500	/* the largest message we build */
#define STUN_MAX_DGRAM		4096	/* the largest we read: RFC 5780
					   PADDING fills an MTU and more */

/* Message types (method | class bits), as on the wire. */
#define STUN_BINDING_REQUEST	0x0001
#define STUN_BINDING_INDICATION	0x0011
#define STUN_BINDING_SUCCESS	0x0101
#define STUN_BINDING_ERROR	0x0111

/* Attributes. */
#define STUN_A_MAPPED_ADDRESS		0x0001
#define STUN_A_RESPONSE_ADDRESS		0x0002	/* obsolete, refused */
#define STUN_A_CHANGE_REQUEST		0x0003	/* RFC 5780 */
#define STUN_A_USERNAME			0x0006
#define STUN_A_MESSAGE_INTEGRITY	0x0008
#define STUN_A_ERROR_CODE		0x0009
#define STUN_A_UNKNOWN_ATTRIBUTES	0x000A
#define STUN_A_REALM			0x0014
#define STUN_A_NONCE			0x0015
#define STUN_A_XOR_MAPPED_ADDRESS	0x0020
#define STUN_A_PRIORITY			0x0024	/* RFC 8445 ICE */
#define STUN_A_USE_CANDIDATE		0x0025	/* RFC 8445 ICE */
#define STUN_A_PADDING			0x0026	/* RFC 5780 */
#define STUN_A_RESPONSE_PORT		0x0027	/* RFC 5780 */
#define STUN_A_SOFTWARE			0x8022
#define STUN_A_ALTERNATE_SERVER		0x8023
#define STUN_A_FINGERPRINT		0x8028
#define STUN_A_RESPONSE_ORIGIN		0x802B	/* RFC 5780 */
#define STUN_A_OTHER_ADDRESS		0x802C	/* RFC 5780 */
#define STUN_A_ICE_CONTROLLED		0x8029	/* RFC 8445 ICE */
#define STUN_A_ICE_CONTROLLING		0x802A	/* RFC 8445 ICE */

/* CHANGE-REQUEST flags. */
#define STUN_CHANGE_IP		0x04
#define STUN_CHANGE_PORT	0x02

#define STUN_MAX_UNKNOWN	16

/* Bit set in stun_msg.present for each attribute decoded. */
#define STUN_HAS_MAPPED		(1u << 0)
#define STUN_HAS_XOR_MAPPED	(1u << 1)
#define STUN_HAS_CHANGE_REQ	(1u << 2)
#define STUN_HAS_USERNAME	(1u << 3)
#define STUN_HAS_INTEGRITY	(1u << 4)
#define STUN_HAS_ERROR		(1u << 5)
#define STUN_HAS_PADDING	(1u << 6)
#define STUN_HAS_RESPONSE_PORT	(1u << 7)
#define STUN_HAS_SOFTWARE	(1u << 8)
#define STUN_HAS_FINGERPRINT	(1u << 9)
#define STUN_HAS_RESPONSE_ORIGIN (1u << 10)
#define STUN_HAS_OTHER_ADDRESS	(1u << 11)
#define STUN_HAS_RESPONSE_ADDRESS (1u << 12)
#define STUN_HAS_PRIORITY	(1u << 13)
#define STUN_HAS_USE_CANDIDATE	(1u << 14)
#define STUN_HAS_ICE_CONTROLLED	(1u << 15)
#define STUN_HAS_ICE_CONTROLLING (1u << 16)

struct stun_msg {
	uint16_t type;
	uint16_t length;		/* body length from the header */
	uint8_t tid[STUN_TID_LEN];
	uint32_t present;		/* STUN_HAS_* */

	struct sockaddr_storage mapped;
	struct sockaddr_storage xor_mapped;	/* already un-XORed */
	struct sockaddr_storage response_origin;
	struct sockaddr_storage other_address;
	uint32_t change_request;	/* STUN_CHANGE_* flags */
	uint16_t response_port;
	uint16_t error_code;		/* class * 100 + number */
	const char *error_reason;	/* not NUL-terminated */
	size_t error_reason_len;
	const char *software;		/* not NUL-terminated */
	size_t software_len;
	const uint8_t *username;
	size_t username_len;
	size_t padding_len;
	uint32_t priority;		/* ICE: PRIORITY */
	uint64_t tiebreaker;		/* ICE-CONTROLLED or -CONTROLLING */

	/* MESSAGE-INTEGRITY: the HMAC and the offset where it starts. */
	const uint8_t *integrity;
	size_t integrity_off;
	/* FINGERPRINT verified against the CRC (1) or wrong (0). */
	int fingerprint_ok;

	/* Comprehension-required attributes we do not know. */
	uint16_t unknown[STUN_MAX_UNKNOWN];
	size_t nunknown;
};

/*
 * Quick test whether a datagram looks like STUN: at least 20 bytes, top
 * two bits zero, magic cookie, length a multiple of 4 that matches.
 * Used to demultiplex STUN from SIP and RTP on one port.
 */
int stun_is_stun(const uint8_t *buf, size_t len);

/*
 * Decodes a whole message.  Returns 0, or -EBADMSG for anything malformed:
 * short header or attribute, length mismatch, bad address family, a
 * FINGERPRINT that is not last, attributes after MESSAGE-INTEGRITY other
 * than FINGERPRINT, ICE's PRIORITY or ICE-CONTROLL(ED|ING) of the wrong
 * length, a USE-CANDIDATE with a value, both ICE roles at once.  A wrong FINGERPRINT CRC decodes with fingerprint_ok 0.
 */
int stun_msg_decode(const uint8_t *buf, size_t len, struct stun_msg *msg);

/*
 * Decodes an address attribute's value of 'n' bytes, XORed with the magic
 * cookie and 'tid' when 'xor'.  -EBADMSG for a bad family or length.
 */
int stun_addr_decode(const uint8_t *v, size_t n, int xor, const uint8_t *tid,
    struct sockaddr_storage *ss);

/*
 * Walks the attributes of a message that stun_msg_decode() accepted, in
 * order: stun_iter_next() gives the next one's type and value (pointing
 * into 'buf') and returns 1, or 0 past the last, or -EBADMSG when the
 * attribute runs past the end.  TURN's attributes are read this way.
 */
struct stun_iter {
	struct cursor c;
};
void stun_iter_init(struct stun_iter *it, const uint8_t *buf, size_t len);
int stun_iter_next(struct stun_iter *it, uint16_t *type, const uint8_t **v,
    uint16_t *n);

/*
 * Checks MESSAGE-INTEGRITY (HMAC-SHA1) of a decoded message with a
 * short-term credential 'key' (the SASLprep'ed password).  Returns 0 when
 * it matches, -EBADMSG when absent, -EACCES when wrong.
 */
int stun_msg_check_integrity(const uint8_t *buf, size_t len,
    const struct stun_msg *msg, const void *key, size_t keylen);

/* Encoding: begin, add attributes, finish.  All append to 'b'. */
int stun_enc_begin(struct dbuf *b, uint16_t type, const uint8_t tid[STUN_TID_LEN]);
/* XOR-MAPPED-ADDRESS-style attributes when 'attr' is an XOR attribute. */
int stun_enc_addr(struct dbuf *b, uint16_t attr, const struct sockaddr *sa,
    const uint8_t tid[STUN_TID_LEN]);
/* The same with the XOR encoding chosen: TURN's peer and relayed addresses. */
int stun_enc_addr_x(struct dbuf *b, uint16_t attr, const struct sockaddr *sa,
    const uint8_t tid[STUN_TID_LEN], int xor);
int stun_enc_u32(struct dbuf *b, uint16_t attr, uint32_t v);
/* RESPONSE-PORT: the port followed by two bytes of zero. */
int stun_enc_response_port(struct dbuf *b, uint16_t port);
int stun_enc_bytes(struct dbuf *b, uint16_t attr, const void *p, size_t n);
int stun_enc_error(struct dbuf *b, uint16_t code, const char *reason);
/* PADDING of 'n' zero bytes (rounded up to a multiple of 4). */
int stun_enc_padding(struct dbuf *b, size_t n);
/*
 * Writes the header length and, when 'key' is non-NULL, MESSAGE-INTEGRITY;
 * then FINGERPRINT when 'fingerprint' is set.
 */
int stun_enc_finish(struct dbuf *b, const void *key, size_t keylen, int fingerprint);

/* Fills 'tid' with random bytes (RAND_bytes). */
int stun_tid_random(uint8_t tid[STUN_TID_LEN]);

#endif
