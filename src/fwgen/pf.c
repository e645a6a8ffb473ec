/*
 * pf.c - an OpenBSD pf.conf (5.2 or later syntax: nat-to, rdr-to, set tos)
 * for the site: NAT, the allow rules, UDP state timeouts and DSCP.  Over
 * IPv6 (a dual-stack site) the same rules without NAT: inbound passes to
 * the IPv6 LAN ($lan6), and ICMPv6 what IPv6 needs.
 */
#include "fwgen.h"

static const char *
pf_proto(enum profile_proto p)
{
	return p == PROFILE_UDP ? "udp" : "tcp";
}

static void
pf_rule(const struct fwgen_plan *plan, struct fwgen_out *o,
    const struct fwgen_rule *r)
{
	char ports[16], host[NET_ADDRSTRLEN], tos[32] = "";
	/* NAT is IPv4 only: said where $lan holds both families. */
	const char *inet = fwgen_dual(plan) ? " inet" : "";

	fwgen_ports(r, ":", ports, sizeof(ports));
	if (plan->dscp >= 0 && fwgen_rule_is_voice(r))
		snprintf(tos, sizeof(tos), " set tos 0x%02x", plan->dscp << 2);
	fwgen_printf(o, "# %s (%s, endpoint %s)\n", r->id, r->profile,
	    r->endpoint);
	if (r->dir == PROFILE_OUT) {
		fwgen_printf(o, "pass in on ! $wan proto %s from $lan to any "
		    "port %s%s\n", pf_proto(r->proto), ports, tos);
		return;
	}
	/* IPv6: no NAT, the phones' own addresses. */
	if (fwgen_dual(plan) && !fwgen_no_in6(plan, o, "", r))
		fwgen_printf(o, "pass in on $wan inet6 proto %s from %s to $lan6 "
		    "port %s%s\n", pf_proto(r->proto), r->nsources ?
		    "<provider>" : "any", ports, tos);
	if (fwgen_no_forward(plan, o, "", r))
		return;
	net_ip_str(&plan->site.hosts[0], host, sizeof(host));
	fwgen_printf(o, "pass in on $wan%s proto %s from %s to ($wan) port %s "
	    "rdr-to %s%s\n", inet, pf_proto(r->proto), r->nsources ? "<provider>" : "any", ports, host,
	    tos);
	if (plan->site.lan_if == NULL) {
		fwgen_cannot(o, "", "nat.hairpin", "NAT loopback for %s %s "
		    "needs the LAN interface (--lan-if)", pf_proto(r->proto),
		    ports);
		return;
	}
	fwgen_printf(o, "# nat.hairpin: the LAN through the public address\n"
	    "pass in on $lan_if%s proto %s from $lan to ($wan) port %s "
	    "rdr-to %s\n"
	    "match out on $lan_if%s proto %s from $lan to %s port %s "
	    "received-on $lan_if nat-to ($lan_if)\n", inet,
	    pf_proto(r->proto), ports, host, inet, pf_proto(r->proto), host,
	    ports);
}

/* lan6: where IPv6 inbound goes, the IPv6 --forward hosts or LANs. */
static void
pf_lan6(const struct fwgen_plan *plan, struct fwgen_out *o)
{
	struct net_cidr dst[FWGEN_MAX_HOSTS];
	char c[64];
	size_t i, n = fwgen_dst6(plan, dst);

	fwgen_printf(o, "lan6 = \"{");
	for (i = 0; i < n; i++)
		fwgen_printf(o, " %s", fwgen_cidr(&dst[i], c, sizeof(c)));
	fwgen_printf(o, " }\"\n");
}

static int
pf_emit(const struct fwgen_plan *plan, struct fwgen_out *o)
{
	char c[64];
	size_t i;

	fwgen_header(plan, o);
	fwgen_printf(o, "\nwan = \"%s\"\nlan = \"{", plan->site.wan);
	for (i = 0; i < plan->site.nlans; i++)
		fwgen_printf(o, " %s", fwgen_cidr(&plan->site.lans[i], c,
		    sizeof(c)));
	fwgen_printf(o, " }\"\n");
	if (fwgen_dual(plan))
		pf_lan6(plan, o);
	if (plan->site.lan_if != NULL)
		fwgen_printf(o, "lan_if = \"%s\"\n", plan->site.lan_if);
	if (plan->nsources > 0) {
		fwgen_printf(o, "table <provider> const {");
		for (i = 0; i < plan->nsources; i++)
			fwgen_printf(o, " %s", fwgen_cidr(plan->sources[i], c,
			    sizeof(c)));
		fwgen_printf(o, " }\n");
	}
	if (plan->sip_alg_off)
		fwgen_comment(o, "", "sip-alg: pf has no SIP ALG; nothing "
		    "here proxies or rewrites SIP.");
	if (plan->udp_timeout > 0) {
		fwgen_comment(o, "", "udp-timeout: idle UDP states live at "
		    "least %u s.", plan->udp_timeout);
		fwgen_printf(o, "set timeout { udp.first %u, udp.single %u, "
		    "udp.multiple %u }\n", fwgen_timeout(plan, o, "first"),
		    fwgen_timeout(plan, o, "single"),
		    fwgen_timeout(plan, o, "multiple"));
	}
	fwgen_printf(o, "set skip on lo\n\n"
	    "match out on $wan inet from $lan to any nat-to ($wan)\n"
	    "block log all\n"
	    "pass out on $wan\n"
	    "pass in on $wan inet proto icmp\n");
	if (fwgen_dual(plan))
		fwgen_printf(o, "# IPv6: what it needs whatever the state (RFC "
		    "4890), and neighbour discovery\npass in on $wan inet6 "
		    "proto icmp6 icmp6-type { unreach, toobig, timex, paramprob, "
		    "echoreq, neighbrsol, neighbradv, routeradv }\n");
	for (i = 0; i < plan->site.nmgmt; i++)
		fwgen_printf(o, "pass in on $wan from %s to ($wan) "
		    "# management (--mgmt)\n", fwgen_cidr(&plan->site.mgmt[i],
		    c, sizeof(c)));
	if (plan->dscp >= 0 && plan->nsources > 0)
		fwgen_printf(o, "# qos.dscp: to and from the provider, marked %s\n"
		    "match out on $wan to <provider> set tos 0x%02x\n"
		    "match out on ! $wan from <provider> set tos 0x%02x\n",
		    plan->dscp_name, plan->dscp << 2, plan->dscp << 2);
	fwgen_printf(o, "\n");
	for (i = 0; i < plan->nrules; i++)
		pf_rule(plan, o, &plan->rules[i]);
	fwgen_printf(o, "# Not a requirement: everything else the LAN starts.\n"
	    "pass in on ! $wan from $lan\n");
	return 0;
}

const struct fwgen_ops fwgen_pf_ops = {
	.name = "pf",
	.title = "OpenBSD pf.conf",
	.comment = "#",
	.drops_wan_input = 1,
	.ipv6 = 1,
	.emit = pf_emit,
};
