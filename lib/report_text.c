/*
 * report_text.c - the text report: checks grouped by section, one line
 * each, with evidence and remedy under whatever did not pass.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define WRAP_COLS 78

static const char *
text_tag(enum verdict v)
{
	switch (v) {
	case VERDICT_PASS: return "PASS";
	case VERDICT_WARN: return "WARN";
	case VERDICT_FAIL: return "FAIL";
	case VERDICT_SKIP: return "SKIP";
	default: return "ERR ";
	}
}

static const char *
text_color(enum verdict v)
{
	switch (v) {
	case VERDICT_PASS: return "\033[32m";
	case VERDICT_WARN: return "\033[33m";
	case VERDICT_FAIL: return "\033[31;1m";
	case VERDICT_SKIP: return "\033[2m";
	default: return "\033[35m";
	}
}

/* Writes 'text' wrapped at WRAP_COLS, the first line after 'lead'. */
static void
text_wrap(FILE *out, int indent, const char *lead, const char *text)
{
	int col = indent + (int)strlen(lead);
	const char *p = text, *sp;
	size_t w;

	fprintf(out, "%*s%s", indent, "", lead);
	while (*p != '\0') {
		while (*p == ' ')
			p++;
		sp = strchr(p, ' ');
		w = sp ? (size_t)(sp - p) : strlen(p);
		if (w == 0)
			break;
		if (col + 1 + (int)w > WRAP_COLS && col > indent + (int)strlen(lead)) {
			fprintf(out, "\n%*s", indent + (int)strlen(lead), "");
			col = indent + (int)strlen(lead);
		} else if (col > indent + (int)strlen(lead)) {
			fputc(' ', out);
			col++;
		}
		fwrite(p, 1, w, out);
		col += (int)w;
		p += w;
	}
	fputc('\n', out);
}

static void
text_scalar(FILE *out, const json_t *v)
{
	char *s;

	if (json_is_string(v)) {
		fputs(json_string_value(v), out);
		return;
	}
	s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	fputs(s ? s : "?", out);
	free(s);
}

static int
text_is_change(const json_t *v)
{
	return json_is_object(v) && json_object_get(v, "element") != NULL;
}

static void text_value(FILE *out, int indent, const char *key, const json_t *v);

/* An object of scalars only: one line of "key value" pairs. */
static int
text_flat(const json_t *v)
{
	const char *k;
	json_t *e;

	if (!json_is_object(v))
		return 0;
	json_object_foreach((json_t *)v, k, e)
		if (json_is_object(e) || json_is_array(e))
			return 0;
	return 1;
}

static void
text_flat_line(FILE *out, int indent, const json_t *v)
{
	const char *k;
	json_t *e;
	int first = 1;

	fprintf(out, "%*s", indent, "");
	json_object_foreach((json_t *)v, k, e) {
		fprintf(out, "%s%s ", first ? "" : ", ", k);
		text_scalar(out, e);
		first = 0;
	}
	fputc('\n', out);
}

static void
text_change(FILE *out, int indent, const json_t *c)
{
	const json_t *msg = json_object_get(c, "message");
	const json_t *s = json_object_get(c, "sent");
	const json_t *r = json_object_get(c, "received");

	fprintf(out, "%*s", indent, "");
	if (json_is_string(msg))
		fprintf(out, "%s ", json_string_value(msg));
	fprintf(out, "%s: ", json_string_value(json_object_get(c, "element")));
	if (json_is_null(s) || s == NULL)
		fputs("(added) ", out);
	else
		text_scalar(out, s);
	fputs(" -> ", out);
	if (json_is_null(r) || r == NULL)
		fputs("(removed)", out);
	else
		text_scalar(out, r);
	fputc('\n', out);
}

static void
text_value(FILE *out, int indent, const char *key, const json_t *v)
{
	const char *k;
	json_t *e;
	size_t i;

	if (json_is_object(v)) {
		fprintf(out, "%*s%s:\n", indent, "", key);
		json_object_foreach((json_t *)v, k, e)
			text_value(out, indent + 2, k, e);
		return;
	}
	if (json_is_array(v) && json_array_size(v) > 0 &&
	    json_is_object(json_array_get(v, 0))) {
		fprintf(out, "%*s%s:\n", indent, "", key);
		json_array_foreach(v, i, e) {
			if (text_is_change(e)) {
				text_change(out, indent + 2, e);
			} else if (text_flat(e)) {
				text_flat_line(out, indent + 2, e);
			} else {
				char idx[24];

				snprintf(idx, sizeof(idx), "[%zu]", i);
				text_value(out, indent + 2, idx, e);
			}
		}
		return;
	}
	fprintf(out, "%*s%s: ", indent, "", key);
	text_scalar(out, v);
	fputc('\n', out);
}

int
report_render_text(const struct report *r, FILE *out, int color)
{
	const char *reset = color ? "\033[0m" : "";
	size_t n[VERDICT_ERROR + 1] = { 0 };
	enum verdict overall = report_overall(r);
	size_t i, j, k;
	const char *key;
	json_t *e;

	fprintf(out, "pinhole %s against %s\n", r->nprofiles > 0 ? "check" :
	    "nat", r->server ? r->server : "?");
	if (r->nprofiles > 0) {
		fputs("  profiles: ", out);
		for (i = 0; i < r->nprofiles; i++)
			fprintf(out, "%s%s", i ? ", " : "", r->profiles[i]);
		fputc('\n', out);
	}
	fprintf(out, "  local address: %s, public: %s (UDP), %s (TCP)\n",
	    r->local_addr ? r->local_addr : "unknown",
	    r->public_udp ? r->public_udp : "unknown",
	    r->public_tcp ? r->public_tcp : "unknown");
	if (r->started)
		fprintf(out, "  started: %s\n", r->started);

	/* Sections in order of first appearance. */
	for (i = 0; i < r->nchecks; i++) {
		const char *sec = r->checks[i].section;

		for (j = 0; j < i && strcmp(r->checks[j].section, sec) != 0; j++)
			;
		if (j < i)
			continue;
		fprintf(out, "\n%s%s%s\n", color ? "\033[1m" : "", sec, reset);
		for (k = i; k < r->nchecks; k++) {
			const struct report_check *c = &r->checks[k];

			if (strcmp(c->section, sec) != 0)
				continue;
			fprintf(out, "  %s%s%s %s: %s\n",
			    color ? text_color(c->verdict) : "",
			    text_tag(c->verdict), reset, c->id, c->summary);
			if (c->verdict == VERDICT_PASS ||
			    c->verdict == VERDICT_SKIP)
				continue;
			json_object_foreach(c->evidence, key, e)
				text_value(out, 7, key, e);
			if (c->remedy != NULL)
				text_wrap(out, 7, "remedy: ", c->remedy);
		}
	}
	for (i = 0; i < r->nchecks; i++)
		n[r->checks[i].verdict]++;
	fprintf(out, "\nverdict: %s%s%s (%zu pass, %zu warn, %zu fail, "
	    "%zu skip, %zu error) in %.1f s\n",
	    color ? text_color(overall) : "", verdict_name(overall), reset,
	    n[VERDICT_PASS], n[VERDICT_WARN], n[VERDICT_FAIL], n[VERDICT_SKIP],
	    n[VERDICT_ERROR], r->duration_s);
	return ferror(out) ? -EIO : 0;
}
