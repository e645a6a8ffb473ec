/* server.c - the tables every module of pinholed shares, and its clock. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <openssl/rand.h>

#include "conn.h"
#include "server.h"
#include "session.h"
#include "stun.h"

long long
srv_clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
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

int
srv_init(struct server *s)
{
	const struct srv_conf *c = &s->conf;
	size_t i;
	int r;

	if (s->now_ms == NULL)
		s->now_ms = srv_clock_ms;
	if (RAND_bytes(s->hash_key, sizeof(s->hash_key)) != 1)
		return -EIO;
	rate_init(&s->conn_rate, c->conn_rate, 2.0 * c->conn_rate);
	rate_key(&s->conn_rate, s->hash_key);
	rate_init(&s->stun_rate, c->stun_rate, 2.0 * c->stun_rate);
	rate_key(&s->stun_rate, s->hash_key);
	log_limit_init(&s->log_remote, 20, 1);
	for (i = 0; i < LISTEN_BATCH; i++)
		dbuf_init(&s->stun_out[i], STUN_MAX_MSG);
	if ((s->rx = calloc(1, sizeof(*s->rx))) == NULL)
		return -ENOMEM;
	if ((r = session_init(s)) < 0 ||
	    (r = ipt_init(&s->unauth, c->max_unauth, s->hash_key)) < 0)
		return r;
	return 0;
}

void
srv_free(struct server *s)
{
	size_t i;

	conn_free_all(s);
	session_close_all(s);
	ipt_free(&s->unauth);
	for (i = 0; i < LISTEN_BATCH; i++)
		dbuf_free(&s->stun_out[i]);
	free(s->rx);
	s->rx = NULL;
	if (s->reaper != NULL)
		event_free(s->reaper);
	if (s->resume != NULL)
		event_free(s->resume);
}
