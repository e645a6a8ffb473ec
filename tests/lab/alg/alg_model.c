/*
 * alg_model.c - what SIP ALGs in the field do to a message, one behaviour
 * a row.  The sources that describe each are named in docs/decisions.md
 * ("ALGs as they are in the field").  The message is read through its
 * length only: a start line, header lines up to the first empty line
 * (continuation lines belong to the header above), then the body's lines.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "alg_model.h"

#define ALG_SIG_OUT	(ALG_E_VIA | ALG_E_CONTACT | ALG_E_FROM)
#define ALG_SIG_IN	(ALG_E_RURI | ALG_E_TO)
#define ALG_SCRATCH	65536

const struct alg_behavior alg_behaviors[] = {
	/* Cisco ASA inspect sip: its own address in c=, o= left alone. */
	{ "asa-cline", ALG_SIG_OUT | ALG_E_SDP_C, ALG_SIG_IN, 1, 0, 0, 0 },
	/* The Contact alone; Via and the SDP keep the private address. */
	{ "contact-only", ALG_E_CONTACT, 0, 1, 0, 0, 0 },
	/* ScreenOS: every address, the Call-ID's and Record-Route's too. */
	{ "callid", ALG_SIG_OUT | ALG_E_CALLID | ALG_E_RROUTE | ALG_E_SDP_C |
	    ALG_E_SDP_O, ALG_SIG_IN | ALG_E_CALLID | ALG_E_RROUTE, 1, 0, 0, 0 },
	/* Every address, Content-Length left as it was. */
	{ "content-length", ALG_SIG_OUT | ALG_E_SDP_C | ALG_E_SDP_O,
	    ALG_SIG_IN | ALG_E_SDP_C | ALG_E_SDP_O, 0, 0, 0, 0 },
	/* Nothing translated; messages cut to a buffer of 512 bytes. */
	{ "cut-body", 0, 0, 0, 512, 0, 0 },
	/* Every address translated consistently, and every request whose
	 * method RFC 3261 does not define dropped: an ALG that knows the
	 * base protocol and nothing of its extensions. */
	{ "drop-methods", ALG_SIG_OUT | ALG_E_SDP_C | ALG_E_SDP_O,
	    ALG_SIG_IN | ALG_E_SDP_C | ALG_E_SDP_O, 1, 0, 1, 0 },
	/* Every address translated, and the phone's media port moved by
	 * 10000, as an ALG that maps media to ports of its own; whether it
	 * also forwards them is the router's (lab_alg_media_forward). */
	{ "port-shift", ALG_SIG_OUT | ALG_E_SDP_C | ALG_E_SDP_O,
	    ALG_SIG_IN | ALG_E_SDP_C | ALG_E_SDP_O, 1, 0, 0, 10000 },
	{ NULL, 0, 0, 0, 0, 0, 0 },
};

static const struct {
	const char *name;
	unsigned elem;
} alg_headers[] = {
	{ "Via", ALG_E_VIA }, { "v", ALG_E_VIA },
	{ "Contact", ALG_E_CONTACT }, { "m", ALG_E_CONTACT },
	{ "From", ALG_E_FROM }, { "f", ALG_E_FROM },
	{ "To", ALG_E_TO }, { "t", ALG_E_TO },
	{ "Call-ID", ALG_E_CALLID }, { "i", ALG_E_CALLID },
	{ "Record-Route", ALG_E_RROUTE },
};

/* Bounded output: past 'cap', 'err' is set and nothing more is kept. */
struct alg_out {
	uint8_t *p;
	size_t len, cap;
	int err;
};

const struct alg_behavior *
alg_behavior_find(const char *name)
{
	size_t i;

	for (i = 0; alg_behaviors[i].name != NULL; i++)
		if (strcmp(alg_behaviors[i].name, name) == 0)
			return &alg_behaviors[i];
	return NULL;
}

static void
alg_put(struct alg_out *o, const void *p, size_t n)
{
	if (o->err || n > o->cap - o->len) {
		o->err = 1;
		return;
	}
	memcpy(o->p + o->len, p, n);
	o->len += n;
}

static int
alg_isdigit(int c)
{
	return c >= '0' && c <= '9';
}

/*
 * Copies s[0..n) writing 'to' for every whole 'from'; returns whether
 * one was found.  "Whole": no digit or dot before it, no digit after.
 */
static int
alg_put_replaced(struct alg_out *o, const char *s, size_t n, const char *from,
    const char *to)
{
	size_t fl = strlen(from), i = 0, start = 0;
	int found = 0;

	while (fl > 0 && i + fl <= n) {
		if (memcmp(s + i, from, fl) == 0 &&
		    (i == 0 || (!alg_isdigit(s[i - 1]) && s[i - 1] != '.')) &&
		    (i + fl == n || !alg_isdigit(s[i + fl]))) {
			alg_put(o, s + start, i - start);
			alg_put(o, to, strlen(to));
			i += fl;
			start = i;
			found = 1;
			continue;
		}
		i++;
	}
	alg_put(o, s + start, n - start);
	return found;
}

/* The element a header line names (ALG_E_*), or 0. */
static unsigned
alg_header_elem(const char *line, size_t n, int *is_length)
{
	const char *colon = memchr(line, ':', n);
	size_t k, i;

	*is_length = 0;
	if (colon == NULL)
		return 0;
	for (k = (size_t)(colon - line); k > 0 && (line[k - 1] == ' ' ||
	    line[k - 1] == '\t'); k--)
		;
	if ((k == 14 && strncasecmp(line, "Content-Length", 14) == 0) ||
	    (k == 1 && (line[0] == 'l' || line[0] == 'L'))) {
		*is_length = 1;
		return 0;
	}
	for (i = 0; i < sizeof(alg_headers) / sizeof(alg_headers[0]); i++)
		if (strlen(alg_headers[i].name) == k &&
		    strncasecmp(line, alg_headers[i].name, k) == 0)
			return alg_headers[i].elem;
	return 0;
}

/* The length of the line at p (its LF included), at most 'left'. */
static size_t
alg_line(const char *p, size_t left)
{
	const char *lf = memchr(p, '\n', left);

	return lf != NULL ? (size_t)(lf - p) + 1 : left;
}

/* Whether the line (with its line end) is empty. */
static int
alg_blank(const char *p, size_t n)
{
	return (n == 1 && p[0] == '\n') || (n == 2 && p[0] == '\r' &&
	    p[1] == '\n');
}

/* A SIP start line: "SIP/2.0 " first, or " SIP/2.0" last. */
static int
alg_start_line(const char *p, size_t n, int *request)
{
	while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == '\r'))
		n--;
	if (n >= 8 && memcmp(p, "SIP/2.0 ", 8) == 0) {
		*request = 0;
		return 1;
	}
	*request = 1;
	return n >= 9 && memcmp(p + n - 8, " SIP/2.0", 8) == 0;
}

/*
 * "m=audio 49170 ..." with its port moved by 'shift' (when the result is a
 * port): 1 when written so, 0 when the line is left to the caller.
 */
static int
alg_media_port(struct alg_out *o, const char *p, size_t ln, unsigned shift)
{
	char num[8];
	size_t i = 2, d;
	unsigned long port = 0;
	int w;

	while (i < ln && p[i] != ' ')
		i++;
	if (i >= ln || shift == 0)
		return 0;
	for (d = i + 1; d < ln && alg_isdigit(p[d]) && d - i <= 5; d++)
		port = port * 10 + (unsigned long)(p[d] - '0');
	if (d == i + 1 || port + shift > 65535)
		return 0;
	w = snprintf(num, sizeof(num), "%lu", port + shift);
	alg_put(o, p, i + 1);
	alg_put(o, num, (size_t)w);
	alg_put(o, p + d, ln - d);
	return 1;
}

/* The body's lines, c= and o= translated as the mask says, m= ports moved
 * by 'shift'. */
static void
alg_body(const char *p, size_t n, unsigned mask, unsigned shift,
    const char *from, const char *to, struct alg_out *o, unsigned *changed)
{
	size_t off = 0, ln;
	unsigned e;

	while (off < n) {
		ln = alg_line(p + off, n - off);
		if (ln >= 2 && p[off] == 'm' && p[off + 1] == '=' &&
		    alg_media_port(o, p + off, ln, shift)) {
			*changed |= ALG_E_SDP_M;
			off += ln;
			continue;
		}
		e = 0;
		if (ln >= 2 && p[off + 1] == '=')
			e = p[off] == 'c' ? ALG_E_SDP_C : p[off] == 'o' ?
			    ALG_E_SDP_O : 0;
		if ((e & mask) && alg_put_replaced(o, p + off, ln, from, to))
			*changed |= e;
		else if (!(e & mask))
			alg_put(o, p + off, ln);
		off += ln;
	}
}

/* "Content-Length: N" with its original line end. */
static void
alg_put_length(struct alg_out *o, const char *line, size_t n, size_t body)
{
	const char *colon = memchr(line, ':', n);
	char num[24];
	size_t k = 0, d;

	alg_put(o, line, (size_t)(colon - line) + 1);
	alg_put(o, " ", 1);
	d = body;
	do {
		num[sizeof(num) - 1 - k++] = (char)('0' + d % 10);
		d /= 10;
	} while (d > 0 && k < sizeof(num));
	alg_put(o, num + sizeof(num) - k, k);
	alg_put(o, line[n - 2] == '\r' ? "\r\n" : "\n",
	    line[n - 2] == '\r' ? 2 : 1);
}

int
alg_rewrite(const struct alg_behavior *b, int outbound, const char *priv,
    const char *pub, const uint8_t *in, size_t n, uint8_t *out, size_t cap,
    size_t *outlen, unsigned *changed, int *cut)
{
	const char *p = (const char *)in, *from = outbound ? priv : pub;
	const char *to = outbound ? pub : priv;
	unsigned mask = outbound ? b->out : b->in, e = 0;
	uint8_t scratch[ALG_SCRATCH];
	struct alg_out o = { out, 0, cap, 0 }, body = { scratch, 0,
	    sizeof(scratch), 0 };
	size_t off, ln, hdr_end = 0, body_in;
	int request, is_len = 0;

	*changed = 0;
	*cut = 0;
	*outlen = 0;
	if (n == 0 || memchr(in, '\0', n) != NULL)
		return -EBADMSG;
	ln = alg_line(p, n);
	if (!alg_start_line(p, ln, &request))
		return -EBADMSG;
	/* Where the headers end: the first empty line. */
	for (off = ln; off < n; off += ln) {
		ln = alg_line(p + off, n - off);
		if (alg_blank(p + off, ln)) {
			hdr_end = off;
			break;
		}
	}
	if (hdr_end == 0)
		return -EBADMSG;
	off = hdr_end + ln;
	body_in = n - off;
	alg_body(p + off, n - off, mask, outbound ? b->media_shift : 0, from,
	    to, &body, changed);
	if (body.err)
		return -EMSGSIZE;

	ln = alg_line(p, n);
	if (request && (mask & ALG_E_RURI)) {
		if (alg_put_replaced(&o, p, ln, from, to))
			*changed |= ALG_E_RURI;
	} else
		alg_put(&o, p, ln);
	for (off = ln; off < hdr_end; off += ln) {
		ln = alg_line(p + off, hdr_end - off);
		/* A continuation line belongs to the header above it. */
		if (p[off] != ' ' && p[off] != '\t')
			e = alg_header_elem(p + off, ln, &is_len);
		if (!(p[off] == ' ' || p[off] == '\t') && is_len &&
		    b->fix_length && body.len != body_in && ln >= 2 &&
		    p[off + ln - 1] == '\n')
			alg_put_length(&o, p + off, ln, body.len);
		else if ((e & mask) && alg_put_replaced(&o, p + off, ln,
		    from, to))
			*changed |= e;
		else if (!(e & mask))
			alg_put(&o, p + off, ln);
	}
	ln = alg_line(p + hdr_end, n - hdr_end);
	alg_put(&o, p + hdr_end, ln);
	alg_put(&o, body.p, body.len);
	if (o.err)
		return -EMSGSIZE;
	if (b->cut > 0 && o.len > b->cut) {
		o.len = b->cut;
		*cut = 1;
	}
	*outlen = o.len;
	return 0;
}

int
alg_drops(const struct alg_behavior *b, const uint8_t *in, size_t n)
{
	static const char *const known[] = { "INVITE ", "ACK ", "BYE ",
	    "CANCEL ", "REGISTER ", "OPTIONS " };
	size_t i, k;
	int request;

	if (!b->drop_unknown || n == 0)
		return 0;
	if (!alg_start_line((const char *)in, alg_line((const char *)in, n),
	    &request) || !request)
		return 0;
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		k = strlen(known[i]);
		if (n >= k && memcmp(in, known[i], k) == 0)
			return 0;
	}
	return 1;
}
