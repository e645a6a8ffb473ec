/*
 * ratelimit.h - per-source token buckets in a bounded table.  The clock is
 * passed in, so tests need no sleeping.
 */
#ifndef PINHOLED_RATELIMIT_H
#define PINHOLED_RATELIMIT_H

#include <stddef.h>

#include "net.h"

#define RATE_TABLE_SIZE 1024

struct rate_entry {
	struct net_ip ip;
	double tokens;
	long long last_ms;
	int used;
};

struct rate_table {
	struct rate_entry e[RATE_TABLE_SIZE];
	double rate;			/* tokens per second */
	double burst;
};

void rate_init(struct rate_table *t, double rate, double burst);
/*
 * Takes a token for 'ip' at 'now_ms'.  Returns 1 when allowed, 0 when the
 * source is over its rate.  A full table evicts its least recently used
 * entry, so memory stays bounded whatever the number of sources.
 */
int rate_take(struct rate_table *t, const struct net_ip *ip, long long now_ms);

#endif
