/*
 * ratelimit.h - per-source token buckets in a bounded table.  The clock is
 * passed in, so tests need no sleeping.
 */
#ifndef PINHOLED_RATELIMIT_H
#define PINHOLED_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

#include "hash.h"
#include "net.h"

#define RATE_TABLE_SIZE 1024
#define RATE_WAYS	8		/* entries per set */

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
	uint8_t key[HASH_KEY_LEN];	/* which set an address falls in */
	unsigned prefix6;		/* an IPv6 source is its first bits */
	uint64_t refused;		/* rate_take() said no (metrics) */
};

/* An empty table: 'rate' tokens a second, at most 'burst' saved up. */
void rate_init(struct rate_table *t, double rate, double burst);
/* Sets the hash key (random in the server, so sets cannot be aimed at). */
void rate_key(struct rate_table *t, const uint8_t key[HASH_KEY_LEN]);
/* IPv6 sources are counted by their first 'bits' bits (128 after
 * rate_init(): each address alone); IPv4 sources by their address. */
void rate_prefix(struct rate_table *t, unsigned bits);
/*
 * Takes a token for the source of 'ip' (its prefix) at 'now_ms'.  Returns 1 when allowed, 0 when the
 * source is over its rate.  An address is looked up in one set of
 * RATE_WAYS entries chosen by its keyed hash, so a lookup costs the same
 * whatever the number of sources; a full set evicts its least recently
 * used entry, so memory stays bounded.  An evicted source starts again
 * with a full bucket: eviction can only make the limit more lenient.
 */
int rate_take(struct rate_table *t, const struct net_ip *ip, long long now_ms);

/* Whether the source of 'ip' has a token at 'now_ms', taking none (a
 * source the table does not hold has a full bucket). */
int rate_peek(struct rate_table *t, const struct net_ip *ip, long long now_ms);

/* One token bucket, for a limit that belongs to one object (a session). */
struct rate_bucket {
	double tokens;
	long long last_ms;
};

/* A full bucket at 'now_ms'. */
void rate_bucket_init(struct rate_bucket *b, double burst, long long now_ms);
/* Takes a token at 'now_ms' for a bucket of 'rate' per second and
 * 'burst' at most: 1 when allowed, 0 when over the rate. */
int rate_bucket_take(struct rate_bucket *b, double rate, double burst,
    long long now_ms);

#endif
