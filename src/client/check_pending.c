/*
 * check_pending.c - requirements of a profile whose checks this version
 * does not have yet.  Each still gets its entry, verdict skip, saying what
 * was asked and why it was not measured, so that a report never looks
 * more complete than it is.
 */
#include <stdio.h>

#include "check.h"

/*
 * 'family' is the family that measures the id, or NULL when none does
 * yet; a family skipped with --skip leaves its ids here, said so, and one
 * interrupted leaves them as errors.
 */
static void
pending_add(struct check_ctx *ctx, const char *id, const char *family,
    const char *section, json_t *ev, const char *what)
{
	if (check_has_id(ctx, id)) {
		json_decref(ev);
		return;
	}
	if (family != NULL && check_skipped(ctx, family)) {
		report_add(ctx->report, id, section, VERDICT_SKIP, ev, NULL,
		    "%s: not run (--skip %s)", what, family);
		return;
	}
	if (family != NULL && check_interrupted(ctx)) {
		json_object_set_new(ev, "interrupted", json_true());
		report_add(ctx->report, id, section, VERDICT_ERROR, ev, NULL,
		    "%s: not concluded, the check was interrupted", what);
		return;
	}
	json_object_set_new(ev, "implemented", json_false());
	report_add(ctx->report, id, section, VERDICT_SKIP, ev, NULL,
	    "%s: not measured by this version of pinhole", what);
}

static void
pending_endpoint(struct check_ctx *ctx, const struct profile *p,
    const struct profile_endpoint *e)
{
	char id[PROFILE_ID_LEN], ports[16], cidr[64];
	enum profile_dir dirs[2] = { PROFILE_OUT, PROFILE_IN };
	json_t *ev, *src;
	size_t i, k;

	if (e->port_lo == e->port_hi)
		snprintf(ports, sizeof(ports), "%u", e->port_lo);
	else
		snprintf(ports, sizeof(ports), "%u-%u", e->port_lo, e->port_hi);
	for (i = 0; i < 2; i++) {
		if (!(e->dir & dirs[i]))
			continue;
		(void)profile_endpoint_id(p, e, dirs[i], 0, id, sizeof(id));
		ev = json_pack("{s:s, s:s, s:s, s:s}", "profile", p->name,
		    "endpoint", e->name, "proto", profile_proto_name(e->proto),
		    "ports", ports);
		if (e->host != NULL)
			json_object_set_new(ev, "host", json_string(e->host));
		if (e->service != NULL)
			json_object_set_new(ev, "service",
			    json_string(e->service));
		if (dirs[i] == PROFILE_IN && p->nsources > 0) {
			src = json_array();
			for (k = 0; k < p->nsources; k++)
				json_array_append_new(src, json_string(
				    net_cidr_str(&p->sources[k], cidr,
				    sizeof(cidr))));
			json_object_set_new(ev, "sources", src);
		}
		pending_add(ctx, id, dirs[i] == PROFILE_OUT ? "reach" :
		    "reach-in", "Reachability", ev, dirs[i] == PROFILE_OUT ?
		    "outbound reachability" : "inbound reachability");
	}
}

static int
pending_run(struct check_ctx *ctx)
{
	size_t i, k;

	for (i = 0; i < ctx->opt->nprofiles; i++) {
		const struct profile *p = ctx->opt->profiles[i];

		if (p->max_nat > 0)
			pending_add(ctx, "nat.layers", "nat-layers", "NAT",
			    json_pack("{s:s, s:i}", "profile", p->name,
			    "max_nat", p->max_nat), "the number of NAT layers");
		if (p->udp_timeout_min > 0)
			pending_add(ctx, "udp-timeout", "udp-timeout",
			    "UDP timeout", json_pack("{s:s, s:i}", "profile",
			    p->name, "minimum_s", p->udp_timeout_min),
			    "the UDP binding timeout");
		if (p->dscp >= 0)
			pending_add(ctx, "qos.dscp", "media", "QoS", json_pack(
			    "{s:s, s:s, s:i}", "profile", p->name, "class",
			    p->dscp_name ? p->dscp_name : "", "dscp", p->dscp),
			    "DSCP marking");
		if (p->has_media)
			pending_add(ctx, "media.rtp", "media", "Media",
			    json_pack("{s:s, s:i, s:i}", "profile", p->name,
			    "udp_lo", p->media_lo, "udp_hi", p->media_hi),
			    "media quality across the UDP media range");
		if (p->calls > 0 || (ctx->opt->calls > 0 && (p->has_media ||
		    p->dscp >= 0)))
			pending_add(ctx, "media.capacity", "media", "Media",
			    json_pack("{s:s, s:i}", "profile", p->name, "calls",
			    ctx->opt->calls > 0 ? ctx->opt->calls : p->calls),
			    "concurrent calls");
		for (k = 0; k < p->nendpoints; k++)
			pending_endpoint(ctx, p, &p->endpoints[k]);
	}
	return 0;
}

const struct check_ops check_pending_ops = {
	.family = "pending",
	.run = pending_run,
	.after_all = 1,
};
