/*
 * udptimeout_report.c - the udp-timeout entry: the expiries measured per
 * server port, whether inbound packets refresh a binding, and the verdict
 * against the profiles' minimum (udptimeout_verdict()).
 */
#include <stdio.h>

#include "udptimeout.h"

static json_t *
ut_json_value(const struct ut_set *set)
{
	if (set->n == 0 || !set->decided)
		return json_null();
	return set->expiry_s > 0 ? json_integer(set->expiry_s) : json_null();
}

static json_t *
ut_json_port(const struct ut_set *u, const struct ut_set *e)
{
	return json_pack("{s:i, s:o, s:o, s:I, s:I}",
	    "port", (int)u->port->port,
	    "unreplied_s", ut_json_value(u),
	    "established_s", ut_json_value(e),
	    "lost_probes", (json_int_t)u->lost + e->lost,
	    "failed_setups", (json_int_t)u->failed + e->failed);
}

/* "12 s", or "more than 180 s" when it outlived the limit. */
static const char *
ut_str(const struct ut_run *run, const struct ut_set *set, char *buf,
    size_t len)
{
	if (set->expiry_s > 0)
		snprintf(buf, len, "%d s", set->expiry_s);
	else
		snprintf(buf, len, "more than %d s", run->limit_s);
	return buf;
}

void
udptimeout_report(struct ut_run *run, unsigned minimum, const char *profile,
    double wall)
{
	struct check_ctx *ctx = run->ctx;
	struct ut_set *u = &run->sets[SET_UNREP], *e = &run->sets[SET_EST];
	struct ut_set *su = &run->sets[SET_SIP_UNREP];
	struct ut_set *se = &run->sets[SET_SIP_EST];
	char a[32], b[32], c[32], d[32], remedy[768], sipnote[160] = "";
	char device[PROFILE_DEVICE_MAX * 4];
	enum verdict v;
	struct report_check *rc;
	unsigned keep;
	int est, differs = 0;
	json_t *ev;

	ev = json_pack("{s:s, s:I, s:o, s:o, s:o, s:i, s:f, s:i, s:o}",
	    "profile", profile, "minimum_s", (json_int_t)minimum,
	    "unreplied_s", ut_json_value(u),
	    "established_s", ut_json_value(e),
	    "inbound_refresh", run->refresh_result < 0 ? json_null() :
	    json_boolean(run->refresh_result),
	    "resolution_s", 1, "wall_s", wall, "limit_s", run->limit_s,
	    "ports", json_array());
	json_array_append_new(json_object_get(ev, "ports"),
	    ut_json_port(u, e));
	json_object_set_new(ev, "device", json_string(check_devices(ctx,
	    device, sizeof(device))));
	/* The lowest established lifetime is what a phone lives with. */
	est = e->expiry_s;
	if (se->n > 0) {
		json_array_append_new(json_object_get(ev, "ports"),
		    ut_json_port(su, se));
		differs = su->expiry_s != u->expiry_s ||
		    se->expiry_s != e->expiry_s;
		if (se->expiry_s > 0 && (est == 0 || se->expiry_s < est))
			est = se->expiry_s;
		if (differs)
			snprintf(sipnote, sizeof(sipnote), "; toward SIP's "
			    "udp/%u: unreplied %s, established %s",
			    se->port->port, ut_str(run, su, c, sizeof(c)),
			    ut_str(run, se, d, sizeof(d)));
	}
	json_object_set_new(ev, "differs_on_sip_port", json_boolean(differs));
	v = udptimeout_verdict(est, minimum, run->limit_s, &keep);
	if (v == VERDICT_FAIL)
		snprintf(remedy, sizeof(remedy), "Raise the firewall's UDP "
		    "timeout to at least %u s (Linux: sysctl "
		    "net.netfilter.nf_conntrack_udp_timeout_stream=%u and "
		    "nf_conntrack_udp_timeout=%u, or an nftables ct timeout "
		    "for the voice flows). Until then, set the NAT keepalive "
		    "(or re-register) interval of %s to %u s or less, so that "
		    "no binding sits idle for %d s.", minimum, minimum,
		    minimum, device, keep, est);
	else if (v == VERDICT_WARN)
		snprintf(remedy, sizeof(remedy), "Run again with "
		    "--udp-timeout-max %u or more to prove the minimum.",
		    minimum);
	rc = report_add(ctx->report, "udp-timeout", "UDP timeout", v, ev,
	    v != VERDICT_PASS ? remedy : NULL,
	    "idle UDP bindings toward udp/%u expire after %s (established) "
	    "and %s (unreplied)%s; at least %u s asked", u->port->port,
	    ut_str(run, e, a, sizeof(a)), ut_str(run, u, b, sizeof(b)),
	    sipnote, minimum);
	if (rc != NULL)
		rc->duration_s = wall;
}
