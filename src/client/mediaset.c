/* mediaset.c - the media checks' plan and sets of streams (mediaset.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "media_relay.h"
#include "mediaset.h"

struct mset {
	struct check_ctx *ctx;
	struct mres *r;
	size_t n;
};

static int
mset_answered_h(void *arg)
{
	struct mset *s = arg;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->r[i].req > 0 && ctlcli_result_find(s->ctx->ctl,
		    (uint32_t)s->r[i].req) == NULL)
			return 0;
	return 1;
}

static int
mset_stats_h(void *arg)
{
	struct mset *s = arg;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->r[i].ran && ctlcli_mstats_find(s->ctx->ctl,
		    (uint32_t)s->r[i].req) == NULL)
			return 0;
	return 1;
}

int
mset_run(struct check_ctx *ctx, const struct mplan *pl, struct mres *r,
    size_t n, const uint16_t *ports, size_t nports, uint32_t packets,
    uint8_t tos)
{
	struct media_stream *sts[MEDIA_MAX_SET];
	struct mset set = { ctx, r, n };
	struct media_run run;
	const struct ctl_answer *a;
	const struct ctl_media_stats *ms;
	size_t i, nrun = 0;
	uint32_t rnd[3];
	int rc = 0, e;

	memset(r, 0, n * sizeof(*r));
	for (i = 0; i < n; i++) {
		struct mres *m = &r[i];
		struct sockaddr_storage to = pl->srv;

		m->server_port = ports[i % nports];
		net_sa_set_port((struct sockaddr *)&to, m->server_port);
		if (check_random(rnd, sizeof(rnd)) < 0)
			return -EIO;
		m->st.q.local_port = m->server_port;
		m->st.q.ssrc = rnd[0];
		m->st.q.key = rnd[1];
		m->st.q.first_seq = (uint16_t)rnd[2];
		m->st.q.pt = pl->codec.pt;
		m->st.q.ptime_ms = (uint16_t)pl->ptime;
		m->st.q.payload_len = (uint16_t)codec_payload_bytes(&pl->codec,
		    pl->ptime);
		if (m->st.q.payload_len < CTLREQ_MEDIA_MIN_PAYLOAD)
			m->st.q.payload_len = CTLREQ_MEDIA_MIN_PAYLOAD;
		m->st.q.packets = packets;
		m->st.q.tos = tos;
		m->st.q.jb_ms = (uint16_t)pl->jb;
		if (pl->relay != NULL)
			m->st.q.flags = CTL_F_VIA_RELAY;
		if ((e = pl->relay != NULL ? (n == 1 ?
		    media_stream_open_relay(&m->st, pl->relay) : -EINVAL) :
		    media_stream_open(&m->st, (struct sockaddr *)&to,
		    pl->srv_len, pl->lo, pl->hi, tos)) < 0) {
			m->code = -e;
			snprintf(m->reason, sizeof(m->reason), "%s",
			    strerror(-e));
			continue;
		}
		if ((m->req = ctlcli_media(ctx->ctl, &m->st.q)) < 0) {
			rc = m->req;
			m->req = 0;
			goto out;
		}
		m->st.req_id = (uint32_t)m->req;
	}
	if ((rc = loop_wait(ctx->loop, mset_answered_h, &set,
	    ctx->opt->wait_ms * 2)) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (r[i].req <= 0 ||
		    (a = ctlcli_result_find(ctx->ctl, (uint32_t)r[i].req)) ==
		    NULL)
			continue;
		if (a->code != 0 || !a->has_media) {
			r[i].code = a->code != 0 ? a->code : CTL_E_INTERNAL;
			snprintf(r[i].reason, sizeof(r[i].reason), "%s",
			    a->reason);
			continue;
		}
		r[i].st.peer_ssrc = a->ssrc;
		r[i].st.peer_seq0 = a->first_seq;
		r[i].ran = 1;
		sts[nrun++] = &r[i].st;
	}
	if (nrun == 0)
		goto out;
	memset(&run, 0, sizeof(run));
	run.st = sts;
	run.n = nrun;
	run.stop = (const volatile int *)ctx->interrupted;
	if ((rc = media_run_start(&run)) < 0)
		goto out;
	rc = loop_wait(ctx->loop, media_run_done, &run, (int)(packets *
	    pl->ptime) + MEDIA_GRACE_MS + 5000);
	if (rc < 0)
		run.cancel = 1;
	while (!media_run_done(&run))
		(void)loop_wait(ctx->loop, media_run_done, &run, 100);
	media_run_join(&run);
	if (rc < 0 || run.error < 0) {
		rc = rc < 0 ? rc : run.error;
		goto out;
	}
	(void)loop_wait(ctx->loop, mset_stats_h, &set, MEDIA_STATS_WAIT_MS);
	for (i = 0; i < n; i++) {
		if (!r[i].ran || (ms = ctlcli_mstats_find(ctx->ctl,
		    (uint32_t)r[i].req)) == NULL)
			continue;
		r[i].have_stats = 1;
		r[i].latched = ms->has_peer;
		r[i].up = ms->side;
		if (media_stream_side(&r[i].st, ms->side.sent, &r[i].down) < 0)
			r[i].have_stats = 0;
	}
out:
	for (i = 0; i < n; i++)
		media_stream_close(&r[i].st);
	return rc;
}

double
mres_rtt_ms(const struct mres *m)
{
	if (m->down.rtt_samples > 0 && m->down.rtt_us != RTP_UNKNOWN)
		return m->down.rtt_us / 1000.0;
	if (m->up.rtt_samples > 0 && m->up.rtt_us != RTP_UNKNOWN)
		return m->up.rtt_us / 1000.0;
	return -1;
}

void
mres_quality(const struct mplan *pl, const struct mres *m, struct mediaq_dir *up,
    struct mediaq_dir *down)
{
	double rtt = mres_rtt_ms(m);

	mediaq_dir(&m->up.rx, rtt, &pl->codec, pl->ptime, pl->jb, up);
	mediaq_dir(&m->down.rx, rtt, &pl->codec, pl->ptime, pl->jb, down);
}

int
mplan_make(struct check_ctx *ctx, struct mplan *pl, int always)
{
	const struct ctl_welcome *w = ctlcli_welcome(ctx->ctl);
	size_t i, k;
	unsigned p;

	memset(pl, 0, sizeof(*pl));
	pl->dscp = -1;
	for (i = 0; i < ctx->opt->nprofiles; i++) {
		const struct profile *pr = ctx->opt->profiles[i];

		if (pl->pm == NULL && pr->has_media)
			pl->pm = pr;
		if (pl->pd == NULL && pr->dscp >= 0)
			pl->pd = pr;
		if (pl->calls == 0 && pr->calls > 0)
			pl->calls = pr->calls;
	}
	if (pl->pm == NULL && pl->pd == NULL && !always)
		return 0;
	if (pl->pm == NULL)
		pl->pm = pl->pd != NULL ? pl->pd : ctx->opt->profiles[0];
	snprintf(pl->codec_name, sizeof(pl->codec_name), "%s",
	    pl->pm->codec != NULL ? pl->pm->codec : "G.711");
	if (codec_parse(pl->codec_name, &pl->codec) < 0)
		return -EINVAL;
	pl->ptime = pl->pm->ptime ? pl->pm->ptime : MEDIA_PTIME;
	pl->jb = pl->pm->jitter_buffer ? pl->pm->jitter_buffer : MEDIA_JB_MS;
	pl->seconds = ctx->opt->media_seconds ? ctx->opt->media_seconds : MEDIA_SECONDS;
	if (ctx->opt->calls > 0)
		pl->calls = ctx->opt->calls;
	if (pl->calls > MEDIA_MAX_SET)
		pl->calls = MEDIA_MAX_SET;
	if (pl->pd != NULL)
		pl->dscp = pl->pd->dscp;
	if (pl->pm->has_media) {
		pl->lo = pl->pm->media_lo;
		pl->hi = pl->pm->media_hi;
	}
	for (k = 0; k < w->nmedia_ports; k++)
		for (p = w->media_ports[k][0]; p <= w->media_ports[k][1] &&
		    pl->nports < MEDIA_MAX_PORTS; p++)
			if ((pl->lo == 0 || (p >= pl->lo && p <= pl->hi)) &&
			    check_media_port_ok(ctx, p))
				pl->ports[pl->nports++] = (uint16_t)p;
	pl->srv_len = net_sa_from_ip(&ctx->server_ip, 0, &pl->srv);
	return 1;
}
