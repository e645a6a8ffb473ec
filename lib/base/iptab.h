/*
 * iptab.h - an intrusive hash table keyed by IP address, for the server's
 * per-source state (sessions, connections that have not said HELLO).
 * Buckets are chosen by a keyed hash (hash.h), so a lookup costs the same
 * with 10,000 entries as with one, whatever addresses an attacker picks.
 * Several nodes may share one address.  No allocation after ipt_init().
 */
#ifndef PINHOLE_IPTAB_H
#define PINHOLE_IPTAB_H

#include <stddef.h>
#include <stdint.h>

#include "hash.h"
#include "net.h"

/* Embedded in the owner's struct; 'ip' is the key, set before insert. */
struct ipt_node {
	struct ipt_node *next;
	struct net_ip ip;
};

struct ipt {
	struct ipt_node **b;
	size_t mask;			/* buckets - 1, a power of two */
	size_t n;			/* nodes in the table */
	uint8_t key[HASH_KEY_LEN];
};

/*
 * Allocates at least 'min_buckets' buckets (rounded up to a power of two)
 * hashed under 'key'.  0, or -ENOMEM.
 */
int ipt_init(struct ipt *t, size_t min_buckets,
    const uint8_t key[HASH_KEY_LEN]);
/* Frees the buckets; the nodes belong to their owners. */
void ipt_free(struct ipt *t);
/* Adds 'n', whose ip is set, in front of its bucket. */
void ipt_insert(struct ipt *t, struct ipt_node *n);
/* Removes 'n'; does nothing when it is not in the table. */
void ipt_remove(struct ipt *t, struct ipt_node *n);
/* The first node with address 'ip', or NULL. */
struct ipt_node *ipt_find(const struct ipt *t, const struct net_ip *ip);
/* The node after 'n' with the same address as 'n', or NULL. */
struct ipt_node *ipt_next(const struct ipt_node *n);
/* How many nodes have address 'ip'. */
size_t ipt_count(const struct ipt *t, const struct net_ip *ip);

#endif
