/*
 * cisco.c - Cisco IOS (router NAT) configuration, with the Cisco ASA
 * commands where they differ given as comments: the NAT SIP ALG off,
 * the NAT UDP timeout (never below the platform's), a zone-based firewall
 * that lets in only the inbound requirements from their sources, static
 * port forwarding, and DSCP marking with MQC.  For a dual-stack site the
 * zone pair also passes IPv6 through an IPv6 ACL of its own (no NAT).
 */
#include "fwgen.h"

static const char *
cs_proto(enum profile_proto p)
{
	return p == PROFILE_UDP ? "udp" : "tcp";
}

/* "eq 5060" or "range 10000 20000". */
static const char *
cs_ports(const struct fwgen_rule *r, char *buf, size_t len)
{
	if (r->lo == r->hi)
		snprintf(buf, len, "eq %u", r->lo);
	else
		snprintf(buf, len, "range %u %u", r->lo, r->hi);
	return buf;
}

/* What IPv6 needs forwarded whatever the state (RFC 4890). */
static const char *const cs_icmp6[] = { "destination-unreachable",
    "packet-too-big", "time-exceeded", "parameter-problem", "echo-request" };

/*
 * Inbound over IPv6: the same zone pair, through an IPv6 ACL of its own
 * (no NAT): the inbound requirements from their IPv6 sources to the IPv6
 * LAN, and the ICMPv6 that IPv6 needs.
 */
static void
cs_in6(const struct fwgen_plan *plan, struct fwgen_out *o)
{
	struct net_cidr dst[FWGEN_MAX_HOSTS];
	const struct fwgen_rule *r;
	char p[32], c[64], d[64];
	size_t i, k, n, nd = fwgen_dst6(plan, dst);

	fwgen_printf(o, "! IPv6: no NAT; the phones are reached through "
	    "PINHOLE-IN6\nipv6 access-list PINHOLE-IN6\n");
	for (n = 0; n < nd; n++)
		for (i = 0; i < sizeof(cs_icmp6) / sizeof(cs_icmp6[0]); i++)
			fwgen_printf(o, " permit icmp any %s %s\n", fwgen_cidr(
			    &dst[n], d, sizeof(d)), cs_icmp6[i]);
	for (i = 0; i < plan->nrules; i++) {
		r = &plan->rules[i];
		if (r->dir != PROFILE_IN || fwgen_no_in6(plan, o, "", r))
			continue;
		fwgen_printf(o, " remark %s (%s)\n", r->id, r->profile);
		for (n = 0; n < nd; n++) {
			fwgen_cidr(&dst[n], d, sizeof(d));
			if (r->nsources == 0)
				fwgen_printf(o, " permit %s any %s %s\n",
				    cs_proto(r->proto), d, cs_ports(r, p,
				    sizeof(p)));
			for (k = 0; k < r->nsources; k++)
				if (r->sources[k].ip.family == AF_INET6)
					fwgen_printf(o, " permit %s %s %s %s\n",
					    cs_proto(r->proto), fwgen_cidr(
					    &r->sources[k], c, sizeof(c)), d,
					    cs_ports(r, p, sizeof(p)));
		}
	}
	fwgen_printf(o, " deny ipv6 any any\n"
	    "class-map type inspect match-all PINHOLE-IN6\n"
	    " match access-group name PINHOLE-IN6\n");
}

/*
 * Inbound: a zone-based firewall, since IOS ACLs are stateless and an
 * inbound ACL that lets replies in must end in a permit that also lets
 * everyone else in.  The LAN's own traffic is inspected (its replies come
 * back); from the WAN only the inbound requirements pass, from their
 * sources.  Traffic to the router itself (the self zone) is untouched, so
 * its management stays as it was.
 */
static void
cs_zones(const struct fwgen_plan *plan, struct fwgen_out *o)
{
	const struct fwgen_rule *r;
	char p[32], c[64];
	size_t i, k;

	fwgen_printf(o, "zone security PINHOLE-INSIDE\n"
	    "zone security PINHOLE-OUTSIDE\n"
	    "class-map type inspect match-any PINHOLE-LAN-OUT\n"
	    " match protocol tcp\n match protocol udp\n match protocol icmp\n"
	    "policy-map type inspect PINHOLE-LAN-OUT\n"
	    " class type inspect PINHOLE-LAN-OUT\n  inspect\n"
	    " class class-default\n  drop\n");
	fwgen_printf(o, "ip access-list extended PINHOLE-IN\n");
	for (i = 0; i < plan->nrules; i++) {
		r = &plan->rules[i];
		if (r->dir != PROFILE_IN)
			continue;
		fwgen_printf(o, " remark %s (%s)\n", r->id, r->profile);
		if (r->nsources == 0)
			fwgen_printf(o, " permit %s any any %s\n",
			    cs_proto(r->proto), cs_ports(r, p, sizeof(p)));
		for (k = 0; k < r->nsources; k++)
			if (r->sources[k].ip.family == AF_INET)
				fwgen_printf(o, " permit %s %s any %s\n",
				    cs_proto(r->proto), fwgen_addr_mask(
				    &r->sources[k], 1, c, sizeof(c)),
				    cs_ports(r, p, sizeof(p)));
	}
	fwgen_printf(o, " deny ip any any\n"
	    "class-map type inspect match-all PINHOLE-IN\n"
	    " match access-group name PINHOLE-IN\n");
	if (fwgen_dual(plan))
		cs_in6(plan, o);
	fwgen_printf(o, "policy-map type inspect PINHOLE-IN\n"
	    " class type inspect PINHOLE-IN\n  inspect\n%s"
	    " class class-default\n  drop log\n"
	    "zone-pair security PINHOLE-OUT source PINHOLE-INSIDE destination "
	    "PINHOLE-OUTSIDE\n service-policy type inspect PINHOLE-LAN-OUT\n"
	    "zone-pair security PINHOLE-IN source PINHOLE-OUTSIDE destination "
	    "PINHOLE-INSIDE\n service-policy type inspect PINHOLE-IN\n!\n"
	    "! ASA: the outside interface's access-group takes the permit "
	    "lines of\n! ASA: PINHOLE-IN (its default is to deny the rest; "
	    "replies are stateful)\n", fwgen_dual(plan) ?
	    " class type inspect PINHOLE-IN6\n  inspect\n" : "");
}

static void
cs_forward(const struct fwgen_plan *plan, struct fwgen_out *o)
{
	const struct fwgen_rule *r;
	char host[NET_ADDRSTRLEN], ports[16];
	size_t i;

	for (i = 0; i < plan->nrules; i++) {
		r = &plan->rules[i];
		if (r->dir != PROFILE_IN)
			continue;
		if (fwgen_no_forward(plan, o, "", r))
			continue;
		net_ip_str(&plan->site.hosts[0], host, sizeof(host));
		if (r->lo != r->hi) {
			fwgen_cannot(o, "", r->id, "IOS forwards single ports "
			    "only; for %s %s use a static 1:1 NAT of a "
			    "public address to %s (ip nat inside source static "
			    "%s PUBLIC-ADDRESS)", cs_proto(r->proto),
			    fwgen_ports(r, "-", ports, sizeof(ports)), host,
			    host);
			continue;
		}
		fwgen_printf(o, "! %s\nip nat inside source static %s %s %u "
		    "interface %s %u\n", r->id, cs_proto(r->proto), host, r->lo,
		    plan->site.wan, r->lo);
	}
}

static void
cs_dscp(const struct fwgen_plan *plan, struct fwgen_out *o)
{
	const struct fwgen_rule *r;
	char p[32], c[64];
	size_t i;

	if (plan->dscp < 0)
		return;
	fwgen_printf(o, "! qos.dscp: voice leaves marked %s\n"
	    "ip access-list extended PINHOLE-VOICE\n", plan->dscp_name);
	for (i = 0; i < plan->nsources; i++)
		if (plan->sources[i]->ip.family == AF_INET)
			fwgen_printf(o, " permit ip any %s\n", fwgen_addr_mask(
			    plan->sources[i], 1, c, sizeof(c)));
	for (i = 0; i < plan->nrules; i++) {
		r = &plan->rules[i];
		if (fwgen_rule_is_voice(r) && r->dir == PROFILE_OUT)
			fwgen_printf(o, " remark %s\n permit %s any any %s\n",
			    r->id, cs_proto(r->proto), cs_ports(r, p,
			    sizeof(p)));
	}
	if (fwgen_dual(plan)) {
		fwgen_printf(o, "ipv6 access-list PINHOLE-VOICE6\n");
		for (i = 0; i < plan->nsources; i++)
			if (plan->sources[i]->ip.family == AF_INET6)
				fwgen_printf(o, " permit ipv6 any %s\n",
				    fwgen_cidr(plan->sources[i], c, sizeof(c)));
		for (i = 0; i < plan->nrules; i++) {
			r = &plan->rules[i];
			if (fwgen_rule_is_voice(r) && r->dir == PROFILE_OUT)
				fwgen_printf(o, " remark %s\n permit %s any any "
				    "%s\n", r->id, cs_proto(r->proto),
				    cs_ports(r, p, sizeof(p)));
		}
	}
	fwgen_printf(o, "class-map match-any PINHOLE-VOICE\n"
	    " match access-group name PINHOLE-VOICE\n%s"
	    "policy-map PINHOLE-DSCP\n class PINHOLE-VOICE\n  set dscp %d\n!\n",
	    fwgen_dual(plan) ? " match access-group name PINHOLE-VOICE6\n" : "",
	    plan->dscp);
}

static int
cs_emit(const struct fwgen_plan *plan, struct fwgen_out *o)
{
	char c[64];
	size_t i;

	fwgen_header(plan, o);
	fwgen_comment(o, "", "Cisco IOS with NAT. For an ASA, the differing "
	    "commands follow each part as comments.");
	if (plan->sip_alg_off)
		fwgen_printf(o, "! sip-alg: the NAT SIP ALG off\n"
		    "no ip nat service sip udp port 5060\n"
		    "no ip nat service sip tcp port 5060\n"
		    "! ASA: policy-map global_policy\n"
		    "! ASA:  class inspection_default\n"
		    "! ASA:   no inspect sip\n");
	if (plan->udp_timeout > 0) {
		unsigned ios = fwgen_timeout(plan, o, "ios"),
		    asa = fwgen_timeout(plan, o, "asa");

		fwgen_printf(o, "! udp-timeout: at least %u s, never below "
		    "IOS's 300 s nor ASA's 2 min\n"
		    "ip nat translation udp-timeout %u\n"
		    "! ASA: timeout udp %u:%02u:%02u\n", plan->udp_timeout,
		    ios, asa / 3600, asa / 60 % 60, asa % 60);
	}
	fwgen_printf(o, "ip access-list standard PINHOLE-LAN\n");
	for (i = 0; i < plan->site.nlans; i++)
		if (plan->site.lans[i].ip.family == AF_INET)
			fwgen_printf(o, " permit %s\n", fwgen_addr_mask(
			    &plan->site.lans[i], 1, c, sizeof(c)));
	fwgen_printf(o, "ip nat inside source list PINHOLE-LAN interface %s "
	    "overload\n", plan->site.wan);
	cs_forward(plan, o);
	cs_zones(plan, o);
	cs_dscp(plan, o);
	fwgen_printf(o, "interface %s\n ip nat outside\n"
	    " zone-member security PINHOLE-OUTSIDE\n", plan->site.wan);
	if (plan->dscp >= 0)
		fwgen_printf(o, " service-policy output PINHOLE-DSCP\n");
	fwgen_printf(o, "!\n");
	if (plan->site.lan_if != NULL)
		fwgen_printf(o, "interface %s\n ip nat inside\n"
		    " zone-member security PINHOLE-INSIDE\n!\n",
		    plan->site.lan_if);
	else
		fwgen_comment(o, "", "Mark the LAN interface 'ip nat inside' "
		    "and 'zone-member security PINHOLE-INSIDE' (--lan-if names "
		    "it): an interface outside every zone cannot reach one.");
	fwgen_comment(o, "", "Outbound: the zone pair PINHOLE-OUT lets out, "
	    "inspected, everything the LAN starts; the reach.*.out "
	    "requirements need nothing more.");
	return 0;
}

const struct fwgen_ops fwgen_cisco_ops = {
	.name = "cisco",
	.title = "Cisco IOS (ASA differences as comments)",
	.comment = "!",
	.ipv6 = 1,
	.emit = cs_emit,
};
