/*
 * xmpp.h - the opening of an XMPP stream (RFC 6120 4.2 and 11), as
 * pinholed's XMPP responder reads it from strangers.
 *
 * What is accepted (anything else is refused):
 *
 *   open = [BOM] [xmldecl] *S "<stream:stream" 1*(S attr) *S ">"
 *   xmldecl = "<?xml" 1*(S attr) *S "?>"
 *   attr = name *S "=" *S ( "'" *char "'" / DQUOTE *char DQUOTE )
 *
 * - BOM is the UTF-8 byte order mark EF BB BF; S is SP, HTAB, CR or LF.
 * - The XML declaration, when there, comes first and carries "version";
 *   its other pseudo-attributes may be "encoding" and "standalone".
 * - A name is an ASCII XML name: a letter, '_' or ':', then letters,
 *   digits, '_', ':', '.' or '-'; at most XMPP_MAX_NAME bytes.
 * - A value holds no '<', no quote of its own kind and no control byte
 *   other than HTAB, CR and LF; entities such as &apos; are left as they
 *   are.  At most XMPP_MAX_ATTRS attributes, each name at most once.
 * - The stream namespace must be declared with the prefix "stream":
 *   xmlns:stream='http://etherx.jabber.org/streams'.  Other prefixes,
 *   comments, processing instructions other than the declaration, a
 *   DOCTYPE and an empty-element "<stream:stream/>" are refused.
 *
 * Bytes that no stream open can start with are refused as soon as they
 * are seen; bytes after the open tag's '>' are not looked at.
 */
#ifndef PINHOLE_XMPP_H
#define PINHOLE_XMPP_H

#include <stddef.h>
#include <stdint.h>

#define XMPP_MAX_OPEN	8192	/* declaration, whitespace and open tag */
#define XMPP_MAX_ATTRS	32	/* per tag */
#define XMPP_MAX_NAME	64	/* bytes of an attribute name */
#define XMPP_NS_STREAMS	"http://etherx.jabber.org/streams"

/* An attribute value as it is in the buffer (quotes excluded); p NULL when absent. */
struct xmpp_val {
	const uint8_t *p;
	size_t n;
};

/* A parsed stream open; the values point into the caller's buffer. */
struct xmpp_open {
	size_t len;		/* bytes from the start through the '>' */
	struct xmpp_val to;
	struct xmpp_val from;
	struct xmpp_val version;	/* "1.0" from RFC 6120 clients */
	struct xmpp_val xmlns;		/* "jabber:client" or "jabber:server" */
	struct xmpp_val lang;		/* xml:lang */
};

/*
 * Looks for a complete stream open at the start of 'buf' ('len' bytes),
 * at most 'max' bytes long.  Fills *open only on success.  Returns:
 *   0         a complete, valid stream open (its length in open->len);
 *   -EAGAIN   every byte so far may begin one: read more;
 *   -EMSGSIZE 'max' bytes hold no complete one;
 *   -EBADMSG  anything else.
 * The answer for a complete open, or an error, does not change when bytes
 * are appended.
 */
int xmpp_open_parse(const uint8_t *buf, size_t len, size_t max,
    struct xmpp_open *open);

#endif
