/*
 * report_walk.c - the full evidence of a check for -v: a walk of its JSON
 * fields, one per line, wrapped to the terminal.  The default text report
 * does not use it: each family writes its evidence in words.
 */
#include <stdlib.h>
#include <string.h>

#include "report_text.h"

/* A scalar as text: strings as they are, reals to 6 digits. */
static char *
walk_scalar(const json_t *v)
{
	char *s = NULL;

	if (json_is_string(v))
		return strdup(json_string_value(v));
	if (json_is_real(v)) {
		char b[64];

		return strdup(text_num(json_real_value(v), b, sizeof(b)));
	}
	s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT |
	    JSON_REAL_PRECISION(6));
	return s != NULL ? s : strdup("?");
}

static void
walk_value(struct text_out *t, int indent, const char *key, const json_t *v)
{
	const char *k;
	json_t *e;
	size_t i;
	char *s;

	if (json_is_object(v) && json_object_size(v) > 0) {
		text_para(t, indent, 4, "%s:", key);
		json_object_foreach((json_t *)v, k, e)
			walk_value(t, indent + 2, k, e);
		return;
	}
	if (json_is_array(v) && json_array_size(v) > 0 &&
	    (json_is_object(json_array_get(v, 0)) ||
	    json_is_array(json_array_get(v, 0)))) {
		text_para(t, indent, 4, "%s:", key);
		json_array_foreach(v, i, e) {
			char idx[24];

			snprintf(idx, sizeof(idx), "[%zu]", i);
			walk_value(t, indent + 2, idx, e);
		}
		return;
	}
	if ((s = json_is_array(v) || json_is_object(v) ?
	    json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(6)) :
	    walk_scalar(v)) == NULL)
		return;
	text_para(t, indent, 4, "%s: %s", key, s);
	free(s);
}

void
report_walk_evidence(struct text_out *t, int indent, const json_t *ev)
{
	const char *k;
	json_t *e;

	json_object_foreach((json_t *)ev, k, e)
		walk_value(t, indent, k, e);
}
