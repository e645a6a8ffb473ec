/* html.c - HTML and SVG output with untrusted strings escaped. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

void
html_init(struct html_out *h, FILE *f)
{
	h->f = f;
	h->err = 0;
	h->bytes = h->max_bytes = 0;
	h->shapes = h->max_shapes = 0;
}

void
html_budget(struct html_out *h, size_t max_bytes, unsigned max_shapes)
{
	h->max_bytes = max_bytes;
	h->max_shapes = max_shapes;
}

int
html_shapes_take(struct html_out *h, unsigned n)
{
	if (h->max_shapes > 0 && (n > h->max_shapes ||
	    h->shapes > h->max_shapes - n))
		return -ENOSPC;
	h->shapes += n;
	return 0;
}

/* Counts 'n' bytes against the budget: 0, or -EFBIG (sticks). */
static int
html_count(struct html_out *h, size_t n)
{
	h->bytes += n;
	if (h->max_bytes > 0 && h->bytes > h->max_bytes && h->err == 0)
		h->err = -EFBIG;
	return h->err;
}

static void
html_put(struct html_out *h, const char *p, size_t n)
{
	if (h->err == 0 && n > 0 && html_count(h, n) == 0 &&
	    fwrite(p, 1, n, h->f) != n)
		h->err = -EIO;
}

void
html_raw(struct html_out *h, const char *markup)
{
	html_put(h, markup, strlen(markup));
}

void
html_rawf(struct html_out *h, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (h->err != 0)
		return;
	va_start(ap, fmt);
	n = vfprintf(h->f, fmt, ap);
	va_end(ap);
	if (n < 0)
		h->err = -EIO;
	else
		(void)html_count(h, (size_t)n);
}

size_t
html_utf8_len(const char *s, size_t n)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t len, i;
	uint8_t lo = 0x80, hi = 0xbf;

	if (n == 0)
		return 0;
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3;
		if (p[0] == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (p[0] == 0xed)
			hi = 0x9f;	/* surrogates */
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4;
		if (p[0] == 0xf0)
			lo = 0x90;
		else if (p[0] == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
	} else
		return 0;
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return len;
}

size_t
html_utf8_fit(const char *s, size_t max)
{
	size_t at = 0, len;

	while (at < max && s[at] != '\0') {
		len = html_utf8_len(s + at, max - at);
		if (len == 0)
			break;
		at += len;
	}
	return at;
}

static uint32_t
html_utf8_cp(const uint8_t *p, size_t len)
{
	static const uint8_t lead_mask[] = { 0, 0x7f, 0x1f, 0x0f, 0x07 };
	uint32_t cp = p[0] & lead_mask[len];
	size_t i;

	for (i = 1; i < len; i++)
		cp = (cp << 6) | (p[i] & 0x3f);
	return cp;
}

/* C1 controls and the characters that reorder text around them. */
static int
html_cp_hidden(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c ||
	    cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069);
}

void
html_textn(struct html_out *h, const char *s, size_t n)
{
	const char *run = s, *end = s + n, *p = s;
	char esc[16];
	size_t len;

	if (s == NULL)
		return;
	while (p < end) {
		unsigned char c = (unsigned char)*p;
		const char *rep = NULL;

		len = 1;
		switch (c) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default:
			if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
				snprintf(esc, sizeof(esc), "\\x%02x", c);
				rep = esc;
			} else if (c >= 0x80) {
				len = html_utf8_len(p, (size_t)(end - p));
				if (len == 0) {
					snprintf(esc, sizeof(esc), "\\x%02x", c);
					rep = esc;
					len = 1;
				} else if (html_cp_hidden(html_utf8_cp(
				    (const uint8_t *)p, len))) {
					snprintf(esc, sizeof(esc), "\\u%04x",
					    (unsigned)html_utf8_cp(
					    (const uint8_t *)p, len));
					rep = esc;
				}
			}
		}
		if (rep != NULL) {
			html_put(h, run, (size_t)(p - run));
			html_raw(h, rep);
			run = p + len;
		}
		p += len;
	}
	html_put(h, run, (size_t)(p - run));
}

void
html_text(struct html_out *h, const char *s)
{
	if (s != NULL)
		html_textn(h, s, strlen(s));
}

void
html_textf(struct html_out *h, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		h->err = -ENOMEM;
		return;
	}
	html_textn(h, s, (size_t)n);
	free(s);
}

int
html_status(const struct html_out *h)
{
	return h->err;
}

double
html_axis_step(double max, int want)
{
	double raw, mag, f;

	if (!(max > 0) || want < 1)
		return 1;
	raw = max / want;
	mag = pow(10, floor(log10(raw)));
	f = raw / mag;
	if (f <= 1)
		return mag;
	if (f <= 2)
		return 2 * mag;
	if (f <= 5)
		return 5 * mag;
	return 10 * mag;
}

void
html_num(struct html_out *h, double v)
{
	char buf[64];
	size_t n;

	if (!isfinite(v)) {
		html_raw(h, "?");
		return;
	}
	snprintf(buf, sizeof(buf), "%.3f", v);
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
	if (strcmp(buf, "-0") == 0)
		snprintf(buf, sizeof(buf), "0");
	html_raw(h, buf);
}
