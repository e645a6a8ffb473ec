/*
 * loop.h - the client's one event loop, its one clock and its one wait.
 *
 * Checks are written as sequences: they send, then wait with loop_wait()
 * until a condition holds or a deadline passes.  The wait runs the event
 * loop itself, or hands over to the hook a scheduler installed
 * (check_run.c runs several families on the one loop that way).  Every
 * part of the client that needs the time reads it from the loop's clock,
 * which a test can replace, as pinholed's can (server.h).
 *
 * What every wait depends on (the control session) can fail: loop_fail()
 * ends every wait, now and later, with its error.  The loop knows neither
 * the session nor the scheduler: they call it, never each other.
 */
#ifndef PINHOLE_LOOP_H
#define PINHOLE_LOOP_H

#include <event2/event.h>

/*
 * Takes over loop_wait() (see loop_on_wait()): returns non-zero when it
 * waited itself and put the wait's result in *result, 0 to let loop_wait()
 * run the loop.
 */
typedef int (*loop_wait_fn)(void *warg, int (*done)(void *arg), void *arg,
    int timeout_ms, int *result);

struct loop {
	struct event_base *base;	/* the program's; not owned */
	long long (*now_ms)(void);	/* CLOCK_MONOTONIC; tests inject one */
	int error;			/* -errno once loop_fail() was called */
	loop_wait_fn wait_h;
	void *wait_arg;
	void (*fail_h)(void *arg, int error);
	void *fail_arg;
};

/* Sets up 'l' over 'base' with the monotonic clock. */
void loop_init(struct loop *l, struct event_base *base);

/* Monotonic milliseconds: the default clock. */
long long loop_clock_monotonic(void);

/* The loop's time in milliseconds. */
long long loop_now_ms(const struct loop *l);
/* Seconds since 't0_ms' (a loop_now_ms() reading), for durations. */
double loop_since_s(const struct loop *l, long long t0_ms);

/*
 * Waits until done(arg) returns non-zero, the loop failed (loop_fail()),
 * or 'timeout_ms' passes by the loop's clock: through the hook of
 * loop_on_wait() when it takes the wait, else by running the event loop.
 * Returns 0 when done, -ETIMEDOUT, the loop's error, or what the hook
 * says (-EINTR on an interrupt).
 */
int loop_wait(struct loop *l, int (*done)(void *arg), void *arg,
    int timeout_ms);

/*
 * Offers every loop_wait() to 'h' first (a scheduler running several
 * checks on the one loop); NULL 'h' removes it.
 */
void loop_on_wait(struct loop *l, loop_wait_fn h, void *warg);

/*
 * Ends every wait, now and later, with 'error' (< 0): what the waits
 * depend on is gone.  The first call is told to the hook of
 * loop_on_fail(); 0 clears the failure (a new session).
 */
void loop_fail(struct loop *l, int error);
/* The error of loop_fail(), or 0. */
int loop_error(const struct loop *l);
/* Sets 'h' to be told of loop_fail(); NULL 'h' removes it. */
void loop_on_fail(struct loop *l, void (*h)(void *arg, int error),
    void *arg);

#endif
