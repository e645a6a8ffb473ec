/*
 * report_diff.h - two reports compared by requirement, for 'pinhole diff':
 * what got better, what got worse, and what changed in the evidence that
 * matters (ports opened or closed, SIP elements no longer or newly
 * rewritten, UDP binding lifetimes, MOS and loss).  Built once as a model;
 * text, JSON (pinhole.diff/1, docs/report.md) and HTML are its renderers.
 */
#ifndef PINHOLE_REPORT_DIFF_H
#define PINHOLE_REPORT_DIFF_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "report.h"

#define REPORT_DIFF_SCHEMA "pinhole.diff/1"

/* What happened to one requirement between the two reports. */
enum diff_change {
	DIFF_SAME = 0,		/* same verdict, nothing that matters moved */
	DIFF_BETTER,		/* a better verdict (fail -> pass ...) */
	DIFF_WORSE,		/* a worse verdict */
	DIFF_CHANGED,		/* same verdict, the evidence moved */
	DIFF_UNMEASURED,	/* measured in one report, skipped in the other */
	DIFF_ADDED,		/* only in the second report */
	DIFF_REMOVED,		/* only in the first */
};

/* One change in the evidence, in words: "opened" "5062". */
struct diff_fact {
	char *what;		/* "ports opened", "established timeout" */
	char *before;		/* as it was, NULL when it makes no sense */
	char *after;		/* as it is now, NULL likewise */
	int direction;		/* +1 better, -1 worse, 0 neither */
};

struct diff_entry {
	char *id;
	char *section;
	int in_a, in_b;		/* present in the first, second report */
	enum verdict before, after;
	char *summary_before, *summary_after;	/* NULL when absent */
	enum diff_change change;
	struct diff_fact *facts;
	size_t nfacts;
};

struct report_diff {
	char *label_a, *label_b;	/* where each report came from */
	char *started_a, *started_b;	/* their 'started', or NULL */
	char *server_a, *server_b;
	enum verdict overall_a, overall_b;
	struct diff_entry *entries;	/* in the order of the second report,
					   then those only in the first */
	size_t nentries;
	size_t counts[DIFF_REMOVED + 1];
};

/*
 * Compares report 'a' (before) with 'b' (after), check by check (matched
 * by id).  'label_a' and 'label_b' say where each came from (copied).
 * Fills 'd' (initialized here).  Returns 0 or -ENOMEM (d is then empty).
 */
int report_diff_build(const struct report *a, const struct report *b,
    const char *label_a, const char *label_b, struct report_diff *d);
void report_diff_free(struct report_diff *d);

/*
 * The facts of one family of checks, from the evidence of the check in
 * each report, appended to 'e' with report_diff_fact_add().  Returns 0 or
 * -ENOMEM.  One table keyed by id prefix (report_diff_facts.c).
 */
int report_diff_facts(const char *id, const json_t *a, const json_t *b,
    struct diff_entry *e);

/* Appends a fact to 'e' (strings copied, NULL allowed). 0 or -ENOMEM. */
int report_diff_fact_add(struct diff_entry *e, const char *what,
    const char *before, const char *after, int direction);

/*
 * The exit status of 'pinhole diff': 1 when a requirement got a worse
 * verdict, else 0 (a requirement added, removed or no longer measured is
 * shown, not counted as worse).
 */
int report_diff_exit_status(const struct report_diff *d);

/* "same", "better", "worse", "changed", "unmeasured", "added", "removed". */
const char *diff_change_name(enum diff_change c);

/* The pinhole.diff/1 object (a new reference), or NULL out of memory. */
json_t *report_diff_to_json(const struct report_diff *d);

/* A renderer of the comparison, chosen once by name as for reports. */
struct report_diff_output {
	const char *name;
	int (*render)(const struct report_diff *d, FILE *out, int flags);
};

/* "text", "json" or "html"; NULL if unknown. */
const struct report_diff_output *report_diff_output_find(const char *name);

/*
 * Text, 80 columns: the two overall verdicts, then what got worse, what
 * got better, what changed, each with its facts; REPORT_COLOR colors it.
 * 0 or -EIO.
 */
int report_diff_render_text(const struct report_diff *d, FILE *out,
    int flags);
/* One self-contained page, every string escaped. 0, -EIO or -ENOMEM. */
int report_diff_render_html(const struct report_diff *d, FILE *out,
    int flags);
/* The same page within 'max_bytes' (0: no bound): -EFBIG when it would
 * be longer (what was written is then to be thrown away). */
int report_diff_render_html_bounded(const struct report_diff *d, FILE *out,
    size_t max_bytes);

#endif
