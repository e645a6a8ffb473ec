/* impair_model.c - generator, loss models, delays and the hold queue. */
#include <errno.h>
#include <stdlib.h>

#include "impair_model.h"

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void
impair_rng_seed(struct impair_rng *r, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
impair_rng_next(struct impair_rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

double
impair_rng_unit(struct impair_rng *r)
{
	return (double)(impair_rng_next(r) >> 11) * 0x1.0p-53;
}

int
impair_loss_drop(struct impair_loss *l, struct impair_rng *rng)
{
	int drop;

	if (!l->ge)
		return l->loss > 0 && impair_rng_unit(rng) < l->loss;
	drop = impair_rng_unit(rng) < (l->bad ? l->loss_bad : l->loss_good);
	if (l->bad)
		l->bad = !(impair_rng_unit(rng) < l->r);
	else
		l->bad = impair_rng_unit(rng) < l->p;
	return drop;
}

uint64_t
impair_delay_due(struct impair_delay *d, struct impair_rng *rng,
    uint64_t now_ns)
{
	double lo = (double)d->delay_ns - (double)d->jitter_ns;
	double v = lo + impair_rng_unit(rng) * 2.0 * (double)d->jitter_ns;
	uint64_t due = now_ns + (v > 0 ? (uint64_t)v : 0);

	if (d->no_reorder && due < d->last_due_ns)
		due = d->last_due_ns;
	d->last_due_ns = due;
	return due;
}

int
impair_hold_init(struct impair_hold *h, size_t cap)
{
	size_t c = 1;

	while (c < cap)
		c <<= 1;
	h->slot = calloc(c, sizeof(*h->slot));
	h->heap = calloc(c, sizeof(*h->heap));
	if (h->slot == NULL || h->heap == NULL) {
		impair_hold_free(h);
		return -ENOMEM;
	}
	h->cap = c;
	h->nheap = 0;
	h->next_seq = h->min_pending = 0;
	return 0;
}

void
impair_hold_free(struct impair_hold *h)
{
	free(h->slot);
	free(h->heap);
	h->slot = NULL;
	h->heap = NULL;
}

/* Heap order: earlier due first, arrival order among equal due times. */
static int
hold_before(const struct impair_hold *h, uint32_t a, uint32_t b)
{
	const struct impair_held *x = &h->slot[a], *y = &h->slot[b];

	return x->due_ns < y->due_ns ||
	    (x->due_ns == y->due_ns && x->seq < y->seq);
}

static void
hold_swap(struct impair_hold *h, size_t i, size_t j)
{
	uint32_t t = h->heap[i];

	h->heap[i] = h->heap[j];
	h->heap[j] = t;
}

int
impair_hold_push(struct impair_hold *h, uint32_t id, uint32_t flow,
    uint64_t arrive_ns, uint64_t due_ns)
{
	uint32_t s;
	size_t i;

	if (h->next_seq - h->min_pending >= h->cap)
		return -ENOBUFS;
	s = (uint32_t)(h->next_seq & (h->cap - 1));
	h->slot[s] = (struct impair_held){ .seq = h->next_seq, .id = id,
	    .flow = flow, .arrive_ns = arrive_ns, .due_ns = due_ns, .used = 1 };
	h->next_seq++;
	i = h->nheap++;
	h->heap[i] = s;
	while (i > 0 && hold_before(h, h->heap[i], h->heap[(i - 1) / 2])) {
		hold_swap(h, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
	return 0;
}

int
impair_hold_next(const struct impair_hold *h, uint64_t *due_ns)
{
	if (h->nheap == 0)
		return -ENOENT;
	*due_ns = h->slot[h->heap[0]].due_ns;
	return 0;
}

int
impair_hold_pop(struct impair_hold *h, struct impair_held *out,
    int *overtook)
{
	struct impair_held *p;
	size_t i = 0, l, m;

	if (h->nheap == 0)
		return -ENOENT;
	p = &h->slot[h->heap[0]];
	*out = *p;
	*overtook = p->seq > h->min_pending;
	p->used = 0;
	h->heap[0] = h->heap[--h->nheap];
	for (;;) {
		l = 2 * i + 1;
		m = i;
		if (l < h->nheap && hold_before(h, h->heap[l], h->heap[m]))
			m = l;
		if (l + 1 < h->nheap && hold_before(h, h->heap[l + 1], h->heap[m]))
			m = l + 1;
		if (m == i)
			break;
		hold_swap(h, i, m);
		i = m;
	}
	while (h->min_pending < h->next_seq &&
	    !h->slot[h->min_pending & (h->cap - 1)].used)
		h->min_pending++;
	return 0;
}
