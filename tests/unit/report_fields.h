/*
 * report_fields.h - the field tables of docs/report.md, read in their fixed
 * format, and a check that every field of a report is documented there
 * with its type.
 */
#ifndef PINHOLE_REPORT_FIELDS_H
#define PINHOLE_REPORT_FIELDS_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

struct field_row {
	char *patterns;		/* id patterns, space separated */
	char *path;		/* one path, alternations expanded */
	unsigned types;		/* FT_* bits */
};

struct field_doc {
	struct field_row *row;
	size_t n, cap;
};

/*
 * Reads every table of docs/report.md that follows a "<!-- fields: ... -->"
 * line.  Returns 0, -errno when the file cannot be read, or -EBADMSG for a
 * table that breaks the format (the line is written to 'err').
 */
int field_doc_load(struct field_doc *d, const char *file, FILE *err);
void field_doc_free(struct field_doc *d);

/*
 * Checks every field of the report 'o' against the tables; writes one line
 * per undocumented field or type to 'err' (named after 'name').  Returns
 * the number of such fields.
 */
size_t field_doc_check(const struct field_doc *d, const json_t *o,
    const char *name, FILE *err);

#endif
