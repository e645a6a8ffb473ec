/*
 * nftables.c - a complete nftables ruleset for a Linux router: it replaces
 * the whole ruleset, so that no rule left elsewhere assigns the SIP helper
 * or drops what a requirement needs.  UDP timeouts are per flow (ct
 * timeout), for the LAN's UDP only.  Checked with 'nft -c -f'.
 */
#include <string.h>

#include "fwgen.h"

static const char *
nft_proto(enum profile_proto p)
{
	return p == PROFILE_UDP ? "udp" : "tcp";
}

/* "{ 10.0.0.0/8, 192.168.0.0/16 }" of one family, or "" when none. */
static const char *
nft_elems(const struct net_cidr *const *c, size_t n, int family, char *buf,
    size_t len)
{
	char a[64];
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		if (c[i]->ip.family != family)
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
		    used ? ", " : "", fwgen_cidr(c[i], a, sizeof(a)));
		if (used >= len)
			return "";
	}
	return buf;
}

static void
nft_set(struct fwgen_out *o, const char *name, const char *type,
    const char *elems)
{
	if (elems[0] == '\0')
		return;
	fwgen_printf(o, "\tset %s {\n\t\ttype %s\n\t\tflags interval\n"
	    "\t\telements = { %s }\n\t}\n", name, type, elems);
}

/* "ip saddr @provider4 " for inbound rules that are restricted. */
static const char *
nft_src(const struct fwgen_plan *plan, const struct fwgen_rule *r)
{
	(void)plan;
	return r->nsources > 0 ? "ip saddr @provider4 " : "";
}

static void
nft_rule_comment(struct fwgen_out *o, const char *indent,
    const struct fwgen_rule *r)
{
	fwgen_comment(o, indent, "%s (%s, endpoint %s%s%s%s%s)", r->id,
	    r->profile, r->endpoint, r->service ? ", " : "",
	    r->service ? r->service : "", r->host ? ", to " : "",
	    r->host ? r->host : "");
}

static void
nft_filter(const struct fwgen_plan *plan, struct fwgen_out *o)
{
	const struct fwgen_rule *r;
	char ports[16];
	size_t i;

	char c[64];

	fwgen_printf(o, "\tchain input {\n"
	    "\t\ttype filter hook input priority filter; policy drop;\n"
	    "\t\tiifname \"lo\" accept\n"
	    "\t\tct state established,related accept\n"
	    "\t\tct state invalid drop\n"
	    "\t\tiifname != $WAN accept\n"
	    "\t\tmeta l4proto { icmp, ipv6-icmp } accept\n");
	for (i = 0; i < plan->site.nmgmt; i++)
		fwgen_printf(o, "\t\tiifname $WAN %s saddr %s accept "
		    "comment \"management (--mgmt)\"\n",
		    plan->site.mgmt[i].ip.family == AF_INET ? "ip" : "ip6",
		    fwgen_cidr(&plan->site.mgmt[i], c, sizeof(c)));
	fwgen_printf(o, "\t}\n\n");
	fwgen_printf(o, "\tchain forward {\n"
	    "\t\ttype filter hook forward priority filter; policy drop;\n"
	    "\t\tct state established,related accept\n"
	    "\t\tct state invalid drop\n");
	for (i = 0; i < plan->nrules; i++) {
		r = &plan->rules[i];
		nft_rule_comment(o, "\t\t", r);
		if (r->dir == PROFILE_OUT)
			fwgen_printf(o, "\t\tiifname != $WAN oifname $WAN %s "
			    "dport %s accept\n", nft_proto(r->proto),
			    fwgen_ports(r, "-", ports, sizeof(ports)));
		else
			fwgen_printf(o, "\t\tiifname $WAN oifname != $WAN "
			    "%s%s%s dport %s accept\n", nft_src(plan, r),
			    plan->site.nhosts > 0 ? "ip daddr @phones4 " : "",
			    nft_proto(r->proto),
			    fwgen_ports(r, "-", ports, sizeof(ports)));
	}
	fwgen_comment(o, "\t\t", "Not a requirement: everything else the "
	    "LAN starts. Remove it to let out only the services above.");
	fwgen_printf(o, "\t\tiifname != $WAN oifname $WAN accept\n"
	    "\t\t# NAT loopback (nat.hairpin): the LAN reaching a phone "
	    "through\n\t\t# the public address\n"
	    "\t\tiifname != $WAN oifname != $WAN ct status dnat accept\n"
	    "\t}\n");
}

static void
nft_timeout(const struct fwgen_plan *plan, struct fwgen_out *o)
{
	if (plan->udp_timeout == 0)
		return;
	fwgen_printf(o, "\n");
	fwgen_comment(o, "\t", "udp-timeout: the LAN's UDP flows live at "
	    "least %u s idle, replied or not, whatever the global "
	    "nf_conntrack_udp_timeout says (never less than Linux's own "
	    "30 s and 120 s).", plan->udp_timeout);
	fwgen_printf(o, "\tct timeout voice-udp {\n\t\tprotocol udp\n"
	    "\t\tl3proto ip\n"
	    "\t\tpolicy = { unreplied : %u, replied : %u }\n\t}\n\n",
	    fwgen_timeout(plan, o, "unreplied"),
	    fwgen_timeout(plan, o, "replied"));
	fwgen_printf(o, "\tchain timeouts {\n"
	    "\t\ttype filter hook prerouting priority filter; policy accept;\n"
	    "\t\tiifname != $WAN ip saddr @lan4 meta l4proto udp ct state new "
	    "ct timeout set \"voice-udp\"\n"
	    "%s"
	    "\t}\n", plan->site.nhosts > 0 ?
	    "\t\tiifname $WAN ip daddr @phones4 meta l4proto udp ct state new "
	    "ct timeout set \"voice-udp\"\n" : "");
}

static void
nft_dscp(const struct fwgen_plan *plan, struct fwgen_out *o)
{
	const struct fwgen_rule *r;
	char ports[16];
	size_t i;

	if (plan->dscp < 0)
		return;
	fwgen_printf(o, "\n");
	fwgen_comment(o, "\t", "qos.dscp: voice leaves marked %s (DSCP %d), "
	    "both ways.", plan->dscp_name, plan->dscp);
	fwgen_printf(o, "\tchain dscp {\n"
	    "\t\ttype filter hook postrouting priority mangle; policy accept;\n");
	if (plan->nsources > 0)
		fwgen_printf(o, "\t\toifname $WAN ip daddr @provider4 ip dscp "
		    "set %d\n\t\toifname != $WAN ip saddr @provider4 ip dscp "
		    "set %d\n", plan->dscp, plan->dscp);
	for (i = 0; i < plan->nrules; i++) {
		r = &plan->rules[i];
		if (!fwgen_rule_is_voice(r) || r->dir != PROFILE_OUT)
			continue;
		fwgen_printf(o, "\t\t# %s\n\t\toifname $WAN %s dport %s ip dscp "
		    "set %d\n", r->id, nft_proto(r->proto),
		    fwgen_ports(r, "-", ports, sizeof(ports)), plan->dscp);
	}
	fwgen_printf(o, "\t}\n");
}

static void nft_sets(const struct fwgen_plan *plan, struct fwgen_out *o);

static void
nft_nat(const struct fwgen_plan *plan, struct fwgen_out *o)
{
	const struct fwgen_rule *r;
	char ports[16], host[NET_ADDRSTRLEN];
	size_t i;

	fwgen_printf(o, "\ntable ip pinhole_nat {\n");
	nft_sets(plan, o);
	fwgen_printf(o, "\n\tchain prerouting {\n"
	    "\t\ttype nat hook prerouting priority dstnat; policy accept;\n");
	for (i = 0; i < plan->nrules; i++) {
		r = &plan->rules[i];
		if (r->dir != PROFILE_IN)
			continue;
		if (fwgen_no_forward(plan, o, "\t\t", r))
			continue;
		net_ip_str(&plan->site.hosts[0], host, sizeof(host));
		fwgen_printf(o, "\t\t# %s\n\t\tiifname $WAN %s%s dport %s "
		    "dnat to %s\n", r->id, r->nsources ?
		    "ip saddr @provider4 " : "", nft_proto(r->proto),
		    fwgen_ports(r, "-", ports, sizeof(ports)), host);
		fwgen_printf(o, "\t\tiifname != $WAN fib daddr type local ip "
		    "daddr != @lan4 %s dport %s dnat to %s\n",
		    nft_proto(r->proto), fwgen_ports(r, "-", ports,
		    sizeof(ports)), host);
	}
	fwgen_printf(o, "\t}\n\n\tchain postrouting {\n"
	    "\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
	    "\t\toifname $WAN ip saddr @lan4 masquerade\n"
	    "\t\toifname != $WAN ip saddr @lan4 ct status dnat masquerade\n"
	    "\t}\n");
}

static void
nft_sets(const struct fwgen_plan *plan, struct fwgen_out *o)
{
	const struct net_cidr *lans[FWGEN_MAX_LANS];
	struct net_cidr hostc[FWGEN_MAX_HOSTS];
	const struct net_cidr *hosts[FWGEN_MAX_HOSTS];
	char buf[2048];
	size_t i;

	for (i = 0; i < plan->site.nlans; i++)
		lans[i] = &plan->site.lans[i];
	for (i = 0; i < plan->site.nhosts; i++) {
		hostc[i].ip = plan->site.hosts[i];
		hostc[i].prefix = hostc[i].ip.family == AF_INET ? 32 : 128;
		hosts[i] = &hostc[i];
	}
	nft_set(o, "lan4", "ipv4_addr", nft_elems(lans, plan->site.nlans,
	    AF_INET, buf, sizeof(buf)));
	nft_set(o, "phones4", "ipv4_addr", nft_elems(hosts,
	    plan->site.nhosts, AF_INET, buf, sizeof(buf)));
	nft_set(o, "provider4", "ipv4_addr", nft_elems(plan->sources,
	    plan->nsources, AF_INET, buf, sizeof(buf)));
}

static int
nft_emit(const struct fwgen_plan *plan, struct fwgen_out *o)
{
	size_t i;

	fwgen_printf(o, "#!/usr/sbin/nft -f\n");
	fwgen_header(plan, o);
	fwgen_comment(o, "", "This file replaces the whole ruleset (flush "
	    "ruleset): a complete firewall for the site, with NAT.");
	if (plan->sip_alg_off) {
		fwgen_printf(o, "\n");
		fwgen_comment(o, "", "sip-alg: the kernel's SIP helper "
		    "(nf_conntrack_sip, nf_nat_sip) acts only where a rule "
		    "assigns it, and no rule here does. Also unload it and "
		    "keep automatic assignment off:");
		fwgen_printf(o, "#   modprobe -r nf_nat_sip nf_conntrack_sip\n"
		    "# before Linux 6.0 also: sysctl -w net.netfilter.nf_conntrack_helper=0\n");
		fwgen_comment(o, "", "After loading, empty the connection table "
		    "(conntrack -F) so that no flow keeps a helper it got "
		    "before.");
	}
	fwgen_printf(o, "\nflush ruleset\n\ndefine WAN = \"%s\"\n\n"
	    "table inet pinhole {\n", plan->site.wan);
	nft_sets(plan, o);
	nft_timeout(plan, o);
	fwgen_printf(o, "\n");
	nft_filter(plan, o);
	nft_dscp(plan, o);
	fwgen_printf(o, "}\n");
	nft_nat(plan, o);
	fwgen_printf(o, "}\n");
	for (i = 0; i < plan->nsources; i++)
		if (plan->sources[i]->ip.family != AF_INET)
			fwgen_cannot(o, "", "reach", "IPv6 source ranges are not "
			    "written by this version");
	return 0;
}

const struct fwgen_ops fwgen_nftables_ops = {
	.name = "nftables",
	.title = "nftables (Linux), nft -f",
	.comment = "#",
	.drops_wan_input = 1,
	.emit = nft_emit,
};
