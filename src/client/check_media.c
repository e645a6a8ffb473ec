/*
 * check_media.c - will calls sound right?  RTP both ways through the
 * customer's firewall, at the codec's pacing, to pinholed's media ports
 * across the profile's range:
 *
 *   media.rtp       every media port for a second (which carry media each
 *                   way), then a test call on one of them: loss, jitter,
 *                   delay variation, bursts and the E-model's MOS per
 *                   direction;
 *   qos.dscp        the test call's marks, as each side received them;
 *   media.capacity  calls at once, 1, 2, 4, ... up to the profile's
 *                   'calls' (or --calls): the most that keep MOS >= 4.0
 *                   and loss <= 1% both ways, and what broke first.
 *
 * The streams themselves run on media.c's thread; this family asks
 * pinholed for them (MEDIA), waits, and concludes with lib/mediaq.c.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mediaset.h"

/* A figure in us, null when it was not measured. */
static json_t *
us_json(uint32_t v)
{
	return v == RTP_UNKNOWN ? json_null() : json_integer(v);
}

/* To 3 decimals, as the report writes figures. */
static double
r3(double v)
{
	return round(v * 1000) / 1000;
}

static json_t *
ports_json(const uint16_t *p, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_integer(p[i]));
	return a;
}

/* A port list as text, "10000, 10666 and 2 more". */
static void
ports_text(const uint16_t *p, size_t n, char *out, size_t cap)
{
	size_t i, off = 0;

	out[0] = '\0';
	for (i = 0; i < n && i < 4 && off < cap; i++)
		off += (size_t)snprintf(out + off, cap - off, "%s%u",
		    i ? ", " : "", p[i]);
	if (n > 4 && off < cap)
		snprintf(out + off, cap - off, " and %zu more", n - 4);
}

/* One port's moment of media, for the evidence. */
static json_t *
sweep_port_json(const struct mres *m)
{
	json_t *o = json_pack("{s:i, s:i}", "port", m->server_port,
	    "client_port", m->st.local_port);

	if (m->code == 0 && !m->have_stats) {
		/* The server never said: nothing to conclude. */
		json_object_set_new(o, "unreported", json_true());
	} else if (m->code != 0) {
		json_object_set_new(o, "refused", json_integer(m->code));
		json_object_set_new(o, "reason", json_string(m->reason));
	} else {
		json_object_set_new(o, "up", json_pack("{s:i, s:i}",
		    "sent", m->up.rx.sent, "received", m->up.rx.received));
		json_object_set_new(o, "down", json_pack("{s:i, s:i}",
		    "sent", m->down.rx.sent, "received", m->down.rx.received));
	}
	return o;
}

/* Whether a port's moment carried media both ways. */
static int
sweep_port_failed(const struct mres *m)
{
	return m->code == 0 && m->have_stats &&
	    (m->up.rx.received == 0 || m->down.rx.received == 0);
}

/*
 * Every port of the range for a moment: which carry media each way.  A
 * port that carried nothing one way is tried once more from a fresh local
 * port (a fresh mapping at the router) before it is called blocked: a
 * mapping that clashed with an entry already at the router is not the
 * firewall's doing.  The evidence keeps the first attempt.  Fills the
 * ports that passed both ways into 'ok'.  0 or -errno.
 */
static int
media_sweep(struct check_ctx *ctx, const struct mplan *pl, json_t **ev,
    uint16_t *ok, size_t *nok, uint16_t *bad_up, size_t *nbad_up,
    uint16_t *bad_down, size_t *nbad_down)
{
	struct mres *r, *r2 = NULL;
	uint16_t again[MEDIA_MAX_PORTS];
	size_t i, j, nagain = 0;
	json_t *a = json_array();
	uint32_t packets = MEDIA_SWEEP_MS / pl->ptime;
	int rc;

	*nok = *nbad_up = *nbad_down = 0;
	if ((r = calloc(pl->nports, sizeof(*r))) == NULL)
		return -ENOMEM;
	check_progress(ctx, "media.rtp ports");
	rc = mset_run(ctx, pl, r, pl->nports, pl->ports, pl->nports, packets,
	    0);
	for (i = 0; rc == 0 && i < pl->nports; i++)
		if (sweep_port_failed(&r[i]))
			again[nagain++] = r[i].server_port;
	if (rc == 0 && nagain > 0) {
		if ((r2 = calloc(nagain, sizeof(*r2))) == NULL) {
			free(r);
			return -ENOMEM;
		}
		check_progress(ctx, "media.rtp ports again");
		rc = mset_run(ctx, pl, r2, nagain, again, nagain, packets, 0);
	}
	for (i = 0, j = 0; rc == 0 && i < pl->nports; i++) {
		const struct mres *m = &r[i];
		json_t *o, *first = NULL;

		if (j < nagain && m->server_port == again[j]) {
			first = sweep_port_json(m);
			m = &r2[j++];
		}
		o = sweep_port_json(m);
		if (first != NULL)
			json_object_set_new(o, "first_attempt", first);
		json_array_append_new(a, o);
		if (m->code != 0 || !m->have_stats)
			continue;
		if (m->up.rx.received > 0 && m->down.rx.received > 0)
			ok[(*nok)++] = m->server_port;
		else if (m->up.rx.received == 0)
			bad_up[(*nbad_up)++] = m->server_port;
		else
			bad_down[(*nbad_down)++] = m->server_port;
	}
	free(r);
	free(r2);
	*ev = a;
	return rc;
}

static void
media_rtp(struct check_ctx *ctx, const struct mplan *pl, struct mres *call,
    int *call_ok)
{
	uint16_t ok[MEDIA_MAX_PORTS], bu[MEDIA_MAX_PORTS], bd[MEDIA_MAX_PORTS];
	size_t nok, nbu, nbd;
	struct mediaq_dir up, down;
	json_t *ev, *sweep = NULL;
	enum verdict v;
	uint16_t port;
	char lst[96], remedy[512], device[PROFILE_DEVICE_MAX * 4];
	uint8_t tos = pl->dscp >= 0 ? (uint8_t)(pl->dscp << 2) : 0;
	int rc;

	*call_ok = 0;
	ev = json_pack("{s:s, s:s, s:i, s:i, s:i, s:i}", "profile",
	    pl->pm->name, "codec", pl->codec.name, "ptime_ms", pl->ptime,
	    "payload_bytes", (int)codec_payload_bytes(&pl->codec, pl->ptime),
	    "jitter_buffer_ms", pl->jb, "seconds", pl->seconds);
	if (pl->lo != 0)
		json_object_set_new(ev, "range", json_pack("{s:i, s:i}", "lo",
		    pl->lo, "hi", pl->hi));
	json_object_set_new(ev, "server_ports", ports_json(pl->ports,
	    pl->nports));
	if (pl->nports == 0) {
		report_add(ctx->report, "media.rtp", "Media", VERDICT_ERROR, ev,
		    NULL, "the server has no media port in UDP %u-%u: it "
		    "cannot test this range", pl->lo, pl->hi);
		return;
	}
	if ((rc = media_sweep(ctx, pl, &sweep, ok, &nok, bu, &nbu, bd,
	    &nbd)) < 0) {
		json_decref(sweep);
		report_add(ctx->report, "media.rtp", "Media", VERDICT_ERROR, ev,
		    NULL, "media streams could not run: %s", strerror(-rc));
		return;
	}
	json_object_set_new(ev, "ports", sweep);
	json_object_set_new(ev, "ports_blocked_up", ports_json(bu, nbu));
	json_object_set_new(ev, "ports_blocked_down", ports_json(bd, nbd));
	/* The call goes to a port that carried media, the middle one. */
	port = nok > 0 ? ok[nok / 2] : pl->ports[pl->nports / 2];
	check_progress(ctx, "media.rtp call");
	rc = mset_run(ctx, pl, call, 1, &port, 1, pl->seconds * 1000 /
	    pl->ptime, tos);
	if (rc < 0 || call->code != 0 || !call->have_stats) {
		if (call->code != 0)
			json_object_set_new(ev, "refused", json_pack("{s:i, s:s}",
			    "code", call->code, "reason", call->reason));
		report_add(ctx->report, "media.rtp", "Media", VERDICT_ERROR, ev,
		    NULL, "the test call could not run: %s", rc < 0 ?
		    strerror(-rc) : call->code != 0 ? call->reason :
		    "the server did not report its side");
		return;
	}
	mres_quality(pl, call, &up, &down);
	json_object_set_new(ev, "server_port", json_integer(port));
	json_object_set_new(ev, "client_port",
	    json_integer(call->st.local_port));
	json_object_set_new(ev, "rtt_ms", mres_rtt_ms(call) < 0 ? json_null() :
	    json_real(mres_rtt_ms(call)));
	json_object_set_new(ev, "up", mediaq_dir_json(&call->up.rx, &up));
	json_object_set_new(ev, "down", mediaq_dir_json(&call->down.rx, &down));
	json_object_set_new(ev, "pacing_p99_us", json_pack("{s:o, s:o}",
	    "client", us_json(call->down.pace_p99_us), "server",
	    us_json(call->up.pace_p99_us)));
	if (call->up.rx.received == 0) {
		snprintf(remedy, sizeof(remedy), "Allow UDP from %s to the "
		    "provider's media ranges on the media ports, and the "
		    "replies back.", check_devices(ctx, device, sizeof(device)));
		report_add(ctx->report, "media.rtp", "Media", VERDICT_FAIL, ev,
		    remedy, "no RTP reached the server on UDP %u: the firewall "
		    "blocks media upstream", port);
		return;
	}
	if (call->down.rx.received == 0) {
		report_add(ctx->report, "media.rtp", "Media", VERDICT_FAIL, ev,
		    "Allow the replies to outbound UDP (stateful), and inbound "
		    "UDP from the provider's media ranges on the media ports.",
		    "RTP reached the server on UDP %u but none came back: the "
		    "firewall blocks media downstream", port);
		return;
	}
	*call_ok = 1;
	if (nbu + nbd > 0) {
		char lst2[96], range[32] = "";

		ports_text(bu, nbu, lst, sizeof(lst));
		ports_text(bd, nbd, lst2, sizeof(lst2));
		if (pl->lo != 0)
			snprintf(range, sizeof(range), ", UDP %u-%u", pl->lo,
			    pl->hi);
		snprintf(remedy, sizeof(remedy), "Open the whole media "
		    "range%s, to and from the provider's ranges; a firewall "
		    "that opens part of it breaks the calls whose media lands "
		    "outside.", range);
		report_add(ctx->report, "media.rtp", "Media", VERDICT_FAIL, ev,
		    remedy, "RTP passes on %zu of %zu media ports; blocked%s%s"
		    "%s%s%s", nok, pl->nports, nbu ? " upstream on " : "", lst,
		    nbu && nbd ? ";" : "", nbd ? " downstream on " : "", lst2);
		return;
	}
	v = mediaq_verdict(&call->up.rx, &up, &call->down.rx, &down);
	remedy[0] = '\0';
	if (v != VERDICT_PASS)
		mediaq_remedy(&up, &down, remedy, sizeof(remedy));
	report_add(ctx->report, "media.rtp", "Media", v, ev,
	    remedy[0] ? remedy : NULL, "MOS %.2f up, %.2f down (%s, %u s on "
	    "UDP %u): loss %.1f%%/%.1f%%, jitter %.1f/%.1f ms, on all %zu "
	    "media ports", up.e.mos, down.e.mos, pl->codec.name, pl->seconds,
	    port, call->up.rx.loss_pct, call->down.rx.loss_pct,
	    call->up.rx.jitter_ms, call->down.rx.jitter_ms, pl->nports);
}

/* Where a class is usually lost, and the setting that keeps it. */
static const char *
dscp_where(int up, enum mediaq_dscp d)
{
	if (d == MQ_DSCP_REMARKED)
		return up ? "a remark on the way out: often Wi-Fi's "
		    "user-priority mapping (WMM) or a QoS policy on the router"
		    : "a remark on the way in: a QoS policy at the ISP's edge "
		    "or the router";
	return up ? "usually the customer's router or Wi-Fi access point "
	    "clears it (a 'DSCP reset' or 'QoS off' setting), sometimes the "
	    "ISP" : "usually the ISP clears it at its edge, or the "
	    "customer's router on the way in";
}

static void
qos_dscp(struct check_ctx *ctx, const struct mplan *pl, const struct mres *call)
{
	enum mediaq_dscp du, dd;
	char remedy[640];
	json_t *ev;
	int ru, rd;

	ev = json_pack("{s:s, s:s, s:i}", "profile", pl->pd->name, "class",
	    pl->pd->dscp_name ? pl->pd->dscp_name : "", "dscp", pl->dscp);
	ru = mediaq_dscp_received(&call->up.rx, NULL);
	rd = mediaq_dscp_received(&call->down.rx, NULL);
	json_object_set_new(ev, "up", mediaq_dscp_json(pl->dscp, &call->up.rx));
	json_object_set_new(ev, "down", mediaq_dscp_json(pl->dscp,
	    &call->down.rx));
	du = mediaq_dscp_classify(pl->dscp, ru);
	dd = mediaq_dscp_classify(pl->dscp, rd);
	if (du == MQ_DSCP_NONE || dd == MQ_DSCP_NONE) {
		report_add(ctx->report, "qos.dscp", "QoS", VERDICT_ERROR, ev,
		    NULL, "DSCP not measured: the test call's media did not "
		    "pass both ways (see media.rtp)");
		return;
	}
	if (du == MQ_DSCP_INTACT && dd == MQ_DSCP_INTACT) {
		report_add(ctx->report, "qos.dscp", "QoS", VERDICT_PASS, ev,
		    NULL, "DSCP %s (%d) arrives intact both ways",
		    pl->pd->dscp_name ? pl->pd->dscp_name : "", pl->dscp);
		return;
	}
	snprintf(remedy, sizeof(remedy), "%s%s%s%s%s%s Keep the marks: trust "
	    "DSCP on the LAN side, or mark RTP and SIP to and from the "
	    "provider's ranges %s (DSCP %d) on the router, both ways "
	    "(pinhole config writes the rule).",
	    du != MQ_DSCP_INTACT ? "Upstream: " : "",
	    du != MQ_DSCP_INTACT ? dscp_where(1, du) : "",
	    du != MQ_DSCP_INTACT ? "." : "",
	    dd != MQ_DSCP_INTACT ? " Downstream: " : "",
	    dd != MQ_DSCP_INTACT ? dscp_where(0, dd) : "",
	    dd != MQ_DSCP_INTACT ? "." : "",
	    pl->pd->dscp_name ? pl->pd->dscp_name : "", pl->dscp);
	report_add(ctx->report, "qos.dscp", "QoS", VERDICT_WARN, ev, remedy,
	    "DSCP %d sent: up %s (arrived %d), down %s (arrived %d)",
	    pl->dscp, mediaq_dscp_name(du), ru, mediaq_dscp_name(dd), rd);
}

/* One step of the ramp: whether every call was good, and the worst. */
static int
capacity_step(struct check_ctx *ctx, const struct mplan *pl, unsigned calls,
    json_t *steps, char *broke, size_t cap)
{
	struct mres *r;
	struct mediaq_dir up, down;
	double wl_up = 0, wl_down = 0, wm_up = 5, wm_down = 5;
	unsigned refused = 0, bad = 0, i;
	uint8_t tos = pl->dscp >= 0 ? (uint8_t)(pl->dscp << 2) : 0;
	int rc, good;
	char what[32];

	if ((r = calloc(calls, sizeof(*r))) == NULL)
		return -ENOMEM;
	snprintf(what, sizeof(what), "media.capacity %u", calls);
	check_progress(ctx, what);
	rc = mset_run(ctx, pl, r, calls, pl->ports, pl->nports, MEDIA_STEP_MS /
	    pl->ptime, tos);
	for (i = 0; rc == 0 && i < calls; i++) {
		if (r[i].code != 0 || !r[i].have_stats) {
			refused++;
			continue;
		}
		mres_quality(pl, &r[i], &up, &down);
		if (r[i].up.rx.loss_pct > wl_up)
			wl_up = r[i].up.rx.loss_pct;
		if (r[i].down.rx.loss_pct > wl_down)
			wl_down = r[i].down.rx.loss_pct;
		if (up.e.mos < wm_up)
			wm_up = up.e.mos;
		if (down.e.mos < wm_down)
			wm_down = down.e.mos;
		if (!mediaq_good(&r[i].up.rx, &up) ||
		    !mediaq_good(&r[i].down.rx, &down))
			bad++;
	}
	free(r);
	if (rc < 0)
		return rc;
	good = refused == 0 && bad == 0;
	json_array_append_new(steps, json_pack("{s:i, s:b, s:i, s:i, s:f, "
	    "s:f, s:f, s:f}", "calls", calls, "ok", good, "refused", refused,
	    "poor", bad, "worst_up_loss_pct", r3(wl_up), "worst_down_loss_pct",
	    r3(wl_down), "worst_up_mos", r3(wm_up), "worst_down_mos",
	    r3(wm_down)));
	if (!good && refused > 0) {
		snprintf(broke, cap, "the server refused %u of %u streams "
		    "(its per-session cap)", refused, calls);
	} else if (!good) {
		int u = wm_up <= wm_down;	/* the direction that scored worse */

		snprintf(broke, cap, "%s at %u call%s: loss up to %.1f%%, MOS "
		    "down to %.2f", u ? "upstream" : "downstream", calls,
		    calls == 1 ? "" : "s", u ? wl_up : wl_down,
		    u ? wm_up : wm_down);
	}
	return good;
}

static void
media_capacity(struct check_ctx *ctx, const struct mplan *pl)
{
	json_t *ev, *steps = json_array();
	unsigned calls, best = 0;
	char broke[160] = "", remedy[512];
	int g = 1, server_cap = 0;

	ev = json_pack("{s:s, s:s, s:i, s:i}", "profile", pl->pm->name,
	    "codec", pl->codec.name, "limit", pl->calls, "step_seconds",
	    MEDIA_STEP_MS / 1000);
	for (calls = 1; g == 1 && !check_interrupted(ctx); calls = calls * 2 >
	    pl->calls && calls < pl->calls ? pl->calls : calls * 2) {
		if (calls > pl->calls)
			break;
		if ((g = capacity_step(ctx, pl, calls, steps, broke,
		    sizeof(broke))) == 1)
			best = calls;
		if (calls == pl->calls)
			break;
	}
	json_object_set_new(ev, "steps", steps);
	json_object_set_new(ev, "max_calls", json_integer(best));
	if (broke[0] != '\0')
		json_object_set_new(ev, "broke", json_string(broke));
	server_cap = strstr(broke, "refused") != NULL;
	if (g < 0) {
		report_add(ctx->report, "media.capacity", "Media", VERDICT_ERROR,
		    ev, NULL, "the capacity ramp could not run: %s",
		    strerror(-g));
		return;
	}
	if (best >= pl->calls) {
		report_add(ctx->report, "media.capacity", "Media", VERDICT_PASS,
		    ev, NULL, "%u calls at once keep MOS >= %.1f and loss <= "
		    "%.0f%% both ways", best, MEDIAQ_MOS_GOOD,
		    MEDIAQ_LOSS_GOOD);
		return;
	}
	if (server_cap) {
		report_add(ctx->report, "media.capacity", "Media", VERDICT_ERROR,
		    ev, NULL, "%u calls at once were good; more were not "
		    "measured: %s", best, broke);
		return;
	}
	snprintf(remedy, sizeof(remedy), "The link carries %u good calls at "
	    "once, and the profile asks for %u. Give RTP to and from the "
	    "provider's ranges priority (QoS) on the router so voice goes "
	    "first, or add bandwidth; each %s call needs about %.0f kbit/s "
	    "each way.", best, pl->calls, pl->codec.name,
	    (codec_payload_bytes(&pl->codec, pl->ptime) + 40.0) * 8 /
	    pl->ptime);
	report_add(ctx->report, "media.capacity", "Media", best > 0 ?
	    VERDICT_WARN : VERDICT_FAIL, ev, remedy, "%u of %u calls at once "
	    "keep their quality; it broke %s", best, pl->calls, broke);
}

/* How long the entry 'id' took, from 't0' (ms) to now. */
static void
took(struct check_ctx *ctx, const char *id, long long t0)
{
	size_t i;

	for (i = 0; i < ctx->report->nchecks; i++)
		if (strcmp(ctx->report->checks[i].id, id) == 0)
			ctx->report->checks[i].duration_s =
			    loop_since_s(ctx->loop, t0);
}

static int
media_run(struct check_ctx *ctx)
{
	struct mplan pl;
	struct mres call;
	long long t0;
	int r, call_ok = 0;

	if ((r = mplan_make(ctx, &pl, 0)) <= 0)
		return r;
	/* A sweep of 65535 ports on the same link is no time for a call. */
	check_progress(ctx, "media (after the sweeps)");
	(void)check_wait_bursts(ctx, 120000);
	memset(&call, 0, sizeof(call));
	t0 = loop_now_ms(ctx->loop);
	media_rtp(ctx, &pl, &call, &call_ok);
	took(ctx, "media.rtp", t0);
	if (pl.pd != NULL && !check_has_id(ctx, "qos.dscp")) {
		if (call_ok)
			qos_dscp(ctx, &pl, &call);
		else
			report_add(ctx->report, "qos.dscp", "QoS", VERDICT_ERROR,
			    json_pack("{s:s, s:i}", "profile", pl.pd->name,
			    "dscp", pl.dscp), NULL, "DSCP not measured: the test "
			    "call did not pass both ways (see media.rtp)");
	}
	took(ctx, "qos.dscp", t0);
	t0 = loop_now_ms(ctx->loop);
	if (pl.calls > 0 && call_ok)
		media_capacity(ctx, &pl);
	else if (pl.calls > 0)
		report_add(ctx->report, "media.capacity", "Media", VERDICT_ERROR,
		    json_pack("{s:s, s:i}", "profile", pl.pm->name, "limit",
		    pl.calls), NULL, "concurrent calls not measured: the test "
		    "call did not pass both ways (see media.rtp)");
	took(ctx, "media.capacity", t0);
	return 0;
}

const struct check_ops check_media_ops = {
	.family = "media",
	.run = media_run,
};
