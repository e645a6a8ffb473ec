/* sip.c - SIP probe messages: building and stream framing. */
#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <osipparser2/osip_parser.h>
#include <osipparser2/osip_port.h>

#include "parse.h"
#include "sip.h"

static void
sip_trace_quiet(const char *file, int line, osip_trace_level_t level,
    const char *fmt, va_list ap)
{
}

int
sip_global_init(void)
{
	static int done;

	if (!done) {
		parser_init();
		/* A mangled message is a finding we report, not a log line. */
		osip_trace_initialize_func(TRACE_LEVEL0, sip_trace_quiet);
		osip_trace_disable_level(TRACE_LEVEL0);
		done = 1;
	}
	return 0;
}

/* "1.2.3.4" as is, IPv6 in brackets for URIs and Via. */
static void
sip_host(const char *ip, char *out, size_t len)
{
	if (strchr(ip, ':') != NULL)
		snprintf(out, len, "[%s]", ip);
	else
		snprintf(out, len, "%s", ip);
}

#define SIP_PAD_LINE	76	/* the longest line of filler, CRLF included */

/* 'n' bytes of SDP filler lines: n is 0 or at least SIP_PAD_MIN. */
static int
sip_pad_add(struct dbuf *out, size_t n)
{
	static const char prefix[] = "a=x-pinhole-pad:";
	static const char fill[] = "abcdefghijklmnopqrstuvwxyz";
	char line[SIP_PAD_LINE];
	size_t pl = sizeof(prefix) - 1, len, k;
	int r;

	while (n > 0) {
		len = n > SIP_PAD_LINE ? SIP_PAD_LINE : n;
		/* Never leave a rest too short for a line of its own. */
		if (n - len > 0 && n - len < SIP_PAD_MIN)
			len = n - SIP_PAD_MIN;
		memcpy(line, prefix, pl);
		for (k = pl; k < len - 2; k++)
			line[k] = fill[(k - pl) % (sizeof(fill) - 1)];
		line[len - 2] = '\r';
		line[len - 1] = '\n';
		if ((r = dbuf_add(out, line, len)) < 0)
			return r;
		n -= len;
	}
	return 0;
}

/*
 * The Content-Length that makes the message 'size' bytes, when 'head'
 * bytes precede its digits and the body holds at least 'sdplen'; -1 when
 * none does.
 */
static long
sip_pad_length(size_t size, size_t head, size_t sdplen)
{
	size_t d, body, digits, v;

	for (d = 1; d <= 5; d++) {
		if (size < head + d + 4 + sdplen)
			return -1;
		body = size - head - d - 4;
		for (digits = 1, v = body; v >= 10; v /= 10)
			digits++;
		if (digits == d)
			return (long)body;
	}
	return -1;
}

const char *
sip_method_name(enum sip_method m)
{
	static const char *const names[SIP_NMETHODS] = { "REGISTER", "INVITE",
	    "OPTIONS", "SUBSCRIBE", "NOTIFY", "INFO", "UPDATE", "REFER",
	    "MESSAGE" };

	return (unsigned)m < SIP_NMETHODS ? names[m] : "?";
}

/*
 * The headers after Contact, and the body, of a request other than
 * REGISTER and INVITE: what each method needs to be taken for itself by
 * a parser that knows it (an event package, a refer target, a body of the
 * type it carries).
 */
static int
sip_probe_tail(const struct sip_probe *p, const char *from, struct dbuf *out)
{
	const char *hdrs = "", *type = NULL, *body = "";
	char refer[128];

	switch (p->method) {
	case SIP_SUBSCRIBE:
		hdrs = "Event: message-summary\r\nExpires: 300\r\n"
		    "Accept: application/simple-message-summary\r\n";
		break;
	case SIP_NOTIFY:
		hdrs = "Event: message-summary\r\n"
		    "Subscription-State: active;expires=300\r\n";
		type = "application/simple-message-summary";
		body = "Messages-Waiting: no\r\n";
		break;
	case SIP_INFO:
		type = "application/dtmf-relay";
		body = "Signal=5\r\nDuration=160\r\n";
		break;
	case SIP_REFER:
		snprintf(refer, sizeof(refer), "Refer-To: <sip:%s@%s:%u>\r\n",
		    p->user, from, p->from_port);
		hdrs = refer;
		break;
	case SIP_MESSAGE:
		type = "text/plain";
		body = "pinhole";
		break;
	default:
		break;
	}
	if (type == NULL)
		return dbuf_printf(out, "%sUser-Agent: pinhole\r\n"
		    "Content-Length: 0\r\n\r\n", hdrs);
	return dbuf_printf(out, "%sUser-Agent: pinhole\r\nContent-Type: %s\r\n"
	    "Content-Length: %zu\r\n\r\n%s", hdrs, type, strlen(body), body);
}

int
sip_probe_build(const struct sip_probe *p, struct dbuf *out)
{
	char from[80], to[80], sdp[512];
	const char *method, *tr = p->tcp ? "TCP" : "UDP";
	const char *ipv = strchr(p->from_ip ? p->from_ip : "", ':') ? "IP6" : "IP4";
	size_t start = out->len;
	long body;
	int sdplen = 0, r;

	if (p->from_ip == NULL || p->to_ip == NULL || p->user == NULL ||
	    p->nonce == NULL || p->from_port == 0 || p->to_port == 0 ||
	    (p->size > 0 && p->method != SIP_INVITE))
		return -EINVAL;
	if (p->size > SIP_MAX_MSG)
		return -EMSGSIZE;
	sip_host(p->from_ip, from, sizeof(from));
	sip_host(p->to_ip, to, sizeof(to));
	if ((unsigned)p->method >= SIP_NMETHODS)
		return -EINVAL;
	method = sip_method_name(p->method);
	if (p->method == SIP_INVITE) {
		sdplen = snprintf(sdp, sizeof(sdp),
		    "v=0\r\n"
		    "o=%s 2890844526 1 IN %s %s\r\n"
		    "s=pinhole\r\n"
		    "c=IN %s %s\r\n"
		    "t=0 0\r\n"
		    "m=audio %u RTP/AVP 0 8 101\r\n"
		    "a=rtpmap:0 PCMU/8000\r\n"
		    "a=rtpmap:8 PCMA/8000\r\n"
		    "a=rtpmap:101 telephone-event/8000\r\n"
		    "a=sendrecv\r\n",
		    p->user, ipv, p->from_ip, ipv, p->from_ip, p->rtp_port);
		if (sdplen < 0 || (size_t)sdplen >= sizeof(sdp))
			return -EINVAL;
	}
	if (p->method == SIP_REGISTER)
		r = dbuf_printf(out, "REGISTER sip:%s:%u SIP/2.0\r\n", to,
		    p->to_port);
	else
		r = dbuf_printf(out, "%s sip:%s@%s:%u SIP/2.0\r\n", method,
		    p->user, to, p->to_port);
	if (r < 0)
		return r;
	r = dbuf_printf(out,
	    "Via: SIP/2.0/%s %s:%u;branch=z9hG4bK-%s;rport\r\n"
	    "Max-Forwards: 70\r\n"
	    "From: <sip:%s@%s:%u>;tag=%s\r\n"
	    "To: <sip:%s@%s:%u>\r\n"
	    "Call-ID: %s@%s\r\n"
	    "CSeq: %u %s\r\n"
	    "Contact: <sip:%s@%s:%u;transport=%s>\r\n",
	    tr, from, p->from_port, p->nonce,
	    p->user, from, p->from_port, p->nonce,
	    p->user, to, p->to_port,
	    p->nonce, from,
	    p->cseq, method,
	    p->user, from, p->from_port, p->tcp ? "tcp" : "udp");
	if (r < 0)
		return r;
	if (p->method == SIP_REGISTER)
		r = dbuf_printf(out, "Expires: 300\r\nUser-Agent: pinhole\r\n"
		    "Content-Length: 0\r\n\r\n");
	else if (p->method != SIP_INVITE)
		r = sip_probe_tail(p, from, out);
	else if (p->size == 0)
		r = dbuf_printf(out, "User-Agent: pinhole\r\n"
		    "Content-Type: application/sdp\r\n"
		    "Content-Length: %d\r\n\r\n%s", sdplen, sdp);
	else if ((r = dbuf_printf(out, "User-Agent: pinhole\r\n"
	    "Content-Type: application/sdp\r\nContent-Length: ")) == 0) {
		body = sip_pad_length(p->size, out->len - start,
		    (size_t)sdplen);
		if (body < 0 || (body > sdplen && body - sdplen < SIP_PAD_MIN))
			return -EMSGSIZE;
		if ((r = dbuf_printf(out, "%ld\r\n\r\n%s", body, sdp)) == 0)
			r = sip_pad_add(out, (size_t)(body - sdplen));
	}
	return r;
}

/* Case-insensitive header name match at line start, then optional spaces and ':'. */
static const uint8_t *
sip_hdr_value(const uint8_t *line, const uint8_t *end, const char *name)
{
	size_t n = strlen(name);

	if ((size_t)(end - line) <= n || strncasecmp((const char *)line, name, n) != 0)
		return NULL;
	line += n;
	while (line < end && (*line == ' ' || *line == '\t'))
		line++;
	if (line >= end || *line != ':')
		return NULL;
	return line + 1;
}

int
sip_frame_len(const uint8_t *buf, size_t len, size_t *msglen)
{
	const uint8_t *p = buf, *end, *eol, *v;
	size_t hdr = 0, i, body = 0;
	int have_cl = 0;

	for (i = 0; i + 3 < len && i + 4 <= SIP_MAX_MSG; i++) {
		if (buf[i] == '\0')
			return -EBADMSG;
		if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' &&
		    buf[i + 3] == '\n') {
			hdr = i + 4;
			break;
		}
	}
	if (hdr == 0) {
		/* Bytes past the limit must not change the answer. */
		for (; i < len && i < SIP_MAX_MSG; i++)
			if (buf[i] == '\0')
				return -EBADMSG;
		return len >= SIP_MAX_MSG ? -EMSGSIZE : -EAGAIN;
	}
	end = buf + hdr - 2;
	while (p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			eol = end;
		if ((v = sip_hdr_value(p, eol, "Content-Length")) != NULL ||
		    (v = sip_hdr_value(p, eol, "l")) != NULL) {
			const uint8_t *e = eol;
			uint64_t val;

			while (v < e && (*v == ' ' || *v == '\t'))
				v++;
			while (e > v && (e[-1] == ' ' || e[-1] == '\t' ||
			    e[-1] == '\r'))
				e--;
			/* At most 5 digits, and nothing else. */
			if (e - v > 5 || parse_digits(v, (size_t)(e - v),
			    99999, &val) < 0 ||
			    (have_cl && val != body))
				return -EBADMSG;
			body = val;
			have_cl = 1;
		}
		p = eol + 1;
	}
	if (hdr + body > SIP_MAX_MSG)
		return -EMSGSIZE;
	if (len < hdr + body)
		return -EAGAIN;
	*msglen = hdr + body;
	return 0;
}

/* Whether the header line 'l' (n bytes) is one that an answer copies. */
static int
sip_copied_header(const char *l, size_t n)
{
	static const char *const names[] = { "via", "v", "from", "f", "to",
	    "t", "call-id", "i", "cseq" };
	size_t i, k;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		k = strlen(names[i]);
		if (n > k && strncasecmp(l, names[i], k) == 0 &&
		    (l[k] == ':' || l[k] == ' ' || l[k] == '\t'))
			return 1;
	}
	return 0;
}

int
sip_options_answer(const uint8_t *req, size_t len, struct dbuf *out)
{
	static const char tail[] = "Allow: OPTIONS\r\nServer: pinholed\r\n"
	    "Content-Length: 0\r\n\r\n";
	const char *p = (const char *)req, *end = p + len, *nl;
	size_t n, copied = 0;
	int r;

	if (len < 8 || memcmp(p, "OPTIONS ", 8) != 0)
		return -EBADMSG;
	if ((nl = memchr(p, '\n', len)) == NULL)
		return -EBADMSG;
	if ((r = dbuf_add(out, "SIP/2.0 200 OK\r\n", 16)) < 0)
		return r;
	for (p = nl + 1; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
		n = (size_t)(nl - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n == 0)
			break;			/* end of the header block */
		if (memchr(p, '\0', n) != NULL)
			return -EBADMSG;
		if (!sip_copied_header(p, n))
			continue;
		if ((r = dbuf_add(out, p, n)) < 0 ||
		    (r = dbuf_add(out, "\r\n", 2)) < 0)
			return r;
		copied++;
	}
	if (copied < 5)
		return -EBADMSG;
	return dbuf_add(out, tail, sizeof(tail) - 1);
}
