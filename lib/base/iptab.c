/* iptab.c - a hash table of nodes keyed by IP address. */
#include <errno.h>
#include <stdlib.h>

#include "iptab.h"

int
ipt_init(struct ipt *t, size_t min_buckets, const uint8_t key[HASH_KEY_LEN])
{
	size_t nb = 16;

	while (nb < min_buckets && nb < ((size_t)1 << 24))
		nb <<= 1;
	if ((t->b = calloc(nb, sizeof(*t->b))) == NULL)
		return -ENOMEM;
	t->mask = nb - 1;
	t->n = 0;
	for (size_t i = 0; i < HASH_KEY_LEN; i++)
		t->key[i] = key[i];
	return 0;
}

void
ipt_free(struct ipt *t)
{
	free(t->b);
	t->b = NULL;
	t->n = 0;
}

static struct ipt_node **
ipt_bucket(const struct ipt *t, const struct net_ip *ip)
{
	return &t->b[hash_ip(t->key, ip) & t->mask];
}

void
ipt_insert(struct ipt *t, struct ipt_node *n)
{
	struct ipt_node **b = ipt_bucket(t, &n->ip);

	n->next = *b;
	*b = n;
	t->n++;
}

void
ipt_remove(struct ipt *t, struct ipt_node *n)
{
	struct ipt_node **pp;

	for (pp = ipt_bucket(t, &n->ip); *pp != NULL; pp = &(*pp)->next) {
		if (*pp == n) {
			*pp = n->next;
			n->next = NULL;
			t->n--;
			return;
		}
	}
}

static struct ipt_node *
ipt_scan(struct ipt_node *n, const struct net_ip *ip)
{
	for (; n != NULL; n = n->next)
		if (net_ip_equal(&n->ip, ip))
			return n;
	return NULL;
}

struct ipt_node *
ipt_find(const struct ipt *t, const struct net_ip *ip)
{
	return ipt_scan(*ipt_bucket(t, ip), ip);
}

struct ipt_node *
ipt_next(const struct ipt_node *n)
{
	return ipt_scan(n->next, &n->ip);
}

size_t
ipt_count(const struct ipt *t, const struct net_ip *ip)
{
	const struct ipt_node *n;
	size_t c = 0;

	for (n = ipt_find(t, ip); n != NULL; n = ipt_next(n))
		c++;
	return c;
}
