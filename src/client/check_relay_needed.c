/*
 * check_relay_needed.c - relay.needed: whether calls from here need the
 * provider's relay, in the spirit of a WebRTC preflight's "is TURN
 * required".  It runs after every other family and reads what media.rtp
 * (direct media) and the relay checks concluded:
 *
 *   direct media fails, a relay carries it   warn: a relay is needed, and
 *                                            what it costs
 *   direct media works                       pass: not needed (with what a
 *                                            relay would cost)
 *   neither                                  fail
 *
 * No relay checked: no entry.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

/* A figure of an entry's evidence (a path of two keys), NAN if absent. */
static double
ev_num(const struct report_check *c, const char *k1, const char *k2)
{
	json_t *v = json_object_get(c->evidence, k1);

	if (v != NULL && k2 != NULL)
		v = json_object_get(v, k2);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* The worse direction's MOS of an entry, NAN if not measured. */
static double
ev_mos(const struct report_check *c)
{
	double u = ev_num(c, "up", "mos"), d = ev_num(c, "down", "mos");

	return isnan(u) || isnan(d) ? NAN : u < d ? u : d;
}

static int
is_relay_entry(const struct report_check *c)
{
	return strncmp(c->id, "relay.", 6) == 0 &&
	    strcmp(c->id, "relay.needed") != 0;
}

static int
needed_run(struct check_ctx *ctx)
{
	const struct report *rep = ctx->report;
	const struct report_check *direct = NULL, *best = NULL;
	json_t *ev, *carried = json_array();
	double dmos, dmos_best = -1, rmos = NAN, drtt, rrtt = NAN;
	size_t i, nrelay = 0;
	int direct_ok;

	for (i = 0; i < rep->nchecks; i++) {
		const struct report_check *c = &rep->checks[i];

		if (strcmp(c->id, "media.rtp") == 0)
			direct = c;
		if (!is_relay_entry(c))
			continue;
		nrelay++;
		if (c->verdict != VERDICT_PASS && c->verdict != VERDICT_WARN)
			continue;
		json_array_append_new(carried, json_string(c->id));
		if (!isnan(rmos = ev_mos(c)) && rmos > dmos_best) {
			dmos_best = rmos;
			best = c;
		}
	}
	if (nrelay == 0) {
		json_decref(carried);
		return 0;
	}
	ev = json_pack("{s:o}", "relays_carrying", carried);
	direct_ok = direct != NULL && (direct->verdict == VERDICT_PASS ||
	    direct->verdict == VERDICT_WARN);
	json_object_set_new(ev, "direct", json_string(direct == NULL ?
	    "not measured" : verdict_name(direct->verdict)));
	if (best != NULL) {
		rmos = ev_mos(best);
		rrtt = ev_num(best, "rtt_ms", NULL);
		json_object_set_new(ev, "relay", json_string(best->id));
		json_object_set_new(ev, "relay_mos", json_real(rmos));
		json_object_set_new(ev, "relay_rtt_ms", isnan(rrtt) ?
		    json_null() : json_real(rrtt));
	}
	if (direct == NULL || direct->verdict == VERDICT_SKIP ||
	    direct->verdict == VERDICT_ERROR) {
		report_add(ctx->report, "relay.needed", "Relay", VERDICT_SKIP,
		    ev, NULL, "whether a relay is needed is not known: direct "
		    "media was not measured (media.rtp)");
		return 0;
	}
	dmos = ev_mos(direct);
	drtt = ev_num(direct, "rtt_ms", NULL);
	json_object_set_new(ev, "direct_mos", isnan(dmos) ? json_null() :
	    json_real(dmos));
	json_object_set_new(ev, "direct_rtt_ms", isnan(drtt) ? json_null() :
	    json_real(drtt));
	if (direct_ok && best != NULL && !isnan(dmos) && !isnan(drtt) &&
	    !isnan(rrtt)) {
		report_add(ctx->report, "relay.needed", "Relay", VERDICT_PASS,
		    ev, NULL, "no relay needed: direct media works (MOS %.2f, "
		    "round trip %.1f ms); through %s calls would cost %+.1f ms "
		    "and MOS %+.2f", dmos, drtt, best->id, rrtt - drtt,
		    rmos - dmos);
	} else if (direct_ok) {
		report_add(ctx->report, "relay.needed", "Relay", VERDICT_PASS,
		    ev, NULL, "no relay needed: direct media works");
	} else if (best != NULL) {
		char cost[128] = "";

		/* Direct media has no round trip of its own here: the control
		 * connection's to the same server stands for it. */
		if (!isnan(rrtt) && ctx->rtt_ms >= 0) {
			json_object_set_new(ev, "control_rtt_ms",
			    json_integer(ctx->rtt_ms));
			snprintf(cost, sizeof(cost), ", %+.1f ms over the "
			    "direct path's round trip", rrtt - ctx->rtt_ms);
		}
		report_add(ctx->report, "relay.needed", "Relay", VERDICT_WARN,
		    ev, "Calls work only through the provider's relay, which "
		    "adds delay and a hop: open direct media (see media.rtp's "
		    "remedy) so that calls need no relay.", "a relay is needed: "
		    "direct media fails, %s carries it at MOS %.2f, round trip "
		    "%.1f ms%s", best->id, rmos, isnan(rrtt) ? 0.0 : rrtt,
		    cost);
	} else {
		report_add(ctx->report, "relay.needed", "Relay", VERDICT_FAIL,
		    ev, "Open direct media (see media.rtp), or at least one "
		    "relay transport (see the relay checks).", "no way for "
		    "media: direct media fails and no relay carries it");
	}
	return 0;
}

const struct check_ops check_relay_needed_ops = {
	.family = "relay-needed",
	.run = needed_run,
	.after_all = 1,
};
