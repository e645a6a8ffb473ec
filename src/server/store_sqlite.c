/*
 * store_sqlite.c - the default store: one SQLite file,
 * "store = sqlite:/var/lib/pinhole/reports.db".
 *
 * The file is opened, created when missing, by root before the privilege
 * drop, in WAL mode, and read once so that the -wal and -shm files are open
 * too: from then on SQLite only reads and writes descriptors it holds, and
 * the sandboxed daemon never opens a file (decisions.md).  The directory
 * needs no permission for the unprivileged user.  Temporary tables and
 * sorts stay in memory for the same reason.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "log.h"
#include "store.h"

struct sqlite_db {
	sqlite3 *h;
	sqlite3_stmt *put, *get, *get_page, *expire, *count, *list;
	sqlite3_stmt *get_diff, *earlier;
};

static const char sqlite_schema[] =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "PRAGMA temp_store=MEMORY;"
    "CREATE TABLE IF NOT EXISTS reports ("
    " id TEXT PRIMARY KEY,"
    " created INTEGER NOT NULL,"
    " source TEXT NOT NULL,"
    " size INTEGER NOT NULL,"
    " verdict TEXT NOT NULL,"
    " server TEXT NOT NULL,"
    " profiles TEXT NOT NULL,"
    " summaries TEXT NOT NULL,"
    " json TEXT NOT NULL,"
    " html TEXT,"		/* the page, rendered at upload */
    " origin TEXT,"		/* store_origin() */
    " diff TEXT);"		/* the comparison's page, or NULL */
    "CREATE INDEX IF NOT EXISTS reports_created ON reports (created);";

/* A file from before a column was added gets it (NULL in the old rows). */
static const char *const sqlite_added[][2] = {
	{ "html", "ALTER TABLE reports ADD COLUMN html TEXT" },
	{ "origin", "ALTER TABLE reports ADD COLUMN origin TEXT" },
	{ "diff", "ALTER TABLE reports ADD COLUMN diff TEXT" },
};

static int
sqlite_match(const char *spec, const char **arg)
{
	if (strncmp(spec, "sqlite:/", 8) != 0)	/* an absolute path */
		return 0;
	*arg = spec + 7;
	return 1;
}

static int
sqlite_fail(struct sqlite_db *d, const char *what)
{
	log_warnx("store: sqlite %s: %s", what, sqlite3_errmsg(d->h));
	return -EIO;
}

static void
sqlite_close(void *db)
{
	struct sqlite_db *d = db;

	sqlite3_finalize(d->put);
	sqlite3_finalize(d->get);
	sqlite3_finalize(d->get_page);
	sqlite3_finalize(d->expire);
	sqlite3_finalize(d->count);
	sqlite3_finalize(d->list);
	sqlite3_finalize(d->get_diff);
	sqlite3_finalize(d->earlier);
	sqlite3_close(d->h);
	free(d);
}

/* Opens 'path', creating it with its table, and reads it once. */
static int
sqlite_open_files(struct sqlite_db *d, const char *path)
{
	char *err = NULL, sql[64];
	size_t i;

	if (sqlite3_open_v2(path, &d->h, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		log_warnx("store: cannot open sqlite:%s: %s", path,
		    d->h != NULL ? sqlite3_errmsg(d->h) : "out of memory");
		return -EIO;
	}
	sqlite3_busy_timeout(d->h, 2000);
	if (sqlite3_exec(d->h, sqlite_schema, NULL, NULL, &err) != SQLITE_OK) {
		log_warnx("store: sqlite:%s: %s", path, err ? err : "?");
		sqlite3_free(err);
		return -EIO;
	}
	for (i = 0; i < sizeof(sqlite_added) / sizeof(sqlite_added[0]); i++) {
		snprintf(sql, sizeof(sql), "SELECT %s FROM reports LIMIT 0",
		    sqlite_added[i][0]);
		if (sqlite3_prepare_v2(d->h, sql, -1, &d->get_page, NULL) !=
		    SQLITE_OK && sqlite3_exec(d->h, sqlite_added[i][1], NULL,
		    NULL, NULL) != SQLITE_OK) {
			sqlite_fail(d, "adding a column");
			return -EIO;
		}
		sqlite3_finalize(d->get_page);
		d->get_page = NULL;
	}
	if (sqlite3_exec(d->h, "CREATE INDEX IF NOT EXISTS reports_origin ON "
	    "reports (origin, profiles, created)", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		sqlite_fail(d, "index");
		return -EIO;
	}
	if (sqlite3_prepare_v2(d->h, "INSERT INTO reports (id, created, "
	    "source, size, verdict, server, profiles, summaries, json, html, "
	    "origin, diff) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1,
	    &d->put, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(d->h, "SELECT id FROM reports WHERE origin = ? "
	    "AND profiles = ? ORDER BY created DESC, rowid DESC LIMIT 1", -1,
	    &d->earlier, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(d->h, "SELECT diff FROM reports WHERE id = ?",
	    -1, &d->get_diff, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(d->h, "SELECT json FROM reports WHERE id = ?",
	    -1, &d->get, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(d->h, "SELECT html FROM reports WHERE id = ?",
	    -1, &d->get_page, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(d->h, "DELETE FROM reports WHERE created < ?",
	    -1, &d->expire, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(d->h, "SELECT count(*) FROM reports", -1,
	    &d->count, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(d->h, "SELECT id, created, source, size, "
	    "verdict, server, profiles FROM reports WHERE (?1 = '' OR "
	    "verdict = ?1) AND (?2 = '' OR instr(',' || profiles || ',', "
	    "',' || ?2 || ',') > 0) AND (?3 = '' OR instr(lower(summaries), "
	    "lower(?3)) > 0) ORDER BY created DESC, rowid DESC LIMIT ?4", -1,
	    &d->list, NULL) != SQLITE_OK) {
		sqlite_fail(d, "prepare");
		return -EIO;
	}
	/* The -wal and -shm files open now, while files may be opened. */
	if (sqlite3_step(d->count) != SQLITE_ROW) {
		sqlite_fail(d, "first read");
		return -EIO;
	}
	sqlite3_reset(d->count);
	return 0;
}

static int
sqlite_open(const char *path, void **dbp)
{
	struct sqlite_db *d;
	mode_t old;
	int r;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return -ENOMEM;
	/* Reports hold customers' addresses: the file, and its -wal and -shm
	 * (which SQLite gives the file's mode), for the owner alone. */
	old = umask(077);
	r = sqlite_open_files(d, path);
	umask(old);
	if (r < 0) {
		sqlite_close(d);
		return r;
	}
	*dbp = d;
	return 0;
}

static int
sqlite_put(void *db, const struct store_row *row, const char *json,
    const char *summaries, const char *html, const char *diff)
{
	struct sqlite_db *d = db;
	sqlite3_stmt *st = d->put;
	int rc;

	sqlite3_bind_text(st, 1, row->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, row->created);
	sqlite3_bind_text(st, 3, row->source, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)row->size);
	sqlite3_bind_text(st, 5, row->verdict, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, row->server, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, row->profiles, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, summaries, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, json, -1, SQLITE_STATIC);
	if (html != NULL)
		sqlite3_bind_text(st, 10, html, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 10);
	sqlite3_bind_text(st, 11, row->origin, -1, SQLITE_STATIC);
	if (diff != NULL)
		sqlite3_bind_text(st, 12, diff, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 12);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : sqlite_fail(d, "insert");
}

static int
sqlite_get(void *db, const char *id, enum store_part part, char **out)
{
	struct sqlite_db *d = db;
	sqlite3_stmt *st = part == STORE_PART_PAGE ? d->get_page :
	    part == STORE_PART_DIFF ? d->get_diff : d->get;
	int rc, r = 0;

	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);

		if (t == NULL && sqlite3_column_type(st, 0) == SQLITE_NULL)
			r = -ENODATA;
		else if (t == NULL || (*out = strdup(t)) == NULL)
			r = -ENOMEM;
	} else if (rc == SQLITE_DONE)
		r = -ENOENT;
	else
		r = sqlite_fail(d, "select");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

static void
sqlite_col(sqlite3_stmt *st, int i, char *dst, size_t len)
{
	store_str_fit(dst, len, (const char *)sqlite3_column_text(st, i));
}

static int
sqlite_earlier(void *db, const struct store_row *row,
    char id[STORE_ID_LEN + 1])
{
	struct sqlite_db *d = db;
	sqlite3_stmt *st = d->earlier;
	int rc, r = 0;

	sqlite3_bind_text(st, 1, row->origin, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, row->profiles, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		sqlite_col(st, 0, id, STORE_ID_LEN + 1);
	else if (rc == SQLITE_DONE)
		r = -ENOENT;
	else
		r = sqlite_fail(d, "earlier");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

static int
sqlite_expire(void *db, long long before, unsigned long *n)
{
	struct sqlite_db *d = db;
	int rc;

	sqlite3_bind_int64(d->expire, 1, before);
	rc = sqlite3_step(d->expire);
	sqlite3_reset(d->expire);
	if (rc != SQLITE_DONE)
		return sqlite_fail(d, "delete");
	*n = (unsigned long)sqlite3_changes(d->h);
	return 0;
}

static int
sqlite_count(void *db, unsigned long *n)
{
	struct sqlite_db *d = db;
	int rc = sqlite3_step(d->count);

	if (rc == SQLITE_ROW)
		*n = (unsigned long)sqlite3_column_int64(d->count, 0);
	sqlite3_reset(d->count);
	return rc == SQLITE_ROW ? 0 : sqlite_fail(d, "count");
}

static int
sqlite_list(void *db, const struct store_query *q, struct store_row *rows,
    size_t *n)
{
	struct sqlite_db *d = db;
	sqlite3_stmt *st = d->list;
	struct store_row *w;
	int rc = SQLITE_DONE;

	sqlite3_bind_text(st, 1, q->verdict, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, q->profile, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, q->text, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, (int)q->limit);
	*n = 0;
	while (*n < q->limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		w = &rows[(*n)++];
		sqlite_col(st, 0, w->id, sizeof(w->id));
		w->created = sqlite3_column_int64(st, 1);
		sqlite_col(st, 2, w->source, sizeof(w->source));
		w->size = (unsigned long)sqlite3_column_int64(st, 3);
		sqlite_col(st, 4, w->verdict, sizeof(w->verdict));
		sqlite_col(st, 5, w->server, sizeof(w->server));
		sqlite_col(st, 6, w->profiles, sizeof(w->profiles));
	}
	if (*n < q->limit && rc != SQLITE_DONE) {
		sqlite3_reset(st);
		return sqlite_fail(d, "list");
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return 0;
}

const struct store_ops store_sqlite_ops = {
	.name = "sqlite",
	.match = sqlite_match,
	.open = sqlite_open,
	.put = sqlite_put,
	.get = sqlite_get,
	.earlier = sqlite_earlier,
	.expire = sqlite_expire,
	.count = sqlite_count,
	.list = sqlite_list,
	.close = sqlite_close,
};
