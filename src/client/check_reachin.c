/*
 * check_reachin.c - reach.<proto>.in.<ports>: traffic that the internet
 * starts, sent by the server to our public address.
 *
 * UDP: the server sweeps the whole range (CTL_SWEEP: one datagram per
 * port, paced, batched); a raw socket sees every datagram that arrives,
 * whatever the port, so no port needs a socket of its own.  The ports that
 * did not arrive are swept once more, so that a lost datagram is not a
 * closed port.  Where the profile restricts inbound traffic to source
 * ranges and the server has an address outside them, a sample of ports is
 * swept from that address too: the firewall should keep it out.
 *
 * TCP: we listen on each port and the server connects (CTL_CONNECT);
 * the server says whether the connection was refused or timed out.
 *
 * The sweep is reachin_sweep.c, the TCP connect-back reachin_tcp.c.
 */
#include <stdio.h>
#include <string.h>

#include "reachin.h"
#include "report_ev.h"

#define RI_RETRY_MAX	8192	/* ports retried in the second pass */
#define RI_SAMPLE	32	/* ports swept from outside the sources */
#define RI_PASSES	5	/* sweeps of the missing ports, in all */
#define RI_SAMPLE_FROM	1024	/* larger ranges are sampled first */
#define RI_PROBE	128	/* ports of that sample */

/* 'n' ports spread evenly over lo-hi, both edges included. */
static void
ri_spread(struct portset *s, unsigned lo, unsigned hi, unsigned n)
{
	unsigned i;

	portset_clear(s);
	for (i = 0; i < n; i++)
		portset_add(s, (uint16_t)(lo + (unsigned long)(hi - lo) * i /
		    (n - 1)));
}

static int
ri_inside(const struct profile *p, const struct net_ip *ip)
{
	size_t k;

	for (k = 0; k < p->nsources; k++)
		if (net_cidr_contains(&p->sources[k], ip))
			return 1;
	return 0;
}

/* A server address outside every source range of the profile, if any. */
static int
ri_outside(const struct check_ctx *ctx, const struct profile *p,
    struct net_ip *out)
{
	size_t i;

	for (i = 0; i < ctlcli_welcome(ctx->ctl)->nserver_addrs; i++) {
		if (!ri_inside(p, &ctlcli_welcome(ctx->ctl)->server_addrs[i]) &&
		    ctlcli_welcome(ctx->ctl)->server_addrs[i].family == AF_INET) {
			*out = ctlcli_welcome(ctx->ctl)->server_addrs[i];
			return 1;
		}
	}
	return 0;
}

static void
ri_udp(struct check_ctx *ctx, const struct profile *p,
    const struct profile_endpoint *e, const char *id)
{
	struct ri_sweep w, o;
	struct portset want, blocked, sample, tried, untried;
	char ol[2048], bl[2048], ul[2048], a[NET_ADDRSTRLEN], remedy[256];
	const struct ctl_answer *fail = NULL;
	unsigned port, passes = 1, n, sampled = 0;
	long long t0 = loop_now_ms(ctx->loop);
	int r, timeout_ms;
	struct report_check *c;
	struct net_ip out;
	json_t *ev;

	portset_clear(&want);
	for (port = e->port_lo; port <= e->port_hi; port++)
		portset_add(&want, (uint16_t)port);
	if ((r = reachin_sweep_open(ctx, &w, &ctx->server_ip, e->port_lo,
	    e->port_hi)) < 0) {
		report_add(ctx->report, id, "Reachability", VERDICT_SKIP,
		    json_pack("{s:s, s:s}", "profile", p->name, "endpoint",
		    e->name), NULL, "not measured: %s (a sweep of more than "
		    "%d ports is received with a raw socket, so as root or "
		    "with CAP_NET_RAW)", strerror(-r), RI_BIND_MAX);
		reachin_sweep_close(&w);
		return;
	}
	/* 65535 ports at the default 50000/s take about 1.3 s. */
	timeout_ms = (int)(want.count / 20) + 3000;
	/*
	 * A large range is sampled first: RI_PROBE ports spread over it, its
	 * edges included, twice.  When none of them arrives, the requirement
	 * (every port open) is refuted, and the rest is left untried: a NAT
	 * without a forward, the common case, learns nothing more from 65535
	 * datagrams, each of which leaves an entry in its connection table.
	 * When some arrive, the whole range is swept: to prove it open, or
	 * to name what is open for the remedy.
	 */
	portset_clear(&tried);
	if (want.count > RI_SAMPLE_FROM) {
		ri_spread(&tried, e->port_lo, e->port_hi, RI_PROBE);
		if ((r = reachin_sweep_pass(&w, &tried, e->port_lo, e->port_hi,
		    3000)) < 0 || (fail = reachin_sweep_failed(&w)) != NULL)
			goto refused;
		if (w.got.count == 0) {
			passes++;
			if ((r = reachin_sweep_pass(&w, &tried, e->port_lo,
			    e->port_hi, 3000)) < 0 ||
			    (fail = reachin_sweep_failed(&w)) != NULL)
				goto refused;
		}
		sampled = tried.count;
	}
	if (sampled == 0 || w.got.count > 0) {
		if (sampled != 0)
			passes++;
		tried = want;
		if ((r = reachin_sweep_pass(&w, &want, e->port_lo, e->port_hi,
		    timeout_ms)) < 0 || (fail = reachin_sweep_failed(&w)) != NULL)
			goto refused;
		sampled = 0;
	}
	/*
	 * Lost or closed: ask again for exactly those, while asking again
	 * still brings ports in (at most RI_PASSES in all).  When nothing at
	 * all arrived, a sample is enough to confirm it.
	 */
	while (sampled == 0 && (n = want.count - w.got.count) > 0 &&
	    passes < RI_PASSES) {
		unsigned before = w.got.count;

		if (w.got.count == 0) {
			portset_clear(&sample);
			for (port = e->port_lo; port <= e->port_hi &&
			    sample.count < RI_SAMPLE; port++)
				portset_add(&sample, (uint16_t)port);
			r = reachin_sweep_pass(&w, &sample, e->port_lo, e->port_hi,
			    3000);
		} else if (n <= RI_RETRY_MAX) {
			r = reachin_sweep_pass(&w, &want, e->port_lo, e->port_hi,
			    timeout_ms);
		} else {
			break;
		}
		passes++;
		if (r < 0 || w.got.count == before)
			break;
	}
	portset_clear(&blocked);
	portset_clear(&untried);
	for (port = e->port_lo; port <= e->port_hi; port++) {
		if (!portset_has(&tried, (uint16_t)port))
			portset_add(&untried, (uint16_t)port);
		else if (!portset_has(&w.got, (uint16_t)port) &&
		    !portset_has(&w.unbound, (uint16_t)port))
			portset_add(&blocked, (uint16_t)port);
	}
	portset_format(&w.got, ol, sizeof(ol));
	portset_format(&blocked, bl, sizeof(bl));
	ev = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:I, s:I}",
	    "profile", p->name, "endpoint", e->name,
	    "spoken", sampled > 0 ? "UDP datagrams sent by the server to a "
	    "sample of the ports" : "UDP datagrams sent by the server to "
	    "every port",
	    "open", ol, "blocked", bl, "sent_from_port", w.lport != 0 ?
	    (int)w.lport : (int)ctlcli_welcome(ctx->ctl)->stun_port,
	    "arrived", (json_int_t)w.got.count, "passes", (json_int_t)passes);
	json_object_set_new(ev, "source", json_string(net_ip_str(&w.from, a,
	    sizeof(a))));
	json_object_set_new(ev, "device", json_string(profile_device(p, e)));
	json_object_set_new(ev, "receiver", json_string(w.raw >= 0 ?
	    "raw socket" : "a socket per port"));
	if (w.unbound.count > 0) {
		portset_format(&w.unbound, bl, sizeof(bl));
		json_object_set_new(ev, "untestable", json_string(bl));
		portset_format(&blocked, bl, sizeof(bl));
	}
	if (sampled > 0) {
		portset_format(&untried, ul, sizeof(ul));
		json_object_set_new(ev, "sampled", json_integer(sampled));
		json_object_set_new(ev, "untried", json_string(ul));
	}
	reachin_sweep_close(&w);

	/*
	 * Traffic from outside the provider's ranges should stay out: worth
	 * testing when the server itself is inside them and has another
	 * address that is not.
	 */
	json_object_set_new(ev, "source_in_ranges", p->nsources == 0 ?
	    json_null() : json_boolean(ri_inside(p, &ctx->server_ip)));
	if (p->nsources > 0 && ri_inside(p, &ctx->server_ip) &&
	    ri_outside(ctx, p, &out) &&
	    reachin_sweep_open(ctx, &o, &out, e->port_lo, e->port_hi) == 0) {
		portset_clear(&sample);
		for (port = e->port_lo; port <= e->port_hi &&
		    sample.count < RI_SAMPLE; port++)
			portset_add(&sample, (uint16_t)port);
		if (reachin_sweep_pass(&o, &sample, e->port_lo, e->port_hi,
		    3000) == 0)
			json_object_set_new(ev, "outside_source", json_pack(
			    "{s:s, s:I, s:I}", "address", net_ip_str(&out, a,
			    sizeof(a)), "sent", (json_int_t)sample.count,
			    "arrived", (json_int_t)o.got.count));
		reachin_sweep_close(&o);
	}
	/* How (a forward, or a firewall rule) follows from nat.present:
	 * lib/advice.c says it. */
	snprintf(remedy, sizeof(remedy), "Let inbound UDP from the provider's "
	    "source ranges through to %s, as the profile asks.",
	    profile_device(p, e));
	if (sampled > 0)
		c = report_add(ctx->report, id, "Reachability", VERDICT_FAIL, ev,
		    remedy, "inbound UDP from %s: none of %u ports sampled "
		    "across %u-%u (its edges included) arrived, twice; the "
		    "other %u were not tried", net_ip_str(&ctx->server_ip, a,
		    sizeof(a)), sampled, e->port_lo, e->port_hi,
		    untried.count);
	else if (blocked.count > 0)
		c = report_add(ctx->report, id, "Reachability", VERDICT_FAIL, ev,
		    remedy, "inbound UDP from %s: open %s; blocked %s",
		    net_ip_str(&ctx->server_ip, a, sizeof(a)),
		    ol[0] ? ol : "none", bl);
	else if (ev_int(ev_obj(ev, "outside_source"), "arrived", 0) > 0)
		c = report_add(ctx->report, id, "Reachability", VERDICT_WARN,
		    ev, "Restrict this inbound traffic to the provider's source "
		    "ranges.", "inbound UDP open on every port, also from %s, "
		    "outside the profile's source ranges", ev_str(ev_obj(ev,
		    "outside_source"), "address"));
	else
		c = report_add(ctx->report, id, "Reachability", VERDICT_PASS, ev,
		    NULL, "inbound UDP open on every port (%s)", ol);
	if (c != NULL)
		c->duration_s = loop_since_s(ctx->loop, t0);
	return;
refused:
	report_add(ctx->report, id, "Reachability", VERDICT_ERROR, NULL, NULL,
	    "the server would not sweep: %s", r < 0 ? strerror(-r) :
	    fail->reason);
	reachin_sweep_close(&w);
}

static int
ri_run(struct check_ctx *ctx)
{
	char id[PROFILE_ID_LEN];
	size_t i, k;

	for (i = 0; i < ctx->opt->nprofiles; i++) {
		const struct profile *p = ctx->opt->profiles[i];

		for (k = 0; k < p->nendpoints; k++) {
			const struct profile_endpoint *e = &p->endpoints[k];

			if (!(e->dir & PROFILE_IN) || e->host != NULL)
				continue;
			(void)profile_endpoint_id(p, e, PROFILE_IN, 0, id,
			    sizeof(id));
			if (check_has_id(ctx, id))
				continue;
			check_progress(ctx, id);
			if (e->proto == PROFILE_UDP)
				ri_udp(ctx, p, e, id);
			else
				reachin_tcp(ctx, p, e, id);
		}
	}
	return 0;
}

const struct check_ops check_reachin_ops = {
	.family = "reach-in",
	.bursty = 1,
	.run = ri_run,
};
