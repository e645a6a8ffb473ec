/* portset.c - sets of ports and their compressed text form. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"
#include "portset.h"

void
portset_clear(struct portset *s)
{
	memset(s, 0, sizeof(*s));
}

void
portset_add(struct portset *s, uint16_t port)
{
	uint64_t bit = (uint64_t)1 << (port % 64);

	if (!(s->bits[port / 64] & bit)) {
		s->bits[port / 64] |= bit;
		s->count++;
	}
}

int
portset_has(const struct portset *s, uint16_t port)
{
	return (s->bits[port / 64] >> (port % 64)) & 1;
}

unsigned
portset_count_range(const struct portset *s, uint16_t lo, uint16_t hi)
{
	unsigned w, first = lo / 64, last = hi / 64, n = 0;
	uint64_t m;

	for (w = first; w <= last; w++) {
		m = ~(uint64_t)0;
		if (w == first)
			m &= ~(uint64_t)0 << (lo % 64);
		if (w == last && hi % 64 != 63)
			m &= ((uint64_t)1 << (hi % 64 + 1)) - 1;
		n += (unsigned)__builtin_popcountll(s->bits[w] & m);
	}
	return n;
}

int
portset_extent(const struct portset *s, uint16_t *lo, uint16_t *hi)
{
	size_t w, nw = sizeof(s->bits) / sizeof(s->bits[0]);

	for (w = 0; w < nw && s->bits[w] == 0; w++)
		;
	if (w == nw)
		return -ENOENT;
	*lo = (uint16_t)(w * 64 + (unsigned)__builtin_ctzll(s->bits[w]));
	for (w = nw; s->bits[w - 1] == 0; w--)
		;
	*hi = (uint16_t)((w - 1) * 64 + 63 -
	    (unsigned)__builtin_clzll(s->bits[w - 1]));
	return 0;
}

int
portset_format(const struct portset *s, char *buf, size_t len)
{
	size_t used = 0;
	unsigned p = 0, lo;
	int n;

	if (len == 0)
		return -ENOSPC;
	buf[0] = '\0';
	while (p <= 65535) {
		if (!portset_has(s, (uint16_t)p)) {
			p++;
			continue;
		}
		lo = p;
		while (p + 1 <= 65535 && portset_has(s, (uint16_t)(p + 1)))
			p++;
		n = lo == p ?
		    snprintf(buf + used, len - used, "%s%u", used ? ", " : "",
		    lo) :
		    snprintf(buf + used, len - used, "%s%u-%u", used ? ", " : "",
		    lo, p);
		if (n < 0 || (size_t)n >= len - used) {
			if (len >= 4)
				memcpy(buf + len - 4, "...", 4);
			return -ENOSPC;
		}
		used += (size_t)n;
		p++;
	}
	return 0;
}

int
portset_parse(struct portset *s, const char *text)
{
	const char *p = text, *end;
	char tok[16];
	uint16_t lo, hi;
	unsigned port;
	size_t n;

	while (*p == ' ')
		p++;
	while (*p != '\0') {
		end = strchr(p, ',');
		n = end ? (size_t)(end - p) : strlen(p);
		if (n == 0 || n >= sizeof(tok))
			return -EINVAL;
		memcpy(tok, p, n);
		tok[n] = '\0';
		if (parse_port_range(tok, &lo, &hi) < 0)
			return -EINVAL;
		for (port = lo; port <= hi; port++)
			portset_add(s, (uint16_t)port);
		if (end == NULL)
			break;
		p = end + 1;
		while (*p == ' ')
			p++;
		if (*p == '\0')
			return -EINVAL;	/* a trailing comma */
	}
	return 0;
}
