/*
 * store.c - the registry of store backends, the worker thread that runs
 * their calls, and the retention timer.
 *
 * One worker thread, one queue: the loop appends jobs under a mutex and
 * signals a condition; the worker takes them one at a time, runs the
 * backend's call, appends the job to the done list and writes the eventfd;
 * the loop's handler reads it and runs each done().  A backend is only
 * ever called from the worker (open() excepted, at start), so it needs no
 * locking of its own.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "report.h"
#include "server.h"
#include "session.h"
#include "store.h"

#define STORE_EXPIRE_S	3600	/* how often expired reports are deleted */

/* The registry: the first backend whose match() takes the spec. */
static const struct store_ops *const store_backends[] = {
	&store_pg_ops,
	&store_sqlite_ops,
};

struct store {
	const struct store_ops *ops;
	void *db;
	pthread_t thread;
	int started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct store_job *queue, **queue_tail;	/* for the worker */
	size_t nqueued;
	struct store_job *done, **done_tail;	/* for the loop */
	int stopping;
	int efd;
	struct event *ev;
	struct event *expire;
	struct server *srv;
};

struct store_job *
store_job_new(enum store_op op)
{
	struct store_job *j = calloc(1, sizeof(*j));

	if (j != NULL)
		j->op = op;
	return j;
}

void
store_job_free(struct store_job *j)
{
	if (j == NULL)
		return;
	free(j->json);
	free(j->summaries);
	free(j->html);
	free(j->diff);
	if (j->rep != NULL) {
		report_free(j->rep);
		free(j->rep);
	}
	free(j->rows);
	free(j);
}

int
store_id_new(char id[STORE_ID_LEN + 1])
{
	static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";
	uint8_t raw[STORE_ID_BYTES];
	size_t i, o = 0;
	unsigned acc = 0, bits = 0;
	ssize_t n;

	n = getrandom(raw, sizeof(raw), 0);
	if (n != (ssize_t)sizeof(raw))
		return n < 0 ? -errno : -EIO;
	for (i = 0; i < sizeof(raw); i++) {
		acc = (acc << 8) | raw[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			id[o++] = b32[(acc >> bits) & 31];
		}
	}
	id[o] = '\0';		/* 15 bytes are 120 bits: 24 digits, none left */
	return 0;
}

int
store_id_valid(const char *s, size_t n)
{
	size_t i;

	if (n != STORE_ID_LEN)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '2' &&
		    s[i] <= '7')))
			return 0;
	return 1;
}

json_t *
store_rows_json(const struct store_row *rows, size_t n)
{
	json_t *a = json_array(), *o, *profiles;
	char when[32], *p, *save = NULL, buf[sizeof(rows->profiles)];
	struct tm tm;
	time_t t;
	size_t i;

	if (a == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		t = (time_t)rows[i].created;
		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		profiles = json_array();
		snprintf(buf, sizeof(buf), "%s", rows[i].profiles);
		for (p = strtok_r(buf, ",", &save); p != NULL && profiles != NULL;
		    p = strtok_r(NULL, ",", &save))
			json_array_append_new(profiles, json_string(p));
		o = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:o*}",
		    "id", rows[i].id, "created", when, "source", rows[i].source,
		    "size", (json_int_t)rows[i].size, "verdict", rows[i].verdict,
		    "server", rows[i].server, "profiles", profiles);
		/* A row that does not pack is listed by its id alone: one
		 * row never fails the listing. */
		if (o == NULL)
			o = json_pack("{s:s%, s:s}", "id", rows[i].id,
			    strnlen(rows[i].id, STORE_ID_LEN), "created", when);
		if (o == NULL || json_array_append_new(a, o) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/* The page of a report stored without one, from its JSON. */
static int
store_page_json(struct store *st, struct store_job *j)
{
	struct report rep;
	char *page = NULL;
	json_t *o;
	int r;

	if ((r = st->ops->get(st->db, j->row.id, STORE_PART_JSON,
	    &j->json)) < 0)
		return r;
	if ((o = json_loads(j->json, 0, NULL)) == NULL)
		return -EBADMSG;
	r = report_from_json(o, &rep);
	json_decref(o);
	if (r < 0)
		return r;
	r = store_page(&rep, NULL, st->srv->conf.store_max_page_bytes, &page);
	report_free(&rep);
	free(j->json);
	j->json = page;
	return r;
}

/*
 * The pages of a report about to be stored: when its source has an
 * earlier report, the comparison with it (left out, with the page's link,
 * when it would pass store-max-page-bytes), then the page itself.
 */
static int
store_put_pages(struct store *st, struct store_job *j)
{
	char prev[STORE_ID_LEN + 1], href[STORE_ID_LEN + 16];
	size_t max = st->srv->conf.store_max_page_bytes;
	char *before = NULL;
	int r = st->ops->earlier(st->db, &j->row, prev);

	if (r == 0 && (r = st->ops->get(st->db, prev, STORE_PART_JSON,
	    &before)) == 0)
		r = store_diff_page(before, prev, j->rep, j->row.id, max,
		    &j->diff);
	free(before);
	if (r < 0 && r != -ENOENT && r != -EFBIG && r != -EBADMSG)
		return r;
	snprintf(href, sizeof(href), "/r/%s/diff", j->row.id);
	return store_page(j->rep, j->diff != NULL ? href : NULL, max,
	    &j->html);
}

static void
store_run(struct store *st, struct store_job *j)
{
	switch (j->op) {
	case STORE_PUT:
		j->result = 0;
		if (st->srv->conf.store_max_rows > 0) {
			j->result = st->ops->count(st->db, &j->n);
			if (j->result == 0 && j->n >= st->srv->conf.store_max_rows)
				j->result = -ENOSPC;
		}
		if (j->result == 0)
			j->result = store_put_pages(st, j);
		if (j->result == 0)
			j->result = st->ops->put(st->db, &j->row, j->json,
			    j->summaries != NULL ? j->summaries : "", j->html,
			    j->diff);
		break;
	case STORE_GET:
		free(j->json);
		j->json = NULL;
		j->result = st->ops->get(st->db, j->row.id, j->page, &j->json);
		/* Stored before pages were: rendered now, within the bound.
		 * A report stored without a comparison has none. */
		if (j->result == -ENODATA)
			j->result = j->page == STORE_PART_PAGE ?
			    store_page_json(st, j) : -ENOENT;
		break;
	case STORE_EXPIRE:
		j->result = st->ops->expire(st->db, j->before, &j->n);
		break;
	case STORE_LIST:
		j->nrows = 0;
		j->rows = calloc(j->query.limit ? j->query.limit : 1,
		    sizeof(*j->rows));
		j->result = j->rows == NULL ? -ENOMEM :
		    st->ops->list(st->db, &j->query, j->rows, &j->nrows);
		break;
	}
}

static void *
store_worker(void *arg)
{
	struct store *st = arg;
	struct store_job *j;
	uint64_t one = 1;

	pthread_mutex_lock(&st->mu);
	for (;;) {
		while (st->queue == NULL && !st->stopping)
			pthread_cond_wait(&st->cv, &st->mu);
		if (st->queue == NULL)
			break;
		j = st->queue;
		if ((st->queue = j->next) == NULL)
			st->queue_tail = &st->queue;
		st->nqueued--;
		pthread_mutex_unlock(&st->mu);
		if (st->stopping)
			j->result = -ECANCELED;
		else
			store_run(st, j);
		pthread_mutex_lock(&st->mu);
		j->next = NULL;
		*st->done_tail = j;
		st->done_tail = &j->next;
		(void)write(st->efd, &one, sizeof(one));
	}
	pthread_mutex_unlock(&st->mu);
	return NULL;
}

/* One line per upload, rate-limited like all a client can cause. */
static void
store_put_log(struct server *s, const struct store_job *j)
{
	if (j->result < 0)
		srv_log_remote(s, "upload from %s not stored: %s", j->row.source,
		    strerror(-j->result));
	else
		srv_log_remote(s, "upload from %s stored as %s: profile %s, "
		    "verdict %s, %zu bytes", j->row.source, j->row.id,
		    j->row.profiles[0] != '\0' ? j->row.profiles : "-",
		    j->row.verdict, (size_t)j->row.size);
}

/* On the loop: the answers that are in. */
static void
store_done_h(evutil_socket_t fd, short what, void *arg)
{
	struct store *st = arg;
	struct store_job *j, *next;
	uint64_t n;

	(void)what;
	(void)read(fd, &n, sizeof(n));
	pthread_mutex_lock(&st->mu);
	j = st->done;
	st->done = NULL;
	st->done_tail = &st->done;
	pthread_mutex_unlock(&st->mu);
	for (; j != NULL; j = next) {
		next = j->next;
		metrics_store_done(st->srv, j);
		if (j->op == STORE_PUT)
			store_put_log(st->srv, j);
		if (j->done != NULL)
			j->done(j);
		else
			store_job_free(j);
	}
}

int
store_submit(struct server *s, struct store_job *j)
{
	struct store *st = s->store;

	if (st == NULL)
		return -ENOTSUP;
	pthread_mutex_lock(&st->mu);
	if (st->nqueued >= STORE_QUEUE_MAX || st->stopping) {
		pthread_mutex_unlock(&st->mu);
		return -EAGAIN;
	}
	j->next = NULL;
	j->queued_us = srv_clock_us(CLOCK_MONOTONIC);
	*st->queue_tail = j;
	st->queue_tail = &j->next;
	st->nqueued++;
	pthread_cond_signal(&st->cv);
	pthread_mutex_unlock(&st->mu);
	return 0;
}

static void
store_expired_h(struct store_job *j)
{
	if (j->result == 0 && j->n > 0)
		log_info("store: %lu reports past the retention deleted", j->n);
	store_job_free(j);
}

/* Retention: now and every STORE_EXPIRE_S. */
static void
store_expire_h(evutil_socket_t fd, short what, void *arg)
{
	struct store *st = arg;
	struct timeval tv = { STORE_EXPIRE_S, 0 };
	struct store_job *j;

	(void)fd;
	(void)what;
	if ((j = store_job_new(STORE_EXPIRE)) != NULL) {
		j->before = (long long)time(NULL) -
		    86400LL * st->srv->conf.store_retention_days;
		j->done = store_expired_h;
		if (store_submit(st->srv, j) < 0)
			store_job_free(j);
	}
	evtimer_add(st->expire, &tv);
}

/* The backend that takes 'spec', its argument in *arg; NULL if none. */
static const struct store_ops *
store_backend(const char *spec, const char **arg)
{
	size_t i;

	for (i = 0; i < sizeof(store_backends) / sizeof(store_backends[0]);
	    i++)
		if (store_backends[i]->match(spec, arg))
			return store_backends[i];
	return NULL;
}

int
store_spec_valid(const char *spec)
{
	const char *arg;

	return store_backend(spec, &arg) != NULL;
}

int
store_start(struct server *s)
{
	const struct store_ops *ops;
	struct timeval now = { 0, 0 };
	const char *arg = NULL;
	struct store *st;
	int r;

	if (!store_enabled(s))
		return 0;
	if ((ops = store_backend(s->conf.store, &arg)) == NULL) {
		log_warnx("store '%s': want sqlite:/PATH or postgresql://...",
		    s->conf.store);
		return -EINVAL;
	}
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return -ENOMEM;
	st->srv = s;
	st->ops = ops;
	st->queue_tail = &st->queue;
	st->done_tail = &st->done;
	st->efd = -1;
	pthread_mutex_init(&st->mu, NULL);
	pthread_cond_init(&st->cv, NULL);
	s->store = st;
	if ((r = ops->open(arg, &st->db)) < 0)
		return r;
	if ((st->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0)
		return -errno;
	st->ev = event_new(s->base, st->efd, EV_READ | EV_PERSIST,
	    store_done_h, st);
	st->expire = evtimer_new(s->base, store_expire_h, st);
	if (st->ev == NULL || st->expire == NULL || event_add(st->ev, NULL) < 0)
		return -ENOMEM;
	if ((r = pthread_create(&st->thread, NULL, store_worker, st)) != 0)
		return -r;
	st->started = 1;
	evtimer_add(st->expire, &now);
	log_info("store: %s, reports kept %u days", ops->name,
	    s->conf.store_retention_days);
	return 0;
}

void
store_stop(struct server *s)
{
	struct store *st = s->store;

	if (st == NULL)
		return;
	if (st->started) {
		pthread_mutex_lock(&st->mu);
		st->stopping = 1;
		pthread_cond_signal(&st->cv);
		pthread_mutex_unlock(&st->mu);
		pthread_join(st->thread, NULL);
		store_done_h(st->efd, EV_READ, st);
	}
	if (st->ev != NULL)
		event_free(st->ev);
	if (st->expire != NULL)
		event_free(st->expire);
	if (st->efd >= 0)
		close(st->efd);
	if (st->db != NULL)
		st->ops->close(st->db);
	pthread_mutex_destroy(&st->mu);
	pthread_cond_destroy(&st->cv);
	free(st);
	s->store = NULL;
}
