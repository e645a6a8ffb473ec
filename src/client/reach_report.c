/*
 * reach_report.c - the report entry of one outbound endpoint: its open
 * and blocked ports, what answered otherwise or was intercepted, what
 * the proxy carries, and how much of a sampled range was covered.
 */
#include <stdio.h>

#include "portset.h"
#include "reach.h"

static const char *
rp_outcome_name(enum rp_outcome o)
{
	switch (o) {
	case RO_OPEN: return "open";
	case RO_ODD: return "answered-otherwise";
	case RO_INTERCEPTED: return "intercepted";
	case RO_REFUSED: return "refused";
	case RO_TIMEOUT: return "dropped";
	default: return "pending";
	}
}

void
reach_report_ep(struct rp_run *run, const struct rp_ep *ep)
{
	struct portset open, blocked;
	char ol[512], bl[512], a[NET_ADDRSTRLEN], cover[80] = "";
	json_t *ev, *ports;
	enum verdict v;
	struct report_check *c;
	const char *remedy = NULL;
	size_t i;
	unsigned odd = 0, icpt = 0, proxied = 0, pending = 0, total, tested;
	long long t_max = 0;

	portset_clear(&open);
	portset_clear(&blocked);
	ports = json_array();
	for (i = ep->first; i < ep->first + ep->n; i++) {
		const struct rp_probe *p = &run->pr[i];

		if (p->out == RO_OPEN)
			portset_add(&open, p->port);
		else if (p->out == RO_REFUSED || p->out == RO_TIMEOUT)
			portset_add(&blocked, p->port);
		odd += p->out == RO_ODD;
		icpt += p->out == RO_INTERCEPTED;
		pending += p->out == RO_PENDING;
		if (p->t1 - p->t0 > t_max)
			t_max = p->t1 - p->t0;
		json_array_append_new(ports, json_pack("{s:s, s:i, s:s, s:s, "
		    "s:I}", "address", net_sa_str((struct sockaddr *)&p->to, a,
		    sizeof(a)), "port", p->port, "outcome",
		    rp_outcome_name(p->out), "detail", p->detail,
		    "ms", (json_int_t)(p->t1 - p->t0)));
		if (p->via_proxy >= 0) {
			json_object_set_new(json_array_get(ports,
			    json_array_size(ports) - 1), "proxy",
			    json_string(p->proxy_detail));
			proxied += p->via_proxy == 1;
		}
	}
	portset_format(&open, ol, sizeof(ol));
	portset_format(&blocked, bl, sizeof(bl));
	ev = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "profile",
	    ep->p->name, "endpoint", ep->e->name, "spoken", ep->spoken,
	    "open", ol, "blocked", bl, "ports", ports);
	if (ep->e->host != NULL)
		json_object_set_new(ev, "host", json_string(ep->e->host));
	if (ep->untestable[0] != '\0')
		json_object_set_new(ev, "untestable",
		    json_string(ep->untestable));
	if (ep->resolve_error[0] != '\0') {
		json_object_set_new(ev, "dns_error",
		    json_string(ep->resolve_error));
		c = report_add(run->ctx->report, ep->id, "Reachability",
		    VERDICT_FAIL, ev, "Check the network's DNS resolver: the "
		    "service cannot be found.", "%s", ep->resolve_error);
		if (c != NULL)
			c->standalone = ep->e->host != NULL;
		return;
	}
	if (ep->other_family) {
		report_add(run->ctx->report, ep->id, "Reachability",
		    VERDICT_SKIP, ev, NULL, "not tested over %s: %s has no %s "
		    "address", run->ctx->server_ip.family == AF_INET6 ? "IPv6" :
		    "IPv4", ep->e->host, run->ctx->server_ip.family == AF_INET6 ?
		    "IPv6" : "IPv4");
		return;
	}
	if (ep->n == 0) {
		report_add(run->ctx->report, ep->id, "Reachability",
		    VERDICT_SKIP, ev, NULL, "not testable against this "
		    "server: it has no %s responder on %s", ep->spoken,
		    ep->untestable);
		return;
	}
	if (blocked.count > 0 && proxied == blocked.count && icpt == 0) {
		v = VERDICT_WARN;
		remedy = "Direct connections are blocked but the proxy carries "
		    "them: the application must be set to use it, or the "
		    "firewall must allow this traffic out directly.";
	} else if (blocked.count > 0 || icpt > 0) {
		v = VERDICT_FAIL;
		remedy = icpt > 0 ? "Exempt the provider's addresses from TLS "
		    "inspection: signalling and WebRTC break when the "
		    "certificate is replaced." : "Allow this traffic out "
		    "through the firewall, to the provider's addresses.";
	} else if (odd > 0) {
		v = VERDICT_WARN;
		remedy = "Something between us and the server answers or "
		    "rewrites this traffic (a proxy or application gateway); "
		    "exempt the provider's addresses from it.";
	} else {
		v = VERDICT_PASS;
	}
	/* A range probed on samples: a pass says how much it covered, and
	 * needs the range's edges and enough ports spread over it. */
	total = (unsigned)ep->e->port_hi - ep->e->port_lo + 1;
	tested = open.count + blocked.count;
	if (ep->untestable[0] != '\0' && tested > 0) {
		json_object_set_new(ev, "coverage", json_pack("{s:I, s:I}",
		    "tested", (json_int_t)tested, "of", (json_int_t)total));
		snprintf(cover, sizeof(cover), " (%u of %u ports, sampled "
		    "across the range)", tested, total);
		/* A range too large to probe port by port is judged on its
		 * samples; a small one keeps what its testable ports say. */
		if (v == VERDICT_PASS && total > 64 && (tested < 8 ||
		    !portset_has(&open, ep->e->port_lo) ||
		    !portset_has(&open, ep->e->port_hi))) {
			v = VERDICT_WARN;
			remedy = "Only a few ports of this range could be tested "
			    "against this server (it listens on a sample): the "
			    "rest may still be closed. Test against a server "
			    "whose media-udp-ports cover the range.";
		}
	}
	c = report_add(run->ctx->report, ep->id, "Reachability", v, ev, remedy,
	    "%s %s out%s%s: %s%s%s%s%s%s%s", ep->spoken,
	    profile_proto_name(ep->e->proto), ep->e->host ? " to " : "",
	    ep->e->host ? ep->e->host : "", open.count ? "open " : "",
	    ol, blocked.count ? (open.count ? "; blocked " : "blocked ") : "",
	    bl, icpt ? "; TLS intercepted" : odd ? "; answered otherwise" : "",
	    proxied ? " (but it works through the proxy)" : "", cover);
	if (c != NULL) {
		c->duration_s = (double)t_max / 1000.0;
		/* A named host is probed without the server. */
		c->standalone = ep->e->host != NULL && pending == 0;
	}
}
