/*
 * report_textutil.c - the text report's writer (paragraphs wrapped at word
 * boundaries, counted in characters) and its helpers for numbers, units
 * and port ranges.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_text.h"

/* Bytes of the UTF-8 character that starts with c. */
static size_t
text_charlen(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0)
		return 2;
	if ((c & 0xf0) == 0xe0)
		return 3;
	if ((c & 0xf8) == 0xf0)
		return 4;
	return 1;
}

size_t
text_width(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* Bytes of the first 'chars' characters of s[0..len). */
static size_t
text_bytes_of(const char *s, size_t len, size_t chars)
{
	size_t i = 0;

	while (i < len && chars > 0) {
		size_t l = text_charlen((unsigned char)s[i]);

		i += l > len - i ? len - i : l;
		chars--;
	}
	return i;
}

/* Width of s[0..len). */
static size_t
text_width_n(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

/*
 * Writes 's' wrapped at spaces: the cursor stands at column 'at' of the
 * first line, which starts at column 'first' (the spaces between are
 * written); the lines after it start at column 'rest'.
 */
static int
text_wrap(struct text_out *t, const char *s, size_t at, size_t first,
    size_t rest)
{
	const char *p = s;
	size_t col, start, avail;
	int line = 0;

	while (*p != '\0') {
		start = line == 0 ? first : rest;
		avail = (size_t)t->cols - start;
		fprintf(t->f, "%*s", (int)(line == 0 ? start - at : start), "");
		col = 0;
		while (*p == ' ')
			p++;
		for (;;) {
			size_t w = strcspn(p, " "), ww = text_width_n(p, w);

			if (w == 0)
				break;
			if (col > 0 && col + 1 + ww > avail)
				break;
			if (col > 0) {
				fputc(' ', t->f);
				col++;
			}
			if (ww > avail - col) {
				/* A word longer than a line: cut it. */
				size_t b = text_bytes_of(p, w, avail - col);

				fwrite(p, 1, b, t->f);
				p += b;
				col = avail;
				break;
			}
			fwrite(p, 1, w, t->f);
			col += ww;
			p += w;
			while (*p == ' ')
				p++;
		}
		fputc('\n', t->f);
		line++;
	}
	return line;
}

void
text_vpara(struct text_out *t, int indent, int hang, const char *fmt,
    va_list ap)
{
	char *s = NULL;

	if (vasprintf(&s, fmt, ap) < 0)
		return;
	if (indent + hang >= t->cols - 10)
		hang = 0;
	(void)text_wrap(t, s, 0, (size_t)indent, (size_t)(indent + hang));
	free(s);
}

void
text_put_wrapped(struct text_out *t, size_t at, size_t indent, const char *s)
{
	if (indent > (size_t)t->cols - 10)
		indent = (size_t)t->cols - 10;
	if (text_wrap(t, s, at, at > indent ? at : indent, indent) == 0)
		fputc('\n', t->f);
}

void
text_para(struct text_out *t, int indent, int hang, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	text_vpara(t, indent, hang, fmt, ap);
	va_end(ap);
}

const char *
text_num(double v, char *buf, size_t len)
{
	char *e;

	snprintf(buf, len, "%.3f", round(v * 1000.0) / 1000.0);
	if (strchr(buf, '.') != NULL) {
		for (e = buf + strlen(buf) - 1; *e == '0'; e--)
			*e = '\0';
		if (*e == '.')
			*e = '\0';
	}
	if (strcmp(buf, "-0") == 0)
		snprintf(buf, len, "0");
	return buf;
}

const char *
text_secs(double s, char *buf, size_t len)
{
	if (s >= 600.0)
		snprintf(buf, len, "%d min %d s", (int)(s / 60.0),
		    (int)fmod(s, 60.0));
	else if (s >= 100.0 || s == floor(s))
		snprintf(buf, len, "%.0f s", s);
	else
		snprintf(buf, len, "%.1f s", s);
	return buf;
}

void
text_cat(char *buf, size_t len, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n + 1 >= len)
		return;
	va_start(ap, fmt);
	if (vsnprintf(buf + n, len - n, fmt, ap) >= (int)(len - n))
		buf[len - 1] = '\0';
	va_end(ap);
}

static int
text_port_cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

const char *
text_port_ranges(const json_t *ports, char *buf, size_t len)
{
	long long *p;
	size_t n = 0, i, j;
	json_t *v;

	buf[0] = '\0';
	if (!json_is_array(ports) || json_array_size(ports) == 0)
		return buf;
	if ((p = calloc(json_array_size(ports), sizeof(*p))) == NULL)
		return buf;
	json_array_foreach(ports, i, v)
		if (json_is_integer(v))
			p[n++] = json_integer_value(v);
	qsort(p, n, sizeof(*p), text_port_cmp);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && p[j] <= p[j - 1] + 1; j++)
			;
		if (p[j - 1] != p[i])
			text_cat(buf, len, "%s%lld-%lld", i ? ", " : "", p[i],
			    p[j - 1]);
		else
			text_cat(buf, len, "%s%lld", i ? ", " : "", p[i]);
	}
	free(p);
	return buf;
}
