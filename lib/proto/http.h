/*
 * http.h - the request head of an HTTP/1.x request, as pinholed's HTTP and
 * BOSH responders read it from strangers (RFC 9112, strictly).
 *
 * What is accepted (anything else is refused):
 *
 *   request-line = method SP request-target SP "HTTP/1." DIGIT CRLF
 *   header-line  = field-name ":" OWS field-value OWS CRLF
 *   head         = request-line *header-line CRLF
 *
 * - Lines end in CRLF; a bare LF or a CR not followed by LF is malformed.
 * - method is a token (RFC 9110 tchar); GET and POST are recognised,
 *   case-sensitively, any other token is HTTP_OTHER.
 * - request-target is 1 or more visible ASCII bytes (0x21-0x7e): origin
 *   form ("/http-bind"), absolute form (through a proxy), "*" or authority.
 * - field-name is a token directly followed by ':' (no space before it);
 *   a field-value holds visible ASCII, SP, HTAB and bytes >= 0x80 (obs-text).
 *   A line starting with SP or HTAB (obs-fold) is malformed, and so is any
 *   other control byte (NUL included) anywhere in the head.
 * - Content-Length (name matched case-insensitively) is 1 or more digits,
 *   with optional OWS around them, at most the caller's maximum body; a
 *   second Content-Length line is malformed even with the same value.
 *   Without one the body is empty (RFC 9112 6.3, a request).
 * - Transfer-Encoding (any value) is refused: the responders read only
 *   bodies of a stated length.
 * - Leading empty lines before the request-line are not skipped.
 *
 * Bytes that can never start a valid head are refused as soon as they are
 * seen, without waiting for the end of the head.
 */
#ifndef PINHOLE_HTTP_H
#define PINHOLE_HTTP_H

#include <stddef.h>
#include <stdint.h>

#define HTTP_MAX_HEAD	8192	/* request line, headers and blank line */
#define HTTP_MAX_BODY	4096	/* a BOSH request body */

enum http_method {
	HTTP_GET = 1,
	HTTP_POST = 2,
	HTTP_OTHER = 3,		/* any other token: HEAD, OPTIONS, PRI, ... */
};

/*
 * A parsed request head.  'target' points into the caller's buffer and is
 * valid as long as that buffer is.
 */
struct http_req {
	const uint8_t *head;	/* the caller's buffer, where the head starts */
	enum http_method method;
	const uint8_t *target;
	size_t target_len;
	unsigned minor;		/* HTTP/1.minor */
	size_t head_len;	/* through the blank line's CRLF */
	int has_length;		/* a Content-Length header was there */
	size_t body_len;	/* its value; 0 without one */
};

/*
 * Parses the request head at the start of 'buf' ('len' bytes; bytes past
 * the head, such as a body, are not looked at).  The head may be at most
 * 'max_head' bytes and the body 'max_body' bytes.  Fills *req only on
 * success.  Returns:
 *   0         the head is complete and valid;
 *   -EAGAIN   every byte so far may begin a valid head: read more;
 *   -EMSGSIZE 'max_head' bytes hold no complete head, or Content-Length
 *             is above 'max_body';
 *   -ENOTSUP  a Transfer-Encoding header;
 *   -EBADMSG  anything else that is not a head as described above.
 * The answer for a buffer that holds a complete head, or an error, does not
 * change when bytes are appended.
 */
int http_req_parse(const uint8_t *buf, size_t len, size_t max_head,
    size_t max_body, struct http_req *req);

/*
 * Whether a buffer of 'len' bytes holds the whole request that 'req' was
 * parsed from: 0 when its head and Content-Length bytes of body are there
 * (then the body is the 'req->body_len' bytes at 'req->head_len'),
 * -EAGAIN when not yet.
 */
int http_req_complete(const struct http_req *req, size_t len);

/*
 * Whether the path of the request target is 'path' (such as "/http-bind"),
 * compared byte for byte, case-sensitively, without the query ('?' and
 * after).  The target may be in origin form ("/http-bind?x") or, as
 * through a proxy, absolute form ("http://host:5280/http-bind"; the scheme
 * is matched in any case).  1 or 0.
 */
int http_req_path_is(const struct http_req *req, const char *path);

/*
 * The value of the field 'name' (matched case-insensitively) in the head
 * 'req' was parsed from, without the OWS around it: *v points into that
 * buffer.  0; -ENOENT when there is no such field; -EBADMSG when it is
 * there more than once (a request that names Host or Authorization twice
 * is refused, as RFC 9112 3.2 asks of Host).
 */
int http_req_field(const struct http_req *req, const char *name,
    const uint8_t **v, size_t *vlen);

/*
 * The path of an origin-form target ("/r/abc" of "/r/abc?x=1"): *p points
 * into the buffer.  0, or -EBADMSG when the target is not in origin form
 * (absolute form, "*", authority) or its path holds a '%' escape, a
 * "//", or a "." or ".." segment: the routes of the server take paths
 * literally, so nothing that another reader could take for a different
 * path is accepted.
 */
int http_req_origin_path(const struct http_req *req, const uint8_t **p,
    size_t *n);

/*
 * The value of the query parameter 'key' ("verdict" of "?verdict=fail&q=
 * a+b"), with '+' read as a space and %XX escapes decoded, into 'out'
 * ('outlen' bytes, NUL-terminated).  The first occurrence counts.  0;
 * -ENOENT when the target has no such parameter; -EBADMSG for a bad
 * escape, or one that decodes to a control byte (NUL included);
 * -EMSGSIZE when the value does not fit.
 */
int http_req_query(const struct http_req *req, const char *key, char *out,
    size_t outlen);

/* Name of a method for logs ("GET", "POST", "other"). */
const char *http_method_name(enum http_method m);

#endif
