/*
 * store_pg.c - a store shared by several pinholed hosts, in PostgreSQL:
 * "store = postgresql://user@host/db" or a libpq conninfo
 * ("host=... dbname=...").  The table is created when it is missing.
 *
 * The first connection is made before the privilege drop, where names
 * still resolve and files may be read (~/.pgpass, certificates).  When the
 * connection is lost, the worker connects again to the address the first
 * one reached (libpq's hostaddr), since the sandbox reads no resolver
 * files; a call that fails on a lost connection is tried once more.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "log.h"
#include "store.h"

#define PG_KEYS_MAX	48

struct pg_db {
	PGconn *c;
	char *keys[PG_KEYS_MAX + 2];	/* the conninfo, hostaddr pinned */
	char *vals[PG_KEYS_MAX + 2];
};

static const char pg_schema[] =
    "CREATE TABLE IF NOT EXISTS pinhole_reports ("
    " id TEXT PRIMARY KEY,"
    " created BIGINT NOT NULL,"
    " source TEXT NOT NULL,"
    " size BIGINT NOT NULL,"
    " verdict TEXT NOT NULL,"
    " server TEXT NOT NULL,"
    " profiles TEXT NOT NULL,"
    " summaries TEXT NOT NULL,"
    " json TEXT NOT NULL,"
    " seq BIGSERIAL,"	/* the order of uploads within a second */
    " html TEXT,"	/* the page, rendered at upload */
    " origin TEXT,"	/* store_origin() */
    " diff TEXT);"	/* the comparison's page, or NULL */
    "ALTER TABLE pinhole_reports ADD COLUMN IF NOT EXISTS html TEXT;"
    "ALTER TABLE pinhole_reports ADD COLUMN IF NOT EXISTS origin TEXT;"
    "ALTER TABLE pinhole_reports ADD COLUMN IF NOT EXISTS diff TEXT;"
    "CREATE INDEX IF NOT EXISTS pinhole_reports_created "
    " ON pinhole_reports (created);"
    "CREATE INDEX IF NOT EXISTS pinhole_reports_origin "
    " ON pinhole_reports (origin, profiles, created)";

static int
pg_match(const char *spec, const char **arg)
{
	if (strncmp(spec, "postgresql://", 13) != 0 &&
	    strncmp(spec, "postgres://", 11) != 0 &&
	    strncmp(spec, "postgresql:", 11) != 0)
		return 0;
	/* "postgresql:host=... dbname=..." carries a conninfo */
	*arg = strncmp(spec, "postgresql:", 11) == 0 && spec[11] != '/' ?
	    spec + 11 : spec;
	return 1;
}

static void
pg_close(void *db)
{
	struct pg_db *d = db;
	size_t i;

	if (d->c != NULL)
		PQfinish(d->c);
	for (i = 0; d->keys[i] != NULL; i++) {
		free(d->keys[i]);
		free(d->vals[i]);
	}
	free(d);
}

/* The connection parameters again, with hostaddr set to what the first
 * connection reached, for reconnecting inside the sandbox. */
static int
pg_pin(struct pg_db *d, const char *conninfo)
{
	PQconninfoOption *opts, *o;
	const char *addr = PQhostaddr(d->c);
	size_t n = 0;
	int has_addr = 0;

	if ((opts = PQconninfoParse(conninfo, NULL)) == NULL)
		return -ENOMEM;
	for (o = opts; o->keyword != NULL && n < PG_KEYS_MAX; o++) {
		if (o->val == NULL || o->val[0] == '\0')
			continue;
		if (strcmp(o->keyword, "hostaddr") == 0)
			has_addr = 1;
		d->keys[n] = strdup(o->keyword);
		d->vals[n++] = strdup(o->val);
	}
	if (!has_addr && addr != NULL && addr[0] != '\0') {
		d->keys[n] = strdup("hostaddr");
		d->vals[n++] = strdup(addr);
	}
	PQconninfoFree(opts);
	return 0;
}

static int
pg_open(const char *conninfo, void **dbp)
{
	struct pg_db *d;
	PGresult *res;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return -ENOMEM;
	d->c = PQconnectdb(conninfo);
	if (d->c == NULL || PQstatus(d->c) != CONNECTION_OK) {
		log_warnx("store: cannot connect to PostgreSQL: %s",
		    d->c != NULL ? PQerrorMessage(d->c) : "out of memory");
		pg_close(d);
		return -EIO;
	}
	res = PQexec(d->c, pg_schema);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		log_warnx("store: PostgreSQL: %s", PQerrorMessage(d->c));
		PQclear(res);
		pg_close(d);
		return -EIO;
	}
	PQclear(res);
	if (pg_pin(d, conninfo) < 0) {
		pg_close(d);
		return -ENOMEM;
	}
	*dbp = d;
	return 0;
}

/* Runs one statement, connecting again once when the connection is lost. */
static PGresult *
pg_exec(struct pg_db *d, const char *sql, int n, const char *const *v,
    ExecStatusType want)
{
	PGresult *res;
	int tries;

	for (tries = 0; tries < 2; tries++) {
		if (PQstatus(d->c) != CONNECTION_OK) {
			PQfinish(d->c);
			d->c = PQconnectdbParams((const char *const *)d->keys,
			    (const char *const *)d->vals, 0);
			if (PQstatus(d->c) != CONNECTION_OK)
				break;
		}
		res = PQexecParams(d->c, sql, n, NULL, v, NULL, NULL, 0);
		if (PQresultStatus(res) == want)
			return res;
		PQclear(res);
		if (PQstatus(d->c) == CONNECTION_OK)
			break;		/* the statement failed, not the link */
	}
	log_warnx("store: PostgreSQL: %s", PQerrorMessage(d->c));
	return NULL;
}

static int
pg_put(void *db, const struct store_row *row, const char *json,
    const char *summaries, const char *html, const char *diff)
{
	char created[24], size[24];
	const char *v[12];
	PGresult *res;

	snprintf(created, sizeof(created), "%lld", row->created);
	snprintf(size, sizeof(size), "%lu", row->size);
	v[0] = row->id;
	v[1] = created;
	v[2] = row->source;
	v[3] = size;
	v[4] = row->verdict;
	v[5] = row->server;
	v[6] = row->profiles;
	v[7] = summaries;
	v[8] = json;
	v[9] = html;		/* NULL: SQL NULL */
	v[10] = row->origin;
	v[11] = diff;		/* NULL: SQL NULL */
	res = pg_exec(db, "INSERT INTO pinhole_reports (id, created, source, "
	    "size, verdict, server, profiles, summaries, json, html, origin, "
	    "diff) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
	    12, v, PGRES_COMMAND_OK);
	if (res == NULL)
		return -EIO;
	PQclear(res);
	return 0;
}

static int
pg_get(void *db, const char *id, enum store_part part, char **out)
{
	const char *v[1] = { id };
	PGresult *res;
	int r = 0;

	res = pg_exec(db, part == STORE_PART_PAGE ? "SELECT html FROM "
	    "pinhole_reports WHERE id = $1" : part == STORE_PART_DIFF ?
	    "SELECT diff FROM pinhole_reports WHERE id = $1" : "SELECT json "
	    "FROM pinhole_reports WHERE id = $1", 1, v, PGRES_TUPLES_OK);
	if (res == NULL)
		return -EIO;
	if (PQntuples(res) == 0)
		r = -ENOENT;
	else if (PQgetisnull(res, 0, 0))
		r = -ENODATA;
	else if ((*out = strdup(PQgetvalue(res, 0, 0))) == NULL)
		r = -ENOMEM;
	PQclear(res);
	return r;
}

static int
pg_earlier(void *db, const struct store_row *row,
    char id[STORE_ID_LEN + 1])
{
	const char *v[2] = { row->origin, row->profiles };
	PGresult *res;
	int r = 0;

	res = pg_exec(db, "SELECT id FROM pinhole_reports WHERE origin = $1 "
	    "AND profiles = $2 ORDER BY created DESC, seq DESC LIMIT 1", 2, v,
	    PGRES_TUPLES_OK);
	if (res == NULL)
		return -EIO;
	if (PQntuples(res) == 0)
		r = -ENOENT;
	else
		store_str_fit(id, STORE_ID_LEN + 1, PQgetvalue(res, 0, 0));
	PQclear(res);
	return r;
}

static int
pg_expire(void *db, long long before, unsigned long *n)
{
	char b[24];
	const char *v[1] = { b };
	PGresult *res;

	snprintf(b, sizeof(b), "%lld", before);
	res = pg_exec(db, "DELETE FROM pinhole_reports WHERE created < $1", 1,
	    v, PGRES_COMMAND_OK);
	if (res == NULL)
		return -EIO;
	*n = strtoul(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	return 0;
}

static int
pg_count(void *db, unsigned long *n)
{
	PGresult *res = pg_exec(db, "SELECT count(*) FROM pinhole_reports", 0,
	    NULL, PGRES_TUPLES_OK);

	if (res == NULL)
		return -EIO;
	*n = strtoul(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return 0;
}

static int
pg_list(void *db, const struct store_query *q, struct store_row *rows,
    size_t *n)
{
	char limit[16];
	const char *v[4] = { q->verdict, q->profile, q->text, limit };
	struct store_row *w;
	PGresult *res;
	int i;

	snprintf(limit, sizeof(limit), "%u", q->limit);
	res = pg_exec(db, "SELECT id, created, source, size, verdict, server, "
	    "profiles FROM pinhole_reports WHERE ($1 = '' OR verdict = $1) AND "
	    "($2 = '' OR strpos(',' || profiles || ',', ',' || $2 || ',') > 0) "
	    "AND ($3 = '' OR strpos(lower(summaries), lower($3)) > 0) "
	    "ORDER BY created DESC, seq DESC LIMIT $4::int", 4, v, PGRES_TUPLES_OK);
	if (res == NULL)
		return -EIO;
	*n = 0;
	for (i = 0; i < PQntuples(res) && *n < q->limit; i++) {
		w = &rows[(*n)++];
		store_str_fit(w->id, sizeof(w->id), PQgetvalue(res, i, 0));
		w->created = strtoll(PQgetvalue(res, i, 1), NULL, 10);
		store_str_fit(w->source, sizeof(w->source),
		    PQgetvalue(res, i, 2));
		w->size = strtoul(PQgetvalue(res, i, 3), NULL, 10);
		store_str_fit(w->verdict, sizeof(w->verdict),
		    PQgetvalue(res, i, 4));
		store_str_fit(w->server, sizeof(w->server),
		    PQgetvalue(res, i, 5));
		store_str_fit(w->profiles, sizeof(w->profiles),
		    PQgetvalue(res, i, 6));
	}
	PQclear(res);
	return 0;
}

const struct store_ops store_pg_ops = {
	.name = "postgresql",
	.match = pg_match,
	.open = pg_open,
	.put = pg_put,
	.get = pg_get,
	.earlier = pg_earlier,
	.expire = pg_expire,
	.count = pg_count,
	.list = pg_list,
	.close = pg_close,
};
