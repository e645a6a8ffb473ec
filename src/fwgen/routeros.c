/*
 * routeros.c - MikroTik RouterOS (v6 and v7) commands for the site: the
 * SIP service port (its ALG) off, conntrack UDP timeouts, address list of
 * the provider, dst-nat and filter rules, DSCP marking in mangle; for a
 * dual-stack site the same in /ipv6 firewall, without NAT.
 */
#include "fwgen.h"

static const char *
ros_proto(enum profile_proto p)
{
	return p == PROFILE_UDP ? "udp" : "tcp";
}

/* RouterOS takes seconds with a unit; "2m" for 120 keeps it readable. */
static const char *
ros_time(unsigned s, char *buf, size_t len)
{
	if (s % 60 == 0)
		snprintf(buf, len, "%um", s / 60);
	else
		snprintf(buf, len, "%us", s);
	return buf;
}

static void
ros_rule(const struct fwgen_plan *plan, struct fwgen_out *o,
    const struct fwgen_rule *r)
{
	char ports[16], host[NET_ADDRSTRLEN], src[48] = "";

	fwgen_ports(r, "-", ports, sizeof(ports));
	if (r->dir == PROFILE_OUT) {
		fwgen_printf(o, "/ip firewall filter add chain=forward "
		    "in-interface=!%s out-interface=%s protocol=%s dst-port=%s "
		    "action=accept comment=\"%s\"\n", plan->site.wan,
		    plan->site.wan, ros_proto(r->proto), ports, r->id);
		return;
	}
	if (r->nsources > 0)
		snprintf(src, sizeof(src), " src-address-list=pinhole-provider");
	if (fwgen_no_forward(plan, o, "", r))
		return;
	net_ip_str(&plan->site.hosts[0], host, sizeof(host));
	fwgen_printf(o, "/ip firewall nat add chain=dstnat in-interface=%s%s "
	    "protocol=%s dst-port=%s action=dst-nat to-addresses=%s "
	    "comment=\"%s\"\n", plan->site.wan, src, ros_proto(r->proto), ports,
	    host, r->id);
	/* NAT loopback: to the router's own addresses but those in the LAN
	 * (its LAN address serves the LAN's DNS, DHCP and management). */
	fwgen_printf(o, "/ip firewall nat add chain=dstnat in-interface=!%s "
	    "dst-address-type=local dst-address-list=!pinhole-lan protocol=%s "
	    "dst-port=%s action=dst-nat to-addresses=%s "
	    "comment=\"nat.hairpin %s\"\n", plan->site.wan,
	    ros_proto(r->proto), ports, host, r->id);
	fwgen_printf(o, "/ip firewall filter add chain=forward in-interface=%s"
	    "%s dst-address=%s protocol=%s dst-port=%s connection-nat-state="
	    "dstnat action=accept comment=\"%s\"\n", plan->site.wan, src, host,
	    ros_proto(r->proto), ports, r->id);
}

/* "ip" or "ipv6": the menu of one family. */
static const char *
ros_menu(int family)
{
	return family == AF_INET ? "ip" : "ipv6";
}

/* The address list of the provider's ranges of one family. */
static void
ros_provider(const struct fwgen_plan *plan, struct fwgen_out *o, int family)
{
	char c[64];
	size_t i;

	for (i = 0; i < plan->nsources; i++)
		if (plan->sources[i]->ip.family == family)
			fwgen_printf(o, "/%s firewall address-list add "
			    "list=pinhole-provider address=%s\n",
			    ros_menu(family), fwgen_cidr(plan->sources[i], c,
			    sizeof(c)));
}

/* The end of the forward chain: the LAN's other traffic, then a drop. */
static void
ros_forward_end(const struct fwgen_plan *plan, struct fwgen_out *o,
    int family)
{
	fwgen_printf(o, "/%s firewall filter add chain=forward "
	    "in-interface=!%s action=accept comment=\"not a requirement: the "
	    "LAN's other traffic\"\n/%s firewall filter add chain=forward "
	    "action=drop comment=\"everything else\"\n", ros_menu(family),
	    plan->site.wan, ros_menu(family));
}

/* qos.dscp: to and from the provider, or else the outbound voice rules. */
static void
ros_dscp(const struct fwgen_plan *plan, struct fwgen_out *o, int family)
{
	const char *m = ros_menu(family);
	char c[64];
	size_t i;

	if (plan->dscp < 0)
		return;
	if (fwgen_nsources(plan, NULL, family) > 0)
		fwgen_printf(o, "/%s firewall mangle add chain=postrouting "
		    "out-interface=%s dst-address-list=pinhole-provider "
		    "action=change-dscp new-dscp=%d passthrough=yes "
		    "comment=\"qos.dscp\"\n/%s firewall mangle add "
		    "chain=postrouting out-interface=!%s "
		    "src-address-list=pinhole-provider action=change-dscp "
		    "new-dscp=%d passthrough=yes comment=\"qos.dscp\"\n",
		    m, plan->site.wan, plan->dscp, m, plan->site.wan, plan->dscp);
	else
		for (i = 0; i < plan->nrules; i++)
			if (fwgen_rule_is_voice(&plan->rules[i]) &&
			    plan->rules[i].dir == PROFILE_OUT)
				fwgen_printf(o, "/%s firewall mangle add "
				    "chain=postrouting out-interface=%s "
				    "protocol=%s dst-port=%s action=change-dscp "
				    "new-dscp=%d passthrough=yes "
				    "comment=\"qos.dscp %s\"\n", m, plan->site.wan,
				    ros_proto(plan->rules[i].proto),
				    fwgen_ports(&plan->rules[i], "-", c,
				    sizeof(c)), plan->dscp, plan->rules[i].id);
}

/* What IPv6 needs forwarded whatever the state (RFC 4890). */
static const unsigned ros_icmp6[] = { 1, 2, 3, 4, 128 };

/*
 * The IPv6 side: /ipv6 firewall, no NAT.  The router's own input chain
 * (neighbour discovery, its DHCPv6 client) is left as RouterOS has it.
 */
static void
ros_ipv6(const struct fwgen_plan *plan, struct fwgen_out *o)
{
	struct net_cidr dst[FWGEN_MAX_HOSTS];
	const struct fwgen_rule *r;
	const char *wan = plan->site.wan;
	char c[64], ports[16], src[48];
	size_t i, n;

	fwgen_printf(o, "\n");
	fwgen_comment(o, "", "IPv6: no NAT; the phones are reached through "
	    "firewall rules (/ipv6 firewall).");
	ros_provider(plan, o, AF_INET6);
	for (i = 0, n = fwgen_dst6(plan, dst); i < n; i++)
		fwgen_printf(o, "/ipv6 firewall address-list add "
		    "list=pinhole-lan6 address=%s\n", fwgen_cidr(&dst[i], c,
		    sizeof(c)));
	fwgen_printf(o, "/ipv6 firewall filter add chain=forward "
	    "connection-state=established,related action=accept\n"
	    "/ipv6 firewall filter add chain=forward connection-state=invalid "
	    "action=drop\n");
	for (i = 0; i < sizeof(ros_icmp6) / sizeof(ros_icmp6[0]); i++)
		fwgen_printf(o, "/ipv6 firewall filter add chain=forward "
		    "protocol=icmpv6 icmp-options=%u:0-255 action=accept "
		    "comment=\"ICMPv6 (RFC 4890)\"\n", ros_icmp6[i]);
	for (i = 0; i < plan->nrules; i++) {
		r = &plan->rules[i];
		fwgen_ports(r, "-", ports, sizeof(ports));
		if (r->dir == PROFILE_OUT) {
			fwgen_printf(o, "/ipv6 firewall filter add chain=forward "
			    "in-interface=!%s out-interface=%s protocol=%s "
			    "dst-port=%s action=accept comment=\"%s\"\n", wan,
			    wan, ros_proto(r->proto), ports, r->id);
			continue;
		}
		if (fwgen_no_in6(plan, o, "", r))
			continue;
		snprintf(src, sizeof(src), "%s", r->nsources > 0 ?
		    " src-address-list=pinhole-provider" : "");
		fwgen_printf(o, "/ipv6 firewall filter add chain=forward "
		    "in-interface=%s%s dst-address-list=pinhole-lan6 protocol=%s "
		    "dst-port=%s action=accept comment=\"%s\"\n", wan, src,
		    ros_proto(r->proto), ports, r->id);
	}
	ros_forward_end(plan, o, AF_INET6);
	ros_dscp(plan, o, AF_INET6);
}

static int
ros_emit(const struct fwgen_plan *plan, struct fwgen_out *o)
{
	const struct net_cidr *lans[FWGEN_MAX_LANS];
	char c[64], t[16], t2[16];
	size_t i, nlans = fwgen_lans(plan, AF_INET, lans);

	fwgen_header(plan, o);
	if (plan->sip_alg_off) {
		fwgen_comment(o, "", "sip-alg: RouterOS's SIP helper is the "
		    "sip service port.");
		fwgen_printf(o, "/ip firewall service-port set sip disabled=yes\n");
	}
	if (plan->udp_timeout > 0) {
		fwgen_comment(o, "", "udp-timeout: at least %u s (RouterOS "
		    "defaults: 10 s, 3 min for streams).", plan->udp_timeout);
		fwgen_printf(o, "/ip firewall connection tracking set "
		    "udp-timeout=%s udp-stream-timeout=%s\n",
		    ros_time(fwgen_timeout(plan, o, "udp"), t, sizeof(t)),
		    ros_time(fwgen_timeout(plan, o, "stream"), t2, sizeof(t2)));
	}
	ros_provider(plan, o, AF_INET);
	for (i = 0; i < nlans; i++)
		fwgen_printf(o, "/ip firewall address-list add "
		    "list=pinhole-lan address=%s\n",
		    fwgen_cidr(lans[i], c, sizeof(c)));
	for (i = 0; i < nlans; i++)
		fwgen_printf(o, "/ip firewall nat add chain=srcnat "
		    "out-interface=%s src-address=%s action=masquerade "
		    "comment=\"LAN\"\n/ip firewall nat add chain=srcnat "
		    "out-interface=!%s src-address=%s connection-nat-state=dstnat "
		    "action=masquerade comment=\"nat.hairpin\"\n",
		    plan->site.wan, fwgen_cidr(lans[i], c, sizeof(c)),
		    plan->site.wan, c);
	fwgen_printf(o, "/ip firewall filter add chain=forward "
	    "connection-state=established,related action=accept\n"
	    "/ip firewall filter add chain=forward connection-state=invalid "
	    "action=drop\n");
	for (i = 0; i < plan->nrules; i++)
		ros_rule(plan, o, &plan->rules[i]);
	ros_forward_end(plan, o, AF_INET);
	ros_dscp(plan, o, AF_INET);
	if (fwgen_dual(plan))
		ros_ipv6(plan, o);
	return 0;
}

const struct fwgen_ops fwgen_routeros_ops = {
	.name = "routeros",
	.title = "MikroTik RouterOS",
	.comment = "#",
	.ipv6 = 1,
	.emit = ros_emit,
};
