/*
 * rtpside.c - a side's statistics of a media stream in the control
 * protocol's RTP_STATS and TOS_COUNTS attributes (see rtpside.h).
 */
#include <errno.h>
#include <string.h>

#include "buf.h"
#include "rtpside.h"

/* The order of RTP_STATS: a list only grows, at its end. */
enum {
	RS_SENT, RS_RECEIVED, RS_LOST, RS_DUP, RS_REORDERED, RS_LATE,
	RS_JITTER_US, RS_JITTER_MAX_US, RS_IPDV_P50_US, RS_IPDV_P99_US,
	RS_IPDV_MAX_US, RS_BURST_MAX, RS_BURST_DENSITY_M, RS_GAP_DENSITY_M,
	RS_BURST_US, RS_GAP_US, RS_BURSTS, RS_BURSTR_M, RS_PEER_SENT,
	RS_RTT_US, RS_RTT_SAMPLES, RS_PACE_P50_US, RS_PACE_P99_US,
	RS_PACE_MAX_US, RS_TOS_OTHER, RS_N
};

/* Figures kept in us or per mille of a percent, rounded, saturated. */
static uint32_t
scaled(double v, double scale)
{
	double x = v * scale + 0.5;

	if (!(x > 0))
		return 0;
	return x >= 4294967294.0 ? 4294967294u : (uint32_t)x;
}

int
rtp_side_put(struct dbuf *b, const struct rtp_side *sd)
{
	const struct rtp_dir_stats *s = &sd->rx;
	uint8_t v[RS_N * 4], t[RTPSTAT_MAX_TOS * 5];
	uint32_t f[RS_N];
	size_t i;
	int r;

	f[RS_SENT] = sd->sent;
	f[RS_RECEIVED] = s->received;
	f[RS_LOST] = s->lost;
	f[RS_DUP] = s->duplicates;
	f[RS_REORDERED] = s->reordered;
	f[RS_LATE] = s->late;
	f[RS_JITTER_US] = scaled(s->jitter_ms, 1000);
	f[RS_JITTER_MAX_US] = scaled(s->jitter_max_ms, 1000);
	f[RS_IPDV_P50_US] = scaled(s->ipdv_p50_ms, 1000);
	f[RS_IPDV_P99_US] = scaled(s->ipdv_p99_ms, 1000);
	f[RS_IPDV_MAX_US] = scaled(s->ipdv_max_ms, 1000);
	f[RS_BURST_MAX] = s->burst_max;
	f[RS_BURST_DENSITY_M] = scaled(s->burst_density, 1000);
	f[RS_GAP_DENSITY_M] = scaled(s->gap_density, 1000);
	f[RS_BURST_US] = scaled(s->burst_ms, 1000);
	f[RS_GAP_US] = scaled(s->gap_ms, 1000);
	f[RS_BURSTS] = s->bursts;
	f[RS_BURSTR_M] = scaled(s->burstr, 1000);
	f[RS_PEER_SENT] = s->sent;
	f[RS_RTT_US] = sd->rtt_us;
	f[RS_RTT_SAMPLES] = sd->rtt_samples;
	f[RS_PACE_P50_US] = sd->pace_p50_us;
	f[RS_PACE_P99_US] = sd->pace_p99_us;
	f[RS_PACE_MAX_US] = sd->pace_max_us;
	f[RS_TOS_OTHER] = s->tos_other;
	for (i = 0; i < RS_N; i++)
		buf_put_be32(v + 4 * i, f[i]);
	if ((r = ctl_put_bytes(b, CTL_A_RTP_STATS, v, sizeof(v))) < 0)
		return r;
	for (i = 0; i < s->ntos && i < RTPSTAT_MAX_TOS; i++) {
		t[5 * i] = s->tos[i].tos;
		buf_put_be32(t + 5 * i + 1, s->tos[i].count);
	}
	return ctl_put_bytes(b, CTL_A_TOS_COUNTS, t, 5 * i);
}

int
rtp_side_get(const struct ctl_msg *m, struct rtp_side *sd)
{
	struct rtp_dir_stats *s = &sd->rx;
	const uint8_t *p, *t;
	uint32_t f[RS_N];
	size_t n, nt, i;
	int r;

	memset(sd, 0, sizeof(*sd));
	if ((r = ctl_get_bytes(m, CTL_A_RTP_STATS, &p, &n)) < 0)
		return r;
	if (n % 4 != 0 || n < 4 * (RS_BURSTR_M + 1))
		return -EBADMSG;
	for (i = 0; i < RS_N; i++)
		f[i] = i < n / 4 ? buf_get_be32(p + 4 * i) : RTP_UNKNOWN;
	/* Unique packets never outnumber those sent (0: an older sender's
	 * list without the count). */
	if (f[RS_PEER_SENT] != RTP_UNKNOWN && f[RS_PEER_SENT] != 0 &&
	    f[RS_RECEIVED] > f[RS_PEER_SENT])
		return -EBADMSG;
	sd->sent = f[RS_SENT];
	s->received = f[RS_RECEIVED];
	s->lost = f[RS_LOST];
	s->duplicates = f[RS_DUP];
	s->reordered = f[RS_REORDERED];
	s->late = f[RS_LATE];
	s->jitter_ms = f[RS_JITTER_US] / 1000.0;
	s->jitter_max_ms = f[RS_JITTER_MAX_US] / 1000.0;
	s->ipdv_p50_ms = f[RS_IPDV_P50_US] / 1000.0;
	s->ipdv_p99_ms = f[RS_IPDV_P99_US] / 1000.0;
	s->ipdv_max_ms = f[RS_IPDV_MAX_US] / 1000.0;
	s->burst_max = f[RS_BURST_MAX];
	s->burst_density = f[RS_BURST_DENSITY_M] / 1000.0;
	s->gap_density = f[RS_GAP_DENSITY_M] / 1000.0;
	s->burst_ms = f[RS_BURST_US] / 1000.0;
	s->gap_ms = f[RS_GAP_US] / 1000.0;
	s->bursts = f[RS_BURSTS];
	s->burstr = f[RS_BURSTR_M] / 1000.0;
	s->sent = f[RS_PEER_SENT] == RTP_UNKNOWN ? 0 : f[RS_PEER_SENT];
	s->loss_pct = s->sent ? 100.0 * s->lost / s->sent : 0;
	s->discard_pct = s->sent ? 100.0 * s->late / s->sent : 0;
	sd->rtt_us = f[RS_RTT_US];
	sd->rtt_samples = f[RS_RTT_SAMPLES] == RTP_UNKNOWN ? 0 :
	    f[RS_RTT_SAMPLES];
	sd->pace_p50_us = f[RS_PACE_P50_US];
	sd->pace_p99_us = f[RS_PACE_P99_US];
	sd->pace_max_us = f[RS_PACE_MAX_US];
	s->tos_other = f[RS_TOS_OTHER] == RTP_UNKNOWN ? 0 : f[RS_TOS_OTHER];
	if (ctl_get_bytes(m, CTL_A_TOS_COUNTS, &t, &nt) == 0) {
		if (nt % 5 != 0 || nt / 5 > RTPSTAT_MAX_TOS)
			return -EBADMSG;
		for (i = 0; i < nt / 5; i++) {
			s->tos[i].tos = t[5 * i];
			s->tos[i].count = buf_get_be32(t + 5 * i + 1);
		}
		s->ntos = nt / 5;
	}
	return 0;
}
