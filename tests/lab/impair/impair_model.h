/*
 * impair_model.h - the decisions of pinhole-impair, free of sockets and
 * clocks: a seeded generator, the loss models, the delay of a packet and
 * the queue of held packets in due-time order.  Every time is a
 * CLOCK_MONOTONIC reading in nanoseconds passed in by the caller, so the
 * model runs the same under a test's fake clock.
 */
#ifndef PINHOLE_IMPAIR_MODEL_H
#define PINHOLE_IMPAIR_MODEL_H

#include <stddef.h>
#include <stdint.h>

/* xoshiro256** seeded through splitmix64: the same seed, the same stream. */
struct impair_rng {
	uint64_t s[4];
};

void impair_rng_seed(struct impair_rng *r, uint64_t seed);
uint64_t impair_rng_next(struct impair_rng *r);
/* A uniform double in [0, 1), from the top 53 bits of the next output. */
double impair_rng_unit(struct impair_rng *r);

/*
 * Loss: independent loss with probability 'loss', or (ge set) a
 * Gilbert-Elliott chain of two states.  Each packet is lost with the
 * probability of the state the chain is in (loss_good or loss_bad), then
 * the chain moves good->bad with probability p or bad->good with r.  All
 * probabilities are in [0, 1].  A burst in the bad state lasts 1/r packets
 * on average; the long-run loss is (r*loss_good + p*loss_bad) / (p + r).
 */
struct impair_loss {
	double loss;
	int ge;
	double p, r, loss_good, loss_bad;
	int bad;			/* the chain's state */
};

/* Returns 1 when the next packet is to be dropped, 0 when not. */
int impair_loss_drop(struct impair_loss *l, struct impair_rng *rng);

/*
 * Delay: uniform in [delay - jitter, delay + jitter], never below 0.  With
 * no_reorder a packet is never due before the one that came before it.
 */
struct impair_delay {
	uint64_t delay_ns, jitter_ns;
	int no_reorder;
	uint64_t last_due_ns;
};

/* The due time of a packet that arrived at 'now_ns'. */
uint64_t impair_delay_due(struct impair_delay *d, struct impair_rng *rng,
    uint64_t now_ns);

/*
 * Held packets: a window of 'cap' slots in arrival order (seq) and a heap
 * of those slots by (due, seq).  A packet is released when it is the
 * heap's first; it overtook another when an earlier-arrived packet is
 * still held at that moment.
 */
struct impair_held {
	uint64_t seq, arrive_ns, due_ns;
	uint32_t id;			/* the queue's packet id */
	uint32_t flow;			/* the caller's flow index */
	int used;
};

struct impair_hold {
	struct impair_held *slot;
	uint32_t *heap;
	size_t cap, nheap;
	uint64_t next_seq, min_pending;
};

/* 'cap' is rounded up to a power of two.  0, or -ENOMEM. */
int impair_hold_init(struct impair_hold *h, size_t cap);
void impair_hold_free(struct impair_hold *h);
/*
 * Holds a packet until 'due_ns'.  -ENOBUFS when the window from the
 * oldest held packet to this one would exceed the slots: the caller
 * accepts it at once instead.
 */
int impair_hold_push(struct impair_hold *h, uint32_t id, uint32_t flow,
    uint64_t arrive_ns, uint64_t due_ns);
/* The first due time in *due_ns; -ENOENT when nothing is held. */
int impair_hold_next(const struct impair_hold *h, uint64_t *due_ns);
/*
 * Takes the first packet due into *out; *overtook is 1 when an
 * earlier-arrived packet is still held.  -ENOENT when nothing is held.
 */
int impair_hold_pop(struct impair_hold *h, struct impair_held *out,
    int *overtook);

#endif
