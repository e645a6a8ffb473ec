/* report.c - the report model and its JSON renderer, the address families' JSON included. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "report.h"

static const char *const verdict_names[] = {
	[VERDICT_PASS] = "pass",
	[VERDICT_WARN] = "warn",
	[VERDICT_FAIL] = "fail",
	[VERDICT_SKIP] = "skip",
	[VERDICT_ERROR] = "error",
};

const char *
verdict_name(enum verdict v)
{
	if ((unsigned)v >= sizeof(verdict_names) / sizeof(verdict_names[0]))
		return "error";
	return verdict_names[v];
}

void
report_init(struct report *r)
{
	memset(r, 0, sizeof(*r));
}

void
report_free(struct report *r)
{
	size_t i;

	for (i = 0; i < r->nchecks; i++) {
		struct report_check *c = &r->checks[i];

		free(c->id);
		free(c->section);
		free(c->requirement);
		free(c->summary);
		free(c->remedy);
		json_decref(c->evidence);
	}
	for (i = 0; i < r->nprofiles; i++)
		free(r->profiles[i]);
	free(r->profiles);
	free(r->checks);
	free(r->server);
	free(r->local_addr);
	free(r->public_udp);
	free(r->public_tcp);
	free(r->started);
	for (i = 0; i < REPORT_AF_N; i++) {
		free(r->af[i].why);
		free(r->af[i].server_addr);
		free(r->af[i].local_addr);
		free(r->af[i].public_udp);
		free(r->af[i].public_tcp);
	}
	memset(r, 0, sizeof(*r));
}

int
report_set(struct report *r, char **field, const char *value)
{
	char *s = NULL;

	if (value != NULL && (s = strdup(value)) == NULL)
		return -ENOMEM;
	free(*field);
	*field = s;
	return 0;
}

int
report_add_profile(struct report *r, const char *name)
{
	char **np, *s;

	if ((s = strdup(name)) == NULL)
		return -ENOMEM;
	if ((np = realloc(r->profiles, (r->nprofiles + 1) * sizeof(*np))) == NULL) {
		free(s);
		return -ENOMEM;
	}
	r->profiles = np;
	r->profiles[r->nprofiles++] = s;
	return 0;
}

struct report_check *
report_add(struct report *r, const char *id, const char *section,
    enum verdict v, json_t *evidence, const char *remedy,
    const char *summary_fmt, ...)
{
	struct report_check *c, *nc;
	va_list ap;
	char *summary = NULL;
	int n;

	if (evidence == NULL)
		evidence = json_object();
	if ((nc = buf_array_grow(r->checks, r->nchecks, &r->cap, sizeof(*nc),
	    16)) == NULL)
		goto fail;
	r->checks = nc;
	va_start(ap, summary_fmt);
	n = vasprintf(&summary, summary_fmt, ap);
	va_end(ap);
	if (n < 0) {
		summary = NULL;
		goto fail;
	}
	c = &r->checks[r->nchecks];
	memset(c, 0, sizeof(*c));
	c->id = strdup(id);
	c->section = strdup(section);
	c->remedy = remedy ? strdup(remedy) : NULL;
	if (c->id == NULL || c->section == NULL || (remedy && !c->remedy)) {
		free(c->id);
		free(c->section);
		free(c->remedy);
		goto fail;
	}
	c->verdict = v;
	c->summary = summary;
	c->evidence = evidence;
	r->nchecks++;
	return c;
fail:
	free(summary);
	json_decref(evidence);
	return NULL;
}

struct report_check *
report_add_copy(struct report *r, const struct report_check *c,
    const char *id)
{
	struct report_check *n;

	n = report_add(r, id != NULL ? id : c->id, c->section, c->verdict,
	    json_incref(c->evidence), c->remedy, "%s", c->summary);
	if (n == NULL)
		return NULL;
	if (c->requirement != NULL &&
	    report_set(r, &n->requirement, c->requirement) < 0)
		return NULL;
	n->duration_s = c->duration_s;
	n->standalone = c->standalone;
	return n;
}

enum verdict
report_overall(const struct report *r)
{
	size_t seen[VERDICT_ERROR + 1] = { 0 }, i;

	for (i = 0; i < r->nchecks; i++)
		seen[r->checks[i].verdict]++;
	return report_worst(seen);
}

enum verdict
report_worst(const size_t seen[VERDICT_ERROR + 1])
{
	if (seen[VERDICT_ERROR])
		return VERDICT_ERROR;
	if (seen[VERDICT_FAIL])
		return VERDICT_FAIL;
	if (seen[VERDICT_WARN])
		return VERDICT_WARN;
	return VERDICT_PASS;
}

int
report_exit_status(const struct report *r)
{
	switch (report_overall(r)) {
	case VERDICT_ERROR:
		return 2;
	case VERDICT_FAIL:
		return 1;
	default:
		return 0;
	}
}

static json_t *
report_str(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
report_secs(double s)
{
	return json_real(round(s * 1000.0) / 1000.0);
}

/* The families' overall verdicts, and their JSON (report_af.c reads it back). */
enum verdict
report_af_overall(const struct report *r, enum report_af_id af)
{
	size_t seen[VERDICT_ERROR + 1] = { 0 }, i;
	int any = 0;

	for (i = 0; i < r->nchecks; i++)
		if (report_id_af(r->checks[i].id) == af) {
			seen[r->checks[i].verdict]++;
			any = 1;
		}
	return any ? report_worst(seen) : VERDICT_SKIP;
}

static json_t *
af_str(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

json_t *
report_af_to_json(const struct report *r)
{
	json_t *o, *one;
	int af;

	if (r->af[REPORT_AF_IPV4].known == 0 &&
	    r->af[REPORT_AF_IPV6].known == 0)
		return NULL;
	if ((o = json_object()) == NULL)
		return NULL;
	for (af = 0; af < REPORT_AF_N; af++) {
		const struct report_af *a = &r->af[af];

		if (!a->known)
			continue;
		if (a->tested)
			one = json_pack("{s:b, s:o, s:o, s:{s:o, s:o}, s:s}",
			    "tested", 1, "server_address",
			    af_str(a->server_addr), "local_address",
			    af_str(a->local_addr), "public_address", "udp",
			    af_str(a->public_udp), "tcp", af_str(a->public_tcp),
			    "verdict", verdict_name(report_af_overall(r, af)));
		else
			one = json_pack("{s:b, s:s}", "tested", 0, "why",
			    a->why != NULL ? a->why : "");
		if (one == NULL ||
		    json_object_set_new(o, report_af_name(af), one) < 0) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

json_t *
report_to_json(const struct report *r)
{
	json_t *o, *profiles, *checks, *counts, *fams;
	size_t n[VERDICT_ERROR + 1] = { 0 };
	size_t i;

	profiles = json_array();
	for (i = 0; i < r->nprofiles; i++)
		json_array_append_new(profiles, json_string(r->profiles[i]));
	checks = json_array();
	for (i = 0; i < r->nchecks; i++) {
		const struct report_check *c = &r->checks[i];
		json_t *one;

		n[c->verdict]++;
		one = json_pack("{s:s, s:s, s:o, s:s, "
		    "s:s, s:O, s:o, s:o}", "id", c->id, "section", c->section,
		    "requirement", report_str(c->requirement),
		    "verdict", verdict_name(c->verdict), "summary", c->summary,
		    "evidence", c->evidence, "remedy", report_str(c->remedy),
		    "duration_s", report_secs(c->duration_s));
		/* A check that cannot be written fails the whole report:
		 * never a report with a check missing. */
		if (one == NULL || json_array_append_new(checks, one) < 0) {
			json_decref(profiles);
			json_decref(checks);
			return NULL;
		}
	}
	counts = json_pack("{s:I, s:I, s:I, s:I, s:I}",
	    "pass", (json_int_t)n[VERDICT_PASS],
	    "warn", (json_int_t)n[VERDICT_WARN],
	    "fail", (json_int_t)n[VERDICT_FAIL],
	    "skip", (json_int_t)n[VERDICT_SKIP],
	    "error", (json_int_t)n[VERDICT_ERROR]);
	o = json_object();
	json_object_set_new(o, "schema", json_string(REPORT_SCHEMA));
	json_object_set_new(o, "version", json_string(PINHOLE_VERSION));
	json_object_set_new(o, "server", report_str(r->server));
	json_object_set_new(o, "profiles", profiles);
	json_object_set_new(o, "local_address", report_str(r->local_addr));
	json_object_set_new(o, "public_address", json_pack("{s:o, s:o}",
	    "udp", report_str(r->public_udp), "tcp", report_str(r->public_tcp)));
	json_object_set_new(o, "started", report_str(r->started));
	if ((fams = report_af_to_json(r)) != NULL)
		json_object_set_new(o, "families", fams);
	json_object_set_new(o, "duration_s", report_secs(r->duration_s));
	json_object_set_new(o, "verdict",
	    json_string(verdict_name(report_overall(r))));
	json_object_set_new(o, "counts", counts);
	json_object_set_new(o, "checks", checks);
	return o;
}

static int
report_render_json(const struct report *r, FILE *out, int flags)
{
	json_t *o = report_to_json(r);
	int rc;

	if (o == NULL)
		return -ENOMEM;
	(void)flags;
	rc = json_dumpf(o, out, REPORT_JSON_FLAGS);
	json_decref(o);
	if (rc < 0 || fputc('\n', out) == EOF)
		return -EIO;
	return 0;
}

static const struct report_output report_outputs[] = {
	{ "text", report_render_text },
	{ "json", report_render_json },
	{ "html", report_render_html },
};

const struct report_output *
report_output_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(report_outputs) / sizeof(report_outputs[0]); i++)
		if (strcmp(report_outputs[i].name, name) == 0)
			return &report_outputs[i];
	return NULL;
}
