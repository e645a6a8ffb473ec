/*
 * sip_diff.c - what changed between a SIP message sent and the one that
 * arrived, element by element: the Request-URI, each header (repeats
 * numbered "Via#2"), and each SDP line ("sdp.c", "sdp.a#2"; a c= line
 * inside a media section is "sdp.m.c").  libosip2 decides whether both
 * messages still parse as SIP; when one does not, an ALG mangled it and
 * the diff falls back to numbered lines ("line 3").
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <osipparser2/osip_parser.h>

#include "sip.h"

#define SIP_MAX_ELEMS 128

struct sip_elem {
	char key[48];
	char *val;
};

struct sip_elems {
	struct sip_elem e[SIP_MAX_ELEMS];
	size_t n;
};

static const struct {
	const char *compact;
	const char *name;
} sip_compact[] = {
	{ "v", "Via" }, { "f", "From" }, { "t", "To" }, { "m", "Contact" },
	{ "i", "Call-ID" }, { "l", "Content-Length" }, { "c", "Content-Type" },
	{ "k", "Supported" }, { "s", "Subject" }, { "e", "Content-Encoding" },
};

static void
sip_elems_free(struct sip_elems *es)
{
	size_t i;

	for (i = 0; i < es->n; i++)
		free(es->e[i].val);
	es->n = 0;
}

static char *
sip_strndup_trim(const char *p, size_t n)
{
	while (n > 0 && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
		n--;
	return strndup(p, n);
}

/* Adds key (numbered when repeated) and a copy of the value. */
static int
sip_elems_add(struct sip_elems *es, const char *key, const char *v, size_t vlen)
{
	struct sip_elem *e;
	size_t i, count = 0;

	if (es->n == SIP_MAX_ELEMS)
		return 0;		/* the rest is not compared */
	for (i = 0; i < es->n; i++) {
		const char *k = es->e[i].key;
		size_t kl = strlen(key);

		if (strncmp(k, key, kl) == 0 && (k[kl] == '\0' || k[kl] == '#'))
			count++;
	}
	e = &es->e[es->n];
	if (count == 0)
		snprintf(e->key, sizeof(e->key), "%s", key);
	else
		snprintf(e->key, sizeof(e->key), "%s#%zu", key, count + 1);
	if ((e->val = sip_strndup_trim(v, vlen)) == NULL)
		return -ENOMEM;
	es->n++;
	return 0;
}

static void
sip_canon(const char *name, size_t n, char *out, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(sip_compact) / sizeof(sip_compact[0]); i++) {
		if (n == 1 && strncasecmp(name, sip_compact[i].compact, 1) == 0) {
			snprintf(out, len, "%s", sip_compact[i].name);
			return;
		}
		if (strlen(sip_compact[i].name) == n &&
		    strncasecmp(name, sip_compact[i].name, n) == 0) {
			snprintf(out, len, "%s", sip_compact[i].name);
			return;
		}
	}
	snprintf(out, len, "%.*s", (int)n, name);
}

/* Splits into elements; returns the body offset. */
static int
sip_elems_split(const uint8_t *buf, size_t len, struct sip_elems *es,
    size_t *body_off)
{
	const char *p = (const char *)buf, *end = p + len, *eol, *colon, *sp;
	char key[48];
	int first = 1, r, media = 0;

	*body_off = len;
	while (p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			eol = end;
		if (eol == p || (eol == p + 1 && *p == '\r')) {
			*body_off = (size_t)(eol + 1 - (const char *)buf);
			if (*body_off > len)
				*body_off = len;
			break;
		}
		if (first) {
			first = 0;
			sp = memchr(p, ' ', (size_t)(eol - p));
			if (sp != NULL && (colon = memchr(sp + 1, ' ',
			    (size_t)(eol - sp - 1))) != NULL)
				r = sip_elems_add(es, "Request-URI", sp + 1,
				    (size_t)(colon - sp - 1));
			else
				r = sip_elems_add(es, "Start-Line", p,
				    (size_t)(eol - p));
		} else if ((colon = memchr(p, ':', (size_t)(eol - p))) != NULL) {
			size_t kn = (size_t)(colon - p);

			while (kn > 0 && (p[kn - 1] == ' ' || p[kn - 1] == '\t'))
				kn--;
			sip_canon(p, kn, key, sizeof(key));
			r = sip_elems_add(es, key, colon + 1,
			    (size_t)(eol - colon - 1));
		} else {
			r = sip_elems_add(es, "Malformed-Line", p,
			    (size_t)(eol - p));
		}
		if (r < 0)
			return r;
		p = eol + 1;
	}
	/* SDP body: "x=value" lines. */
	p = (const char *)buf + *body_off;
	while (p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			eol = end;
		if (eol - p >= 2 && p[1] == '=') {
			if (p[0] == 'm')
				media = 1;
			if (media && p[0] == 'c')
				snprintf(key, sizeof(key), "sdp.m.c");
			else
				snprintf(key, sizeof(key), "sdp.%c", p[0]);
			if ((r = sip_elems_add(es, key, p + 2,
			    (size_t)(eol - p - 2))) < 0)
				return r;
		} else if (eol > p && !(eol == p + 1 && *p == '\r')) {
			if ((r = sip_elems_add(es, "body", p,
			    (size_t)(eol - p))) < 0)
				return r;
		}
		p = eol + 1;
	}
	return 0;
}

static int
sip_diff_add(struct sip_diff *d, const char *elem, const char *s, const char *r)
{
	struct sip_change *nc, *c;

	nc = realloc(d->changes, (d->nchanges + 1) * sizeof(*nc));
	if (nc == NULL)
		return -ENOMEM;
	d->changes = nc;
	c = &d->changes[d->nchanges];
	memset(c, 0, sizeof(*c));
	snprintf(c->element, sizeof(c->element), "%s", elem);
	if ((s && (c->sent = strdup(s)) == NULL) ||
	    (r && (c->received = strdup(r)) == NULL)) {
		free(c->sent);
		return -ENOMEM;
	}
	d->nchanges++;
	return 0;
}

/*
 * Whether the body is still SDP-shaped: "v=" first, then only "x=" lines.
 * libosip2's own SDP parser reads past its buffer on hostile input (see
 * docs/decisions.md), so it never sees the bytes we receive.
 */
static int
sip_sdp_shaped(const uint8_t *buf, size_t len)
{
	const char *p = (const char *)buf, *end = p + len, *eol;
	const char *body = NULL;
	int first = 1;

	for (; p + 3 < end; p++)
		if (p[0] == '\r' && p[1] == '\n' && p[2] == '\r' && p[3] == '\n') {
			body = p + 4;
			break;
		}
	if (body == NULL || body == end)
		return 1;	/* no body: nothing to judge */
	if (memmem(buf, (size_t)(body - (const char *)buf), "application/sdp",
	    15) == NULL)
		return 1;
	for (p = body; p < end; p = eol + 1) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			eol = end;
		if (eol - p <= 1 && (eol == p || *p == '\r'))
			continue;
		if (eol - p < 2 || p[1] != '=' || p[0] < 'a' || p[0] > 'z' ||
		    (first && p[0] != 'v'))
			return 0;
		first = 0;
	}
	return 1;
}

/* libosip2 decides whether a message is still SIP; the body, whether SDP. */
static int
sip_parses(const uint8_t *buf, size_t len)
{
	osip_message_t *m = NULL;
	int ok;

	if (len == 0 || memchr(buf, '\0', len) != NULL)
		return 0;
	sip_global_init();
	if (osip_message_init(&m) != 0)
		return 0;
	ok = osip_message_parse(m, (const char *)buf, len) == 0 &&
	    m->sip_method != NULL && sip_sdp_shaped(buf, len);
	osip_message_free(m);
	return ok;
}

static int
sip_diff_elems(const struct sip_elems *s, const struct sip_elems *r,
    struct sip_diff *d)
{
	size_t i, j;
	int rc;

	for (i = 0; i < s->n; i++) {
		for (j = 0; j < r->n && strcmp(s->e[i].key, r->e[j].key) != 0; j++)
			;
		if (j == r->n)
			rc = sip_diff_add(d, s->e[i].key, s->e[i].val, NULL);
		else if (strcmp(s->e[i].val, r->e[j].val) != 0)
			rc = sip_diff_add(d, s->e[i].key, s->e[i].val, r->e[j].val);
		else
			rc = 0;
		if (rc < 0)
			return rc;
	}
	for (j = 0; j < r->n; j++) {
		for (i = 0; i < s->n && strcmp(s->e[i].key, r->e[j].key) != 0; i++)
			;
		if (i == s->n && (rc = sip_diff_add(d, r->e[j].key, NULL,
		    r->e[j].val)) < 0)
			return rc;
	}
	return 0;
}

/* Fallback: line N against line N. */
static int
sip_diff_lines(const uint8_t *sent, size_t slen, const uint8_t *recv,
    size_t rlen, struct sip_diff *d)
{
	const char *sp = (const char *)sent, *se = sp + slen;
	const char *rp = (const char *)recv, *re = rp + rlen;
	char elem[32], *a = NULL, *b = NULL;
	size_t line = 1;
	int rc = 0;

	while ((sp < se || rp < re) && rc == 0 && line <= SIP_MAX_ELEMS) {
		const char *sn = sp < se ? memchr(sp, '\n', (size_t)(se - sp)) : NULL;
		const char *rn = rp < re ? memchr(rp, '\n', (size_t)(re - rp)) : NULL;

		if (sp < se && sn == NULL)
			sn = se;
		if (rp < re && rn == NULL)
			rn = re;
		a = sp < se ? sip_strndup_trim(sp, (size_t)(sn - sp)) : NULL;
		b = rp < re ? sip_strndup_trim(rp, (size_t)(rn - rp)) : NULL;
		if ((sp < se && a == NULL) || (rp < re && b == NULL))
			rc = -ENOMEM;
		else if (a == NULL || b == NULL || strcmp(a, b) != 0) {
			snprintf(elem, sizeof(elem), "line %zu", line);
			rc = sip_diff_add(d, elem, a, b);
		}
		free(a);
		free(b);
		if (sp < se)
			sp = sn + 1;
		if (rp < re)
			rp = rn + 1;
		line++;
	}
	return rc;
}

/* Lines in a body that end in a line feed. */
static size_t
sip_lines(const uint8_t *p, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += p[i] == '\n';
	return k;
}

/* Content-Length as written in a message, or -1. */
static long
sip_content_length(const struct sip_elems *es)
{
	size_t i;
	char *end;
	long v;

	for (i = 0; i < es->n; i++) {
		if (strcmp(es->e[i].key, "Content-Length") != 0)
			continue;
		v = strtol(es->e[i].val, &end, 10);
		return *end == '\0' && v >= 0 ? v : -1;
	}
	return -1;
}

int
sip_diff(const uint8_t *sent, size_t slen, const uint8_t *received,
    size_t rlen, struct sip_diff *d)
{
	struct sip_elems *s = NULL, *r = NULL;
	size_t sbody, rbody;
	long cl;
	int rc = 0;

	memset(d, 0, sizeof(*d));
	d->sent_len = slen;
	d->received_len = rlen;
	d->parsed = 1;
	if (slen == rlen && memcmp(sent, received, slen) == 0)
		return 0;
	if (rlen < slen && memcmp(sent, received, rlen) == 0)
		d->truncated = 1;
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (r = calloc(1, sizeof(*r))) == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	d->parsed = sip_parses(sent, slen) && sip_parses(received, rlen);
	if ((rc = sip_elems_split(sent, slen, s, &sbody)) < 0 ||
	    (rc = sip_elems_split(received, rlen, r, &rbody)) < 0)
		goto out;
	cl = sip_content_length(r);
	d->length_wrong = cl >= 0 && (size_t)cl != rlen - rbody;
	/* Short of its Content-Length and of lines: cut.  Short of its
	 * Content-Length with every line there: the length is wrong. */
	if (cl >= 0 && (size_t)cl > rlen - rbody &&
	    sip_lines(received + rbody, rlen - rbody) <
	    sip_lines(sent + sbody, slen - sbody))
		d->truncated = 1;
	/* A message that still starts as SIP is compared element by
	 * element, even where libosip2 refuses it (a wrong Content-Length):
	 * lines only when the start line itself is gone. */
	if (d->parsed || (r->n > 0 && s->n > 0 &&
	    strcmp(r->e[0].key, s->e[0].key) == 0 &&
	    strcmp(s->e[0].key, "Start-Line") != 0))
		rc = sip_diff_elems(s, r, d);
	else
		rc = sip_diff_lines(sent, slen, received, rlen, d);
out:
	if (s)
		sip_elems_free(s);
	if (r)
		sip_elems_free(r);
	free(s);
	free(r);
	if (rc < 0)
		sip_diff_free(d);
	return rc;
}

void
sip_diff_free(struct sip_diff *d)
{
	size_t i;

	for (i = 0; i < d->nchanges; i++) {
		free(d->changes[i].sent);
		free(d->changes[i].received);
	}
	free(d->changes);
	d->changes = NULL;
	d->nchanges = 0;
}
