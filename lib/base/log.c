/* log.c - stderr or syslog logging, and a rate limiter for hostile input. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "log.h"

static const char *log_prog = "pinhole";
static int log_verbose = 1;
static int log_syslog;

void
log_init(const char *progname, int verbose, int use_syslog)
{
	log_prog = progname;
	log_verbose = verbose;
	log_syslog = use_syslog;
	if (use_syslog)
		openlog(progname, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

int
log_verbosity(void)
{
	return log_verbose;
}

static void
log_vwrite(int pri, const char *fmt, va_list ap, int with_errno)
{
	char msg[1024];
	int saved = errno;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_syslog) {
		if (with_errno)
			syslog(pri, "%s: %s", msg, strerror(saved));
		else
			syslog(pri, "%s", msg);
		return;
	}
	if (with_errno)
		fprintf(stderr, "%s: %s: %s\n", log_prog, msg, strerror(saved));
	else
		fprintf(stderr, "%s: %s\n", log_prog, msg);
}

#define LOG_BODY(pri, err) do {			\
	va_list ap;				\
	va_start(ap, fmt);			\
	log_vwrite(pri, fmt, ap, err);		\
	va_end(ap);				\
} while (0)

void
log_warn(const char *fmt, ...)
{
	LOG_BODY(LOG_WARNING, 1);
}

void
log_warnx(const char *fmt, ...)
{
	LOG_BODY(LOG_WARNING, 0);
}

void
log_info(const char *fmt, ...)
{
	if (log_verbose < 1)
		return;
	LOG_BODY(LOG_INFO, 0);
}

void
log_debug(const char *fmt, ...)
{
	if (log_verbose < 2)
		return;
	LOG_BODY(LOG_DEBUG, 0);
}

void
fatal(const char *fmt, ...)
{
	LOG_BODY(LOG_CRIT, 1);
	exit(2);
}

void
fatalx(const char *fmt, ...)
{
	LOG_BODY(LOG_CRIT, 0);
	exit(2);
}

void
log_limit_init(struct log_limit *l, double burst, double per_sec)
{
	l->tokens = burst;
	l->burst = burst;
	l->per_sec = per_sec;
	l->last_ms = -1;
	l->suppressed = 0;
}

int
log_limit_take(struct log_limit *l, long long now_ms)
{
	if (l->last_ms >= 0 && now_ms > l->last_ms) {
		l->tokens += (double)(now_ms - l->last_ms) * l->per_sec / 1000.0;
		if (l->tokens > l->burst)
			l->tokens = l->burst;
	}
	l->last_ms = now_ms;
	if (l->tokens >= 1.0) {
		l->tokens -= 1.0;
		return 1;
	}
	l->suppressed++;
	return 0;
}

unsigned long
log_limit_suppressed(struct log_limit *l)
{
	unsigned long n = l->suppressed;

	l->suppressed = 0;
	return n;
}
