/*
 * junos.c - Juniper Junos (SRX) set commands: the SIP ALG off, one
 * application per requirement with its inactivity timeout (the per-flow
 * UDP timeout), an address book of the provider, source NAT for the LAN,
 * security policies between the zones 'trust' and 'untrust', DSCP in a
 * firewall filter.  For a dual-stack site, IPv6 flow mode and a policy
 * per inbound requirement to the IPv6 LAN (no NAT).
 */
#include <string.h>

#include "fwgen.h"

static const char *
jn_proto(enum profile_proto p)
{
	return p == PROFILE_UDP ? "udp" : "tcp";
}

/* Application names may not contain dots: reach-udp-in-1-65535. */
static const char *
jn_name(const struct fwgen_rule *r, char *buf, size_t len)
{
	char *p;

	snprintf(buf, len, "%s", r->id);
	for (p = buf; *p != '\0'; p++)
		if (*p == '.')
			*p = '-';
	return buf;
}

static void
jn_policy(struct fwgen_out *o, const char *from, const char *to,
    const char *name, const char *src, const char *dst, const char *app)
{
	fwgen_printf(o, "set security policies from-zone %s to-zone %s policy "
	    "%s match source-address %s\n"
	    "set security policies from-zone %s to-zone %s policy %s match "
	    "destination-address %s\n"
	    "set security policies from-zone %s to-zone %s policy %s match "
	    "application %s\n"
	    "set security policies from-zone %s to-zone %s policy %s then "
	    "permit\n", from, to, name, src, from, to, name, dst, from, to,
	    name, app, from, to, name);
}

/* An address book entry and its set: pinhole-provider-1, ... */
static void
jn_address(struct fwgen_out *o, const char *set, size_t i,
    const struct net_cidr *c)
{
	char a[64];

	fwgen_printf(o, "set security address-book global address %s-%zu %s\n"
	    "set security address-book global address-set %s address %s-%zu\n",
	    set, i, fwgen_cidr(c, a, sizeof(a)), set, set, i);
}

/* The DSCP filter of one family: voice to the provider's ranges. */
static void
jn_dscp(const struct fwgen_plan *plan, struct fwgen_out *o, int family)
{
	const char *fam = family == AF_INET ? "inet" : "inet6";
	const char *f = family == AF_INET ? "pinhole-dscp" : "pinhole-dscp6";
	char c[64];
	size_t i;

	for (i = 0; i < plan->nsources; i++)
		if (plan->sources[i]->ip.family == family)
			fwgen_printf(o, "set firewall family %s filter %s term "
			    "voice from destination-address %s\n", fam, f,
			    fwgen_cidr(plan->sources[i], c, sizeof(c)));
	fwgen_printf(o, "set firewall family %s filter %s term voice then "
	    "%s %d\n"
	    "set firewall family %s filter %s term voice then accept\n"
	    "set firewall family %s filter %s term rest then accept\n"
	    "set interfaces %s unit 0 family %s filter output %s\n", fam, f,
	    family == AF_INET ? "dscp" : "traffic-class", plan->dscp, fam, f,
	    fam, f, plan->site.wan, fam, f);
}

/*
 * IPv6: flow mode (an SRX drops IPv6 until it is set), the IPv6 LAN and
 * the provider's IPv6 ranges in the address book, ICMPv6 to the LAN.
 */
static void
jn_ipv6(const struct fwgen_plan *plan, struct fwgen_out *o)
{
	struct net_cidr dst[FWGEN_MAX_HOSTS];
	size_t i, k, n;

	fwgen_comment(o, "", "IPv6: no NAT; the phones are reached through "
	    "the policies named -ipv6. Flow mode for IPv6 takes a reboot.");
	fwgen_printf(o, "set security forwarding-options family inet6 mode "
	    "flow-based\n");
	for (i = 0, k = 1; i < plan->nsources; i++)
		if (plan->sources[i]->ip.family == AF_INET6)
			jn_address(o, "pinhole-provider6", k++, plan->sources[i]);
	for (i = 0, n = fwgen_dst6(plan, dst); i < n; i++)
		jn_address(o, "pinhole-lan6", i + 1, &dst[i]);
	fwgen_printf(o, "# ICMPv6 that IPv6 needs (RFC 4890)\n");
	jn_policy(o, "untrust", "trust", "pinhole-icmp6", "any", "pinhole-lan6",
	    "junos-icmp6-all");
}

static void
jn_rule(const struct fwgen_plan *plan, struct fwgen_out *o,
    const struct fwgen_rule *r)
{
	char name[PROFILE_ID_LEN], name6[PROFILE_ID_LEN + 8], ports[16];
	const char *from = r->dir == PROFILE_OUT ? "trust" : "untrust";
	const char *to = r->dir == PROFILE_OUT ? "untrust" : "trust";

	jn_name(r, name, sizeof(name));
	fwgen_ports(r, "-", ports, sizeof(ports));
	fwgen_printf(o, "# %s (%s)\n"
	    "set applications application %s protocol %s destination-port %s\n",
	    r->id, r->profile, name, jn_proto(r->proto), ports);
	if (r->proto == PROFILE_UDP && plan->udp_timeout > 0)
		fwgen_printf(o, "set applications application %s "
		    "inactivity-timeout %u\n", name,
		    fwgen_timeout(plan, o, "udp"));
	jn_policy(o, from, to, name, r->nsources ? "pinhole-provider" : "any",
	    "any", name);
	/* IPv6: no NAT, a policy of its own to the IPv6 LAN. */
	if (r->dir == PROFILE_IN && fwgen_dual(plan) &&
	    !fwgen_no_in6(plan, o, "", r)) {
		snprintf(name6, sizeof(name6), "%s-ipv6", name);
		jn_policy(o, from, to, name6, r->nsources ? "pinhole-provider6" :
		    "any", "pinhole-lan6", name);
	}
	if (r->dir == PROFILE_IN)
		fwgen_cannot(o, "", r->id, "destination NAT on an SRX matches "
		    "the public address, which this site does not give; add a "
		    "rule-set from zone untrust with a pool for %s",
		    plan->site.nhosts > 0 ? "the --forward host" : "the phones");
}

static int
jn_emit(const struct fwgen_plan *plan, struct fwgen_out *o)
{
	const struct net_cidr *lans[FWGEN_MAX_LANS];
	char c[64];
	size_t i, k, nlans = fwgen_lans(plan, AF_INET, lans);

	fwgen_header(plan, o);
	fwgen_comment(o, "", "Zones: the LAN in 'trust', %s in 'untrust'.",
	    plan->site.wan);
	fwgen_printf(o, "set security zones security-zone untrust interfaces "
	    "%s\n", plan->site.wan);
	if (plan->sip_alg_off)
		fwgen_printf(o, "# sip-alg\nset security alg sip disable\n");
	if (plan->udp_timeout > 0)
		fwgen_comment(o, "", "udp-timeout: each UDP application below "
		    "carries an inactivity timeout of %u s.", plan->udp_timeout);
	for (i = 0, k = 1; i < plan->nsources; i++)
		if (plan->sources[i]->ip.family == AF_INET)
			jn_address(o, "pinhole-provider", k++, plan->sources[i]);
	if (fwgen_dual(plan))
		jn_ipv6(plan, o);
	for (i = 0; i < nlans; i++)
		fwgen_printf(o, "set security nat source rule-set pinhole-lan "
		    "from zone trust\n"
		    "set security nat source rule-set pinhole-lan to zone untrust\n"
		    "set security nat source rule-set pinhole-lan rule lan%zu match "
		    "source-address %s\n"
		    "set security nat source rule-set pinhole-lan rule lan%zu then "
		    "source-nat interface\n", i + 1,
		    fwgen_cidr(lans[i], c, sizeof(c)), i + 1);
	for (i = 0; i < plan->nrules; i++)
		jn_rule(plan, o, &plan->rules[i]);
	if (plan->dscp >= 0 && plan->nsources > 0) {
		fwgen_printf(o, "# qos.dscp: voice to the provider marked %s\n",
		    plan->dscp_name);
		if (fwgen_nsources(plan, NULL, AF_INET) > 0)
			jn_dscp(plan, o, AF_INET);
		if (fwgen_dual(plan) && fwgen_nsources(plan, NULL, AF_INET6) > 0)
			jn_dscp(plan, o, AF_INET6);
	} else if (plan->dscp >= 0) {
		fwgen_cannot(o, "", "qos.dscp", "without source ranges in the "
		    "profile, mark voice with class-of-service rewrite rules");
	}
	return 0;
}

const struct fwgen_ops fwgen_junos_ops = {
	.name = "junos",
	.title = "Juniper Junos (SRX)",
	.comment = "#",
	.ipv6 = 1,
	.emit = jn_emit,
};
