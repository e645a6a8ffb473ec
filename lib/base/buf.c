/* buf.c - read cursor and bounded growing buffer. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

void
cur_init(struct cursor *c, const void *buf, size_t len)
{
	c->p = buf;
	c->len = buf != NULL ? len : 0;
	c->pos = 0;
}

size_t
cur_left(const struct cursor *c)
{
	return c->len - c->pos;
}

int
cur_ref(struct cursor *c, const uint8_t **p, size_t n)
{
	if (cur_left(c) < n)
		return -EBADMSG;
	*p = c->p + c->pos;
	c->pos += n;
	return 0;
}

int
cur_skip(struct cursor *c, size_t n)
{
	const uint8_t *p;

	return cur_ref(c, &p, n);
}

int
cur_peek(const struct cursor *c, uint8_t *v)
{
	if (cur_left(c) < 1)
		return -EBADMSG;
	*v = c->p[c->pos];
	return 0;
}

int
cur_match(struct cursor *c, const char *lit)
{
	uint8_t b;

	for (; *lit != '\0'; lit++) {
		if (cur_u8(c, &b) < 0)
			return -EAGAIN;
		if (b != (uint8_t)*lit)
			return -EBADMSG;
	}
	return 0;
}

int
cur_copy(struct cursor *c, void *dst, size_t n)
{
	const uint8_t *p;
	int r;

	if ((r = cur_ref(c, &p, n)) < 0)
		return r;
	if (n > 0)
		memcpy(dst, p, n);
	return 0;
}

int
cur_u8(struct cursor *c, uint8_t *v)
{
	return cur_copy(c, v, 1);
}

int
cur_u16(struct cursor *c, uint16_t *v)
{
	const uint8_t *p;
	int r;

	if ((r = cur_ref(c, &p, 2)) < 0)
		return r;
	*v = (uint16_t)(p[0] << 8 | p[1]);
	return 0;
}

int
cur_u32(struct cursor *c, uint32_t *v)
{
	const uint8_t *p;
	int r;

	if ((r = cur_ref(c, &p, 4)) < 0)
		return r;
	*v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
	return 0;
}

int
cur_u64(struct cursor *c, uint64_t *v)
{
	uint32_t hi, lo;
	int r;

	if (cur_left(c) < 8)
		return -EBADMSG;
	if ((r = cur_u32(c, &hi)) < 0 || (r = cur_u32(c, &lo)) < 0)
		return r;
	*v = (uint64_t)hi << 32 | lo;
	return 0;
}

void
dbuf_init(struct dbuf *d, size_t max)
{
	d->b = NULL;
	d->len = 0;
	d->cap = 0;
	d->max = max;
}

void
dbuf_free(struct dbuf *d)
{
	free(d->b);
	d->b = NULL;
	d->len = d->cap = 0;
}

void
dbuf_reset(struct dbuf *d)
{
	d->len = 0;
}

static int
dbuf_grow(struct dbuf *d, size_t n)
{
	size_t need, cap;
	uint8_t *nb;

	if (n > d->max || d->len > d->max - n)
		return -E2BIG;
	need = d->len + n;
	if (need <= d->cap)
		return 0;
	cap = d->cap ? d->cap : 64;
	while (cap < need)
		cap = cap > d->max / 2 ? d->max : cap * 2;
	/* One spare byte so dbuf_steal_str() can terminate without growing. */
	if ((nb = realloc(d->b, cap + 1)) == NULL)
		return -ENOMEM;
	d->b = nb;
	d->cap = cap;
	return 0;
}

int
dbuf_add(struct dbuf *d, const void *p, size_t n)
{
	int r;

	if (n == 0)
		return 0;
	if ((r = dbuf_grow(d, n)) < 0)
		return r;
	memcpy(d->b + d->len, p, n);
	d->len += n;
	return 0;
}

int
dbuf_u8(struct dbuf *d, uint8_t v)
{
	return dbuf_add(d, &v, 1);
}

int
dbuf_u16(struct dbuf *d, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	return dbuf_add(d, b, sizeof(b));
}

int
dbuf_u32(struct dbuf *d, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 8), (uint8_t)v };

	return dbuf_add(d, b, sizeof(b));
}

int
dbuf_u64(struct dbuf *d, uint64_t v)
{
	int r;

	if (d->len + 8 > d->max || d->len + 8 < d->len)
		return -E2BIG;
	if ((r = dbuf_u32(d, (uint32_t)(v >> 32))) < 0)
		return r;
	return dbuf_u32(d, (uint32_t)v);
}

int
dbuf_printf(struct dbuf *d, const char *fmt, ...)
{
	va_list ap;
	char small[256];
	char *big;
	int n, r;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -EINVAL;
	if ((size_t)n < sizeof(small))
		return dbuf_add(d, small, (size_t)n);
	if ((big = malloc((size_t)n + 1)) == NULL)
		return -ENOMEM;
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	r = dbuf_add(d, big, (size_t)n);
	free(big);
	return r;
}

int
dbuf_put_u16_at(struct dbuf *d, size_t off, uint16_t v)
{
	if (off > d->len || d->len - off < 2)
		return -EINVAL;
	d->b[off] = (uint8_t)(v >> 8);
	d->b[off + 1] = (uint8_t)v;
	return 0;
}

void
buf_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

uint32_t
buf_get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

char *
dbuf_steal_str(struct dbuf *d)
{
	char *s;

	if (d->b == NULL && (d->b = malloc(1)) == NULL)
		return NULL;
	d->b[d->len] = '\0';
	s = (char *)d->b;
	d->b = NULL;
	d->len = d->cap = 0;
	return s;
}

void *
buf_array_grow(void *arr, size_t n, size_t *cap, size_t size, size_t first)
{
	size_t nc;
	void *na;

	if (n < *cap)
		return arr;
	nc = *cap ? *cap * 2 : first;
	if (nc <= n || size == 0 || nc > SIZE_MAX / size)
		return NULL;
	if ((na = realloc(arr, nc * size)) == NULL)
		return NULL;
	*cap = nc;
	return na;
}
