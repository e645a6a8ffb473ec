/* ratelimit.c - per-source token buckets. */
#include <string.h>

#include "ratelimit.h"

void
rate_init(struct rate_table *t, double rate, double burst)
{
	memset(t, 0, sizeof(*t));
	t->rate = rate;
	t->burst = burst;
	t->prefix6 = 128;
}

void
rate_prefix(struct rate_table *t, unsigned bits)
{
	t->prefix6 = bits;
}

void
rate_key(struct rate_table *t, const uint8_t key[HASH_KEY_LEN])
{
	memcpy(t->key, key, HASH_KEY_LEN);
}

void
rate_bucket_init(struct rate_bucket *b, double burst, long long now_ms)
{
	b->tokens = burst;
	b->last_ms = now_ms;
}

int
rate_bucket_take(struct rate_bucket *b, double rate, double burst,
    long long now_ms)
{
	if (now_ms > b->last_ms) {
		b->tokens += (double)(now_ms - b->last_ms) * rate / 1000.0;
		if (b->tokens > burst)
			b->tokens = burst;
	}
	b->last_ms = now_ms;
	if (b->tokens < 1.0)
		return 0;
	b->tokens -= 1.0;
	return 1;
}

/* The entry of the source of 'addr' in 't', or NULL; 'insert': take the
 * least recently used entry of its set when it is not there. */
static struct rate_entry *
rate_entry(struct rate_table *t, const struct net_ip *addr, int insert,
    long long now_ms)
{
	size_t sets = RATE_TABLE_SIZE / RATE_WAYS;
	struct rate_entry *set, *lru;
	struct net_ip ip;
	size_t i;

	net_ip_prefix(addr, t->prefix6, &ip);
	set = &t->e[(hash_ip(t->key, &ip) % sets) * RATE_WAYS];
	lru = &set[0];
	for (i = 0; i < RATE_WAYS; i++) {
		if (!set[i].used) {
			if (lru->used)
				lru = &set[i];
			continue;
		}
		if (net_ip_equal(&set[i].ip, &ip))
			return &set[i];
		if (lru->used && set[i].last_ms < lru->last_ms)
			lru = &set[i];
	}
	if (!insert)
		return NULL;
	lru->used = 1;
	lru->ip = ip;
	lru->tokens = t->burst;
	lru->last_ms = now_ms;
	return lru;
}

int
rate_take(struct rate_table *t, const struct net_ip *addr, long long now_ms)
{
	struct rate_entry *e = rate_entry(t, addr, 1, now_ms);
	struct rate_bucket b;
	int ok;

	b.tokens = e->tokens;
	b.last_ms = e->last_ms;
	ok = rate_bucket_take(&b, t->rate, t->burst, now_ms);
	e->tokens = b.tokens;
	e->last_ms = b.last_ms;
	if (!ok)
		t->refused++;
	return ok;
}

int
rate_peek(struct rate_table *t, const struct net_ip *addr, long long now_ms)
{
	struct rate_entry *e = rate_entry(t, addr, 0, now_ms);
	double tokens;

	if (e == NULL)
		return 1;
	tokens = e->tokens;
	if (now_ms > e->last_ms)
		tokens += (double)(now_ms - e->last_ms) * t->rate / 1000.0;
	return tokens >= 1.0;
}
