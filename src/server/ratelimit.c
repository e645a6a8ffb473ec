/* ratelimit.c - per-source token buckets. */
#include <string.h>

#include "ratelimit.h"

void
rate_init(struct rate_table *t, double rate, double burst)
{
	memset(t, 0, sizeof(*t));
	t->rate = rate;
	t->burst = burst;
}

int
rate_take(struct rate_table *t, const struct net_ip *ip, long long now_ms)
{
	struct rate_entry *e = NULL, *lru = &t->e[0];
	size_t i;

	for (i = 0; i < RATE_TABLE_SIZE; i++) {
		if (!t->e[i].used) {
			if (e == NULL)
				lru = &t->e[i];
			continue;
		}
		if (net_ip_equal(&t->e[i].ip, ip)) {
			e = &t->e[i];
			break;
		}
		if (lru->used && t->e[i].last_ms < lru->last_ms)
			lru = &t->e[i];
	}
	if (e == NULL) {
		e = lru;
		e->used = 1;
		e->ip = *ip;
		e->tokens = t->burst;
		e->last_ms = now_ms;
	}
	if (now_ms > e->last_ms) {
		e->tokens += (double)(now_ms - e->last_ms) * t->rate / 1000.0;
		if (e->tokens > t->burst)
			e->tokens = t->burst;
	}
	e->last_ms = now_ms;
	if (e->tokens < 1.0)
		return 0;
	e->tokens -= 1.0;
	return 1;
}
