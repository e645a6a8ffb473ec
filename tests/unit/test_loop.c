/*
 * test_loop.c - the client's one wait (src/client/loop.c) with an injected
 * clock: a ticker advances it by 100 ms on every turn of the event loop,
 * so that the deadlines are the clock's and no test sleeps.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <event2/event.h>

#include "loop.h"

#define TICK_MS	100

static long long fake_ms;
static int ticks;

static long long
fake_now(void)
{
	return fake_ms;
}

/* Every turn of the loop: time passes. */
static void
tick_h(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	fake_ms += TICK_MS;
	ticks++;
}

struct fixture {
	struct event_base *base;
	struct event *ticker;
	struct loop loop;
};

static int
setup(void **state)
{
	static struct fixture f;
	/* Not 0: libevent does not repeat a persistent timer of 0. */
	struct timeval soon = { 0, 1 };

	f.base = event_base_new();
	assert_non_null(f.base);
	f.ticker = event_new(f.base, -1, EV_PERSIST, tick_h, NULL);
	assert_non_null(f.ticker);
	event_add(f.ticker, &soon);
	loop_init(&f.loop, f.base);
	f.loop.now_ms = fake_now;
	fake_ms = 5000;
	ticks = 0;
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	event_free(f->ticker);
	event_base_free(f->base);
	return 0;
}

static int
never_h(void *arg)
{
	(void)arg;
	return 0;
}

/* True once the clock reached *(long long *)arg. */
static int
at_h(void *arg)
{
	return fake_ms >= *(long long *)arg;
}

static void
test_clock(void **state)
{
	struct fixture *f = *state;
	struct loop plain;

	assert_int_equal(loop_now_ms(&f->loop), 5000);
	fake_ms = 6500;
	assert_true(loop_since_s(&f->loop, 5000) == 1.5);
	fake_ms = 123456;
	assert_int_equal(loop_now_ms(&f->loop), 123456);
	/* The default is the monotonic clock, not the fake one. */
	loop_init(&plain, f->base);
	assert_true(plain.now_ms == loop_clock_monotonic);
	assert_true(loop_now_ms(&plain) >= 0);
}

/* The deadline is the injected clock's: 1000 ms is ten turns. */
static void
test_timeout(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(loop_wait(&f->loop, never_h, NULL, 1000), -ETIMEDOUT);
	assert_int_equal(ticks, 10);
	assert_int_equal(fake_ms, 6000);
}

static void
test_done(void **state)
{
	struct fixture *f = *state;
	long long at = 5500;

	assert_int_equal(loop_wait(&f->loop, at_h, &at, 1000), 0);
	assert_int_equal(ticks, 5);
	/* Already done: the loop does not run. */
	assert_int_equal(loop_wait(&f->loop, at_h, &at, 1000), 0);
	assert_int_equal(ticks, 5);
}

static int took;

static void
took_h(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	took++;
}

/* A wait of 0 runs the loop once, to take what is there already. */
static void
test_zero(void **state)
{
	struct fixture *f = *state;
	struct event *ev = event_new(f->base, -1, 0, took_h, NULL);

	assert_non_null(ev);
	event_active(ev, EV_READ, 0);
	took = 0;
	assert_int_equal(loop_wait(&f->loop, never_h, NULL, 0), -ETIMEDOUT);
	assert_int_equal(took, 1);
	event_free(ev);
}

static int hook_timeout, hook_take;

static int
hook_h(void *warg, int (*done)(void *arg), void *arg, int timeout_ms,
    int *result)
{
	(void)warg;
	(void)done;
	(void)arg;
	hook_timeout = timeout_ms;
	*result = -EINTR;
	return hook_take;
}

/* A scheduler's hook takes the wait, or leaves it to the loop. */
static void
test_hook(void **state)
{
	struct fixture *f = *state;

	loop_on_wait(&f->loop, hook_h, NULL);
	hook_take = 1;
	assert_int_equal(loop_wait(&f->loop, never_h, NULL, 700), -EINTR);
	assert_int_equal(hook_timeout, 700);
	assert_int_equal(ticks, 0);
	hook_take = 0;
	assert_int_equal(loop_wait(&f->loop, never_h, NULL, 300), -ETIMEDOUT);
	assert_int_equal(ticks, 3);
	loop_on_wait(&f->loop, NULL, NULL);
	assert_int_equal(loop_wait(&f->loop, never_h, NULL, 200), -ETIMEDOUT);
	assert_int_equal(ticks, 5);
}

static int fails, fail_error;

static void
fail_h(void *arg, int error)
{
	(void)arg;
	fails++;
	fail_error = error;
}

/* A failure ends every wait with its error, and is told once. */
static void
test_fail(void **state)
{
	struct fixture *f = *state;
	long long at = 0;

	loop_on_fail(&f->loop, fail_h, NULL);
	loop_fail(&f->loop, -ECONNRESET);
	loop_fail(&f->loop, -EPIPE);
	assert_int_equal(fails, 1);
	assert_int_equal(fail_error, -ECONNRESET);
	assert_int_equal(loop_error(&f->loop), -EPIPE);
	assert_int_equal(loop_wait(&f->loop, never_h, NULL, 1000), -EPIPE);
	assert_int_equal(ticks, 0);
	/* What is done is done, failed or not. */
	assert_int_equal(loop_wait(&f->loop, at_h, &at, 1000), 0);
	loop_fail(&f->loop, 0);
	assert_int_equal(loop_error(&f->loop), 0);
	assert_int_equal(loop_wait(&f->loop, never_h, NULL, 100), -ETIMEDOUT);
	assert_int_equal(ticks, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_clock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_done, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hook, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fail, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
