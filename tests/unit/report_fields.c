/*
 * report_fields.c - reads the field tables of docs/report.md (their format
 * is set out there, under "The field tables") and checks a report against
 * them.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "report.h"
#include "report_fields.h"

enum {
	FT_STRING = 1 << 0, FT_INTEGER = 1 << 1, FT_REAL = 1 << 2,
	FT_BOOLEAN = 1 << 3, FT_OBJECT = 1 << 4, FT_ARRAY = 1 << 5,
	FT_NULL = 1 << 6,
};

static const struct {
	const char *name;
	unsigned bits;
} field_types[] = {
	{ "string", FT_STRING }, { "integer", FT_INTEGER },
	{ "number", FT_INTEGER | FT_REAL }, { "boolean", FT_BOOLEAN },
	{ "object", FT_OBJECT }, { "array", FT_ARRAY }, { "null", FT_NULL },
};

static int
field_add(struct field_doc *d, const char *pat, const char *path,
    unsigned types)
{
	const char *o = strchr(path, '{'), *c, *p;
	struct field_row *nr;
	char buf[512];
	int r;

	if (o != NULL) {
		/* "{a,b}": one row per name. */
		if ((c = strchr(o, '}')) == NULL)
			return -EBADMSG;
		for (p = o + 1; p < c; ) {
			size_t n = strcspn(p, ",}");

			snprintf(buf, sizeof(buf), "%.*s%.*s%s", (int)(o - path),
			    path, (int)n, p, c + 1);
			if ((r = field_add(d, pat, buf, types)) < 0)
				return r;
			p += n + (p[n] == ',');
		}
		return 0;
	}
	if ((nr = buf_array_grow(d->row, d->n, &d->cap, sizeof(*nr),
	    64)) == NULL)
		return -ENOMEM;
	d->row = nr;
	d->row[d->n].patterns = strdup(pat);
	d->row[d->n].path = strdup(path);
	d->row[d->n].types = types;
	if (d->row[d->n].patterns == NULL || d->row[d->n].path == NULL)
		return -ENOMEM;
	d->n++;
	return 0;
}

static int
field_types_parse(const char *cell, size_t len, unsigned *bits)
{
	char buf[128], *tok, *save = NULL;
	size_t i;

	if (len >= sizeof(buf))
		return -EBADMSG;
	memcpy(buf, cell, len);
	buf[len] = '\0';
	*bits = 0;
	for (tok = strtok_r(buf, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save)) {
		if (strcmp(tok, "or") == 0)
			continue;
		for (i = 0; i < sizeof(field_types) / sizeof(field_types[0]);
		    i++)
			if (strcmp(tok, field_types[i].name) == 0)
				break;
		if (i == sizeof(field_types) / sizeof(field_types[0]))
			return -EBADMSG;
		*bits |= field_types[i].bits;
	}
	return *bits != 0 ? 0 : -EBADMSG;
}

/* "| `a`, `b` | string or null | meaning |" */
static int
field_row_parse(struct field_doc *d, const char *pat, const char *line)
{
	const char *f = line + 1, *t, *e, *p, *q;
	unsigned bits;
	char path[512];
	int r, any = 0;

	if ((t = strchr(f, '|')) == NULL || (e = strchr(t + 1, '|')) == NULL)
		return -EBADMSG;
	if ((r = field_types_parse(t + 1, (size_t)(e - t - 1), &bits)) < 0)
		return r;
	for (p = f; p < t && (p = memchr(p, '`', (size_t)(t - p))) != NULL;
	    p = q + 1) {
		if ((q = memchr(p + 1, '`', (size_t)(t - p - 1))) == NULL)
			return -EBADMSG;
		snprintf(path, sizeof(path), "%.*s", (int)(q - p - 1), p + 1);
		if ((r = field_add(d, pat, path, bits)) < 0)
			return r;
		any = 1;
	}
	return any ? 0 : -EBADMSG;
}

int
field_doc_load(struct field_doc *d, const char *file, FILE *err)
{
	FILE *f = fopen(file, "r");
	char line[2048], pat[512] = "";
	int state = 0, r = 0, ln = 0;	/* 1 header, 2 rule, 3 rows */

	memset(d, 0, sizeof(*d));
	if (f == NULL)
		return -errno;
	while (fgets(line, sizeof(line), f) != NULL) {
		ln++;
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "<!-- fields: ", 13) == 0) {
			snprintf(pat, sizeof(pat), "%.*s",
			    (int)(strlen(line) - 13 - 4), line + 13);
			state = 1;
			continue;
		}
		if (state == 1) {
			if (strcmp(line, "| field | type | meaning |") != 0)
				goto bad;
			state = 2;
		} else if (state == 2) {
			if (strcmp(line, "|---|---|---|") != 0)
				goto bad;
			state = 3;
		} else if (state == 3) {
			if (line[0] != '|') {
				state = 0;
				continue;
			}
			if ((r = field_row_parse(d, pat, line)) < 0)
				goto bad;
		}
	}
	fclose(f);
	return 0;
bad:
	fprintf(err, "%s:%d: not in the field table format: %s\n", file, ln,
	    line);
	fclose(f);
	return r < 0 && r != -EBADMSG ? r : -EBADMSG;
}

void
field_doc_free(struct field_doc *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->row[i].patterns);
		free(d->row[i].path);
	}
	free(d->row);
	memset(d, 0, sizeof(*d));
}

static unsigned
field_type_of(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_STRING: return FT_STRING;
	case JSON_INTEGER: return FT_INTEGER;
	case JSON_REAL: return FT_REAL;
	case JSON_TRUE: case JSON_FALSE: return FT_BOOLEAN;
	case JSON_OBJECT: return FT_OBJECT;
	case JSON_ARRAY: return FT_ARRAY;
	default: return FT_NULL;
	}
}

static int
field_pattern_match(const char *patterns, const char *id)
{
	char buf[512], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", patterns);
	for (tok = strtok_r(buf, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save))
		if (fnmatch(tok, id, 0) == 0)
			return 1;
	return 0;
}

struct field_walk {
	const struct field_doc *d;
	const char *id;		/* a check id, "(report)" or "(check)" */
	const char *name;
	FILE *err;
	size_t bad;
};

/* One value at 'path': documented with its type? */
static void
field_one(struct field_walk *w, const char *path, const json_t *v)
{
	unsigned t = field_type_of(v), types = 0;
	size_t i;
	int seen = 0;

	for (i = 0; i < w->d->n; i++) {
		const struct field_row *r = &w->d->row[i];

		if (strcmp(r->path, path) != 0)
			continue;
		if (w->id[0] == '(' ? strcmp(r->patterns, w->id) != 0 :
		    !field_pattern_match(r->patterns, w->id))
			continue;
		seen = 1;
		types |= r->types;
	}
	if (!seen) {
		fprintf(w->err, "%s: %s: field %s is not in docs/report.md\n",
		    w->name, w->id, path);
		w->bad++;
	} else if ((types & t) == 0) {
		fprintf(w->err, "%s: %s: field %s has a type docs/report.md "
		    "does not give it\n", w->name, w->id, path);
		w->bad++;
	}
}

static void
field_walk(struct field_walk *w, const char *prefix, const json_t *o)
{
	const char *k;
	json_t *v, *e;
	char path[512], elem[520];
	size_t i;

	json_object_foreach((json_t *)o, k, v) {
		snprintf(path, sizeof(path), "%s%s%s", prefix,
		    prefix[0] ? "." : "", k);
		field_one(w, path, v);
		/* A report's checks and a check's evidence: walked apart. */
		if ((strcmp(w->id, "(report)") == 0 &&
		    strcmp(path, "checks") == 0) ||
		    (strcmp(w->id, "(check)") == 0 &&
		    strcmp(path, "evidence") == 0))
			continue;
		if (json_is_object(v))
			field_walk(w, path, v);
		if (!json_is_array(v))
			continue;
		snprintf(elem, sizeof(elem), "%s[]", path);
		json_array_foreach(v, i, e) {
			/* An element object is described by its fields. */
			if (json_is_object(e))
				field_walk(w, elem, e);
			else
				field_one(w, elem, e);
		}
	}
}

size_t
field_doc_check(const struct field_doc *d, const json_t *o,
    const char *name, FILE *err)
{
	struct field_walk w = { d, "(report)", name, err, 0 };
	const json_t *c;
	char base[256];
	size_t i;

	field_walk(&w, "", o);
	json_array_foreach(json_object_get(o, "checks"), i, c) {
		const json_t *id = json_object_get(c, "id");

		if (!json_is_object(c))
			continue;
		w.id = "(check)";
		field_walk(&w, "", c);
		/* An IPv6 entry's evidence is documented under its IPv4 id. */
		w.id = json_is_string(id) ? report_id_base(json_string_value(id),
		    base, sizeof(base)) : "?";
		if (json_is_object(json_object_get(c, "evidence")))
			field_walk(&w, "", json_object_get(c, "evidence"));
	}
	return w.bad;
}
