/*
 * ws.h - WebSocket (RFC 6455) for a server: the handshake's accept key, a
 * pure frame decoder over untrusted bytes, and the encoder of the
 * server's own (unmasked) frames.
 */
#ifndef PINHOLE_WS_H
#define PINHOLE_WS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define WS_GUID		"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
#define WS_ACCEPT_LEN	28	/* base64 of a SHA-1 */
#define WS_KEY_LEN	24	/* base64 of the client's 16 random bytes */
#define WS_MAX_HEAD	14	/* 2 + 8 (length) + 4 (mask) */
#define WS_CONTROL_MAX	125	/* a control frame's payload, at most */

enum ws_opcode {
	WS_CONT = 0x0,
	WS_TEXT = 0x1,
	WS_BINARY = 0x2,
	WS_CLOSE = 0x8,
	WS_PING = 0x9,
	WS_PONG = 0xa,
};

/* Close codes (RFC 6455 7.4.1). */
#define WS_CLOSE_NORMAL		1000
#define WS_CLOSE_GOING_AWAY	1001
#define WS_CLOSE_PROTOCOL	1002
#define WS_CLOSE_UNSUPPORTED	1003
#define WS_CLOSE_BAD_DATA	1007
#define WS_CLOSE_POLICY		1008
#define WS_CLOSE_TOO_BIG	1009
#define WS_CLOSE_INTERNAL	1011

/* One decoded frame: its header, and where its payload lies. */
struct ws_frame {
	int fin;
	enum ws_opcode opcode;
	int masked;
	uint8_t mask[4];
	uint64_t payload_len;
	size_t head_len;	/* bytes before the payload */
	size_t frame_len;	/* head_len + payload_len: what to drain */
	const uint8_t *payload;	/* inside the input, still masked */
};

/*
 * Computes Sec-WebSocket-Accept for the client's Sec-WebSocket-Key 'key'
 * ('n' bytes, which must be the base64 of 16 bytes: RFC 6455 4.2.1) into
 * 'out', NUL-terminated.  0, or -EINVAL when the key is not such a value.
 */
int ws_accept_key(const uint8_t *key, size_t n, char out[WS_ACCEPT_LEN + 1]);

/*
 * Decodes the frame at the start of 'p' ('n' bytes) as a server reads a
 * client's: 0 when a whole frame is there (*f filled, its payload inside
 * 'p'); -EAGAIN when more bytes are needed; -EMSGSIZE when the payload
 * would pass 'max_payload' (told from the header alone, so that no more
 * is read); -EPROTO for what RFC 6455 forbids a client: reserved bits set
 * (no extension is negotiated), an unknown opcode, an unmasked frame, a
 * fragmented or over-long control frame, a length not in its shortest
 * form or with the top bit set.  Nothing is written on failure.
 */
int ws_frame_decode(const uint8_t *p, size_t n, size_t max_payload,
    struct ws_frame *f);

/*
 * Copies the frame's payload to 'dst' (f->payload_len bytes), unmasked.
 */
void ws_frame_unmask(const struct ws_frame *f, uint8_t *dst);

/*
 * Appends one whole, unmasked server frame (FIN set) of 'opcode' with
 * 'n' bytes of payload to 'b'.  0, -EINVAL (a control frame over 125
 * bytes), or what dbuf_add() returns.
 */
int ws_frame_encode(struct dbuf *b, enum ws_opcode opcode, const void *p,
    size_t n);

/* Appends a close frame with 'code' and a reason of at most 123 bytes
 * (longer is cut). */
int ws_close_encode(struct dbuf *b, uint16_t code, const char *reason);

/*
 * Reads a close frame's payload: *code is its status, or 1005 (none
 * given) for an empty payload.  0, or -EPROTO for a payload of one byte,
 * a code that RFC 6455 7.4 does not let an endpoint send, or a reason
 * that is not UTF-8.
 */
int ws_close_parse(const uint8_t *p, size_t n, uint16_t *code);

/* Whether 'n' bytes at 'p' are well-formed UTF-8 (RFC 3629: no
 * overlongs, surrogates or code points past U+10FFFF). */
int ws_utf8_valid(const uint8_t *p, size_t n);

#endif
