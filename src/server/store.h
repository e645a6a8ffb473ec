/*
 * store.h - the report store: reports that 'pinhole check --share'
 * uploads, kept for the support team under an unguessable id.
 *
 * Backends are a registry of struct store_ops, one file each
 * (store_sqlite.c, store_pg.c); adding one is a file and a line in
 * store.c.  A backend is opened before the privilege drop and then used
 * only from one worker thread, so that no database call ever blocks the
 * event loop: the loop queues a job (store_submit), the worker runs it,
 * and its result comes back to the loop through an eventfd, where the
 * job's done() runs.  The worker thread is started before the sandbox is
 * entered; the seccomp filter is loaded for every thread at once.
 */
#ifndef PINHOLED_STORE_H
#define PINHOLED_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "net.h"

#define STORE_ID_BYTES	15	/* 120 random bits */
#define STORE_ID_LEN	24	/* base32 of 15 bytes, no padding */
#define STORE_LIST_MAX	200	/* rows of a listing, at most */
#define STORE_QUEUE_MAX	64	/* jobs waiting for the worker */
#define STORE_MAX_CHECKS 1000	/* checks in a stored report, at most */
#define STORE_MAX_CHECKS_S "1000"

struct server;

/* One stored report's listing fields. */
struct store_row {
	char id[STORE_ID_LEN + 1];
	long long created;		/* Unix time, seconds */
	char source[NET_ADDRSTRLEN];
	/* The source as the store compares it (store_origin()): the
	 * uploading address, an IPv6 one cut to source-prefix6. */
	char origin[NET_ADDRSTRLEN + 4];
	unsigned long size;		/* bytes of the JSON */
	char verdict[8];
	char server[128];
	char profiles[256];		/* comma-separated */
};

/* What a listing asks for; an empty string matches everything. */
struct store_query {
	char verdict[8];
	char profile[64];
	char text[128];			/* in the checks' summaries */
	unsigned limit;			/* 1..STORE_LIST_MAX */
};

/* What of a stored report a GET reads. */
enum store_part {
	STORE_PART_JSON = 0,
	STORE_PART_PAGE,		/* its page */
	STORE_PART_DIFF,		/* the page of its comparison with the
					 * earlier report of its source */
};

/*
 * A backend.  Every call but open() runs on the worker thread; each
 * returns 0 or -errno (-ENOENT: no such report; -EIO: the database
 * failed, logged by the backend).
 */
struct store_ops {
	const char *name;		/* for logs: "sqlite", "postgresql" */
	/* Whether 'spec' (the store = value) names this backend; *arg is
	 * what open() gets (the path, or the whole conninfo). */
	int (*match)(const char *spec, const char **arg);
	/* Opens (and creates what is missing); before the privilege drop. */
	int (*open)(const char *arg, void **dbp);
	/* Stores a new report: its listing fields, its JSON, the text
	 * searched ('summaries'), its page and the page of its comparison
	 * with the earlier report of its source (NULL when none), both
	 * rendered at upload. */
	int (*put)(void *db, const struct store_row *row, const char *json,
	    const char *summaries, const char *html, const char *diff);
	/* The part 'part' of report 'id' (malloc'ed, the caller frees);
	 * -ENODATA: a report stored without that page. */
	int (*get)(void *db, const char *id, enum store_part part,
	    char **out);
	/* The id of the newest stored report with the origin and profiles
	 * of 'row' ("the same source"), into 'id'; -ENOENT: none. */
	int (*earlier)(void *db, const struct store_row *row,
	    char id[STORE_ID_LEN + 1]);
	/* Deletes the reports created before 'before'; *n how many. */
	int (*expire)(void *db, long long before, unsigned long *n);
	/* How many reports there are. */
	int (*count)(void *db, unsigned long *n);
	/* Up to q->limit rows, newest first, into rows[]; *n how many. */
	int (*list)(void *db, const struct store_query *q,
	    struct store_row *rows, size_t *n);
	void (*close)(void *db);
};

extern const struct store_ops store_sqlite_ops;
extern const struct store_ops store_pg_ops;

enum store_op { STORE_PUT, STORE_GET, STORE_EXPIRE, STORE_LIST };


/*
 * A job for the worker.  The loop fills the inputs and done(); the worker
 * fills the outputs and 'result'.  When whoever asked goes away before
 * the answer, it sets 'arg' to NULL: done() then runs with that NULL
 * argument only to free what it must.
 */
struct store_job {
	enum store_op op;
	/* inputs */
	struct store_row row;		/* PUT: fields; GET: row.id */
	char *json;			/* PUT: in; GET: out, the part read
					 * (the job owns it) */
	char *summaries;		/* PUT */
	struct report *rep;		/* PUT: the report, for its page */
	enum store_part page;		/* GET: what is read */
	char *html;			/* PUT: rendered by the worker */
	char *diff;			/* PUT: likewise, or NULL */
	long long before;		/* EXPIRE */
	struct store_query query;	/* LIST */
	/* outputs */
	int result;
	unsigned long n;		/* EXPIRE: deleted */
	struct store_row *rows;		/* LIST: owned by the job */
	size_t nrows;
	/* the loop's */
	void (*done)(struct store_job *j);
	void *arg;
	int64_t queued_us;		/* CLOCK_MONOTONIC, for metrics */
	struct store_job *next;
};

/* 1 when a backend takes 'spec' (the value of "store ="), else 0: the one
 * test, for the configuration and the start alike. */
int store_spec_valid(const char *spec);

/*
 * Opens the configured backend and starts the worker and the retention
 * timer; before the privilege drop.  0 when no store is configured or it
 * is ready; -errno (logged) otherwise.
 */
int store_start(struct server *s);

/* Stops the worker (jobs still queued are answered -ECANCELED) and
 * closes the backend. */
void store_stop(struct server *s);

/*
 * Queues 'j' (the store then owns it until done() runs, which frees it
 * with store_job_free() or keeps it).  0, or -EAGAIN when
 * STORE_QUEUE_MAX jobs wait already (the caller still owns 'j').
 */
int store_submit(struct server *s, struct store_job *j);

/* A zeroed job for 'op'; NULL when out of memory. */
struct store_job *store_job_new(enum store_op op);
void store_job_free(struct store_job *j);

/* A new report id: STORE_ID_BYTES from getrandom(), lowercase base32
 * without padding, NUL-terminated in id[STORE_ID_LEN + 1].  0 or -errno. */
int store_id_new(char id[STORE_ID_LEN + 1]);
/* Whether 's' ('n' bytes) has the shape of a report id. */
int store_id_valid(const char *s, size_t n);

struct report;

/*
 * Fills a PUT job from 'rep', which it takes over (*rep is left empty):
 * the listing fields (cut between UTF-8 characters), the JSON that is
 * stored (the report rebuilt as the contract has it: nothing outside
 * pinhole.report/1 is kept) and the searched text; the worker renders the
 * page from the report before storing it.  0, -E2BIG (more than
 * STORE_MAX_CHECKS checks) or -ENOMEM.
 */
int store_job_report(struct store_job *j, struct report *rep);

/*
 * The page of 'rep' (worker side): at most 'max_bytes' bytes and
 * REPORT_HTML_MAX_SHAPES shapes, into *html (malloc'ed); 'compare' (or
 * NULL) is the link to its comparison with the earlier report of its
 * source.  0, -EFBIG when the page would be longer, -ENOMEM or -EIO.
 */
int store_page(const struct report *rep, const char *compare,
    size_t max_bytes, char **html);

/*
 * The comparison page of a stored report's JSON 'before' (id 'id_a')
 * with report 'after' (id 'id_b'), as 'pinhole diff --html' writes it, at
 * most 'max_bytes' bytes, into *html (malloc'ed).  0, -EBADMSG (a JSON
 * that is not a report), -EFBIG, -ENOMEM or -EIO.
 */
int store_diff_page(const char *before, const char *id_a,
    const struct report *after, const char *id_b, size_t max_bytes,
    char **html);

/* 'ip' as the store compares sources: the address, an IPv6 one cut to
 * source-prefix6 and written with its length ("2001:db8:1:2::/64"). */
void store_origin(const struct server *s, const struct net_ip *ip,
    char *out, size_t len);

/* Copies the longest prefix of 'src' that fits in 'len' bytes with its
 * NUL and ends between UTF-8 characters (an invalid byte ends it too). */
void store_str_fit(char *dst, size_t len, const char *src);

/*
 * Charges one upload from 'ip', where it is committed: per source an
 * hour (store-uploads-per-source) and to session 'ss' when there is one
 * (store-uploads-per-session: the page's own session, or the one an
 * upload over HTTPS names by its token).  The session keeps the profiles
 * and the verdict of 'row' for its log line.  0, -EUSERS past the
 * session's share, or -EAGAIN past the source's rate (nothing is counted
 * then).
 */
struct session;
int store_upload_charge(struct server *s, struct session *ss,
    const struct net_ip *ip, const struct store_row *row);

/* The listing of a finished LIST job as a JSON array (new reference). */
json_t *store_rows_json(const struct store_row *rows, size_t n);

#endif
