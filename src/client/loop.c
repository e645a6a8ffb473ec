/* loop.c - the client's event loop, clock and wait (loop.h). */
#include <errno.h>
#include <time.h>

#include "loop.h"

long long
loop_clock_monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
loop_init(struct loop *l, struct event_base *base)
{
	l->base = base;
	l->now_ms = loop_clock_monotonic;
	l->error = 0;
	l->wait_h = NULL;
	l->wait_arg = NULL;
	l->fail_h = NULL;
	l->fail_arg = NULL;
}

long long
loop_now_ms(const struct loop *l)
{
	return l->now_ms();
}

double
loop_since_s(const struct loop *l, long long t0_ms)
{
	return (double)(loop_now_ms(l) - t0_ms) / 1000.0;
}

static void
loop_timeout_h(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
}

int
loop_wait(struct loop *l, int (*done)(void *arg), void *arg, int timeout_ms)
{
	struct event *t;
	struct timeval tv;
	long long deadline, left;
	int r, ran = 0;

	if (done(arg))
		return 0;
	if (l->wait_h != NULL &&
	    l->wait_h(l->wait_arg, done, arg, timeout_ms, &r))
		return r;
	if ((t = evtimer_new(l->base, loop_timeout_h, NULL)) == NULL)
		return -ENOMEM;
	deadline = loop_now_ms(l) + (timeout_ms > 0 ? timeout_ms : 0);
	for (;;) {
		if (done(arg)) {
			r = 0;
			break;
		}
		if (l->error != 0) {
			r = l->error;
			break;
		}
		/* The loop runs at least once: a wait of 0 takes what is
		 * there already. */
		if ((left = deadline - loop_now_ms(l)) <= 0 && ran) {
			r = -ETIMEDOUT;
			break;
		}
		if (left < 0)
			left = 0;
		/* Wakes up at the deadline at the latest. */
		tv.tv_sec = (time_t)(left / 1000);
		tv.tv_usec = (suseconds_t)((left % 1000) * 1000);
		evtimer_add(t, &tv);
		event_base_loop(l->base, EVLOOP_ONCE);
		ran = 1;
	}
	event_free(t);
	return r;
}

void
loop_on_wait(struct loop *l, loop_wait_fn h, void *warg)
{
	l->wait_h = h;
	l->wait_arg = warg;
}

void
loop_fail(struct loop *l, int error)
{
	int first = l->error == 0 && error != 0;

	l->error = error;
	if (first && l->fail_h != NULL)
		l->fail_h(l->fail_arg, error);
}

int
loop_error(const struct loop *l)
{
	return l->error;
}

void
loop_on_fail(struct loop *l, void (*h)(void *arg, int error), void *arg)
{
	l->fail_h = h;
	l->fail_arg = arg;
}
