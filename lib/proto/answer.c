/* answer.c - judging the answers to outbound reachability probes. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "answer.h"
#include "buf.h"

static int
answer_set(struct answer *out, enum answer_verdict v, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
answer_set(struct answer *out, enum answer_verdict v, const char *fmt, ...)
{
	va_list ap;

	out->verdict = v;
	va_start(ap, fmt);
	vsnprintf(out->detail, sizeof(out->detail), fmt, ap);
	va_end(ap);
	return 0;
}

/*
 * A status line "PROTO NNN ...": reads 'proto' and three digits into
 * 'code' (NUL-terminated).  0, or -EBADMSG.
 */
static int
answer_status(struct cursor *c, const char *proto, char code[4])
{
	const uint8_t *p;
	size_t n = strlen(proto), i;

	if (cur_ref(c, &p, n) < 0 || memcmp(p, proto, n) != 0 ||
	    cur_ref(c, &p, 3) < 0)
		return -EBADMSG;
	for (i = 0; i < 3; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -EBADMSG;
		code[i] = (char)p[i];
	}
	code[3] = '\0';
	return 0;
}

static int
answer_sip(const uint8_t *r, size_t len, int eof, struct answer *out)
{
	struct cursor c;
	char code[4];

	if (len < 12 && !eof)
		return -EAGAIN;
	cur_init(&c, r, len);
	if (answer_status(&c, "SIP/2.0 ", code) == 0)
		return answer_set(out, ANSWER_OPEN, "SIP/2.0 %s", code);
	if (!eof)
		return -EAGAIN;
	return len > 0 ? answer_set(out, ANSWER_ODD, "an answer that is not "
	    "SIP") : answer_set(out, ANSWER_NONE, "closed without an answer");
}

/* HTTP and BOSH: the status line, then the head, then the body. */
static int
answer_http(enum answer_kind kind, const uint8_t *r, size_t len,
    const uint8_t *req, size_t reqlen, int eof, struct answer *out)
{
	const uint8_t *end, *body;
	struct cursor c;
	char code[4];
	size_t head, blen;

	end = memmem(r, len, "\r\n\r\n", 4);
	if (end == NULL && !eof)
		return -EAGAIN;
	cur_init(&c, r, len);
	/* "HTTP/1.x NNN" */
	if (cur_skip(&c, 7) < 0 || memcmp(r, "HTTP/1.", 7) != 0 ||
	    cur_skip(&c, 2) < 0 || answer_status(&c, "", code) < 0) {
		if (!eof)
			return -EAGAIN;
		return len > 0 ? answer_set(out, ANSWER_ODD, "an answer that "
		    "is not HTTP") : answer_set(out, ANSWER_NONE, "closed "
		    "without an answer");
	}
	if (kind == ANSWER_BOSH) {
		if (memmem(r, len, "httpbind", 8) != NULL)
			return answer_set(out, ANSWER_OPEN, "a BOSH <body/> "
			    "came back");
		if (!eof)
			return -EAGAIN;
		return answer_set(out, ANSWER_ODD, "HTTP %s without a BOSH "
		    "body", code);
	}
	/* The echo: the whole body, up to the close. */
	if (!eof)
		return -EAGAIN;
	if (end == NULL)
		return answer_set(out, ANSWER_ODD, "HTTP %s from another "
		    "responder: a proxy answered", code);
	head = (size_t)(end - r) + 4;
	cur_init(&c, r, len);
	if (cur_skip(&c, head) < 0)
		return -EBADMSG;
	blen = cur_left(&c);
	if (cur_ref(&c, &body, blen) < 0)
		return -EBADMSG;
	if (blen == reqlen && (reqlen == 0 || memcmp(body, req, reqlen) == 0))
		return answer_set(out, ANSWER_OPEN, "HTTP %s, the request "
		    "arrived unchanged", code);
	if (memmem(r, head, "Server: pinholed", 16) != NULL)
		return answer_set(out, ANSWER_ODD, "the request arrived "
		    "changed: a transparent proxy is on the path");
	return answer_set(out, ANSWER_ODD, "HTTP %s from another responder: "
	    "a proxy answered", code);
}

static int
answer_xmpp(const uint8_t *r, size_t len, int eof, struct answer *out)
{
	if (memmem(r, len, "</stream:features>", 18) == NULL && !eof)
		return -EAGAIN;
	if (memmem(r, len, "<stream:features", 16) != NULL)
		return answer_set(out, ANSWER_OPEN, "stream features%s",
		    memmem(r, len, "starttls", 8) != NULL ?
		    ", STARTTLS offered" : ", no STARTTLS");
	return len > 0 ? answer_set(out, ANSWER_ODD, "an answer that is not "
	    "XMPP") : answer_set(out, ANSWER_NONE, "closed without an answer");
}

int
answer_judge(enum answer_kind kind, const uint8_t *resp, size_t len,
    const uint8_t *req, size_t reqlen, int eof, struct answer *out)
{
	memset(out, 0, sizeof(*out));
	if (resp == NULL)
		len = 0;
	switch (kind) {
	case ANSWER_SIP:
		return answer_sip(resp, len, eof, out);
	case ANSWER_HTTP:
	case ANSWER_BOSH:
		return answer_http(kind, resp, len, req, reqlen, eof, out);
	case ANSWER_XMPP:
		return answer_xmpp(resp, len, eof, out);
	}
	return -EINVAL;
}
