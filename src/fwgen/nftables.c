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

static int nft_has(const struct fwgen_plan *plan, const char *name);

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
	if (fwgen_dual(plan))
		fwgen_printf(o, "\t\t# IPv6 needs these whatever the state "
		    "(RFC 4890): no NAT\n\t\t# hides the LAN, and path MTU "
		    "discovery needs packet-too-big\n\t\ticmpv6 type { "
		    "destination-unreachable, packet-too-big, time-exceeded, "
		    "parameter-problem, echo-request } accept\n");
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
			    nft_has(plan, "phones4") ? "ip daddr @phones4 " : "",
			    nft_proto(r->proto),
			    fwgen_ports(r, "-", ports, sizeof(ports)));
		if (r->dir == PROFILE_IN && fwgen_dual(plan) &&
		    !fwgen_no_in6(plan, o, "\t\t", r))
			fwgen_printf(o, "\t\tiifname $WAN oifname != $WAN "
			    "%sip6 daddr @%s %s dport %s accept\n",
			    r->nsources ? "ip6 saddr @provider6 " : "",
			    nft_has(plan, "phones6") ? "phones6" : "lan6",
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
	if (fwgen_dual(plan))
		fwgen_printf(o, "\tct timeout voice-udp6 {\n\t\tprotocol udp\n"
		    "\t\tl3proto ip6\n"
		    "\t\tpolicy = { unreplied : %u, replied : %u }\n\t}\n\n",
		    fwgen_timeout(plan, o, "unreplied"),
		    fwgen_timeout(plan, o, "replied"));
	fwgen_printf(o, "\tchain timeouts {\n"
	    "\t\ttype filter hook prerouting priority filter; policy accept;\n");
	if (nft_has(plan, "lan4"))
		fwgen_printf(o, "\t\tiifname != $WAN ip saddr @lan4 meta "
		    "l4proto udp ct state new ct timeout set \"voice-udp\"\n");
	if (nft_has(plan, "phones4"))
		fwgen_printf(o, "\t\tiifname $WAN ip daddr @phones4 meta "
		    "l4proto udp ct state new ct timeout set \"voice-udp\"\n");
	if (fwgen_dual(plan))
		fwgen_printf(o, "\t\tiifname != $WAN ip6 saddr @lan6 meta "
		    "l4proto udp ct state new ct timeout set \"voice-udp6\"\n"
		    "\t\tiifname $WAN ip6 daddr @lan6 meta l4proto udp ct state "
		    "new ct timeout set \"voice-udp6\"\n");
	fwgen_printf(o, "\t}\n");
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
	if (nft_has(plan, "provider4"))
		fwgen_printf(o, "\t\toifname $WAN ip daddr @provider4 ip dscp "
		    "set %d\n\t\toifname != $WAN ip saddr @provider4 ip dscp "
		    "set %d\n", plan->dscp, plan->dscp);
	if (fwgen_dual(plan) && nft_has(plan, "provider6"))
		fwgen_printf(o, "\t\toifname $WAN ip6 daddr @provider6 ip6 dscp "
		    "set %d\n\t\toifname != $WAN ip6 saddr @provider6 ip6 dscp "
		    "set %d\n", plan->dscp, plan->dscp);
	for (i = 0; i < plan->nrules; i++) {
		r = &plan->rules[i];
		if (!fwgen_rule_is_voice(r) || r->dir != PROFILE_OUT)
			continue;
		fwgen_printf(o, "\t\t# %s\n\t\toifname $WAN %s dport %s ip dscp "
		    "set %d\n", r->id, nft_proto(r->proto),
		    fwgen_ports(r, "-", ports, sizeof(ports)), plan->dscp);
		if (fwgen_dual(plan))
			fwgen_printf(o, "\t\toifname $WAN %s dport %s ip6 dscp "
			    "set %d\n", nft_proto(r->proto), fwgen_ports(r, "-",
			    ports, sizeof(ports)), plan->dscp);
	}
	fwgen_printf(o, "\t}\n");
}

static void nft_sets(const struct fwgen_plan *plan, struct fwgen_out *o,
    int v);

static void
nft_nat(const struct fwgen_plan *plan, struct fwgen_out *o)
{
	const struct fwgen_rule *r;
	char ports[16], host[NET_ADDRSTRLEN];
	size_t i;

	fwgen_printf(o, "\ntable ip pinhole_nat {\n");
	nft_sets(plan, o, 4);
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

/*
 * The elements of set 'name' ("lan4", "phones6", "provider4", ...), or ""
 * when it has none (and is not written).
 */
static const char *
nft_set_elems(const struct fwgen_plan *plan, const char *name, char *buf,
    size_t len)
{
	const struct net_cidr *lans[FWGEN_MAX_LANS];
	struct net_cidr hostc[FWGEN_MAX_HOSTS];
	const struct net_cidr *hosts[FWGEN_MAX_HOSTS];
	int family = name[strlen(name) - 1] == '6' ? AF_INET6 : AF_INET;
	size_t i, n;

	if (strncmp(name, "lan", 3) == 0) {
		n = fwgen_lans(plan, family, lans);
		return nft_elems(lans, n, family, buf, len);
	}
	if (strncmp(name, "phones", 6) == 0) {
		n = fwgen_hosts(plan, family, hostc);
		for (i = 0; i < n; i++)
			hosts[i] = &hostc[i];
		return nft_elems(hosts, n, family, buf, len);
	}
	return nft_elems(plan->sources, plan->nsources, family, buf, len);
}

/* Whether set 'name' is written (it has elements). */
static int
nft_has(const struct fwgen_plan *plan, const char *name)
{
	char buf[2048];

	return nft_set_elems(plan, name, buf, sizeof(buf))[0] != '\0';
}

/* The sets of one family: 4 (IPv4), or 6 (IPv6, for a dual site only). */
static void
nft_sets(const struct fwgen_plan *plan, struct fwgen_out *o, int v)
{
	static const char *const names[] = { "lan", "phones", "provider" };
	char buf[2048], name[16];
	size_t i;

	if (v == 6 && !fwgen_dual(plan))
		return;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(name, sizeof(name), "%s%d", names[i], v);
		nft_set(o, name, v == 4 ? "ipv4_addr" : "ipv6_addr",
		    nft_set_elems(plan, name, buf, sizeof(buf)));
	}
}

static int
nft_emit(const struct fwgen_plan *plan, struct fwgen_out *o)
{
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
	nft_sets(plan, o, 4);
	nft_sets(plan, o, 6);
	nft_timeout(plan, o);
	fwgen_printf(o, "\n");
	nft_filter(plan, o);
	nft_dscp(plan, o);
	fwgen_printf(o, "}\n");
	if (nft_has(plan, "lan4")) {
		nft_nat(plan, o);
		fwgen_printf(o, "}\n");
	}
	fwgen_v6_unused(plan, o);
	return 0;
}

const struct fwgen_ops fwgen_nftables_ops = {
	.name = "nftables",
	.title = "nftables (Linux), nft -f",
	.comment = "#",
	.drops_wan_input = 1,
	.ipv6 = 1,
	.emit = nft_emit,
};
