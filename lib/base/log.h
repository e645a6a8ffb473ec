/*
 * log.h - the one logging interface of pinhole and pinholed.
 *
 * Messages go to stderr, or to syslog once log_init() asked for it.
 * log_warn() appends strerror(errno); the -x variants do not.
 */
#ifndef PINHOLE_LOG_H
#define PINHOLE_LOG_H

#include <stdarg.h>

#define LOG_FMT(a, b) __attribute__((format(printf, a, b)))

/* Sets the program name, verbosity (0 quiet, 1 info, 2 debug) and target. */
void log_init(const char *progname, int verbose, int use_syslog);
/* Current verbosity, as set by log_init(). */
int log_verbosity(void);

void log_warn(const char *fmt, ...) LOG_FMT(1, 2);
void log_warnx(const char *fmt, ...) LOG_FMT(1, 2);
void log_info(const char *fmt, ...) LOG_FMT(1, 2);
void log_debug(const char *fmt, ...) LOG_FMT(1, 2);
void fatal(const char *fmt, ...) LOG_FMT(1, 2) __attribute__((noreturn));
void fatalx(const char *fmt, ...) LOG_FMT(1, 2) __attribute__((noreturn));

/*
 * A token bucket for log lines that an attacker can trigger.  Allows
 * 'burst' lines, refilled at 'per_sec'; log_limit_take() returns 1 when a
 * line may be written and counts the lines it suppressed, which the caller
 * reports with the next line it may write (see log_limit_suppressed()).
 * 'now_ms' is a CLOCK_MONOTONIC reading, injected so tests need no sleep.
 */
struct log_limit {
	double tokens;
	double burst;
	double per_sec;
	long long last_ms;
	unsigned long suppressed;
};

void log_limit_init(struct log_limit *l, double burst, double per_sec);
int log_limit_take(struct log_limit *l, long long now_ms);
/* Returns and clears the count of lines suppressed since the last take. */
unsigned long log_limit_suppressed(struct log_limit *l);

#endif
