/*
 * xmpp.c - XMPP stream opens from untrusted peers.
 *
 * Read through a cursor one byte at a time, as lib/proto/http.c reads heads:
 * running out of bytes is -EAGAIN, an impossible byte -EBADMSG at once.
 */
#include <errno.h>
#include <string.h>

#include "buf.h"
#include "xmpp.h"

struct xmpp_attr {
	struct xmpp_val name;
	struct xmpp_val val;
};

/* The next byte (read, or only looked at); -EAGAIN when the buffer ends. */
static int
xmpp_u8(struct cursor *c, uint8_t *b)
{
	return cur_u8(c, b) < 0 ? -EAGAIN : 0;
}

static int
xmpp_peek(const struct cursor *c, uint8_t *b)
{
	return cur_peek(c, b) < 0 ? -EAGAIN : 0;
}

static int
xmpp_space(uint8_t b)
{
	return b == ' ' || b == '\t' || b == '\r' || b == '\n';
}

/* Skips S; *n says how many.  -EAGAIN when the buffer ends in them. */
static int
xmpp_spaces(struct cursor *c, size_t *n)
{
	uint8_t b;
	int r;

	for (*n = 0;; (*n)++) {
		if ((r = xmpp_peek(c, &b)) < 0)
			return r;
		if (!xmpp_space(b))
			return 0;
		(void)cur_skip(c, 1);
	}
}

static int
xmpp_name_byte(uint8_t b, int first)
{
	if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '_' ||
	    b == ':')
		return 1;
	return !first && ((b >= '0' && b <= '9') || b == '.' || b == '-');
}

static int
xmpp_name(struct cursor *c, struct xmpp_val *v)
{
	uint8_t b;
	int r;

	v->p = c->p + c->pos;
	for (v->n = 0;; v->n++) {
		if ((r = xmpp_peek(c, &b)) < 0)
			return r;
		if (!xmpp_name_byte(b, v->n == 0))
			break;
		if (v->n == XMPP_MAX_NAME)
			return -EBADMSG;
		(void)cur_skip(c, 1);
	}
	return v->n > 0 ? 0 : -EBADMSG;
}

/* name S? '=' S? quoted value */
static int
xmpp_attr(struct cursor *c, struct xmpp_attr *a)
{
	uint8_t q, b;
	size_t ns;
	int r;

	if ((r = xmpp_name(c, &a->name)) < 0 ||
	    (r = xmpp_spaces(c, &ns)) < 0 ||
	    (r = cur_match(c, "=")) < 0 ||
	    (r = xmpp_spaces(c, &ns)) < 0 ||
	    (r = xmpp_u8(c, &q)) < 0)
		return r;
	if (q != '\'' && q != '"')
		return -EBADMSG;
	a->val.p = c->p + c->pos;
	for (a->val.n = 0;; a->val.n++) {
		if ((r = xmpp_u8(c, &b)) < 0)
			return r;
		if (b == q)
			return 0;
		if (b == '<' || (b < 0x20 && !xmpp_space(b)) || b == 0x7f)
			return -EBADMSG;
	}
}

static int
xmpp_val_is(const struct xmpp_val *v, const char *s)
{
	return v->p != NULL && v->n == strlen(s) && memcmp(v->p, s, v->n) == 0;
}

/*
 * Attributes up to 'end' ("?>" or ">"), each after S, no name twice;
 * fills a[] and *n.
 */
static int
xmpp_attrs(struct cursor *c, const char *end, struct xmpp_attr *a, size_t *n)
{
	size_t ns, i;
	uint8_t b;
	int r;

	for (*n = 0;;) {
		if ((r = xmpp_spaces(c, &ns)) < 0 ||
		    (r = xmpp_peek(c, &b)) < 0)
			return r;
		if (b == (uint8_t)end[0])
			return cur_match(c, end);
		if (ns == 0 || *n == XMPP_MAX_ATTRS)
			return -EBADMSG;
		if ((r = xmpp_attr(c, &a[*n])) < 0)
			return r;
		for (i = 0; i < *n; i++)
			if (a[i].name.n == a[*n].name.n && memcmp(a[i].name.p,
			    a[*n].name.p, a[i].name.n) == 0)
				return -EBADMSG;
		(*n)++;
	}
}

/* The value of attribute 'name', or an absent value. */
static struct xmpp_val
xmpp_find(const struct xmpp_attr *a, size_t n, const char *name)
{
	struct xmpp_val none = { NULL, 0 };
	size_t i;

	for (i = 0; i < n; i++)
		if (xmpp_val_is(&a[i].name, name))
			return a[i].val;
	return none;
}

/* After "<?": the rest of the declaration; version 1.x is required. */
static int
xmpp_decl(struct cursor *c)
{
	struct xmpp_attr a[XMPP_MAX_ATTRS];
	struct xmpp_val v;
	size_t n, i;
	int r;

	if ((r = cur_match(c, "xml")) < 0 ||
	    (r = xmpp_attrs(c, "?>", a, &n)) < 0)
		return r;
	for (i = 0; i < n; i++)
		if (!xmpp_val_is(&a[i].name, "version") &&
		    !xmpp_val_is(&a[i].name, "encoding") &&
		    !xmpp_val_is(&a[i].name, "standalone"))
			return -EBADMSG;
	v = xmpp_find(a, n, "version");
	if (v.p == NULL || v.n < 3 || v.p[0] != '1' || v.p[1] != '.')
		return -EBADMSG;
	for (i = 2; i < v.n; i++)
		if (v.p[i] < '0' || v.p[i] > '9')
			return -EBADMSG;
	return 0;
}

static int
xmpp_open_scan(struct cursor *c, struct xmpp_open *o)
{
	struct xmpp_attr a[XMPP_MAX_ATTRS];
	struct xmpp_val ns;
	size_t n;
	uint8_t b;
	int r;

	if ((r = xmpp_peek(c, &b)) < 0)
		return r;
	if (b == 0xef && (r = cur_match(c, "\xef\xbb\xbf")) < 0)
		return r;
	if ((r = xmpp_peek(c, &b)) < 0)
		return r;
	if (b == '<') {
		(void)cur_skip(c, 1);
		if ((r = xmpp_peek(c, &b)) < 0)
			return r;
		if (b == '?') {
			(void)cur_skip(c, 1);
			if ((r = xmpp_decl(c)) < 0 ||
			    (r = xmpp_spaces(c, &n)) < 0 ||
			    (r = cur_match(c, "<")) < 0)
				return r;
		}
	} else if ((r = xmpp_spaces(c, &n)) < 0 ||
	    (r = cur_match(c, "<")) < 0)
		return r;
	if ((r = cur_match(c, "stream:stream")) < 0 ||
	    (r = xmpp_attrs(c, ">", a, &n)) < 0)
		return r;
	ns = xmpp_find(a, n, "xmlns:stream");
	if (!xmpp_val_is(&ns, XMPP_NS_STREAMS))
		return -EBADMSG;
	o->len = c->pos;
	o->to = xmpp_find(a, n, "to");
	o->from = xmpp_find(a, n, "from");
	o->version = xmpp_find(a, n, "version");
	o->xmlns = xmpp_find(a, n, "xmlns");
	o->lang = xmpp_find(a, n, "xml:lang");
	return 0;
}

int
xmpp_open_parse(const uint8_t *buf, size_t len, size_t max,
    struct xmpp_open *open)
{
	struct xmpp_open t;
	struct cursor c;
	int r;

	memset(&t, 0, sizeof(t));
	cur_init(&c, buf, len < max ? len : max);
	if ((r = xmpp_open_scan(&c, &t)) == 0) {
		*open = t;
		return 0;
	}
	if (r == -EAGAIN && len >= max)
		return -EMSGSIZE;
	return r;
}
