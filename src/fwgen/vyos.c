/*
 * vyos.c - VyOS 1.3 / EdgeOS configuration commands: conntrack SIP module
 * off, conntrack UDP timeouts, a network group of the provider, NAT
 * (masquerade, destination rules), a WAN_IN firewall and DSCP marking by
 * policy route; for a dual-stack site an ipv6-name firewall WAN6_IN and a
 * route6 policy, without NAT.  VyOS 1.4 renamed some nodes; see the
 * comments.
 */
#include "fwgen.h"

static const char *
vy_proto(enum profile_proto p)
{
	return p == PROFILE_UDP ? "udp" : "tcp";
}

/* What IPv6 needs forwarded whatever the state (RFC 4890). */
static const char *const vy_icmp6[] = { "destination-unreachable",
    "packet-too-big", "time-exceeded", "parameter-problem", "echo-request" };

/* The provider's ranges of one family, as a network group. */
static void
vy_provider(const struct fwgen_plan *plan, struct fwgen_out *o, int family)
{
	char c[64];
	size_t i;

	for (i = 0; i < plan->nsources; i++)
		if (plan->sources[i]->ip.family == family)
			fwgen_printf(o, "set firewall group %snetwork-group "
			    "PINHOLE-PROVIDER%s network %s\n",
			    family == AF_INET ? "" : "ipv6-",
			    family == AF_INET ? "" : "6",
			    fwgen_cidr(plan->sources[i], c, sizeof(c)));
}

/*
 * The policy ('route NAME' or 'route6 NAME') that marks the outbound voice
 * rules' traffic; how many rules it has.
 */
static unsigned
vy_dscp(const struct fwgen_plan *plan, struct fwgen_out *o,
    const char *policy)
{
	const struct fwgen_rule *r;
	char ports[16];
	unsigned pr = 100;
	size_t i;

	for (i = 0; i < plan->nrules; i++) {
		r = &plan->rules[i];
		if (!fwgen_rule_is_voice(r) || r->dir != PROFILE_OUT)
			continue;
		fwgen_printf(o, "set policy %s rule %u description '%s'\n"
		    "set policy %s rule %u protocol %s\n"
		    "set policy %s rule %u destination port %s\n"
		    "set policy %s rule %u set dscp %d\n", policy, pr, r->id,
		    policy, pr, vy_proto(r->proto), policy, pr,
		    fwgen_ports(r, "-", ports, sizeof(ports)), policy, pr,
		    plan->dscp);
		pr++;
	}
	return pr - 100;
}

/*
 * The IPv6 side: an ipv6-name ruleset WAN6_IN on the WAN, without NAT,
 * and DSCP by a route6 policy.  The router's own input ('local') is left
 * as VyOS has it (neighbour discovery, its DHCPv6 client).
 */
static void
vy_ipv6(const struct fwgen_plan *plan, struct fwgen_out *o)
{
	struct net_cidr dst[FWGEN_MAX_HOSTS];
	const struct fwgen_rule *r;
	const char *rs = "set firewall ipv6-name WAN6_IN rule";
	char c[64], ports[16];
	unsigned fw = 20;
	size_t i, n;

	fwgen_comment(o, "", "IPv6: no NAT; the phones are reached through "
	    "the WAN6_IN firewall (VyOS 1.4: firewall ipv6 name).");
	vy_provider(plan, o, AF_INET6);
	for (i = 0, n = fwgen_dst6(plan, dst); i < n; i++)
		fwgen_printf(o, "set firewall group ipv6-network-group "
		    "PINHOLE-LAN6 network %s\n", fwgen_cidr(&dst[i], c,
		    sizeof(c)));
	fwgen_printf(o, "set firewall ipv6-name WAN6_IN default-action drop\n"
	    "%s 10 action accept\n%s 10 state established enable\n"
	    "%s 10 state related enable\n", rs, rs, rs);
	for (i = 0; i < sizeof(vy_icmp6) / sizeof(vy_icmp6[0]); i++, fw++)
		fwgen_printf(o, "%s %u action accept\n%s %u protocol icmpv6\n"
		    "%s %u icmpv6 type %s\n", rs, fw, rs, fw, rs, fw,
		    vy_icmp6[i]);
	fw = 100;
	for (i = 0; i < plan->nrules; i++) {
		r = &plan->rules[i];
		if (r->dir != PROFILE_IN || fwgen_no_in6(plan, o, "", r))
			continue;
		fwgen_printf(o, "%s %u description '%s'\n%s %u action accept\n"
		    "%s %u protocol %s\n"
		    "%s %u destination group network-group PINHOLE-LAN6\n"
		    "%s %u destination port %s\n", rs, fw, r->id, rs, fw, rs,
		    fw, vy_proto(r->proto), rs, fw, rs, fw, fwgen_ports(r, "-",
		    ports, sizeof(ports)));
		if (r->nsources > 0)
			fwgen_printf(o, "%s %u source group network-group "
			    "PINHOLE-PROVIDER6\n", rs, fw);
		fw++;
	}
	fwgen_printf(o, "set interfaces ethernet %s firewall in ipv6-name "
	    "WAN6_IN\n", plan->site.wan);
	if (plan->dscp < 0)
		return;
	fwgen_printf(o, "# qos.dscp over IPv6: the traffic class\n");
	if (vy_dscp(plan, o, "route6 PINHOLE-DSCP6") > 0 &&
	    plan->site.lan_if != NULL)
		fwgen_printf(o, "set interfaces ethernet %s policy route6 "
		    "PINHOLE-DSCP6\n", plan->site.lan_if);
}

static int
vy_emit(const struct fwgen_plan *plan, struct fwgen_out *o)
{
	const struct net_cidr *lans[FWGEN_MAX_LANS];
	const struct fwgen_rule *r;
	char c[64], ports[16], host[NET_ADDRSTRLEN];
	unsigned nat = 100, fw = 100;
	size_t i, nlans = fwgen_lans(plan, AF_INET, lans);

	fwgen_header(plan, o);
	fwgen_comment(o, "", "Enter in configure mode, then commit and save. "
	    "EdgeOS takes the same commands.");
	if (plan->sip_alg_off) {
		fwgen_comment(o, "", "sip-alg: the conntrack SIP module off "
		    "(VyOS 1.4: delete system conntrack modules sip).");
		fwgen_printf(o, "set system conntrack modules sip disable\n");
	}
	if (plan->udp_timeout > 0)
		fwgen_printf(o, "# udp-timeout: at least %u s\n"
		    "set system conntrack timeout udp other %u\n"
		    "set system conntrack timeout udp stream %u\n",
		    plan->udp_timeout, fwgen_timeout(plan, o, "other"),
		    fwgen_timeout(plan, o, "stream"));
	vy_provider(plan, o, AF_INET);
	for (i = 0; i < nlans; i++, nat++)
		fwgen_printf(o, "set nat source rule %u outbound-interface %s\n"
		    "set nat source rule %u source address %s\n"
		    "set nat source rule %u translation address masquerade\n",
		    nat, plan->site.wan, nat,
		    fwgen_cidr(lans[i], c, sizeof(c)), nat);
	fwgen_printf(o, "set firewall name WAN_IN default-action drop\n"
	    "set firewall name WAN_IN rule 10 action accept\n"
	    "set firewall name WAN_IN rule 10 state established enable\n"
	    "set firewall name WAN_IN rule 10 state related enable\n");
	nat = 200;
	for (i = 0; i < plan->nrules; i++) {
		r = &plan->rules[i];
		fwgen_ports(r, "-", ports, sizeof(ports));
		if (r->dir == PROFILE_OUT) {
			fwgen_printf(o, "# %s: outbound is not filtered here "
			    "(no LAN_OUT ruleset)\n", r->id);
			continue;
		}
		if (fwgen_no_forward(plan, o, "", r))
			continue;
		net_ip_str(&plan->site.hosts[0], host, sizeof(host));
		fwgen_printf(o, "set nat destination rule %u description '%s'\n"
		    "set nat destination rule %u inbound-interface %s\n"
		    "set nat destination rule %u protocol %s\n"
		    "set nat destination rule %u destination port %s\n"
		    "set nat destination rule %u translation address %s\n",
		    nat, r->id, nat, plan->site.wan, nat, vy_proto(r->proto),
		    nat, ports, nat, host);
		if (r->nsources > 0)
			fwgen_printf(o, "set nat destination rule %u source group "
			    "network-group PINHOLE-PROVIDER\n", nat);
		nat++;
		fwgen_printf(o, "set firewall name WAN_IN rule %u description "
		    "'%s'\nset firewall name WAN_IN rule %u action accept\n"
		    "set firewall name WAN_IN rule %u protocol %s\n"
		    "set firewall name WAN_IN rule %u destination address %s\n"
		    "set firewall name WAN_IN rule %u destination port %s\n",
		    fw, r->id, fw, fw, vy_proto(r->proto), fw, host, fw, ports);
		if (r->nsources > 0)
			fwgen_printf(o, "set firewall name WAN_IN rule %u source "
			    "group network-group PINHOLE-PROVIDER\n", fw);
		fw++;
	}
	fwgen_printf(o, "set interfaces ethernet %s firewall in name WAN_IN\n",
	    plan->site.wan);
	fwgen_cannot(o, "", "nat.hairpin", "VyOS 1.3 has no generic NAT "
	    "reflection; add a destination rule on the LAN interface and a "
	    "masquerade rule for the LAN if phones call each other over the "
	    "public address");
	if (fwgen_dual(plan))
		vy_ipv6(plan, o);
	if (plan->dscp < 0)
		return 0;
	fwgen_printf(o, "# qos.dscp: voice marked %s (DSCP %d)\n",
	    plan->dscp_name, plan->dscp);
	if (vy_dscp(plan, o, "route PINHOLE-DSCP") == 0)
		return 0;
	if (plan->site.lan_if != NULL)
		fwgen_printf(o, "set interfaces ethernet %s policy route "
		    "PINHOLE-DSCP\n", plan->site.lan_if);
	else
		fwgen_cannot(o, "", "qos.dscp", "the policy route PINHOLE-DSCP "
		    "applies on the LAN interface, which needs --lan-if");
	return 0;
}

const struct fwgen_ops fwgen_vyos_ops = {
	.name = "vyos",
	.title = "VyOS 1.3 and EdgeOS",
	.comment = "#",
	.ipv6 = 1,
	.emit = vy_emit,
};
