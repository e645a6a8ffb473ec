/* advice.c - the rules that turn findings of all families into remedies. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advice.h"
#include "alg_impact.h"
#include "net.h"
#include "profile.h"
#include "report_ev.h"

#define ADVICE_TEXT	2048

struct advice_rule {
	const char *prefix;		/* the ids it amends */
	int (*apply)(struct report *r, struct report_check *c);
};

static struct report_check *
advice_find(struct report *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->nchecks; i++)
		if (strcmp(r->checks[i].id, id) == 0)
			return &r->checks[i];
	return NULL;
}

/* Replaces *field with the formatted text; 0 or -ENOMEM. */
static int
advice_set(char **field, const char *fmt, ...)
{
	char buf[ADVICE_TEXT], *s;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if ((s = strdup(buf)) == NULL)
		return -ENOMEM;
	free(*field);
	*field = s;
	return 0;
}

/* Whether the report is one IPv6 run (advice_apply() is given one
 * family's report at a time). */
static int
advice_ipv6(const struct report *r)
{
	return r->af[REPORT_AF_IPV6].tested && !r->af[REPORT_AF_IPV4].tested;
}

/*
 * Whether nat.present found a NAT in this report's address family: 1, 0,
 * or -1 when it was not measured.  Over IPv6 a NAT is NAT66 or NPTv6,
 * which nat.present names in "nat6": without it there is none, measured
 * or not, so a remedy never speaks of forwarding where nothing translates.
 */
static int
advice_nat(struct report *r)
{
	struct report_check *nat = advice_find(r, "nat.present");

	if (advice_ipv6(r))
		return nat != NULL && ev_str(nat->evidence, "nat6") != NULL;
	return nat != NULL ? ev_bool(nat->evidence, "nat") : -1;
}

/* The devices a check's remedy speaks of: its evidence's "device". */
static const char *
advice_device(const struct report_check *c)
{
	const char *d = ev_str(c->evidence, "device");

	return d != NULL ? d : PROFILE_DEVICE_DEFAULT;
}

static int
advice_alg(struct report *r, struct report_check *c)
{
	const json_t *ev = c->evidence;
	struct report_check *layers = advice_find(r, "nat.layers");
	struct alg_impact im;
	char pub[64] = "", text[1536], *colon;
	long long nats = layers ? ev_int(layers->evidence, "count", -1) : -1;
	int outer = 0;

	if (c->verdict != VERDICT_FAIL)
		return 0;
	alg_impact_judge(ev, &im);
	if (r->public_udp != NULL) {
		snprintf(pub, sizeof(pub), "%s", r->public_udp);
		if ((colon = strrchr(pub, ':')) != NULL &&
		    strchr(pub, ':') == colon)
			*colon = '\0';
	}
	/* It rewrote to an address that is not our public one, and there
	 * is more than one NAT: the ALG sits on an outer NAT. */
	if (im.to[0] != '\0' && pub[0] != '\0' && strcmp(im.to, pub) != 0 &&
	    nats >= 2)
		outer = 1;
	if (json_object_set_new((json_t *)ev, "calls",
	    alg_impact_json(&im)) < 0 || advice_set(&c->summary, "%s; %s",
	    c->summary, alg_impact_text(&im, text, sizeof(text))) < 0)
		return -ENOMEM;
	if (outer)
		return advice_set(&c->remedy, "The SIP ALG sits on an outer NAT "
		    "(%lld NATs on the path, see nat.layers): it rewrote our "
		    "address to %s, the address of this network's router on "
		    "the outer side, not to our public %s. It cannot be switched "
		    "off from here: ask whoever runs that NAT (the provider of "
		    "the line, for a carrier NAT) to switch it off, or to give "
		    "a public address; meanwhile use SIP over TCP or TLS, or a "
		    "SIP port the ALG does not watch, where the check found one "
		    "unchanged.", nats, im.to, pub);
	return 0;
}

/* The lifetimes of a udp-timeout port entry: the shortest a fresh flow
 * gets (-1 unknown), and whether it outlived the measurement. */
static void
advice_port_life(const json_t *p, long long *fresh, int *outlived)
{
	long long u = ev_int(p, "unreplied_s", -1);
	long long e = ev_int(p, "established_s", -1);

	*outlived = u < 0 && e < 0;
	*fresh = u > 0 && (e <= 0 || u < e) ? u : e;
}

static int
advice_timeout(struct report *r, struct report_check *c)
{
	const json_t *ev = c->evidence, *ports = ev_arr(ev, "ports");
	const json_t *stun = json_array_get(ports, 0), *sip = json_array_get(ports, 1);
	long long minimum = ev_int(ev, "minimum_s", -1), fresh, sfresh = -1;
	struct report_check *alg = NULL, *in;
	char id[40], note[600] = "", inbound[600] = "";
	const char *dev = advice_device(c);
	int outlived, soutlived = 0, nat = advice_nat(r);
	unsigned long long keep;

	if (c->verdict != VERDICT_FAIL || stun == NULL)
		return 0;
	advice_port_life(stun, &fresh, &outlived);
	if (sip != NULL) {
		advice_port_life(sip, &sfresh, &soutlived);
		snprintf(id, sizeof(id), "sip-alg.udp.%lld",
		    ev_int(sip, "port", -1));
		alg = advice_find(r, id);
		/* The shortest lifetime a fresh flow gets, on any port. */
		if (sfresh > 0 && (fresh <= 0 || sfresh < fresh))
			fresh = sfresh;
	}
	if (fresh <= 0)
		return 0;
	keep = (unsigned long long)fresh * 4 / 5;
	if (keep == 0)
		keep = 1;
	if (sip != NULL && ev_bool(ev, "differs_on_sip_port") == 1) {
		if (alg != NULL && alg->verdict == VERDICT_FAIL &&
		    (soutlived || sfresh > ev_int(stun, "unreplied_s", -1)))
			snprintf(note, sizeof(note), " The router's SIP helper "
			    "keeps its own flows on udp/%lld alive longer (%s): "
			    "registrations and incoming calls over that port "
			    "survive the short timeout; what it puts at risk is "
			    "every other UDP flow, such as media and the STUN "
			    "port.", ev_int(sip, "port", -1), soutlived ?
			    "beyond the measurement" : "as measured");
		else
			snprintf(note, sizeof(note), " The lifetime depends on "
			    "the port (udp/%lld differs): a per-flow timeout "
			    "(an nftables 'ct timeout', a per-service setting) "
			    "decides it, so change that rule; the global UDP "
			    "timeout would not.", ev_int(sip, "port", -1));
	}
	in = advice_find(r, "reach.udp.in.1-65535");
	if (in == NULL || in->verdict != VERDICT_PASS)
		snprintf(inbound, sizeof(inbound), " Incoming calls reach %s "
		    "only through the bindings they keep open, so they are "
		    "missed whenever a binding has expired; %s the provider's "
		    "%sranges to %s makes them independent of the timeout%s.",
		    dev, nat == 0 ? "a firewall rule that lets in" :
		    "a forward of", advice_ipv6(r) ? "IPv6 " : "", dev,
		    nat == 0 ? " (there is no NAT on this path: nothing to "
		    "forward)" : "");
	return advice_set(&c->remedy, "Raise the firewall's UDP timeout to at "
	    "least %lld s, for fresh flows as well as established ones "
	    "(Linux: sysctl net.netfilter.nf_conntrack_udp_timeout=%lld and "
	    "nf_conntrack_udp_timeout_stream=%lld, or an nftables ct timeout "
	    "for the voice flows).%s Until then, a fresh flow's binding lives "
	    "only %lld s: a REGISTER and its 200 OK end within milliseconds, "
	    "so a Linux-style router never treats the flow as a stream, and "
	    "each refresh buys only that. Keep every binding busy, with a "
	    "packet every %llu s or less, through a NAT keepalive (RFC 5626: a CRLF ping over "
	    "TCP, or SIP OPTIONS or STUN Binding requests to the registrar's "
	    "port over UDP). Re-registering that often works only where the "
	    "registrar allows it: many impose a minimum expiry (kamailio's "
	    "default is 60 s), so a keepalive, a longer timeout or %s is "
	    "the dependable fix.%s", minimum, minimum, minimum, note, fresh,
	    keep, nat == 0 ? "an inbound firewall rule" : "a forward",
	    inbound);
}

/*
 * How the gateway's firewall opens pinholes on request, from nat.layers
 * over IPv6 ("UPnP IGDv2 (...) or PCP") into 'buf'; returns how many ways.
 */
static size_t
advice_pinholes(struct report *r, char *buf, size_t len)
{
	struct report_check *layers = advice_find(r, "nat.layers");
	const json_t *ways = layers ? ev_arr(layers->evidence,
	    "pinhole_control") : NULL;
	size_t i, n = ways ? json_array_size(ways) : 0, o = 0;

	buf[0] = '\0';
	for (i = 0; i < n && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i == 0 ? "" :
		    " or ", json_string_value(json_array_get(ways, i)) ?
		    json_string_value(json_array_get(ways, i)) : "");
	return n;
}

/*
 * Inbound traffic the profile asks for is blocked: how to let it in
 * follows from nat.present.  With a NAT, a port forward or 1:1 NAT to the
 * devices; without one (IPv6, a routed line), a firewall rule, and nothing
 * to forward, or the gateway's own pinholes where it opens them on request
 * (UPnP IGDv2, PCP: nat.layers); not measured, both, each with its condition.
 */
static int
advice_inbound(struct report *r, struct report_check *c)
{
	const char *open = ev_str(c->evidence, "open");
	const char *dev = advice_device(c);
	int nat = advice_nat(r);
	char ways[256];

	if (c->verdict != VERDICT_FAIL)
		return 0;
	if (nat == 1 && strncmp(c->id, "reach.udp.", 10) == 0 &&
	    (open == NULL || open[0] == '\0')) {
		if (advice_set(&c->summary, "%s: unsolicited inbound UDP is "
		    "blocked, as on any NAT without a forward", c->summary) < 0)
			return -ENOMEM;
		return advice_set(&c->remedy, "Calls still reach %s through "
		    "the bindings they keep open, so they depend on the UDP "
		    "timeout and on a keepalive (see udp-timeout). To make them "
		    "independent of both, forward the provider's ranges to %s "
		    "(a port forward or 1:1 NAT): pinhole config writes that "
		    "for your firewall.", dev, dev);
	}
	if (nat == 1)
		return advice_set(&c->remedy, "%s This network's router "
		    "translates addresses (see nat.present): a port forward or "
		    "1:1 NAT to %s lets it in; pinhole config writes it for "
		    "your firewall.", c->remedy ? c->remedy : "", dev);
	if (nat == 0 && advice_pinholes(r, ways, sizeof(ways)) > 0)
		return advice_set(&c->remedy, "%s There is no NAT on this path "
		    "(see nat.present): a firewall rule that accepts it is "
		    "enough, and there is nothing to forward. The gateway can "
		    "open pinholes for %s (see nat.layers): enable %s on %s, "
		    "or add a rule admitting the provider's IPv6 ranges.",
		    c->remedy ? c->remedy : "", dev, ways, dev);
	if (nat == 0 && advice_ipv6(r))
		return advice_set(&c->remedy, "%s There is no NAT on this path "
		    "over IPv6 (see nat.present): a firewall rule that accepts "
		    "it is enough, one that admits the provider's IPv6 ranges "
		    "to %s (pinhole config with the IPv6 prefix as --lan writes "
		    "it); there is nothing to forward.", c->remedy ?
		    c->remedy : "", dev);
	if (nat == 0)
		return advice_set(&c->remedy, "%s There is no NAT on this path "
		    "(see nat.present): a firewall rule that accepts it is "
		    "enough, and there is nothing to forward.",
		    c->remedy ? c->remedy : "");
	return advice_set(&c->remedy, "%s A firewall rule lets it in; where "
	    "the router translates addresses, a port forward or 1:1 NAT to "
	    "%s.", c->remedy ? c->remedy : "", dev);
}

static const struct advice_rule advice_rules[] = {
	{ "sip-alg.", advice_alg },
	{ "udp-timeout", advice_timeout },
	{ "reach.udp.in.", advice_inbound },
	{ "reach.tcp.in.", advice_inbound },
};

int
advice_apply(struct report *r)
{
	size_t i, k;
	int rc;

	for (k = 0; k < sizeof(advice_rules) / sizeof(advice_rules[0]); k++)
		for (i = 0; i < r->nchecks; i++)
			if (strncmp(r->checks[i].id, advice_rules[k].prefix,
			    strlen(advice_rules[k].prefix)) == 0 &&
			    (rc = advice_rules[k].apply(r, &r->checks[i])) < 0)
				return rc;
	return 0;
}
