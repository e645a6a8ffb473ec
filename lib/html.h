/*
 * html.h - writing HTML and inline SVG with every untrusted string
 * escaped.  Reports carry bytes that came off the network (SIP headers,
 * HTTP heads, a server's reason texts), and pinholed serves stored reports
 * that anyone may have uploaded: nothing from a report reaches the page
 * without going through html_text().
 */
#ifndef PINHOLE_HTML_H
#define PINHOLE_HTML_H

#include <stddef.h>
#include <stdio.h>

/* A page being written; the first write error sticks in 'err'. */
struct html_out {
	FILE *f;
	int err;		/* 0, or the -errno of the first failure */
};

void html_init(struct html_out *h, FILE *f);

/* Writes trusted markup as it is: literals of the renderer only. */
void html_raw(struct html_out *h, const char *markup);
/*
 * Writes trusted markup through printf.  Only numbers and the renderer's
 * own literals may go in: a string from a report goes through html_text().
 */
void html_rawf(struct html_out *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Writes 's' escaped for text and for a quoted attribute value: & < > " '
 * become entities; control characters, invalid UTF-8 and the Unicode
 * direction overrides become visible escapes (\x1b, \u202e) so that they
 * can neither break the page nor reorder what the reader sees.  NULL
 * writes nothing.
 */
void html_text(struct html_out *h, const char *s);
/* The same for 'n' bytes that need not end in NUL. */
void html_textn(struct html_out *h, const char *s, size_t n);
/* printf, then escaped as html_text() does. */
void html_textf(struct html_out *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* 0, or -EIO (a write failed) or -ENOMEM: the first failure. */
int html_status(const struct html_out *h);

/* A number as people read it: at most 3 decimals, no trailing zeros. */
void html_num(struct html_out *h, double v);

/*
 * Length of the valid UTF-8 sequence at 's' (at most 'n' bytes), or 0
 * when the bytes there are not one.  Lets callers cut strings between
 * characters.
 */
size_t html_utf8_len(const char *s, size_t n);

/*
 * Ticks for an axis from 0 to 'max' (> 0): a step of 1, 2 or 5 times a
 * power of ten giving about 'want' ticks.
 */
double html_axis_step(double max, int want);

#endif
