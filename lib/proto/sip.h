/*
 * sip.h - SIP probe messages: building them, framing them on a stream, and
 * diffing what was sent against what arrived, at the level of meaning.
 *
 * We build messages ourselves (byte-exact, so a diff is meaningful) and
 * parse what comes back with libosip2; where parsing fails, because a
 * middlebox corrupted the message, the diff falls back to lines.
 */
#ifndef PINHOLE_SIP_H
#define PINHOLE_SIP_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define SIP_MAX_MSG	8192

enum sip_method {
	SIP_REGISTER,
	SIP_INVITE,
	/* The methods beyond a call's setup that phones and providers use,
	 * probed because some ALGs drop requests whose method they do not
	 * know (docs/decisions.md): each with the headers it needs. */
	SIP_OPTIONS,			/* keepalives, "qualify" */
	SIP_SUBSCRIBE,			/* presence, busy lamps, voicemail */
	SIP_NOTIFY,			/* their events */
	SIP_INFO,			/* DTMF as SIP INFO */
	SIP_UPDATE,			/* session refresh (RFC 3311) */
	SIP_REFER,			/* transfer (RFC 3515) */
	SIP_MESSAGE,			/* text (RFC 3428) */
	SIP_NMETHODS
};

/* "REGISTER", "INVITE", ... as on the request line. */
const char *sip_method_name(enum sip_method m);

/*
 * What a probe message says.  'from' is the sender's own address as it
 * believes it to be: it appears in Via, Contact, From, SDP o= and c=.
 * 'to' is the target: it appears in the Request-URI and To.  An ALG on
 * the path rewrites these where they match the addresses it translates.
 */
struct sip_probe {
	enum sip_method method;
	int tcp;			/* transport in Via: TCP or UDP */
	const char *from_ip;
	uint16_t from_port;
	const char *to_ip;
	uint16_t to_port;
	const char *user;		/* user part, e.g. "pinhole" */
	const char *nonce;		/* hex probe id: in Call-ID, branch, tag */
	uint16_t rtp_port;		/* INVITE: SDP m=audio port */
	uint32_t cseq;
	size_t size;			/* INVITE: padded to this many bytes in
					   all (0: as it comes), see below */
};

/* The fewest bytes of padding, one SDP line; less cannot be added. */
#define SIP_PAD_MIN	19

/*
 * Appends a complete message (headers, and SDP body for INVITE) to 'out'.
 * With 'size', an INVITE's SDP ends in attribute lines of filler
 * ("a=x-pinhole-pad:abc...", at most 76 bytes each) that make the whole
 * message exactly 'size' bytes, Content-Length included: a large INVITE
 * that stays valid SIP and SDP.  Returns 0, -EINVAL for missing fields
 * (or 'size' with a REGISTER), -EMSGSIZE when 'size' is past SIP_MAX_MSG
 * or cannot be met (the message is already longer, or short of it by
 * less than SIP_PAD_MIN), or the dbuf error.
 */
int sip_probe_build(const struct sip_probe *p, struct dbuf *out);

/*
 * Stream framing: returns 0 and sets *msglen when 'buf' starts with a
 * whole message (headers up to the blank line plus Content-Length bytes of
 * body; no Content-Length means no body), -EAGAIN when more bytes are
 * needed, -EMSGSIZE past SIP_MAX_MSG, -EBADMSG when the header block is not
 * SIP-like (a NUL byte, or a bad Content-Length).
 */
int sip_frame_len(const uint8_t *buf, size_t len, size_t *msglen);

/*
 * The answer of a server to an OPTIONS request: "SIP/2.0 200 OK" with the
 * request's Via (every one), From, To, Call-ID and CSeq copied, appended
 * to 'out'.  Reads nothing past 'len'; -EBADMSG when it is not an OPTIONS
 * request with those headers.
 */
int sip_options_answer(const uint8_t *req, size_t len, struct dbuf *out);

/*
 * One rewritten element.  'element' names a header ("Via", "Contact",
 * "From", "To", "Call-ID", "Content-Length", ...), the request line
 * ("Request-URI"), or an SDP line ("sdp.c", "sdp.o", "sdp.m", ...).  A
 * repeated element is numbered from its second occurrence ("Via#2").
 * 'sent' is NULL when the element was added, 'received' when removed.
 */
struct sip_change {
	char element[48];
	char *sent;
	char *received;
};

struct sip_diff {
	int parsed;		/* 1: semantic diff; 0: line diff fallback */
	int truncated;		/* received is a strict prefix of sent, or
				   short of its own Content-Length and of
				   the lines sent */
	int length_wrong;	/* received Content-Length is not the length
				   of its body */
	size_t sent_len;
	size_t received_len;
	size_t nchanges;
	struct sip_change *changes;
};

/*
 * Compares 'sent' with 'received'.  Identical bytes give no changes.
 * Fills 'd' (owned by the caller, freed with sip_diff_free()).  Returns 0
 * or -ENOMEM; malformed input is never an error, it is a finding.
 */
int sip_diff(const uint8_t *sent, size_t slen, const uint8_t *received,
    size_t rlen, struct sip_diff *d);
void sip_diff_free(struct sip_diff *d);

/* Call once before sip_diff() from a program (osip parser tables). */
int sip_global_init(void);

#endif
