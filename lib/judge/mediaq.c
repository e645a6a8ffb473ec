/* mediaq.c - call quality and DSCP of one direction (see mediaq.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mediaq.h"

void
mediaq_dir(const struct rtp_dir_stats *rx, double rtt_ms,
    const struct codec *c, unsigned ptime_ms, unsigned jb_ms,
    struct mediaq_dir *out)
{
	struct emodel_in in;
	double loss_cost, best;
	struct emodel_out ideal;

	memset(out, 0, sizeof(*out));
	out->measured = rx->sent > 0;
	out->rtt_known = rtt_ms >= 0;
	out->ppl = rx->sent ? 100.0 * (rx->lost + rx->late) / rx->sent : 100;
	if (out->ppl > 100)
		out->ppl = 100;
	out->delay_ms = (rtt_ms >= 0 ? rtt_ms / 2 : 0) + jb_ms + ptime_ms;
	emodel_defaults(&in);
	in.t_ms = in.ta_ms = out->delay_ms;
	in.tr_ms = 2 * out->delay_ms;
	in.ppl = out->ppl;
	in.burstr = rx->burstr >= 1 ? rx->burstr : 1;
	in.ie = c->ie;
	in.bpl = c->bpl;
	emodel_compute(&in, &out->e);
	/* What costs the most of R: the delay, the loss (network or jitter
	 * buffer), or the codec itself. */
	in.ppl = 0;
	in.t_ms = in.ta_ms = in.tr_ms = 0;
	emodel_compute(&in, &ideal);
	best = ideal.r;
	loss_cost = out->e.ie_eff - c->ie;
	if (best - out->e.r < 1)
		out->limit = "none";
	else if (out->e.id >= loss_cost && out->e.id > c->ie)
		out->limit = "delay";
	else if (loss_cost >= c->ie)
		out->limit = rx->late > rx->lost ? "discards" : "loss";
	else
		out->limit = "codec";
}

int
mediaq_good(const struct rtp_dir_stats *rx, const struct mediaq_dir *q)
{
	return rx->sent > 0 && rx->received > 0 &&
	    q->e.mos >= MEDIAQ_MOS_GOOD && q->ppl <= MEDIAQ_LOSS_GOOD;
}

enum verdict
mediaq_verdict(const struct rtp_dir_stats *up_rx, const struct mediaq_dir *up,
    const struct rtp_dir_stats *down_rx, const struct mediaq_dir *down)
{
	if (up->e.mos < MEDIAQ_MOS_POOR || down->e.mos < MEDIAQ_MOS_POOR)
		return VERDICT_FAIL;
	if (!mediaq_good(up_rx, up) || !mediaq_good(down_rx, down))
		return VERDICT_WARN;
	return VERDICT_PASS;
}

void
mediaq_remedy(const struct mediaq_dir *up, const struct mediaq_dir *down,
    char *buf, size_t len)
{
	const struct mediaq_dir *w = up->e.r <= down->e.r ? up : down;
	const char *dir = w == up ? "upstream (phone to provider)" :
	    "downstream (provider to phone)";

	if (strcmp(w->limit, "delay") == 0)
		snprintf(buf, len, "The delay limits the calls (%.0f ms one "
		    "way): check for a saturated link or a long route, and "
		    "give voice priority (QoS) on the router.", w->delay_ms);
	else if (strcmp(w->limit, "discards") == 0)
		snprintf(buf, len, "Delay varies so much %s that packets come "
		    "too late to be played: usually a saturated link. Give RTP "
		    "to and from the provider's ranges priority (QoS) on the "
		    "router, as the provider's guide asks.", dir);
	else
		snprintf(buf, len, "Packets are lost %s: check the link's "
		    "capacity and errors there, and give RTP to and from the "
		    "provider's ranges priority (QoS) on the router, as the "
		    "provider's guide asks.", dir);
}

/* Figures to 3 decimals, as the report writes them. */
static json_t *
num(double v)
{
	return json_real(round(v * 1000) / 1000);
}

json_t *
mediaq_dir_json(const struct rtp_dir_stats *rx, const struct mediaq_dir *q)
{
	json_t *o = json_object();

	json_object_set_new(o, "sent", json_integer(rx->sent));
	json_object_set_new(o, "received", json_integer(rx->received));
	json_object_set_new(o, "lost", json_integer(rx->lost));
	json_object_set_new(o, "loss_pct", num(rx->loss_pct));
	json_object_set_new(o, "discarded", json_integer(rx->late));
	json_object_set_new(o, "discard_pct", num(rx->discard_pct));
	json_object_set_new(o, "duplicates", json_integer(rx->duplicates));
	json_object_set_new(o, "reordered", json_integer(rx->reordered));
	json_object_set_new(o, "jitter_ms", num(rx->jitter_ms));
	json_object_set_new(o, "jitter_max_ms", num(rx->jitter_max_ms));
	json_object_set_new(o, "ipdv_p50_ms", num(rx->ipdv_p50_ms));
	json_object_set_new(o, "ipdv_p99_ms", num(rx->ipdv_p99_ms));
	json_object_set_new(o, "burst_max", json_integer(rx->burst_max));
	json_object_set_new(o, "bursts", json_integer(rx->bursts));
	json_object_set_new(o, "burst_density_pct", num(rx->burst_density));
	json_object_set_new(o, "gap_density_pct", num(rx->gap_density));
	json_object_set_new(o, "burstr", num(rx->burstr));
	json_object_set_new(o, "ppl_pct", num(q->ppl));
	json_object_set_new(o, "delay_ms", num(q->delay_ms));
	json_object_set_new(o, "r", num(q->e.r));
	json_object_set_new(o, "mos", num(q->e.mos));
	json_object_set_new(o, "limit", json_string(q->limit));
	return o;
}

int
mediaq_dscp_received(const struct rtp_dir_stats *rx, uint32_t *count)
{
	uint32_t best = 0;
	int dscp = -1;
	size_t i, j;

	/* Counted per TOS byte; the ECN bits do not make another class. */
	for (i = 0; i < rx->ntos; i++) {
		uint32_t n = 0;

		for (j = 0; j < rx->ntos; j++)
			if (rx->tos[j].tos >> 2 == rx->tos[i].tos >> 2)
				n += rx->tos[j].count;
		if (n > best) {
			best = n;
			dscp = rx->tos[i].tos >> 2;
		}
	}
	if (count != NULL)
		*count = best;
	return dscp;
}

enum mediaq_dscp
mediaq_dscp_classify(int sent, int received)
{
	if (received < 0)
		return MQ_DSCP_NONE;
	if (received == sent)
		return MQ_DSCP_INTACT;
	if (received == 0)
		return MQ_DSCP_BLEACHED;
	if (received == (sent & 7))
		return MQ_DSCP_PRECEDENCE;
	return MQ_DSCP_REMARKED;
}

const char *
mediaq_dscp_name(enum mediaq_dscp d)
{
	static const char *const names[] = { "intact", "bleached",
	    "precedence-bleached", "remarked", "none" };

	return (unsigned)d < sizeof(names) / sizeof(names[0]) ? names[d] : "?";
}

json_t *
mediaq_dscp_json(int sent, const struct rtp_dir_stats *rx)
{
	json_t *o = json_object(), *a = json_array();
	uint32_t count = 0;
	int got = mediaq_dscp_received(rx, &count);
	size_t i;

	json_object_set_new(o, "sent", json_integer(sent));
	json_object_set_new(o, "received", got < 0 ? json_null() :
	    json_integer(got));
	json_object_set_new(o, "packets", json_integer(rx->received));
	json_object_set_new(o, "packets_with_received", json_integer(count));
	json_object_set_new(o, "result", json_string(mediaq_dscp_name(
	    mediaq_dscp_classify(sent, got))));
	for (i = 0; i < rx->ntos; i++)
		json_array_append_new(a, json_pack("{s:i, s:i, s:I}", "dscp",
		    rx->tos[i].tos >> 2, "ecn", rx->tos[i].tos & 3, "packets",
		    (json_int_t)rx->tos[i].count));
	json_object_set_new(o, "seen", a);
	return o;
}
