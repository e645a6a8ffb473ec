/*
 * report.h - the report data model, built once by 'pinhole check', and its
 * renderers (text for people, JSON per the pinhole.report/1 contract in
 * docs/report.md, HTML for a page to read and mail).
 */
#ifndef PINHOLE_REPORT_H
#define PINHOLE_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#define REPORT_SCHEMA "pinhole.report/1"

enum verdict {
	VERDICT_PASS = 0,
	VERDICT_WARN,
	VERDICT_FAIL,
	VERDICT_SKIP,
	VERDICT_ERROR,
};

struct report_check {
	char *id;		/* stable dotted id: "sip-alg.udp.5060" */
	char *section;		/* group in the text report: "SIP ALG", "NAT" */
	char *requirement;	/* the profile requirement it proves, or NULL */
	enum verdict verdict;
	char *summary;		/* one line */
	json_t *evidence;	/* an object, owned by the check */
	char *remedy;		/* NULL when nothing to do */
	double duration_s;
	int standalone;		/* measured without the server: it stands
				   when the control connection is lost */
};

struct report {
	char *server;		/* as given on the command line */
	char **profiles;
	size_t nprofiles;
	char *local_addr;	/* the client's own address toward the server */
	char *public_udp;	/* public address seen by the server over UDP */
	char *public_tcp;	/* ... and over TCP */
	char *started;		/* RFC 3339 UTC */
	double duration_s;
	struct report_check *checks;
	size_t nchecks;
	size_t cap;
};

void report_init(struct report *r);
void report_free(struct report *r);
/* Copies the string fields it is given. */
int report_set(struct report *r, char **field, const char *value);
int report_add_profile(struct report *r, const char *name);

/*
 * Appends a check.  Strings are copied; 'evidence' is taken over (a new
 * empty object when NULL).  'remedy' may be NULL.  Returns the new entry
 * (valid until the next add), or NULL when out of memory.
 */
struct report_check *report_add(struct report *r, const char *id,
    const char *section, enum verdict v, json_t *evidence,
    const char *remedy, const char *summary_fmt, ...)
    __attribute__((format(printf, 7, 8)));

/*
 * The overall verdict: error if any check errored, else fail if any
 * failed, else warn if any warned, else pass (skips do not count).
 */
enum verdict report_overall(const struct report *r);
/* Exit status for the verdict: 0 pass/warn, 1 fail, 2 error. */
int report_exit_status(const struct report *r);
const char *verdict_name(enum verdict v);

/* One renderer per output format, chosen once by name. */
struct report_output {
	const char *name;
	int (*render)(const struct report *r, FILE *out, int color);
};

/* The text renderer (report_text.c); JSON goes through report_to_json(). */
int report_render_text(const struct report *r, FILE *out, int color);
/*
 * The HTML renderer (report_html.c): one self-contained page, every string
 * of the report escaped, so that it is safe to serve reports from anyone.
 * 'color' is ignored.  Returns 0, -EIO or -ENOMEM.
 */
int report_render_html(const struct report *r, FILE *out, int color);

/* "text", "json" or "html"; NULL if unknown. */
const struct report_output *report_output_find(const char *name);
/* Builds the JSON object of the contract (caller owns the reference). */
json_t *report_to_json(const struct report *r);

#endif
