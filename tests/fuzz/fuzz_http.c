/*
 * fuzz_http.c - the HTTP request-head parser on arbitrary bytes.
 *
 * Checked on every input, with the responders' limits and with small ones:
 * a head that is accepted is exactly what an independent reading of the
 * bytes says it is (it ends at the first blank line, every line ends in
 * CRLF, it holds no NUL, it names Content-Length once or not at all), and
 * the answer for a prefix of the input is "need more" or the same answer.
 * The readers of a parsed head stay inside it: a field value holds no CR
 * or LF, an origin path is a prefix of the target with no escape, no empty
 * segment and no dot segment, and a decoded query value holds no control
 * byte and fits its buffer.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* How many times "\r\nContent-Length:" (any case) starts in p[0..n). */
static size_t
count_cl(const uint8_t *p, size_t n)
{
	static const char cl[] = "\r\ncontent-length:";
	size_t i, k = 0;

	for (i = 0; i + sizeof(cl) - 1 <= n; i++)
		k += strncasecmp((const char *)p + i, cl, sizeof(cl) - 1) == 0;
	return k;
}

static void
check_readers(const uint8_t *d, const struct http_req *req)
{
	static const char *const names[] = { "host", "authorization",
	    "content-type" };
	static const char *const keys[] = { "verdict", "q", "limit" };
	const uint8_t *v, *p;
	size_t vlen, n, i, k;
	char out[32];
	int r;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		r = http_req_field(req, names[i], &v, &vlen);
		if (r != 0 && r != -ENOENT && r != -EBADMSG)
			abort();
		if (r == 0 && (v < d || v + vlen > d + req->head_len ||
		    memchr(v, '\r', vlen) != NULL ||
		    memchr(v, '\n', vlen) != NULL))
			abort();
	}
	r = http_req_origin_path(req, &p, &n);
	if (r != 0 && r != -EBADMSG)
		abort();
	if (r == 0) {
		if (p != req->target || n == 0 || n > req->target_len ||
		    p[0] != '/' || memchr(p, '%', n) != NULL ||
		    memchr(p, '?', n) != NULL || memmem(p, n, "//", 2) != NULL)
			abort();
		for (k = 0; k + 1 < n; k++)
			if (p[k] == '/' && p[k + 1] == '.' && (k + 2 == n ||
			    p[k + 2] == '/' || (p[k + 2] == '.' &&
			    (k + 3 == n || p[k + 3] == '/'))))
				abort();
	}
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		memset(out, 'x', sizeof(out));
		r = http_req_query(req, keys[i], out, sizeof(out));
		if (r != 0 && r != -ENOENT && r != -EBADMSG && r != -EMSGSIZE)
			abort();
		if (r != 0)
			continue;
		n = strnlen(out, sizeof(out));
		if (n == sizeof(out))
			abort();
		for (k = 0; k < n; k++)
			if ((uint8_t)out[k] < 0x20 || out[k] == 0x7f)
				abort();
	}
}

static void
check_req(const uint8_t *d, size_t size, size_t max_head, size_t max_body,
    const struct http_req *req)
{
	const uint8_t *end;
	size_t h = req->head_len, i;

	if (h > size || h > max_head || h < 16)
		abort();
	end = memmem(d, size, "\r\n\r\n", 4);
	if (end == NULL || (size_t)(end - d) + 4 != h)
		abort();
	for (i = 0; i < h; i++) {
		if (d[i] == '\0' || (d[i] == '\n' && (i == 0 ||
		    d[i - 1] != '\r')) || (d[i] == '\r' && d[i + 1] != '\n'))
			abort();
	}
	if (req->target < d || req->target_len == 0 ||
	    req->target + req->target_len > d + h ||
	    memchr(req->target, ' ', req->target_len) != NULL)
		abort();
	if ((req->method == HTTP_GET) != (memcmp(d, "GET ", 4) == 0) ||
	    (req->method == HTTP_POST) != (h >= 5 && memcmp(d, "POST ", 5) == 0))
		abort();
	if (req->minor > 9 || req->body_len > max_body ||
	    (!req->has_length && req->body_len != 0) ||
	    count_cl(d, h) != (size_t)req->has_length)
		abort();
	/* A path that matches is inside the target. */
	if (http_req_path_is(req, "/http-bind") &&
	    memmem(req->target, req->target_len, "/http-bind", 10) == NULL)
		abort();
	check_readers(d, req);
	if (http_req_complete(req, h + req->body_len) != 0 ||
	    (req->body_len > 0 &&
	    http_req_complete(req, h + req->body_len - 1) != -EAGAIN))
		abort();
}

static int
parse(const uint8_t *d, size_t n, size_t max_head, size_t max_body,
    struct http_req *req)
{
	int r = http_req_parse(d, n, max_head, max_body, req);

	if (r != 0 && r != -EAGAIN && r != -EMSGSIZE && r != -ENOTSUP &&
	    r != -EBADMSG)
		abort();
	return r;
}

/* The whole input, then prefixes: all of them when short, else a sample. */
static void
check(const uint8_t *d, size_t size, size_t max_head, size_t max_body)
{
	struct http_req req, pre;
	size_t k, step;
	int r, rk;

	r = parse(d, size, max_head, max_body, &req);
	if (r == 0)
		check_req(d, size, max_head, max_body, &req);
	step = size <= 300 ? 1 : size / 64;
	for (k = 0; k < size; k += step) {
		rk = parse(d, k, max_head, max_body, &pre);
		if (r == 0 && (rk == 0) != (k >= req.head_len))
			abort();
		if (rk == -EAGAIN)
			continue;
		if (rk != r || (r == 0 && (pre.head_len != req.head_len ||
		    pre.body_len != req.body_len || pre.method != req.method ||
		    pre.target != req.target)))
			abort();
	}
	if (r == 0 && req.head_len > 0 &&
	    parse(d, req.head_len - 1, max_head, max_body, &pre) != -EAGAIN)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check(data, size, HTTP_MAX_HEAD, HTTP_MAX_BODY);
	check(data, size, size / 2 + 16, 16);
	return 0;
}
