/*
 * report_text.h - what the text report's parts share: a writer that wraps
 * at word boundaries within the terminal's columns, helpers that write
 * numbers in units, and the table of family renderers (one file per
 * family, keyed by id prefix).  Evidence is read through report_ev.h.
 */
#ifndef PINHOLE_REPORT_TEXT_H
#define PINHOLE_REPORT_TEXT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "report.h"
#include "report_ev.h"

#define TEXT_COLS 80

/* Where the text goes, and how wide it may be. */
struct text_out {
	FILE *f;
	int color;
	int cols;		/* no line is longer (in characters) */
};

/*
 * Writes the formatted text as a paragraph: the first line starts at
 * column 'indent', the lines after it at 'indent' + 'hang'.  It breaks at
 * spaces so that no line is longer than t->cols characters (UTF-8 counts
 * one per character); a word longer than a line is cut.
 */
void text_para(struct text_out *t, int indent, int hang, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));
void text_vpara(struct text_out *t, int indent, int hang, const char *fmt,
    va_list ap);

/* The number of characters (not bytes) of a UTF-8 string. */
size_t text_width(const char *s);
/*
 * Writes 's' from column 'at', where the cursor stands on the current
 * line (spaces up to 'indent' first when 'at' is short of it), wrapped at
 * spaces as text_para() does, the lines after the first at column
 * 'indent'; ends with a newline, also when 's' is empty.
 */
void text_put_wrapped(struct text_out *t, size_t at, size_t indent,
    const char *s);

/*
 * A duration in seconds for people: "0.4 s", "24.1 s", "3 min 4 s";
 * returns buf.
 */
const char *text_secs(double s, char *buf, size_t len);
/* A real for people: at most 3 decimals, trailing zeros dropped. */
const char *text_num(double v, char *buf, size_t len);

/*
 * Appends formatted text to buf (NUL-terminated, holding 'len'); once full,
 * further text is dropped.  For building the summary table's findings.
 */
void text_cat(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * An array of port numbers as compressed ranges ("5060-5062, 5064") into
 * buf; "" for an empty or absent array.
 */
const char *text_port_ranges(const json_t *ports, char *buf, size_t len);

/*
 * The text of one family of checks: ids equal to 'prefix' or starting
 * with 'prefix' and a dot.
 */
struct report_family {
	const char *prefix;
	/*
	 * The finding in a few words and units for the summary table (for
	 * example "established 30 s, unreplied 20 s; needs 120 s"), into
	 * buf.  Returns 0, or -ENOENT when the check's summary says it best.
	 */
	int (*found)(const struct report_check *c, char *buf, size_t len);
	/*
	 * The evidence written as a person would, under a check that did not
	 * pass, at indent 2; the frame writes the summary before it and the
	 * remedy after it.
	 */
	void (*detail)(const struct report_check *c, struct text_out *t);
};

extern const struct report_family report_family_sipalg;
extern const struct report_family report_family_sipsize;
extern const struct report_family report_family_udptimeout;
extern const struct report_family report_family_reach;
extern const struct report_family report_family_layers;
extern const struct report_family report_family_nat;
extern const struct report_family report_family_media;
extern const struct report_family report_family_qos;
extern const struct report_family report_family_relay;

/* The family that renders the check with this id, or NULL. */
const struct report_family *report_family_find(const char *id);

/*
 * The full evidence as an indented walk of its fields, for -v: every key,
 * scalars as JSON, strings as they are, wrapped to t->cols.
 */
void report_walk_evidence(struct text_out *t, int indent, const json_t *ev);

#endif
