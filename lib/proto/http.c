/*
 * http.c - HTTP/1.x request heads from untrusted peers.
 *
 * The head is read through a cursor, one byte at a time, so that every
 * decision is made on bytes that are there: running out of bytes is
 * -EAGAIN, a byte that no valid head can hold there is -EBADMSG at once.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "http.h"
#include "parse.h"

/* The next byte; -EAGAIN (not -EBADMSG) when the buffer ends. */
static int
http_u8(struct cursor *c, uint8_t *b)
{
	return cur_u8(c, b) < 0 ? -EAGAIN : 0;
}

/* RFC 9110 5.6.2 tchar. */
static int
http_tchar(uint8_t b)
{
	return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') ||
	    (b >= 'A' && b <= 'Z') ||
	    (b != '\0' && strchr("!#$%&'*+-.^_`|~", b) != NULL);
}

/* A byte a field value may hold: VCHAR, SP, HTAB, obs-text. */
static int
http_vbyte(uint8_t b)
{
	return b == '\t' || (b >= 0x20 && b != 0x7f);
}

/*
 * Bytes of which 'ok' approves (at least 'min' of them) up to and
 * consuming 'stop'; sets *p and *n to them (without 'stop').
 */
static int
http_span(struct cursor *c, int (*ok)(uint8_t), uint8_t stop, size_t min,
    const uint8_t **p, size_t *n)
{
	size_t start = c->pos;
	uint8_t b;
	int r;

	for (;;) {
		if ((r = http_u8(c, &b)) < 0)
			return r;
		if (b == stop)
			break;
		if (!ok(b))
			return -EBADMSG;
	}
	if (c->pos - 1 - start < min)
		return -EBADMSG;
	*p = c->p + start;
	*n = c->pos - 1 - start;
	return 0;
}

static int
http_target_byte(uint8_t b)
{
	return b >= 0x21 && b <= 0x7e;
}

static int
http_reqline(struct cursor *c, struct http_req *req)
{
	const uint8_t *m;
	size_t mlen;
	uint8_t d;
	int r;

	if ((r = http_span(c, http_tchar, ' ', 1, &m, &mlen)) < 0 ||
	    (r = http_span(c, http_target_byte, ' ', 1, &req->target,
	    &req->target_len)) < 0 ||
	    (r = cur_match(c, "HTTP/1.")) < 0 ||
	    (r = http_u8(c, &d)) < 0)
		return r;
	if (d < '0' || d > '9')
		return -EBADMSG;
	if ((r = cur_match(c, "\r\n")) < 0)
		return r;
	req->minor = (unsigned)(d - '0');
	if (mlen == 3 && memcmp(m, "GET", 3) == 0)
		req->method = HTTP_GET;
	else if (mlen == 4 && memcmp(m, "POST", 4) == 0)
		req->method = HTTP_POST;
	else
		req->method = HTTP_OTHER;
	return 0;
}

static int
http_is(const uint8_t *name, size_t n, const char *want)
{
	return n == strlen(want) && strncasecmp((const char *)name, want,
	    n) == 0;
}

/* Checks one field line; Content-Length goes into 'req'. */
static int
http_field(const uint8_t *name, size_t nlen, const uint8_t *v, size_t vlen,
    size_t max_body, struct http_req *req)
{
	uint64_t cl;
	int r;

	if (http_is(name, nlen, "transfer-encoding"))
		return -ENOTSUP;
	if (!http_is(name, nlen, "content-length"))
		return 0;
	if (req->has_length)
		return -EBADMSG;	/* duplicate, equal or not */
	while (vlen > 0 && (*v == ' ' || *v == '\t'))
		v++, vlen--;
	while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
		vlen--;
	if ((r = parse_digits(v, vlen, max_body, &cl)) < 0)
		return r == -ERANGE ? -EMSGSIZE : -EBADMSG;
	req->has_length = 1;
	req->body_len = (size_t)cl;
	return 0;
}

/* Field lines up to the blank line. */
static int
http_fields(struct cursor *c, size_t max_body, struct http_req *req)
{
	const uint8_t *name, *v;
	size_t nlen, vlen;
	uint8_t b;
	int r;

	for (;;) {
		if ((r = cur_peek(c, &b)) < 0)
			return -EAGAIN;
		if (b == '\r')
			return cur_match(c, "\r\n");
		/* The value ends at CR: a bare LF in it is refused. */
		if ((r = http_span(c, http_tchar, ':', 1, &name, &nlen)) < 0 ||
		    (r = http_span(c, http_vbyte, '\r', 0, &v, &vlen)) < 0 ||
		    (r = cur_match(c, "\n")) < 0 ||
		    (r = http_field(name, nlen, v, vlen, max_body, req)) < 0)
			return r;
	}
}

int
http_req_parse(const uint8_t *buf, size_t len, size_t max_head,
    size_t max_body, struct http_req *req)
{
	struct http_req t;
	struct cursor c;
	int r;

	memset(&t, 0, sizeof(t));
	t.head = buf;
	cur_init(&c, buf, len < max_head ? len : max_head);
	if ((r = http_reqline(&c, &t)) == 0 &&
	    (r = http_fields(&c, max_body, &t)) == 0) {
		t.head_len = c.pos;
		*req = t;
		return 0;
	}
	if (r == -EAGAIN && len >= max_head)
		return -EMSGSIZE;
	return r;
}

int
http_req_complete(const struct http_req *req, size_t len)
{
	return len >= req->head_len && len - req->head_len >= req->body_len ?
	    0 : -EAGAIN;
}

int
http_req_path_is(const struct http_req *req, const char *path)
{
	const uint8_t *t = req->target, *q;
	size_t n = req->target_len, i;

	if (n > 7 && strncasecmp((const char *)t, "http://", 7) == 0) {
		/* absolute form: the path starts at the first '/' after the host */
		for (i = 7; i < n && t[i] != '/' && t[i] != '?'; i++)
			;
		t += i;
		n -= i;
	}
	if ((q = memchr(t, '?', n)) != NULL)
		n = (size_t)(q - t);
	return n == strlen(path) && memcmp(t, path, n) == 0;
}

int
http_req_field(const struct http_req *req, const char *name,
    const uint8_t **v, size_t *vlen)
{
	const uint8_t *p, *end = req->head + req->head_len, *eol, *colon;
	int found = 0;

	/* The head was checked: every line ends in CRLF, fields are
	 * "token:value"; the first line is the request line. */
	p = memchr(req->head, '\n', req->head_len);
	for (p = p + 1; p < end; p = eol + 2) {
		eol = memchr(p, '\r', (size_t)(end - p));
		if (eol == NULL || eol == p)
			break;
		colon = memchr(p, ':', (size_t)(eol - p));
		if (colon == NULL || !http_is(p, (size_t)(colon - p), name))
			continue;
		if (found++)
			return -EBADMSG;
		for (colon++; colon < eol && (*colon == ' ' || *colon == '\t');
		    colon++)
			;
		*v = colon;
		*vlen = (size_t)(eol - colon);
		while (*vlen > 0 && (colon[*vlen - 1] == ' ' ||
		    colon[*vlen - 1] == '\t'))
			(*vlen)--;
	}
	return found ? 0 : -ENOENT;
}

int
http_req_origin_path(const struct http_req *req, const uint8_t **p,
    size_t *n)
{
	const uint8_t *t = req->target, *q;
	size_t len = req->target_len, i, seg;

	if (len == 0 || t[0] != '/')
		return -EBADMSG;
	if ((q = memchr(t, '?', len)) != NULL)
		len = (size_t)(q - t);
	if (memchr(t, '%', len) != NULL)
		return -EBADMSG;
	/* Each segment: not empty (but a final one), not "." or "..". */
	for (i = 1, seg = 1; i <= len; i++) {
		if (i < len && t[i] != '/')
			continue;
		if ((i - seg == 0 && i < len) ||
		    (i - seg == 1 && t[seg] == '.') ||
		    (i - seg == 2 && t[seg] == '.' && t[seg + 1] == '.'))
			return -EBADMSG;
		seg = i + 1;
	}
	*p = t;
	*n = len;
	return 0;
}

static int
http_hex(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
http_req_query(const struct http_req *req, const char *key, char *out,
    size_t outlen)
{
	const uint8_t *t = req->target, *end = t + req->target_len, *q, *amp;
	size_t klen = strlen(key), o;
	int hi, lo;
	uint8_t b;

	if ((q = memchr(t, '?', req->target_len)) == NULL)
		return -ENOENT;
	for (q++; q < end; q = amp + 1) {
		if ((amp = memchr(q, '&', (size_t)(end - q))) == NULL)
			amp = end;
		if ((size_t)(amp - q) < klen + 1 || memcmp(q, key, klen) != 0 ||
		    q[klen] != '=')
			continue;
		for (q += klen + 1, o = 0; q < amp; q++) {
			b = *q;
			if (b == '+')
				b = ' ';
			else if (b == '%') {
				if (amp - q < 3 || (hi = http_hex(q[1])) < 0 ||
				    (lo = http_hex(q[2])) < 0)
					return -EBADMSG;
				b = (uint8_t)(hi << 4 | lo);
				q += 2;
				if (b < 0x20 || b == 0x7f)
					return -EBADMSG;
			}
			if (o + 1 >= outlen)
				return -EMSGSIZE;
			out[o++] = (char)b;
		}
		if (outlen == 0)
			return -EMSGSIZE;
		out[o] = '\0';
		return 0;
	}
	return -ENOENT;
}

const char *
http_method_name(enum http_method m)
{
	switch (m) {
	case HTTP_GET:
		return "GET";
	case HTTP_POST:
		return "POST";
	default:
		return "other";
	}
}
