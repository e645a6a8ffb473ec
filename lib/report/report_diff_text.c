/*
 * report_diff_text.c - a comparison of two reports for people: text in
 * lines of at most 80 characters, and one self-contained HTML page (no
 * script, nothing fetched, every string of the reports escaped).  Both
 * list what got worse first, then what got better, then what changed
 * under the same verdict, then what was measured in one report only.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "html.h"
#include "report_diff.h"
#include "report_text.h"

/* The groups, in the order they are shown, with their headings. */
static const struct {
	enum diff_change change;
	const char *title;
} diff_groups[] = {
	{ DIFF_WORSE, "Worse" },
	{ DIFF_BETTER, "Better" },
	{ DIFF_CHANGED, "Changed, same verdict" },
	{ DIFF_UNMEASURED, "Measured in one report only" },
	{ DIFF_ADDED, "Only in the second report" },
	{ DIFF_REMOVED, "Only in the first report" },
};
#define DIFF_NGROUPS (sizeof(diff_groups) / sizeof(diff_groups[0]))

static const char *
diff_verdict_or(int present, enum verdict v)
{
	return present ? verdict_name(v) : "-";
}

/* "what: before -> after", or "what: after" */
static void
diff_fact_str(const struct diff_fact *f, char *buf, size_t len)
{
	if (f->before != NULL && f->after != NULL)
		snprintf(buf, len, "%s: %s -> %s", f->what, f->before,
		    f->after);
	else
		snprintf(buf, len, "%s: %s", f->what, f->after ? f->after :
		    f->before ? f->before : "");
}

static void
diff_text_head(struct text_out *t, const struct report_diff *d)
{
	text_para(t, 0, 2, "pinhole diff: %zu worse, %zu better, %zu changed, "
	    "%zu the same", d->counts[DIFF_WORSE], d->counts[DIFF_BETTER],
	    d->counts[DIFF_CHANGED], d->counts[DIFF_SAME]);
	text_para(t, 0, 2, "before (%s): %s%s%s", verdict_name(d->overall_a),
	    d->label_a ? d->label_a : "?", d->started_a ? ", started " : "",
	    d->started_a ? d->started_a : "");
	text_para(t, 0, 2, "after (%s): %s%s%s", verdict_name(d->overall_b),
	    d->label_b ? d->label_b : "?", d->started_b ? ", started " : "",
	    d->started_b ? d->started_b : "");
}

static void
diff_text_entry(struct text_out *t, const struct diff_entry *e)
{
	char buf[1200];
	size_t k;
	const char *c0 = "", *c1 = "";

	if (t->color && e->change == DIFF_WORSE)
		c0 = "\033[31;1m", c1 = "\033[0m";
	else if (t->color && e->change == DIFF_BETTER)
		c0 = "\033[32m", c1 = "\033[0m";
	fprintf(t->f, "  %s%-5s -> %-5s%s ", c0,
	    diff_verdict_or(e->in_a, e->before),
	    diff_verdict_or(e->in_b, e->after), c1);
	/* An id longer than the rest of the line goes on its own. */
	if (text_width(e->id) > (size_t)t->cols - 17)
		fprintf(t->f, "\n%*s", 4, "");
	fprintf(t->f, "%s\n", e->id);
	for (k = 0; k < e->nfacts; k++) {
		diff_fact_str(&e->facts[k], buf, sizeof(buf));
		text_para(t, 6, 2, "%s", buf);
	}
	if (e->nfacts == 0 && e->change != DIFF_SAME)
		text_para(t, 6, 2, "%s", e->in_b ? e->summary_after :
		    e->summary_before);
}

int
report_diff_render_text(const struct report_diff *d, FILE *out, int flags)
{
	struct text_out t = { out, (flags & REPORT_COLOR) != 0, TEXT_COLS };
	size_t g, i;

	diff_text_head(&t, d);
	for (g = 0; g < DIFF_NGROUPS; g++) {
		if (d->counts[diff_groups[g].change] == 0)
			continue;
		fprintf(out, "\n%s%s%s\n", t.color ? "\033[1m" : "",
		    diff_groups[g].title, t.color ? "\033[0m" : "");
		for (i = 0; i < d->nentries; i++)
			if (d->entries[i].change == diff_groups[g].change)
				diff_text_entry(&t, &d->entries[i]);
	}
	if (d->counts[DIFF_WORSE] + d->counts[DIFF_BETTER] +
	    d->counts[DIFF_CHANGED] + d->counts[DIFF_UNMEASURED] +
	    d->counts[DIFF_ADDED] + d->counts[DIFF_REMOVED] == 0)
		fputs("\nNothing that matters changed.\n", out);
	return ferror(out) ? -EIO : 0;
}

static const char diff_css[] =
"body{margin:0;background:#eef1f4;color:#1f2328;font:14px/1.5 "
"-apple-system,'Segoe UI',Arial,'Liberation Sans',sans-serif}"
"main{max-width:1080px;margin:0 auto;padding:24px 20px 40px}"
"section{background:#fff;border:1px solid #d1d9e0;border-radius:8px;"
"margin-top:18px}"
"h1{font-size:22px;margin:0 0 8px}h2{font-size:16px;margin:0;"
"padding:12px 18px;border-bottom:1px solid #d1d9e0}"
"table{width:100%;border-collapse:collapse}"
"td,th{padding:5px 12px;border-bottom:1px solid #d1d9e0;text-align:left;"
"vertical-align:top}th{font-size:12px;color:#59636e;background:#f6f8fa}"
"td.id{font:12px/1.6 ui-monospace,'DejaVu Sans Mono',monospace;"
"white-space:nowrap}ul{margin:0;padding-left:18px}"
".v{display:inline-block;padding:1px 8px;border-radius:10px;"
"font-size:11px;font-weight:700;text-transform:uppercase;color:#fff;"
"background:#6e7781}.v-pass{background:#1a7f37}.v-warn{background:#9a6700}"
".v-fail{background:#cf222e}.v-error{background:#8250df}"
".better{color:#1a7f37}.worse{color:#cf222e}";

static void
diff_html_verdict(struct html_out *h, int present, enum verdict v)
{
	const char *n = present ? verdict_name(v) : "absent";

	html_raw(h, "<span class=\"v v-");
	html_text(h, n);
	html_raw(h, "\">");
	html_text(h, n);
	html_raw(h, "</span>");
}

static void
diff_html_entry(struct html_out *h, const struct diff_entry *e)
{
	char buf[1200];
	size_t k;

	html_raw(h, "<tr><td class=\"id\">");
	html_text(h, e->id);
	html_raw(h, "</td><td>");
	diff_html_verdict(h, e->in_a, e->before);
	html_raw(h, "</td><td>");
	diff_html_verdict(h, e->in_b, e->after);
	html_raw(h, "</td><td><ul>");
	for (k = 0; k < e->nfacts; k++) {
		diff_fact_str(&e->facts[k], buf, sizeof(buf));
		html_raw(h, e->facts[k].direction > 0 ? "<li class=\"better\">" :
		    e->facts[k].direction < 0 ? "<li class=\"worse\">" : "<li>");
		html_text(h, buf);
		html_raw(h, "</li>");
	}
	if (e->nfacts == 0) {
		html_raw(h, "<li>");
		html_text(h, e->in_b ? e->summary_after : e->summary_before);
		html_raw(h, "</li>");
	}
	html_raw(h, "</ul></td></tr>\n");
}

int
report_diff_render_html(const struct report_diff *d, FILE *out, int flags)
{
	(void)flags;
	return report_diff_render_html_bounded(d, out, 0);
}

int
report_diff_render_html_bounded(const struct report_diff *d, FILE *out,
    size_t max_bytes)
{
	struct html_out h;
	size_t g, i;

	html_init(&h, out);
	html_budget(&h, max_bytes, 0);
	html_raw(&h, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
	    "<meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-"
	    "Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'"
	    "\"><meta name=\"viewport\" content=\"width=device-width\">"
	    "<title>pinhole diff</title><style>");
	html_raw(&h, diff_css);
	html_raw(&h, "</style></head><body><main>\n<h1>pinhole diff</h1>\n<p>");
	html_rawf(&h, "%zu worse, %zu better, %zu changed, %zu the same.",
	    d->counts[DIFF_WORSE], d->counts[DIFF_BETTER],
	    d->counts[DIFF_CHANGED], d->counts[DIFF_SAME]);
	html_raw(&h, "</p>\n<p>Before: ");
	diff_html_verdict(&h, 1, d->overall_a);
	html_raw(&h, " ");
	html_text(&h, d->label_a);
	html_raw(&h, " ");
	html_text(&h, d->started_a);
	html_raw(&h, "<br>After: ");
	diff_html_verdict(&h, 1, d->overall_b);
	html_raw(&h, " ");
	html_text(&h, d->label_b);
	html_raw(&h, " ");
	html_text(&h, d->started_b);
	html_raw(&h, "</p>\n");
	for (g = 0; g < DIFF_NGROUPS; g++) {
		if (d->counts[diff_groups[g].change] == 0)
			continue;
		html_raw(&h, "<section><h2>");
		html_text(&h, diff_groups[g].title);
		html_raw(&h, "</h2><table><tr><th>requirement</th><th>before"
		    "</th><th>after</th><th>what changed</th></tr>\n");
		for (i = 0; i < d->nentries; i++)
			if (d->entries[i].change == diff_groups[g].change)
				diff_html_entry(&h, &d->entries[i]);
		html_raw(&h, "</table></section>\n");
	}
	html_raw(&h, "</main></body></html>\n");
	return html_status(&h);
}
