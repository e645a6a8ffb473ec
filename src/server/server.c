/* server.c - what every module of pinholed shares: its clock and its log of
 * what remote peers trigger. */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "server.h"

long long
srv_clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
srv_clock_us(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void
srv_source(const struct server *s, const struct net_ip *ip,
    struct net_ip *src)
{
	net_ip_prefix(ip, s->conf.source_prefix6, src);
}

void
srv_log_remote(struct server *s, const char *fmt, ...)
{
	char msg[256];
	unsigned long sup;
	va_list ap;

	if (!log_limit_take(&s->log_remote, s->now_ms()))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if ((sup = log_limit_suppressed(&s->log_remote)) > 0)
		log_info("%s (%lu similar lines suppressed)", msg, sup);
	else
		log_info("%s", msg);
}
