/*
 * report_html_json.c - the full evidence of a check as nested tables: the
 * HTML counterpart of -v in the text report.  The families' own views are
 * the plots (report_plot.c); this shows every field, as written.
 */
#include <stdlib.h>
#include <string.h>

#include "report_html.h"

#define EV_MAX_DEPTH	6
#define EV_MAX_COLS	16
#define EV_LONG	160	/* strings longer than this go in a <pre> */

static void ev_value(struct html_out *h, const json_t *v, int depth);

static void
ev_scalar(struct html_out *h, const json_t *v)
{
	const char *s;

	switch (json_typeof(v)) {
	case JSON_STRING:
		s = json_string_value(v);
		if (json_string_length(v) > EV_LONG || strchr(s, '\n')) {
			html_raw(h, "<pre class=\"ev-long\">");
			html_textn(h, s, json_string_length(v));
			html_raw(h, "</pre>");
		} else {
			html_textn(h, s, json_string_length(v));
		}
		break;
	case JSON_INTEGER:
		html_rawf(h, "%lld", (long long)json_integer_value(v));
		break;
	case JSON_REAL:
		html_num(h, json_real_value(v));
		break;
	case JSON_TRUE:
		html_raw(h, "<span class=\"ev-lit\">true</span>");
		break;
	case JSON_FALSE:
		html_raw(h, "<span class=\"ev-lit\">false</span>");
		break;
	default:
		html_raw(h, "<span class=\"ev-lit\">null</span>");
		break;
	}
}

static int
ev_is_scalar(const json_t *v)
{
	return !json_is_object(v) && !json_is_array(v);
}

/* An array of objects whose values are all scalars: one table. */
static int
ev_is_records(const json_t *a)
{
	const json_t *e, *f;
	const char *k;
	size_t i;

	if (json_array_size(a) == 0)
		return 0;
	json_array_foreach(a, i, e) {
		if (!json_is_object(e))
			return 0;
		json_object_foreach((json_t *)e, k, f)
			if (!ev_is_scalar(f))
				return 0;
	}
	return 1;
}

static void
ev_records(struct html_out *h, const json_t *a)
{
	const char *cols[EV_MAX_COLS];
	size_t ncols = 0, i, j;
	const json_t *e, *f;
	const char *k;

	json_array_foreach(a, i, e) {
		json_object_foreach((json_t *)e, k, f) {
			for (j = 0; j < ncols && strcmp(cols[j], k) != 0; j++)
				;
			if (j == ncols && ncols < EV_MAX_COLS)
				cols[ncols++] = k;
		}
	}
	html_raw(h, "<table class=\"ev-rec\"><thead><tr>");
	for (j = 0; j < ncols; j++) {
		html_raw(h, "<th>");
		html_text(h, cols[j]);
		html_raw(h, "</th>");
	}
	html_raw(h, "</tr></thead><tbody>");
	json_array_foreach(a, i, e) {
		html_raw(h, "<tr>");
		for (j = 0; j < ncols; j++) {
			html_raw(h, "<td>");
			if ((f = json_object_get(e, cols[j])) != NULL)
				ev_scalar(h, f);
			html_raw(h, "</td>");
		}
		html_raw(h, "</tr>");
	}
	html_raw(h, "</tbody></table>");
}

static void
ev_array(struct html_out *h, const json_t *a, int depth)
{
	const json_t *e;
	size_t i;
	int scalars = 1;

	if (json_array_size(a) == 0) {
		html_raw(h, "<span class=\"ev-lit\">none</span>");
		return;
	}
	json_array_foreach(a, i, e)
		scalars &= ev_is_scalar(e);
	if (scalars) {
		json_array_foreach(a, i, e) {
			if (i > 0)
				html_raw(h, ", ");
			ev_scalar(h, e);
		}
		return;
	}
	if (ev_is_records(a)) {
		ev_records(h, a);
		return;
	}
	html_raw(h, "<ol class=\"ev-list\">");
	json_array_foreach(a, i, e) {
		html_raw(h, "<li>");
		ev_value(h, e, depth + 1);
		html_raw(h, "</li>");
	}
	html_raw(h, "</ol>");
}

static void
ev_value(struct html_out *h, const json_t *v, int depth)
{
	const json_t *e;
	const char *k;
	char *s;

	if (depth > EV_MAX_DEPTH && !ev_is_scalar(v)) {
		s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		html_raw(h, "<code>");
		html_text(h, s != NULL ? s : "?");
		html_raw(h, "</code>");
		free(s);
		return;
	}
	if (json_is_array(v)) {
		ev_array(h, v, depth);
		return;
	}
	if (!json_is_object(v)) {
		ev_scalar(h, v);
		return;
	}
	if (json_object_size(v) == 0) {
		html_raw(h, "<span class=\"ev-lit\">empty</span>");
		return;
	}
	html_raw(h, "<table class=\"ev\">");
	json_object_foreach((json_t *)v, k, e) {
		html_raw(h, "<tr><th>");
		html_text(h, k);
		html_raw(h, "</th><td>");
		ev_value(h, e, depth + 1);
		html_raw(h, "</td></tr>");
	}
	html_raw(h, "</table>");
}

void
report_html_json(struct html_out *h, const json_t *v)
{
	ev_value(h, v, 0);
}
