/*
 * metricsrv.c - the operators' listener (metrics-listen): GET /metrics,
 * the exposition of metrics.c, and GET /health, whether the store answers.
 * Nothing else: another path is 404, another method 405.
 *
 * It is an attack surface like the public ports, with the same rules of
 * its own: a connection has an absolute deadline set at accept that no
 * byte pushes back, a request is read to METRICSRV_REQ_MAX bytes at most,
 * the answer is written once and the connection closes after it, and
 * METRICSRV_CONNS connections at most are open; past that a new one is
 * closed at once and counted.  Its connections and descriptors are apart
 * from the public ports' caps: a flood there does not blind the operator,
 * and a flood here does not take a slot from a check.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "metrics.h"
#include "server.h"
#include "store.h"

#define METRICSRV_DEADLINE_S	5	/* from accept to the last byte out */
#define METRICSRV_REQ_MAX	4096	/* request line and headers */
#define METRICSRV_OUT_MAX	(1024 * 1024)	/* an answer, at most */
#define METRICSRV_ACCEPT_BATCH	16	/* accepts per wake-up */

struct mconn {
	struct metricsrv *ms;
	struct bufferevent *bev;
	struct event *timer;
	int waiting;			/* /health: for the store's answer */
	int answered;
	struct mconn *next, *prev;
};

struct metricsrv {
	struct server *srv;
	int fd;
	struct event *ev;
	struct mconn *conns;
	unsigned nconns;
	struct store_job *probe;	/* in flight, for /health */
};

static void
mconn_free(struct mconn *m)
{
	struct metricsrv *ms = m->ms;

	if (m->prev != NULL)
		m->prev->next = m->next;
	else
		ms->conns = m->next;
	if (m->next != NULL)
		m->next->prev = m->prev;
	ms->nconns--;
	if (m->timer != NULL)
		event_free(m->timer);
	bufferevent_free(m->bev);	/* closes the descriptor */
	free(m);
}

/* Queues the answer and closes once it is out. */
static void
mconn_answer(struct mconn *m, const char *status, const char *ctype,
    const char *extra, struct evbuffer *body)
{
	struct evbuffer *out = bufferevent_get_output(m->bev);
	size_t n = body != NULL ? evbuffer_get_length(body) : 0;

	m->answered = 1;
	m->waiting = 0;
	bufferevent_disable(m->bev, EV_READ);
	if (evbuffer_add_printf(out, "HTTP/1.1 %s\r\nContent-Type: %s\r\n"
	    "Content-Length: %zu\r\nCache-Control: no-store\r\n%s"
	    "Connection: close\r\n\r\n", status, ctype, n, extra) < 0 ||
	    (body != NULL && evbuffer_add_buffer(out, body) < 0)) {
		mconn_free(m);
		return;
	}
}

static void
mconn_text(struct mconn *m, const char *status, const char *extra,
    const char *text)
{
	struct evbuffer *b = evbuffer_new();

	if (b == NULL || evbuffer_add_printf(b, "%s\n", text) < 0) {
		if (b != NULL)
			evbuffer_free(b);
		mconn_free(m);
		return;
	}
	mconn_answer(m, status, "text/plain; charset=utf-8", extra, b);
	evbuffer_free(b);
}

static void
metricsrv_metrics(struct mconn *m)
{
	struct evbuffer *b = evbuffer_new();

	if (b == NULL || metrics_render(m->ms->srv, b) < 0 ||
	    evbuffer_get_length(b) > METRICSRV_OUT_MAX) {
		if (b != NULL)
			evbuffer_free(b);
		mconn_text(m, "500 Internal Server Error", "", "cannot render");
		return;
	}
	mconn_answer(m, "200 OK", "text/plain; version=0.0.4; charset=utf-8",
	    "", b);
	evbuffer_free(b);
}

/* Answers one /health from the store's state. */
static void
metricsrv_health_answer(struct mconn *m)
{
	const struct srv_counters *c = &m->ms->srv->cnt;

	if (!store_enabled(m->ms->srv) || !c->store_down)
		mconn_text(m, "200 OK", "", "ok");
	else
		mconn_text(m, "503 Service Unavailable", "", c->store_reason);
}

/* The store answered the probe: every /health waiting gets its answer. */
static void
metricsrv_probe_done(struct store_job *j)
{
	struct metricsrv *ms = j->arg;
	struct mconn *m, *next;

	store_job_free(j);
	if (ms == NULL)
		return;
	ms->probe = NULL;
	for (m = ms->conns; m != NULL; m = next) {
		next = m->next;
		if (m->waiting)
			metricsrv_health_answer(m);
	}
}

/* /health with a store: a GET of an id no report has (its answer, "no
 * such report", says the store is reachable), shared by every /health
 * that comes while it is in flight. */
static void
metricsrv_health(struct mconn *m)
{
	struct metricsrv *ms = m->ms;
	struct store_job *j;

	if (!store_enabled(ms->srv)) {
		metricsrv_health_answer(m);
		return;
	}
	m->waiting = 1;
	if (ms->probe != NULL)
		return;
	if ((j = store_job_new(STORE_GET)) == NULL ||
	    store_id_new(j->row.id) < 0) {
		store_job_free(j);
		mconn_text(m, "503 Service Unavailable", "", "out of memory");
		return;
	}
	j->done = metricsrv_probe_done;
	j->arg = ms;
	if (store_submit(ms->srv, j) < 0) {
		store_job_free(j);
		mconn_text(m, "503 Service Unavailable", "",
		    "the store's queue is full");
		return;
	}
	ms->probe = j;
}

/* The request line of a complete head: "GET /metrics HTTP/1.1". */
static void
metricsrv_request(struct mconn *m, const char *line)
{
	const char *sp = strchr(line, ' ');
	char path[16];
	size_t n;

	if (sp == NULL || strncmp(sp + 1, "/", 1) != 0) {
		mconn_text(m, "400 Bad Request", "", "bad request");
		return;
	}
	n = strcspn(sp + 1, " ?");
	snprintf(path, sizeof(path), "%.*s", n < sizeof(path) ? (int)n : 0,
	    sp + 1);
	if (strcmp(path, "/metrics") != 0 && strcmp(path, "/health") != 0)
		mconn_text(m, "404 Not Found", "", "not found");
	else if ((size_t)(sp - line) != 3 || strncmp(line, "GET", 3) != 0)
		mconn_text(m, "405 Method Not Allowed", "Allow: GET\r\n",
		    "method not allowed");
	else if (path[1] == 'm')
		metricsrv_metrics(m);
	else
		metricsrv_health(m);
}

static void
mconn_read_h(struct bufferevent *bev, void *arg)
{
	struct mconn *m = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	struct evbuffer_ptr end;
	char *line;

	if (m->answered || m->waiting) {
		evbuffer_drain(in, evbuffer_get_length(in));
		return;
	}
	end = evbuffer_search(in, "\r\n\r\n", 4, NULL);
	if (end.pos < 0) {
		end = evbuffer_search(in, "\n\n", 2, NULL);
		if (end.pos < 0) {
			if (evbuffer_get_length(in) >= METRICSRV_REQ_MAX)
				mconn_text(m, "431 Request Header Fields Too "
				    "Large", "", "request too large");
			return;
		}
	}
	if ((line = evbuffer_readln(in, NULL, EVBUFFER_EOL_CRLF)) == NULL) {
		mconn_free(m);
		return;
	}
	evbuffer_drain(in, evbuffer_get_length(in));
	metricsrv_request(m, line);
	free(line);
}

static void
mconn_write_h(struct bufferevent *bev, void *arg)
{
	struct mconn *m = arg;

	if (m->answered &&
	    evbuffer_get_length(bufferevent_get_output(bev)) == 0)
		mconn_free(m);
}

static void
mconn_event_h(struct bufferevent *bev, short what, void *arg)
{
	struct mconn *m = arg;

	(void)bev;
	/* The peer closed, or an error: nothing more to do for it. */
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		mconn_free(m);
}

static void
mconn_timer_h(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	mconn_free(arg);
}

static void
metricsrv_accept_h(evutil_socket_t lfd, short what, void *arg)
{
	struct metricsrv *ms = arg;
	struct server *s = ms->srv;
	const struct timeval dl = { METRICSRV_DEADLINE_S, 0 };
	struct mconn *m;
	int fd, i;

	(void)what;
	for (i = 0; i < METRICSRV_ACCEPT_BATCH; i++) {
		if ((fd = accept4(lfd, NULL, NULL,
		    SOCK_NONBLOCK | SOCK_CLOEXEC)) < 0)
			return;
		if (ms->nconns >= METRICSRV_CONNS ||
		    (m = calloc(1, sizeof(*m))) == NULL) {
			s->cnt.metrics_refused++;
			close(fd);
			continue;
		}
		m->ms = ms;
		m->bev = bufferevent_socket_new(s->base, fd,
		    BEV_OPT_CLOSE_ON_FREE);
		m->timer = evtimer_new(s->base, mconn_timer_h, m);
		if (m->bev == NULL || m->timer == NULL) {
			if (m->bev != NULL)
				bufferevent_free(m->bev);
			else
				close(fd);
			if (m->timer != NULL)
				event_free(m->timer);
			free(m);
			s->cnt.metrics_refused++;
			continue;
		}
		m->next = ms->conns;
		if (ms->conns != NULL)
			ms->conns->prev = m;
		ms->conns = m;
		ms->nconns++;
		evtimer_add(m->timer, &dl);
		bufferevent_setwatermark(m->bev, EV_READ, 0, METRICSRV_REQ_MAX);
		bufferevent_setcb(m->bev, mconn_read_h, mconn_write_h,
		    mconn_event_h, m);
		bufferevent_enable(m->bev, EV_READ);
	}
}

int
metricsrv_start(struct server *s)
{
	const struct srv_conf *c = &s->conf;
	struct metricsrv *ms;
	char a[NET_ADDRSTRLEN];
	int fd, one = 1, err;

	if (!c->metrics_on)
		return 0;
	fd = socket(c->metrics_addr.ss_family,
	    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)&c->metrics_addr,
	    c->metrics_len) < 0 || listen(fd, 16) < 0) {
		err = errno;
		log_warnx("cannot listen on metrics-listen %s: %s",
		    net_sa_str((const struct sockaddr *)&c->metrics_addr, a,
		    sizeof(a)), strerror(err));
		close(fd);
		return -err;
	}
	if ((ms = calloc(1, sizeof(*ms))) == NULL) {
		close(fd);
		return -ENOMEM;
	}
	ms->srv = s;
	ms->fd = fd;
	ms->ev = event_new(s->base, fd, EV_READ | EV_PERSIST,
	    metricsrv_accept_h, ms);
	if (ms->ev == NULL) {
		close(fd);
		free(ms);
		return -ENOMEM;
	}
	event_add(ms->ev, NULL);
	s->metricsrv = ms;
	log_info("metrics on %s", net_sa_str((const struct sockaddr *)
	    &c->metrics_addr, a, sizeof(a)));
	return 0;
}

void
metricsrv_stop(struct server *s)
{
	struct metricsrv *ms = s->metricsrv;

	if (ms == NULL)
		return;
	while (ms->conns != NULL)
		mconn_free(ms->conns);
	if (ms->probe != NULL)
		ms->probe->arg = NULL;	/* the store frees it */
	event_free(ms->ev);
	close(ms->fd);
	free(ms);
	s->metricsrv = NULL;
}
