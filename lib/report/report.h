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
/* A duration_s read back is at most this (a week): longer is no run. */
#define REPORT_MAX_DURATION_S 604800.0

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

/*
 * The address families a check runs in, each in a session of its own
 * (docs/report.md, "Address families").  IPv4 entries keep their ids;
 * an IPv6 entry's id is the same id with REPORT_AF6_SUFFIX.
 */
enum report_af_id {
	REPORT_AF_IPV4 = 0,
	REPORT_AF_IPV6,
	REPORT_AF_N
};
#define REPORT_AF6_SUFFIX "@ipv6"

/* What the report says of one family. */
struct report_af {
	int known;		/* 0: the report says nothing of it (one
				   written before families, or pinhole nat) */
	int tested;		/* the check ran in this family */
	char *why;		/* not tested: why ("-4 given"), else NULL */
	char *server_addr;	/* the server's address it talked to */
	char *local_addr;	/* ... our own, and the public ones seen */
	char *public_udp;
	char *public_tcp;
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
	struct report_af af[REPORT_AF_N];
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
 * Appends a copy of 'c' under 'id' (c->id when NULL): its strings copied,
 * its evidence shared (referenced).  Returns the new entry or NULL.
 */
struct report_check *report_add_copy(struct report *r,
    const struct report_check *c, const char *id);

/* "ipv4", "ipv6": the family's name in JSON and ids. */
const char *report_af_name(enum report_af_id af);
/* "IPv4", "IPv6": for people. */
const char *report_af_label(enum report_af_id af);
/* The family of a check id: IPv6 when it ends in REPORT_AF6_SUFFIX. */
enum report_af_id report_id_af(const char *id);
/* The id without its family's suffix, into 'buf'; returns 'buf'. */
const char *report_id_base(const char *id, char *buf, size_t len);
/* The id of 'base' in family 'af', into 'buf'; returns 'buf'. */
const char *report_id_in(const char *base, enum report_af_id af, char *buf,
    size_t len);
/*
 * 'c' as its family's renderers know it: a shallow copy into 'out' whose
 * id is the base id (in 'buf'), the rest shared with 'c'.  Returns 'out'.
 */
const struct report_check *report_check_base(const struct report_check *c,
    struct report_check *out, char *buf, size_t len);
/* Whether entry 'i' is the first of its requirement (its base id). */
int report_base_first(const struct report *r, size_t i);
/* How many families the report says were tested (0 for an older one). */
int report_af_tested(const struct report *r);
/* The entry of requirement 'base' in family 'af', or NULL. */
const struct report_check *report_af_find(const struct report *r,
    const char *base, enum report_af_id af);
/*
 * The overall verdict of one family's entries (report_overall() over
 * them); VERDICT_SKIP when it has none.
 */
enum verdict report_af_overall(const struct report *r, enum report_af_id af);
/*
 * Moves the entries and addresses of 'from', one family's run, into 'to'
 * as family 'af' (IPv6 ids get their suffix; entries are copied, 'from'
 * is left as it was); the first family joined also gives 'to' its
 * top-level addresses.  Returns 0 or -ENOMEM.
 */
int report_af_join(struct report *to, const struct report *from,
    enum report_af_id af);
/* The "families" object of the JSON, or NULL when no family is known. */
json_t *report_af_to_json(const struct report *r);
/* Reads "families" of report object 'o' into r->af; 0 or -ENOMEM. */
int report_af_from_json(const json_t *o, struct report *r);

/*
 * The overall verdict: error if any check errored, else fail if any
 * failed, else warn if any warned, else pass (skips do not count).
 */
enum verdict report_overall(const struct report *r);
/* The same rule over counts of each verdict (indexed by enum verdict). */
enum verdict report_worst(const size_t seen[VERDICT_ERROR + 1]);
/* Exit status for the verdict: 0 pass/warn, 1 fail, 2 error. */
int report_exit_status(const struct report *r);
const char *verdict_name(enum verdict v);

/* Flags of a renderer. */
#define REPORT_COLOR	0x1	/* ANSI colors (text) */
#define REPORT_VERBOSE	0x2	/* the full evidence of every check (text) */

/*
 * The precision of reals in the JSON report: 6 significant digits, so that
 * a wall time reads 182.777, not 182.77699999999999.
 */
#define REPORT_JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | \
	JSON_REAL_PRECISION(6))

/*
 * One renderer per output format, chosen once by name.  'flags' is a set
 * of REPORT_* flags; renderers ignore those that do not apply to them.
 */
struct report_output {
	const char *name;
	int (*render)(const struct report *r, FILE *out, int flags);
};

/*
 * The text renderer (report_text.c): the overall verdict and a summary
 * table first, then the evidence of what did not pass as each family
 * writes it, in lines of at most 80 characters.  Returns 0 or -EIO.
 */
int report_render_text(const struct report *r, FILE *out, int flags);
/*
 * The HTML renderer (report_html.c): one self-contained page, every string
 * of the report escaped, so that it is safe to serve reports from anyone.
 * 'flags' is ignored.  Returns 0, -EIO or -ENOMEM.
 */
int report_render_html(const struct report *r, FILE *out, int flags);
/*
 * The same page within 'max_bytes' (0: no bound): -EFBIG when it would be
 * longer (what was written is then to be thrown away).  Both draw at most
 * REPORT_HTML_MAX_SHAPES SVG shapes (report_html.h).  'compare' (or NULL)
 * is a link, under the header, to the comparison of this report with an
 * earlier one of the same network (pinholed's /r/ID/diff).
 */
int report_render_html_bounded(const struct report *r, FILE *out,
    size_t max_bytes, const char *compare);

/* "text", "json" or "html"; NULL if unknown. */
const struct report_output *report_output_find(const char *name);
/* Builds the JSON object of the contract (caller owns the reference);
 * NULL when any part cannot be built: never a report with a part left out. */
json_t *report_to_json(const struct report *r);
/*
 * Fills 'r' (initialized here) from a pinhole.report/1 object such as
 * report_to_json() builds, so that a stored report renders as the one just
 * measured; evidence objects are shared (referenced).  Returns 0,
 * -EBADMSG when 'o' is not such a report (r is then empty: a duration_s
 * that is not a number from 0 to REPORT_MAX_DURATION_S counts), or
 * -ENOMEM.
 */
int report_from_json(const json_t *o, struct report *r);

/*
 * report_load_file() reads what it can: a check without an id or a known
 * verdict is left out, the other fields of a check and the report's
 * duration_s take their defaults when absent or wrong ("", 0 s, no
 * evidence).  For a reader that needs only some checks (pinhole config).
 */
#define REPORT_LOAD_PARTIAL	0x1

/*
 * Reads the report file at 'path' (pinhole check --json) into 'r'
 * (initialized here), as report_from_json() does, or with
 * REPORT_LOAD_PARTIAL in 'flags'.  Read its evidence through report_ev.h.
 * Returns 0, -errno when it cannot be opened, -EISDIR, -EBADMSG when it is
 * not JSON or not a report, or -ENOMEM; 'err' then says why, after the
 * path ("PATH:LINE: ..." for JSON).
 */
int report_load_file(const char *path, int flags, struct report *r,
    char *err, size_t errlen);

#endif
