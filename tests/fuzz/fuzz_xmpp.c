/*
 * fuzz_xmpp.c - XMPP stream-open detection on arbitrary bytes.
 *
 * An accepted open ends in '>' and holds "<stream:stream" and the stream
 * namespace; the values it returns lie inside it and hold neither quote
 * kind that closed them nor '<'; a prefix of the input gets "need more" or
 * the same answer, and the open is complete at its '>' and not before.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xmpp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_val(const uint8_t *d, size_t len, const struct xmpp_val *v)
{
	if (v->p == NULL) {
		if (v->n != 0)
			abort();
		return;
	}
	if (v->p <= d || v->p + v->n >= d + len ||
	    (v->p[-1] != '\'' && v->p[-1] != '"') || v->p[v->n] != v->p[-1] ||
	    memchr(v->p, v->p[-1], v->n) != NULL ||
	    memchr(v->p, '<', v->n) != NULL)
		abort();
}

static void
check_open(const uint8_t *d, size_t size, size_t max,
    const struct xmpp_open *o)
{
	if (o->len > size || o->len > max || o->len < 16 ||
	    d[o->len - 1] != '>' ||
	    memmem(d, o->len, "<stream:stream", 14) == NULL ||
	    memmem(d, o->len, XMPP_NS_STREAMS, strlen(XMPP_NS_STREAMS)) == NULL ||
	    memchr(d, '\0', o->len) != NULL)
		abort();
	check_val(d, o->len, &o->to);
	check_val(d, o->len, &o->from);
	check_val(d, o->len, &o->version);
	check_val(d, o->len, &o->xmlns);
	check_val(d, o->len, &o->lang);
}

static int
parse(const uint8_t *d, size_t n, size_t max, struct xmpp_open *o)
{
	int r = xmpp_open_parse(d, n, max, o);

	if (r != 0 && r != -EAGAIN && r != -EMSGSIZE && r != -EBADMSG)
		abort();
	return r;
}

static void
check(const uint8_t *d, size_t size, size_t max)
{
	struct xmpp_open o, pre;
	size_t k, step;
	int r, rk;

	r = parse(d, size, max, &o);
	if (r == 0)
		check_open(d, size, max, &o);
	step = size <= 300 ? 1 : size / 64;
	for (k = 0; k < size; k += step) {
		rk = parse(d, k, max, &pre);
		if (r == 0 && (rk == 0) != (k >= o.len))
			abort();
		if (rk == -EAGAIN)
			continue;
		if (rk != r || (r == 0 && (pre.len != o.len ||
		    pre.to.p != o.to.p || pre.to.n != o.to.n)))
			abort();
	}
	if (r == 0 && parse(d, o.len - 1, max, &pre) != -EAGAIN)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check(data, size, XMPP_MAX_OPEN);
	check(data, size, size / 2 + 16);
	return 0;
}
