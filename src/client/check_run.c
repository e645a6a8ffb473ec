/*
 * check_run.c - runs the check families together on the one event loop.
 *
 * Each family runs on a thread of its own, but only one thread runs at a
 * time: the one holding the baton (run->cur).  A family hands the baton
 * back only where it waits, inside loop_wait(), through the hook this file
 * installs on the loop (loop_on_wait()); the loop thread then
 * runs libevent and hands the baton to each family whose condition holds
 * or whose deadline passed.  So the families are cooperative coroutines:
 * their code stays a sequence (send, wait, conclude), libevent is only
 * ever entered by one thread at a time, and a check as a whole takes as
 * long as its longest wait.  Each family writes its own report; they are
 * joined in registry order at the end, so the report reads the same
 * whichever family finished first.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "log.h"

#define RUN_TICK_MS		250	/* interrupt, progress */
#define RUN_MAX_TASKS		16
#define RUN_PROGRESS_LINE_MS	10000	/* -v: progress repeated at most */

struct run;

struct run_task {
	struct run *run;
	const struct check_ops *ops;
	struct check_ctx ctx;		/* a copy, with its own report */
	struct report rep;
	pthread_t thread;
	int started;
	int finished;
	int rc;				/* what ops->run returned */
	/* Valid while the family waits. */
	int waiting;
	int (*done)(void *arg);
	void *arg;
	long long deadline_ms;
	int result;			/* the wait's result, set by the loop */
	int interrupted;		/* had not finished at the interrupt */
	size_t kept;			/* its entries concluded before it */
};

struct run {
	struct check_ctx *ctx;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct run_task *cur;		/* holds the baton; NULL: the loop */
	struct run_task tasks[RUN_MAX_TASKS];
	size_t n;
	int interrupt_seen;
	int bursty_left;		/* bursty families not finished */
	long long last_progress_ms;
	int progress_shown;
	char progress_last[160];	/* with -v: the line last written */
	long long progress_line_ms;
};

static void *
run_task_h(void *arg)
{
	struct run_task *t = arg;
	struct run *run = t->run;
	long long t0;

	pthread_mutex_lock(&run->mu);
	while (run->cur != t)
		pthread_cond_wait(&run->cv, &run->mu);
	pthread_mutex_unlock(&run->mu);
	t0 = loop_now_ms(t->ctx.loop);
	log_debug("%s: started", t->ops->family);
	t->rc = t->ops->run(&t->ctx);
	log_debug("%s: ended in %.1f s, %zu checks%s%s", t->ops->family,
	    loop_since_s(t->ctx.loop, t0), t->rep.nchecks,
	    t->rc < 0 ? ": " : "", t->rc < 0 ? strerror(-t->rc) : "");
	pthread_mutex_lock(&run->mu);
	t->finished = 1;
	if (t->ops->bursty)
		run->bursty_left--;
	run->cur = NULL;
	pthread_cond_broadcast(&run->cv);
	pthread_mutex_unlock(&run->mu);
	return NULL;
}

/* Loop thread: lets 't' run until it waits again or ends. */
static void
run_resume(struct run *run, struct run_task *t)
{
	pthread_mutex_lock(&run->mu);
	run->cur = t;
	pthread_cond_broadcast(&run->cv);
	while (run->cur != NULL)
		pthread_cond_wait(&run->cv, &run->mu);
	pthread_mutex_unlock(&run->mu);
}

/* loop_wait() of a family: gives the baton back until the wait ends. */
static int
run_wait_h(void *warg, int (*done)(void *arg), void *arg, int timeout_ms,
    int *result)
{
	struct run *run = warg;
	struct run_task *t = run->cur;

	if (t == NULL)
		return 0;	/* the loop thread itself: an ordinary wait */
	if (check_interrupted(&t->ctx)) {
		*result = -EINTR;
		return 1;
	}
	t->done = done;
	t->arg = arg;
	t->deadline_ms = loop_now_ms(t->ctx.loop) +
	    (timeout_ms > 0 ? timeout_ms : 0);
	t->waiting = 1;
	pthread_mutex_lock(&run->mu);
	run->cur = NULL;
	pthread_cond_broadcast(&run->cv);
	while (run->cur != t)
		pthread_cond_wait(&run->cv, &run->mu);
	pthread_mutex_unlock(&run->mu);
	t->waiting = 0;
	*result = t->result;
	return 1;
}

/* Whether 't' may run now; sets the result of its wait. */
static int
run_ready(struct run *run, struct run_task *t, long long now)
{
	int err = loop_error(run->ctx->loop);

	if (t->finished)
		return 0;
	if (!t->waiting)
		return 1;		/* not started yet */
	if (t->done(t->arg))
		t->result = 0;
	else if (check_interrupted(run->ctx))
		t->result = -EINTR;
	else if (err != 0)
		t->result = err;
	else if (now >= t->deadline_ms)
		t->result = -ETIMEDOUT;
	else
		return 0;
	return 1;
}

/* The session failed (loop_fail()): what follows is void. */
static void
run_lost_h(void *arg, int error)
{
	struct run *run = arg;
	size_t i;

	(void)error;
	for (i = 0; i < run->n; i++) {
		run->tasks[i].ctx.st.lost = 1;
		run->tasks[i].ctx.st.lost_at = run->tasks[i].rep.nchecks;
	}
}

/* One line on a TTY: what runs and the time left, rewritten in place. */
static void
run_progress(struct run *run, long long now)
{
	char line[160];
	long long end = now;
	size_t i, len;
	int n;

	if (!run->ctx->opt->progress || now - run->last_progress_ms < 1000)
		return;
	run->last_progress_ms = now;
	len = (size_t)snprintf(line, sizeof(line), "checking%s%s",
	    run->ctx->af_label != NULL ? " over " : "",
	    run->ctx->af_label != NULL ? run->ctx->af_label : "");
	for (i = 0; i < run->n; i++) {
		struct run_task *t = &run->tasks[i];
		long long e = t->ctx.st.eta_ms > 0 ? t->ctx.st.eta_ms :
		    t->waiting ? t->deadline_ms : now;

		if (t->finished)
			continue;
		if (e > end)
			end = e;
		n = snprintf(line + len, sizeof(line) - len, " %s",
		    t->ctx.st.doing[0] ? t->ctx.st.doing : t->ops->family);
		if (n < 0 || (size_t)n >= sizeof(line) - len)
			break;
		len += (size_t)n;
	}
	/* 80 columns: the time left must stay on the line. */
	if (len > 60)
		snprintf(line + 57, sizeof(line) - 57, "...");
	if (log_verbosity() >= 2) {
		/* Among the debug lines: a line of its own, when what runs
		 * changes or every RUN_PROGRESS_LINE_MS. */
		if (strcmp(line, run->progress_last) == 0 &&
		    now - run->progress_line_ms < RUN_PROGRESS_LINE_MS)
			return;
		snprintf(run->progress_last, sizeof(run->progress_last), "%s",
		    line);
		run->progress_line_ms = now;
		fprintf(stderr, "pinhole: %s  (%lld s left)\n", line,
		    (end - now + 999) / 1000);
		return;
	}
	fprintf(stderr, "\r\033[K%s  (%lld s left)", line,
	    (end - now + 999) / 1000);
	fflush(stderr);
	run->progress_shown = 1;
}

/* The loop: hands the baton around until every family has ended. */
static void
run_loop(struct run *run, struct event *tick)
{
	struct timeval tv;
	long long now, next;
	size_t i, left;
	int ran;

	for (;;) {
		if (check_interrupted(run->ctx) && !run->interrupt_seen) {
			run->interrupt_seen = 1;
			for (i = 0; i < run->n; i++)
				if (!run->tasks[i].finished) {
					run->tasks[i].interrupted = 1;
					run->tasks[i].kept =
					    run->tasks[i].rep.nchecks;
				}
		}
		now = loop_now_ms(run->ctx->loop);
		ran = 0;
		left = 0;
		next = now + RUN_TICK_MS;
		for (i = 0; i < run->n; i++) {
			struct run_task *t = &run->tasks[i];

			if (run_ready(run, t, now)) {
				run_resume(run, t);
				ran = 1;
			}
			if (!t->finished) {
				left++;
				if (t->waiting && t->deadline_ms < next)
					next = t->deadline_ms;
			}
		}
		if (left == 0)
			break;
		if (ran)
			continue;
		run_progress(run, now);
		next -= now;
		if (next < 1)
			next = 1;
		tv.tv_sec = next / 1000;
		tv.tv_usec = (next % 1000) * 1000;
		evtimer_add(tick, &tv);
		event_base_loop(run->ctx->loop->base, EVLOOP_ONCE);
	}
	if (run->progress_shown)
		fprintf(stderr, "\r\033[K");
}

static void
run_tick_h(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
}

static void
run_take_field(struct report *to, char **field, const char *value)
{
	if (*field == NULL && value != NULL)
		report_set(to, field, value);
}

/* Joins one family's report into the whole one, in registry order. */
static void
run_join(struct run *run, struct run_task *t)
{
	struct report *to = run->ctx->report;
	size_t i, n;

	run_take_field(to, &to->local_addr, t->rep.local_addr);
	run_take_field(to, &to->public_udp, t->rep.public_udp);
	run_take_field(to, &to->public_tcp, t->rep.public_tcp);
	check_void_after_loss(&t->ctx);
	n = t->interrupted ? t->kept : t->rep.nchecks;
	for (i = 0; i < n; i++)
		report_add_copy(to, &t->rep.checks[i], NULL);
	if (t->interrupted) {
		report_add(to, t->ops->family, "Interrupted", VERDICT_ERROR,
		    json_pack("{s:b, s:I}", "interrupted", 1, "concluded",
		    (json_int_t)n), NULL, "interrupted before the %s checks "
		    "finished (%zu concluded before)", t->ops->family, n);
	} else if (t->rc < 0) {
		report_add(to, t->ops->family, "Internal", VERDICT_ERROR,
		    NULL, NULL, "the %s checks could not run: %s",
		    t->ops->family, strerror(-t->rc));
	}
}

/* Starts the thread of one family, with the signals left to the loop. */
static int
run_start(struct run *run, const struct check_ops *ops)
{
	struct run_task *t = &run->tasks[run->n];
	sigset_t all, old;
	int r;

	t->run = run;
	t->ops = ops;
	t->ctx = *run->ctx;
	report_init(&t->rep);
	t->ctx.report = &t->rep;
	t->ctx.bursty_left = &run->bursty_left;
	/* A session that failed before the families started (while its
	 * round trip was measured, say) voids what needs it from the start. */
	if (loop_error(run->ctx->loop) != 0) {
		t->ctx.st.lost = 1;
		t->ctx.st.lost_at = 0;
	}
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	r = pthread_create(&t->thread, NULL, run_task_h, t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r != 0) {
		report_free(&t->rep);
		return -r;
	}
	if (ops->bursty)
		run->bursty_left++;
	t->started = 1;
	run->n++;
	return 0;
}

int
check_run_all(struct check_ctx *ctx)
{
	const struct check_ops *const *ops;
	struct run *run;
	struct event *tick = NULL;
	long long t0;
	size_t i;
	int r = 0;

	if ((run = calloc(1, sizeof(*run))) == NULL)
		return -ENOMEM;
	run->ctx = ctx;
	pthread_mutex_init(&run->mu, NULL);
	pthread_cond_init(&run->cv, NULL);
	/* The round trip that sizes every wait for a negative answer. */
	t0 = loop_now_ms(ctx->loop);
	ctx->rtt_ms = -1;
	if (ctlcli_sync(ctx->ctl, ctx->opt->wait_ms) == 0)
		ctx->rtt_ms = (int)(loop_now_ms(ctx->loop) - t0);
	if ((tick = evtimer_new(ctx->loop->base, run_tick_h, run)) == NULL) {
		r = -ENOMEM;
		goto out;
	}
	loop_on_fail(ctx->loop, run_lost_h, run);
	loop_on_wait(ctx->loop, run_wait_h, run);
	for (ops = check_registry; *ops != NULL; ops++) {
		if ((*ops)->after_all || check_skipped(ctx, (*ops)->family))
			continue;
		if (run->n == RUN_MAX_TASKS || (r = run_start(run, *ops)) < 0)
			break;
	}
	run_loop(run, tick);
	for (i = 0; i < run->n; i++)
		pthread_join(run->tasks[i].thread, NULL);
	loop_on_wait(ctx->loop, NULL, NULL);
	loop_on_fail(ctx->loop, NULL, NULL);

	/* In registry order: skips, entries, errors; then what reads them. */
	i = 0;
	for (ops = check_registry; *ops != NULL; ops++) {
		if (check_skipped(ctx, (*ops)->family)) {
			report_add(ctx->report, (*ops)->family, "Skipped",
			    VERDICT_SKIP, NULL, NULL, "not run: --skip %s",
			    (*ops)->family);
		} else if ((*ops)->after_all) {
			int rr = (*ops)->run(ctx);

			if (rr < 0)
				report_add(ctx->report, (*ops)->family,
				    "Internal", VERDICT_ERROR, NULL, NULL,
				    "the %s checks could not run: %s",
				    (*ops)->family, strerror(-rr));
		} else if (i < run->n && run->tasks[i].ops == *ops) {
			run_join(run, &run->tasks[i]);
			i++;
		}
	}
out:
	for (i = 0; i < run->n; i++)
		report_free(&run->tasks[i].rep);
	if (tick != NULL)
		event_free(tick);
	pthread_cond_destroy(&run->cv);
	pthread_mutex_destroy(&run->mu);
	free(run);
	return r;
}
