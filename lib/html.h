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

/*
 * A page being written; the first write error sticks in 'err'.  A page
 * has two budgets, 0 meaning none: bytes (past it every write fails with
 * -EFBIG) and shapes (SVG elements, taken by the plots through
 * html_shapes_take() before they draw).
 */
struct html_out {
	FILE *f;
	int err;		/* 0, or the -errno of the first failure */
	size_t bytes, max_bytes;
	unsigned shapes, max_shapes;
};

/* A page on 'f' with no budget. */
void html_init(struct html_out *h, FILE *f);
/* Sets the page's budgets (0: none). */
void html_budget(struct html_out *h, size_t max_bytes, unsigned max_shapes);
/* Takes 'n' shapes of the budget: 0, or -ENOSPC when they do not fit
 * (nothing is taken then: the caller draws nothing). */
int html_shapes_take(struct html_out *h, unsigned n);

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

/* 0, or -EIO (a write failed), -ENOMEM or -EFBIG (past the byte
 * budget): the first failure. */
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
 * How many bytes of 's' to keep so that it fits in 'max' bytes (a NUL
 * not counted) and is cut between characters, never inside one: the
 * longest prefix of at most 'max' bytes made of whole valid UTF-8
 * sequences.  A string that is not UTF-8 is cut before its first bad byte.
 */
size_t html_utf8_fit(const char *s, size_t max);

/*
 * Ticks for an axis from 0 to 'max' (> 0): a step of 1, 2 or 5 times a
 * power of ten giving about 'want' ticks.
 */
double html_axis_step(double max, int want);

#endif
