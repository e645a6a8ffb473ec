/* fwgen.c - the plan that every firewall format writes, and what they share. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "config.h"
#include "fwgen.h"
#include "parse.h"
#include "report.h"
#include "report_ev.h"

const struct fwgen_ops *const fwgen_registry[] = {
	&fwgen_nftables_ops,
	&fwgen_iptables_ops,
	&fwgen_pf_ops,
	&fwgen_routeros_ops,
	&fwgen_vyos_ops,
	&fwgen_cisco_ops,
	&fwgen_junos_ops,
	&fwgen_fortios_ops,
	NULL,
};

/*
 * The platforms' own UDP timeouts, which an output never lowers: a
 * profile's minimum below them would shorten what the device already
 * keeps.  Seconds, per format and knob, with where the figure comes from.
 */
static const struct fwgen_default {
	const char *format, *knob;
	unsigned secs;
} fwgen_defaults[] = {
	/* Linux nf_conntrack_udp_timeout and _udp_timeout_stream */
	{ "nftables", "unreplied", 30 }, { "nftables", "replied", 120 },
	{ "iptables", "unreplied", 30 }, { "iptables", "replied", 120 },
	/* pf.conf(5): udp.first 60, udp.single 30, udp.multiple 60 */
	{ "pf", "first", 60 }, { "pf", "single", 30 }, { "pf", "multiple", 60 },
	/* RouterOS /ip firewall connection tracking: 10 s, 3 min */
	{ "routeros", "udp", 10 }, { "routeros", "stream", 180 },
	/* VyOS system conntrack timeout udp: other 30, stream 180 */
	{ "vyos", "other", 30 }, { "vyos", "stream", 180 },
	/* IOS ip nat translation udp-timeout 300; ASA timeout udp 0:02:00 */
	{ "cisco", "ios", 300 }, { "cisco", "asa", 120 },
	/* Junos SRX: predefined UDP applications time out after 60 s */
	{ "junos", "udp", 60 },
	/* FortiOS: UDP sessions idle out after 180 s (udp-idle-timer) */
	{ "fortios", "udp", 180 },
};

unsigned
fwgen_timeout(const struct fwgen_plan *plan, const struct fwgen_out *o,
    const char *knob)
{
	unsigned t = plan->udp_timeout;
	size_t i;

	for (i = 0; i < sizeof(fwgen_defaults) / sizeof(fwgen_defaults[0]); i++)
		if (strcmp(fwgen_defaults[i].format, o->format) == 0 &&
		    strcmp(fwgen_defaults[i].knob, knob) == 0 &&
		    fwgen_defaults[i].secs > t)
			t = fwgen_defaults[i].secs;
	return t;
}

const struct fwgen_ops *
fwgen_find(const char *name)
{
	const struct fwgen_ops *const *ops;

	for (ops = fwgen_registry; *ops != NULL; ops++)
		if (strcmp((*ops)->name, name) == 0)
			return *ops;
	return NULL;
}

static int
plan_add_rule(struct fwgen_plan *plan, const struct profile *p,
    const struct profile_endpoint *e, enum profile_dir dir)
{
	struct fwgen_rule *r, *nr;

	nr = realloc(plan->rules, (plan->nrules + 1) * sizeof(*nr));
	if (nr == NULL)
		return -ENOMEM;
	plan->rules = nr;
	r = &plan->rules[plan->nrules++];
	memset(r, 0, sizeof(*r));
	r->profile = p->name;
	r->endpoint = e->name;
	r->host = e->host;
	r->service = e->service;
	r->proto = e->proto;
	r->dir = dir;
	r->lo = e->port_lo;
	r->hi = e->port_hi;
	(void)profile_endpoint_id(p, e, dir, 0, r->id, sizeof(r->id));
	if (dir == PROFILE_IN && plan->site.restrict_sources &&
	    p->nsources > 0) {
		r->sources = p->sources;
		r->nsources = p->nsources;
	}
	return 0;
}

static int
plan_add_source(struct fwgen_plan *plan, const struct net_cidr *c)
{
	const struct net_cidr **ns;

	ns = realloc(plan->sources, (plan->nsources + 1) * sizeof(*ns));
	if (ns == NULL)
		return -ENOMEM;
	plan->sources = ns;
	plan->sources[plan->nsources++] = c;
	return 0;
}

static void
plan_add_sip_port(struct fwgen_plan *plan, uint16_t port)
{
	size_t i;

	for (i = 0; i < plan->nsip_ports; i++)
		if (plan->sip_ports[i] == port)
			return;
	if (plan->nsip_ports < sizeof(plan->sip_ports) /
	    sizeof(plan->sip_ports[0]))
		plan->sip_ports[plan->nsip_ports++] = port;
}

int
fwgen_plan_build(struct fwgen_plan *plan, struct profile *const *profiles,
    size_t nprofiles, const struct fwgen_site *site,
    const struct fwgen_measured *measured)
{
	const struct profile *p;
	size_t i, k;
	int r;

	memset(plan, 0, sizeof(*plan));
	plan->profiles = profiles;
	plan->nprofiles = nprofiles;
	plan->site = *site;
	plan->site.nhosts = 0;
	for (i = 0; i < site->nhosts; i++) {
		if (site->hosts[i].family == AF_INET)
			plan->site.hosts[plan->site.nhosts++] = site->hosts[i];
		else
			plan->hosts6[plan->nhosts6++] = site->hosts[i];
	}
	plan->measured = *measured;
	plan->dscp = -1;
	for (i = 0; i < nprofiles; i++) {
		p = profiles[i];
		if (p->sip_alg_off > 0) {
			plan->sip_alg_off = 1;
			plan_add_sip_port(plan, 5060);	/* where ALGs listen */
			for (k = 0; k < p->nsip_ports; k++)
				plan_add_sip_port(plan, p->sip_ports[k]);
		}
		if (p->udp_timeout_min > plan->udp_timeout)
			plan->udp_timeout = p->udp_timeout_min;
		if (p->dscp >= 0 && plan->dscp < 0) {
			plan->dscp = p->dscp;
			plan->dscp_name = p->dscp_name;
		}
		if (site->restrict_sources)
			for (k = 0; k < p->nsources; k++)
				if ((r = plan_add_source(plan,
				    &p->sources[k])) < 0)
					return r;
		for (k = 0; k < p->nendpoints; k++) {
			const struct profile_endpoint *e = &p->endpoints[k];

			if ((e->dir & PROFILE_OUT) &&
			    (r = plan_add_rule(plan, p, e, PROFILE_OUT)) < 0)
				return r;
			if ((e->dir & PROFILE_IN) &&
			    (r = plan_add_rule(plan, p, e, PROFILE_IN)) < 0)
				return r;
		}
	}
	return 0;
}

void
fwgen_plan_free(struct fwgen_plan *plan)
{
	free(plan->rules);
	plan->rules = NULL;
	plan->nrules = 0;
	free(plan->sources);
	plan->sources = NULL;
	plan->nsources = 0;
}

/*
 * Whether 'id' is a SIP ALG check id as pinhole check writes it:
 * "sip-alg.udp.PORT" or "sip-alg.tcp.PORT" with PORT 1-65535.  Nothing
 * else from a report is ever copied into an output.
 */
static int
fwgen_alg_id_valid(const char *id)
{
	uint64_t port;

	if (strncmp(id, "sip-alg.udp.", 12) != 0 &&
	    strncmp(id, "sip-alg.tcp.", 12) != 0)
		return 0;
	/* 1 to 5 digits, no leading zero. */
	return strlen(id + 12) <= 5 && id[12] != '0' &&
	    parse_digits((const uint8_t *)id + 12, strlen(id + 12), 65535,
	    &port) == 0 && port >= 1;
}

/* The shortest established lifetime over the ports of udp-timeout. */
static void
report_udp(const json_t *ev, struct fwgen_measured *m)
{
	const json_t *ports = ev_arr(ev, "ports"), *p;
	long long v;
	size_t i;

	json_array_foreach(ports, i, p) {
		v = ev_int(p, "established_s", 0);
		if (v > 0 && (m->udp_established_s == 0 ||
		    v < m->udp_established_s))
			m->udp_established_s = v;
	}
}

int
fwgen_read_report(const char *path, struct fwgen_measured *m, char *err,
    size_t errlen)
{
	const struct report_check *c;
	struct report rep;
	struct report_check copy;
	char base[256];
	enum report_af_id af = REPORT_AF_IPV4, caf;
	size_t i, n;
	int r;

	memset(m, 0, sizeof(*m));
	m->nat_count = -1;
	if ((r = report_load_file(path, REPORT_LOAD_PARTIAL, &rep, err,
	    errlen)) < 0)
		return r;
	m->have = 1;
	/*
	 * One configuration serves both families: the shortest UDP lifetime
	 * and every SIP ALG of the families tested.  The NATs are counted in
	 * IPv4's (a report of IPv6 alone, -6: IPv6's), as the comment on
	 * them speaks of a public IPv4 address.
	 */
	if (rep.af[REPORT_AF_IPV4].known && !rep.af[REPORT_AF_IPV4].tested)
		af = REPORT_AF_IPV6;
	for (i = 0; i < rep.nchecks; i++) {
		caf = report_id_af(rep.checks[i].id);
		if (rep.af[caf].known && !rep.af[caf].tested)
			continue;
		c = report_check_base(&rep.checks[i], &copy, base,
		    sizeof(base));
		if (strcmp(c->id, "udp-timeout") == 0)
			report_udp(c->evidence, m);
		else if (strcmp(c->id, "nat.layers") == 0 && caf == af &&
		    ev_int(c->evidence, "count", -1) >= 0) {
			m->nat_count = ev_int(c->evidence, "count", -1);
			m->cgnat = ev_bool(c->evidence, "cgnat") == 1;
		} else if (fwgen_alg_id_valid(c->id) &&
		    c->verdict == VERDICT_FAIL) {
			/* The id as we write it, never the report's bytes. */
			n = strlen(m->alg_ids);
			snprintf(m->alg_ids + n, sizeof(m->alg_ids) - n, "%s%s%s",
			    n ? " " : "", c->id, caf == REPORT_AF_IPV6 ?
			    "@ipv6" : "");
		}
	}
	report_free(&rep);
	return 0;
}

void
fwgen_printf(struct fwgen_out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(o->f, fmt, ap);
	va_end(ap);
}

static void
comment_wrap(struct fwgen_out *o, const char *indent, const char *raw)
{
	char text[1024];
	const char *p = text, *brk;
	size_t i;

	/* A comment stays a comment: no byte of it may end the line. */
	for (i = 0; raw[i] != '\0' && i + 1 < sizeof(text); i++)
		text[i] = (unsigned char)raw[i] < 0x20 || raw[i] == 0x7f ? ' ' :
		    raw[i];
	while (i > 0 && text[i - 1] == ' ')
		i--;
	text[i] = '\0';
	size_t width = 76 - strlen(indent) - strlen(o->comment) - 1, n;

	while (*p != '\0') {
		n = strlen(p);
		if (n > width) {
			for (brk = p + width; brk > p && *brk != ' '; brk--)
				;
			n = brk > p ? (size_t)(brk - p) : width;
		}
		fprintf(o->f, "%s%s %.*s\n", indent, o->comment, (int)n, p);
		p += n;
		while (*p == ' ')
			p++;
	}
}

void
fwgen_comment(struct fwgen_out *o, const char *indent, const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	comment_wrap(o, indent, text);
}

void
fwgen_cannot(struct fwgen_out *o, const char *indent, const char *id,
    const char *fmt, ...)
{
	char text[768], line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	snprintf(line, sizeof(line), "NOT EXPRESSED (%s): %s", id, text);
	comment_wrap(o, indent, line);
	fprintf(stderr, "pinhole: %s: %s: not expressed: %s\n", o->format, id,
	    text);
	o->cannot++;
}

int
fwgen_no_forward(const struct fwgen_plan *plan, struct fwgen_out *o,
    const char *indent, const struct fwgen_rule *r)
{
	char ports[16];

	if (plan->site.nhosts == 1)
		return 0;
	fwgen_cannot(o, indent, r->id, "inbound %s %s reaches a host behind "
	    "this NAT only when one host is named with --forward (%zu given); "
	    "phones then depend on their own outbound bindings",
	    profile_proto_name(r->proto), fwgen_ports(r, "-", ports,
	    sizeof(ports)), plan->site.nhosts);
	return 1;
}

void
fwgen_header(const struct fwgen_plan *plan, struct fwgen_out *o)
{
	char names[256] = "", c[64];
	size_t i, n;

	for (i = 0; i < plan->nprofiles; i++) {
		n = strlen(names);
		snprintf(names + n, sizeof(names) - n, "%s%s", i ? ", " : "",
		    plan->profiles[i]->name);
	}
	fwgen_comment(o, "", "Generated by pinhole %s (pinhole config "
	    "--format %s) for the profiles: %s.", PINHOLE_VERSION, o->format,
	    names);
	fwgen_comment(o, "", "Each rule names the requirement it serves "
	    "(the ids of pinhole check). Review before applying.");
	if (plan->site.nlans > 0) {
		names[0] = '\0';
		for (i = 0; i < plan->site.nlans; i++) {
			n = strlen(names);
			snprintf(names + n, sizeof(names) - n, "%s%s",
			    i ? ", " : "", fwgen_cidr(&plan->site.lans[i], c,
			    sizeof(c)));
		}
		fwgen_comment(o, "", "LAN: %s; WAN interface: %s.", names,
		    plan->site.wan);
	}
	if (!plan->measured.have)
		return;
	if (plan->measured.udp_established_s > 0)
		fwgen_comment(o, "", "Measured: idle UDP bindings lived %lld s; "
		    "the timeout below is %u s.",
		    plan->measured.udp_established_s, plan->udp_timeout);
	if (plan->measured.alg_ids[0] != '\0')
		fwgen_comment(o, "", "Measured: a SIP ALG rewrote or dropped "
		    "SIP (%s); it is switched off below.",
		    plan->measured.alg_ids);
	if (plan->measured.nat_count > 1)
		fwgen_cannot(o, "", "nat.layers", "%lld NATs were measured on "
		    "the path%s. This configuration fixes one device; %s",
		    plan->measured.nat_count, plan->measured.cgnat ?
		    ", one of them the provider's carrier-grade NAT" : "",
		    plan->measured.cgnat ? "ask the provider for a public "
		    "IPv4 address." : "put the other router (often the "
		    "provider's modem) in bridge mode, or make this one its "
		    "exposed host (DMZ).");
}

const char *
fwgen_ports(const struct fwgen_rule *r, const char *sep, char *buf,
    size_t len)
{
	if (r->lo == r->hi)
		snprintf(buf, len, "%u", r->lo);
	else
		snprintf(buf, len, "%u%s%u", r->lo, sep, r->hi);
	return buf;
}

const char *
fwgen_cidr(const struct net_cidr *c, char *buf, size_t len)
{
	return net_cidr_str(c, buf, len);
}

const char *
fwgen_addr_mask(const struct net_cidr *c, int wildcard, char *buf, size_t len)
{
	uint32_t m = c->prefix == 0 ? 0 : 0xffffffffu << (32 - c->prefix);
	char a[NET_ADDRSTRLEN];

	if (wildcard)
		m = ~m;
	snprintf(buf, len, "%s %u.%u.%u.%u", net_ip_str(&c->ip, a, sizeof(a)),
	    m >> 24, (m >> 16) & 255, (m >> 8) & 255, m & 255);
	return buf;
}

int
fwgen_rule_is_voice(const struct fwgen_rule *r)
{
	return r->service != NULL && (strcmp(r->service, "sip") == 0 ||
	    strcmp(r->service, "rtp") == 0);
}

int
fwgen_dual(const struct fwgen_plan *plan)
{
	const struct net_cidr *lans[FWGEN_MAX_LANS];

	return fwgen_lans(plan, AF_INET6, lans) > 0;
}

size_t
fwgen_lans(const struct fwgen_plan *plan, int family,
    const struct net_cidr **out)
{
	size_t i, n = 0;

	for (i = 0; i < plan->site.nlans; i++)
		if (plan->site.lans[i].ip.family == family)
			out[n++] = &plan->site.lans[i];
	return n;
}

size_t
fwgen_hosts(const struct fwgen_plan *plan, int family, struct net_cidr *out)
{
	const struct net_ip *h = family == AF_INET ? plan->site.hosts :
	    plan->hosts6;
	size_t i, n = family == AF_INET ? plan->site.nhosts : plan->nhosts6;

	for (i = 0; i < n; i++) {
		out[i].ip = h[i];
		out[i].prefix = family == AF_INET ? 32 : 128;
	}
	return n;
}

size_t
fwgen_dst6(const struct fwgen_plan *plan, struct net_cidr *out)
{
	const struct net_cidr *lans[FWGEN_MAX_LANS];
	size_t i, n = fwgen_hosts(plan, AF_INET6, out);

	if (n > 0)
		return n;
	n = fwgen_lans(plan, AF_INET6, lans);
	for (i = 0; i < n; i++)
		out[i] = *lans[i];
	return n;
}

size_t
fwgen_nsources(const struct fwgen_plan *plan, const struct fwgen_rule *r,
    int family)
{
	size_t i, n = 0;

	if (r != NULL) {
		for (i = 0; i < r->nsources; i++)
			n += r->sources[i].ip.family == family;
		return n;
	}
	for (i = 0; i < plan->nsources; i++)
		n += plan->sources[i]->ip.family == family;
	return n;
}

int
fwgen_no_in6(const struct fwgen_plan *plan, struct fwgen_out *o,
    const char *indent, const struct fwgen_rule *r)
{
	char ports[16];

	if (r->nsources == 0 || fwgen_nsources(plan, r, AF_INET6) > 0)
		return 0;
	fwgen_cannot(o, indent, r->id, "inbound %s %s over IPv6: the "
	    "profile's [sources] name no IPv6 range of the provider, so IPv6 "
	    "inbound stays closed; add them to [sources]",
	    profile_proto_name(r->proto), fwgen_ports(r, "-", ports,
	    sizeof(ports)));
	return 1;
}

void
fwgen_v6_unused(const struct fwgen_plan *plan, struct fwgen_out *o)
{
	if (!fwgen_dual(plan) && fwgen_nsources(plan, NULL, AF_INET6) > 0)
		fwgen_cannot(o, "", "reach", "the profiles' IPv6 source ranges "
		    "are used only for a site with an IPv6 --lan");
}

int
fwgen_emit(const struct fwgen_ops *ops, const struct fwgen_plan *plan,
    FILE *f, unsigned *cannot)
{
	struct fwgen_out o = { f, ops->comment, ops->name, 0 };
	struct fwgen_plan v4;
	size_t i, n6 = 0;
	int r;

	if (ops->ipv6 || !fwgen_dual(plan)) {
		r = ops->emit(plan, &o);
	} else {
		/* The IPv4 side as for an IPv4 site, then what is missing. */
		v4 = *plan;
		v4.site.nlans = 0;
		for (i = 0; i < plan->site.nlans; i++)
			if (plan->site.lans[i].ip.family == AF_INET)
				v4.site.lans[v4.site.nlans++] = plan->site.lans[i];
			else
				n6++;
		v4.nhosts6 = 0;
		r = ops->emit(&v4, &o);
		fwgen_cannot(&o, "", "reach", "the IPv6 side (%zu IPv6 --lan) "
		    "is not written by this version for %s: IPv6 is left as "
		    "the device has it", n6, ops->title);
	}
	*cannot = o.cannot;
	if (r == 0 && ferror(f))
		r = -EIO;
	return r;
}
