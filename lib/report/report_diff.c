/*
 * report_diff.c - two reports compared by requirement: the model, the
 * exit status and the JSON renderer (pinhole.diff/1).  The facts of each
 * family are in report_diff_facts.c, text and HTML in report_diff_text.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "report_diff.h"

static const char *const diff_change_names[] = {
	[DIFF_SAME] = "same",
	[DIFF_BETTER] = "better",
	[DIFF_WORSE] = "worse",
	[DIFF_CHANGED] = "changed",
	[DIFF_UNMEASURED] = "unmeasured",
	[DIFF_ADDED] = "added",
	[DIFF_REMOVED] = "removed",
};

const char *
diff_change_name(enum diff_change c)
{
	if ((unsigned)c > DIFF_REMOVED)
		return "same";
	return diff_change_names[c];
}

/* How good a verdict is; skip has no rank (-1). */
static int
diff_rank(enum verdict v)
{
	switch (v) {
	case VERDICT_PASS: return 3;
	case VERDICT_WARN: return 2;
	case VERDICT_FAIL: return 1;
	case VERDICT_ERROR: return 0;
	default: return -1;
	}
}

static char *
diff_strdup(const char *s, int *bad)
{
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		*bad = 1;
	return d;
}

static const struct report_check *
diff_find(const struct report *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->nchecks; i++)
		if (strcmp(r->checks[i].id, id) == 0)
			return &r->checks[i];
	return NULL;
}

static enum diff_change
diff_classify(const struct diff_entry *e)
{
	int ra, rb;

	if (!e->in_b)
		return DIFF_REMOVED;
	if (!e->in_a)
		return DIFF_ADDED;
	ra = diff_rank(e->before);
	rb = diff_rank(e->after);
	if (ra < 0 && rb < 0)
		return DIFF_SAME;
	if (ra < 0 || rb < 0)
		return DIFF_UNMEASURED;
	if (rb > ra)
		return DIFF_BETTER;
	if (rb < ra)
		return DIFF_WORSE;
	return e->nfacts > 0 ? DIFF_CHANGED : DIFF_SAME;
}

/* One entry from the check in each report (either may be NULL). */
static int
diff_entry_fill(struct diff_entry *e, const struct report_check *ca,
    const struct report_check *cb)
{
	const struct report_check *c = cb != NULL ? cb : ca;
	int bad = 0;

	memset(e, 0, sizeof(*e));
	e->id = diff_strdup(c->id, &bad);
	e->section = diff_strdup(c->section, &bad);
	if ((e->in_a = ca != NULL)) {
		e->before = ca->verdict;
		e->summary_before = diff_strdup(ca->summary, &bad);
	}
	if ((e->in_b = cb != NULL)) {
		e->after = cb->verdict;
		e->summary_after = diff_strdup(cb->summary, &bad);
	}
	if (bad)
		return -ENOMEM;
	/* The facts, wherever both measured something. */
	if (ca != NULL && cb != NULL && diff_rank(ca->verdict) >= 0 &&
	    diff_rank(cb->verdict) >= 0 &&
	    report_diff_facts(c->id, ca->evidence, cb->evidence, e) < 0)
		return -ENOMEM;
	e->change = diff_classify(e);
	return 0;
}

static int
diff_append(struct report_diff *d, const struct report_check *ca,
    const struct report_check *cb)
{
	struct diff_entry *ne;
	int r;

	ne = realloc(d->entries, (d->nentries + 1) * sizeof(*ne));
	if (ne == NULL)
		return -ENOMEM;
	d->entries = ne;
	r = diff_entry_fill(&ne[d->nentries], ca, cb);
	d->nentries++;		/* freed with the rest even when half filled */
	if (r == 0)
		d->counts[ne[d->nentries - 1].change]++;
	return r;
}

int
report_diff_build(const struct report *a, const struct report *b,
    const char *label_a, const char *label_b, struct report_diff *d)
{
	size_t i;
	int bad = 0;

	memset(d, 0, sizeof(*d));
	d->label_a = diff_strdup(label_a, &bad);
	d->label_b = diff_strdup(label_b, &bad);
	d->started_a = diff_strdup(a->started, &bad);
	d->started_b = diff_strdup(b->started, &bad);
	d->server_a = diff_strdup(a->server, &bad);
	d->server_b = diff_strdup(b->server, &bad);
	d->overall_a = report_overall(a);
	d->overall_b = report_overall(b);
	if (bad)
		goto fail;
	for (i = 0; i < b->nchecks; i++)
		if (diff_append(d, diff_find(a, b->checks[i].id),
		    &b->checks[i]) < 0)
			goto fail;
	for (i = 0; i < a->nchecks; i++)
		if (diff_find(b, a->checks[i].id) == NULL &&
		    diff_append(d, &a->checks[i], NULL) < 0)
			goto fail;
	return 0;
fail:
	report_diff_free(d);
	return -ENOMEM;
}

void
report_diff_free(struct report_diff *d)
{
	size_t i, k;

	for (i = 0; i < d->nentries; i++) {
		struct diff_entry *e = &d->entries[i];

		for (k = 0; k < e->nfacts; k++) {
			free(e->facts[k].what);
			free(e->facts[k].before);
			free(e->facts[k].after);
		}
		free(e->facts);
		free(e->id);
		free(e->section);
		free(e->summary_before);
		free(e->summary_after);
	}
	free(d->entries);
	free(d->label_a);
	free(d->label_b);
	free(d->started_a);
	free(d->started_b);
	free(d->server_a);
	free(d->server_b);
	memset(d, 0, sizeof(*d));
}

int
report_diff_exit_status(const struct report_diff *d)
{
	return d->counts[DIFF_WORSE] > 0 ? 1 : 0;
}

static json_t *
diff_str(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
diff_fact_json(const struct diff_fact *f)
{
	return json_pack("{s:s, s:o, s:o, s:s}", "what", f->what,
	    "before", diff_str(f->before), "after", diff_str(f->after),
	    "direction", f->direction > 0 ? "better" : f->direction < 0 ?
	    "worse" : "neither");
}

static json_t *
diff_entry_json(const struct diff_entry *e)
{
	json_t *facts = json_array(), *o;
	size_t k;

	for (k = 0; k < e->nfacts; k++)
		if (json_array_append_new(facts, diff_fact_json(&e->facts[k]))
		    < 0) {
			json_decref(facts);
			return NULL;
		}
	o = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o}",
	    "id", e->id, "section", e->section,
	    "change", diff_change_name(e->change),
	    "before", e->in_a ? json_string(verdict_name(e->before)) :
	    json_null(),
	    "after", e->in_b ? json_string(verdict_name(e->after)) :
	    json_null(),
	    "summary_before", diff_str(e->summary_before),
	    "summary_after", diff_str(e->summary_after),
	    "facts", facts);
	return o;
}

json_t *
report_diff_to_json(const struct report_diff *d)
{
	json_t *o, *entries = json_array(), *counts = json_object();
	enum diff_change c;
	size_t i;

	if (entries == NULL || counts == NULL)
		goto fail;
	for (i = 0; i < d->nentries; i++)
		if (json_array_append_new(entries,
		    diff_entry_json(&d->entries[i])) < 0)
			goto fail;
	for (c = DIFF_SAME; c <= DIFF_REMOVED; c++)
		if (json_object_set_new(counts, diff_change_name(c),
		    json_integer((json_int_t)d->counts[c])) < 0)
			goto fail;
	o = json_pack("{s:s, s:s, s:{s:o, s:o, s:o, s:s}, "
	    "s:{s:o, s:o, s:o, s:s}, s:b, s:o, s:o}",
	    "schema", REPORT_DIFF_SCHEMA, "version", PINHOLE_VERSION,
	    "before", "source", diff_str(d->label_a),
	    "server", diff_str(d->server_a), "started", diff_str(d->started_a),
	    "verdict", verdict_name(d->overall_a),
	    "after", "source", diff_str(d->label_b),
	    "server", diff_str(d->server_b), "started", diff_str(d->started_b),
	    "verdict", verdict_name(d->overall_b),
	    "worse", report_diff_exit_status(d) != 0,
	    "counts", counts, "checks", entries);
	return o;
fail:
	json_decref(entries);
	json_decref(counts);
	return NULL;
}

static int
diff_render_json(const struct report_diff *d, FILE *out, int flags)
{
	json_t *o = report_diff_to_json(d);
	int rc;

	(void)flags;
	if (o == NULL)
		return -ENOMEM;
	rc = json_dumpf(o, out, REPORT_JSON_FLAGS);
	json_decref(o);
	if (rc < 0 || fputc('\n', out) == EOF)
		return -EIO;
	return 0;
}

static const struct report_diff_output diff_outputs[] = {
	{ "text", report_diff_render_text },
	{ "json", diff_render_json },
	{ "html", report_diff_render_html },
};

const struct report_diff_output *
report_diff_output_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(diff_outputs) / sizeof(diff_outputs[0]); i++)
		if (strcmp(diff_outputs[i].name, name) == 0)
			return &diff_outputs[i];
	return NULL;
}
