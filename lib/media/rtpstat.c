/*
 * rtpstat.c - what one direction of an RTP stream did.  The records are
 * sorted by extended index once; every figure in index order then walks
 * the received packets and counts the runs of lost ones between them
 * arithmetically, so the cost is O(n log n) whatever 'sent' claims.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rtpstat.h"

#define F_FIRST		0x01	/* the first copy of its packet */
#define F_LATE		0x02	/* ... and it missed its playout time */

struct rtpstat_ent {
	int64_t idx;		/* extended index, 0 .. sent - 1 */
	size_t pos;		/* position in arrival order */
};

/* RFC 3611 A.2 state, and the two-state model's transition counts. */
struct rtpstat_walk {
	uint64_t pkt, lost;
	uint64_t c11, c13, c14, c22, c23, c33;
	int prev;			/* -1 none yet, 0 received, 1 lost */
	uint64_t gg, gb, bg, bb;	/* Gilbert: g received, b lost */
};

static int
rtpstat_ent_cmp(const void *a, const void *b)
{
	const struct rtpstat_ent *x = a, *y = b;

	if (x->idx != y->idx)
		return x->idx < y->idx ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static int
rtpstat_i64_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int
rtpstat_tos_cmp(const void *a, const void *b)
{
	const struct rtp_tos_count *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->tos < y->tos ? -1 : x->tos > y->tos;
}

/* The sender's 32-bit clock placed in the 2^32 us cycle nearest 'near'. */
static int64_t
rtpstat_unwrap32(uint32_t v, int64_t near)
{
	int64_t x = (int64_t)v + (near & ~(int64_t)0xffffffff);

	if (x - near > INT64_C(0x80000000))
		x -= INT64_C(0x100000000);
	else if (near - x > INT64_C(0x80000000))
		x += INT64_C(0x100000000);
	return x;
}

/* 'len' lost or discarded packets in a row (RFC 3611 A.2, per packet). */
static void
rtpstat_walk_bad(struct rtpstat_walk *w, uint64_t len)
{
	if (len == 0)
		return;
	if (w->pkt >= RTPSTAT_GMIN) {
		if (w->lost == 1)
			w->c14++;
		else
			w->c13++;
		w->lost = 1;
		w->c11 += w->pkt;
	} else {
		w->lost++;
		if (w->pkt == 0)
			w->c33++;
		else {
			w->c23++;
			w->c22 += w->pkt - 1;
		}
	}
	w->pkt = 0;
	/* The rest of the run follows a loss: pkt == 0 < Gmin each time. */
	w->lost += len - 1;
	w->c33 += len - 1;

	if (w->prev == 0)
		w->gb++;
	else if (w->prev == 1)
		w->bb++;
	w->bb += len - 1;
	w->prev = 1;
}

static void
rtpstat_walk_good(struct rtpstat_walk *w)
{
	w->pkt++;
	if (w->prev == 0)
		w->gg++;
	else if (w->prev == 1)
		w->bg++;
	w->prev = 0;
}

/* RFC 3611 A.2's figures at the end of the stream. */
static void
rtpstat_walk_end(const struct rtpstat_walk *w, unsigned ptime_ms,
    struct rtp_dir_stats *out)
{
	double c31 = (double)w->c13, c32 = (double)w->c23;
	double ctotal = (double)(w->c11 + w->c14 + w->c13 + w->c22 +
	    w->c23 + w->c33) + c31 + c32;
	double p23, p32 = 0, gap;
	double p, q;

	if (c31 + c32 + (double)w->c33 > 0)
		p32 = c32 / (c31 + c32 + (double)w->c33);
	if (w->c22 + w->c23 < 1)
		p23 = 1;
	else
		p23 = 1 - (double)w->c22 / (double)(w->c22 + w->c23);
	if (p23 + p32 > 0)
		out->burst_density = 100 * p23 / (p23 + p32);
	if (w->c11 + w->c14 > 0)
		out->gap_density = 100.0 * (double)w->c14 /
		    (double)(w->c11 + w->c14);
	out->bursts = w->c13 > UINT32_MAX ? UINT32_MAX : (uint32_t)w->c13;
	if (w->c13 > 0) {
		gap = (double)(w->c11 + w->c14 + w->c13) * ptime_ms /
		    (double)w->c13;
		out->gap_ms = gap;
		out->burst_ms = ctotal * ptime_ms / (double)w->c13 - gap;
	}

	/* Two-state model: 1 / (p + q), 1 when it cannot be estimated. */
	p = w->gg + w->gb > 0 ? (double)w->gb / (double)(w->gg + w->gb) : 0;
	q = w->bb + w->bg > 0 ? (double)w->bg / (double)(w->bb + w->bg) : 0;
	out->burstr = p + q > 0 ? 1 / (p + q) : 1;
}

static void
rtpstat_tos(const struct rtp_rec *recs, size_t n, struct rtp_dir_stats *out)
{
	struct rtp_tos_count all[256];
	size_t i, k = 0;

	for (i = 0; i < 256; i++) {
		all[i].tos = (uint8_t)i;
		all[i].count = 0;
	}
	for (i = 0; i < n; i++)
		if (all[recs[i].tos].count < UINT32_MAX)
			all[recs[i].tos].count++;
	qsort(all, 256, sizeof(all[0]), rtpstat_tos_cmp);
	for (i = 0; i < 256 && all[i].count > 0; i++) {
		if (k < RTPSTAT_MAX_TOS)
			out->tos[k++] = all[i];
		else if (out->tos_other <= UINT32_MAX - all[i].count)
			out->tos_other += all[i].count;
		else
			out->tos_other = UINT32_MAX;
	}
	out->ntos = k;
}

/* The value at rank ceil(pct/100 * n) of 'v' (sorted, n > 0). */
static int64_t
rtpstat_rank(const int64_t *v, size_t n, unsigned pct)
{
	size_t r = (size_t)ceil((double)pct / 100 * (double)n);

	return v[r > 0 ? r - 1 : 0];
}

int
rtp_dir_stats(const struct rtp_rec *recs, size_t n, uint32_t sent,
    uint16_t first_seq, unsigned ptime_ms, unsigned jb_ms,
    struct rtp_dir_stats *out)
{
	struct rtpstat_walk w = { .prev = -1 };
	struct rtpstat_ent *ent = NULL;
	int64_t *xi = NULL, *delay = NULL;
	uint8_t *flag = NULL;
	int64_t ptime_us = (int64_t)ptime_ms * 1000, hi = 0, pos = 0;
	int64_t t0 = 0, prev_arr = 0, prev_ts = 0, maxidx = -1;
	size_t nent = 0, ndelay = 0, i;
	double jit = 0;
	int have_t0 = 0, have_prev = 0, r = -ENOMEM;

	if (ptime_ms == 0)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->sent = sent;
	out->lost = sent;
	out->burstr = 1;
	rtpstat_tos(recs, n, out);
	if (n == 0)
		goto done;

	if ((xi = calloc(n, sizeof(*xi))) == NULL ||
	    (flag = calloc(n, sizeof(*flag))) == NULL ||
	    (ent = calloc(n, sizeof(*ent))) == NULL)
		goto out;

	/*
	 * Extend each sequence number into the 65536-cycle nearest the
	 * highest index so far (RFC 3550 A.1).  Only indices in [0, sent)
	 * move the reference, so that a stray number cannot shift the rest.
	 */
	for (i = 0; i < n; i++) {
		uint16_t d = (uint16_t)(recs[i].seq - (uint16_t)(first_seq + hi));
		int64_t idx = d < 0x8000 ? hi + d : hi + d - 65536;

		xi[i] = -1;
		if (idx < 0 || idx >= (int64_t)sent)
			continue;
		xi[i] = idx;
		if (idx > hi)
			hi = idx;
		ent[nent].idx = idx;
		ent[nent].pos = i;
		nent++;
	}
	qsort(ent, nent, sizeof(*ent), rtpstat_ent_cmp);
	for (i = 0; i < nent; i++) {
		if (i > 0 && ent[i].idx == ent[i - 1].idx) {
			out->duplicates++;
			continue;
		}
		flag[ent[i].pos] |= F_FIRST;
		out->received++;
	}
	out->lost = sent - out->received;

	/* Arrival order: reordering, jitter, the jitter buffer, delays. */
	if ((delay = calloc(out->received > 0 ? out->received : 1,
	    sizeof(*delay))) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		int64_t idx = xi[i], arr = recs[i].arrived_us, ts;

		if (idx < 0)
			continue;
		if (!(flag[i] & F_FIRST)) {
			if (idx > maxidx)
				maxidx = idx;
			continue;
		}
		if (idx < maxidx)
			out->reordered++;
		if (idx > maxidx)
			maxidx = idx;

		ts = idx * ptime_us;
		if (have_prev) {
			double d = (double)((arr - prev_arr) - (ts - prev_ts));

			jit += (fabs(d) - jit) / 16;
			if (jit > out->jitter_max_ms)
				out->jitter_max_ms = jit;
		}
		prev_arr = arr;
		prev_ts = ts;
		have_prev = 1;

		if (!have_t0) {
			t0 = arr - ts;
			have_t0 = 1;
		}
		if (arr > t0 + ts + (int64_t)jb_ms * 1000) {
			flag[i] |= F_LATE;
			out->late++;
		}
		delay[ndelay++] = arr - rtpstat_unwrap32(recs[i].sent_us, ts);
	}
	out->jitter_ms = jit / 1000;
	out->jitter_max_ms /= 1000;
	if (ndelay > 0) {
		qsort(delay, ndelay, sizeof(*delay), rtpstat_i64_cmp);
		out->ipdv_p50_ms = (double)(rtpstat_rank(delay, ndelay, 50) -
		    delay[0]) / 1000;
		out->ipdv_p99_ms = (double)(rtpstat_rank(delay, ndelay, 99) -
		    delay[0]) / 1000;
		out->ipdv_max_ms = (double)(delay[ndelay - 1] - delay[0]) / 1000;
	}

	/* Index order: runs of loss between the packets that arrived. */
	for (i = 0; i < nent; i++) {
		int64_t idx = ent[i].idx;

		if (!(flag[ent[i].pos] & F_FIRST))
			continue;
		if ((uint64_t)(idx - pos) > out->burst_max)
			out->burst_max = (uint32_t)(idx - pos);
		rtpstat_walk_bad(&w, (uint64_t)(idx - pos));
		if (flag[ent[i].pos] & F_LATE)
			rtpstat_walk_bad(&w, 1);
		else
			rtpstat_walk_good(&w);
		pos = idx + 1;
	}
done:
	if ((uint64_t)((int64_t)sent - pos) > out->burst_max)
		out->burst_max = (uint32_t)((int64_t)sent - pos);
	rtpstat_walk_bad(&w, (uint64_t)((int64_t)sent - pos));
	if (sent > 0) {
		out->loss_pct = 100.0 * out->lost / sent;
		out->discard_pct = 100.0 * out->late / sent;
	}
	if (out->lost + out->late > 0)
		rtpstat_walk_end(&w, ptime_ms, out);
	r = 0;
out:
	free(xi);
	free(flag);
	free(ent);
	free(delay);
	return r;
}

uint32_t
rtp_ts_sent_us(uint32_t ts, uint32_t ts0, uint32_t clock_hz)
{
	if (clock_hz == 0)
		return 0;
	return (uint32_t)((uint64_t)(uint32_t)(ts - ts0) * 1000000 / clock_hz);
}
