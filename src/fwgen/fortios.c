/*
 * fortios.c - FortiGate FortiOS CLI: the SIP helper and SIP ALG off, a
 * session TTL for UDP, the provider's addresses, a virtual IP to the
 * phone, policies per requirement with DSCP marking; for a dual-stack
 * site IPv6 addresses and policies (srcaddr6, dstaddr6), without NAT.
 */
#include "fwgen.h"

static const char *
ft_proto(enum profile_proto p)
{
	return p == PROFILE_UDP ? "udp" : "tcp";
}

static void
ft_services(const struct fwgen_plan *plan, struct fwgen_out *o)
{
	const struct fwgen_rule *r;
	char ports[16];
	size_t i;

	fwgen_printf(o, "config firewall service custom\n");
	for (i = 0; i < plan->nrules; i++) {
		r = &plan->rules[i];
		fwgen_printf(o, "    edit \"%s\"\n        set %s-portrange %s\n"
		    "    next\n", r->id, ft_proto(r->proto),
		    fwgen_ports(r, "-", ports, sizeof(ports)));
	}
	fwgen_printf(o, "end\n");
}

/*
 * One policy of rule 'r' in one family: IPv4 (srcaddr, dstaddr, NAT out,
 * the VIP in) or IPv6 (srcaddr6, dstaddr6, FortiOS 6.4 and later; no NAT).
 */
static void
ft_policy(const struct fwgen_plan *plan, struct fwgen_out *o,
    const struct fwgen_rule *r, int family)
{
	const char *lan = plan->site.lan_if, *six = family == AF_INET ? "" : "6";
	int out = r->dir == PROFILE_OUT, k;
	char bits[8];

	for (k = 5; k >= 0; k--)
		bits[5 - k] = plan->dscp >= 0 && (plan->dscp >> k) & 1 ? '1' : '0';
	bits[6] = '\0';
	fwgen_printf(o, "    edit 0\n        set name \"%s%s\"\n"
	    "        set srcintf \"%s\"\n        set dstintf \"%s\"\n"
	    "        set srcaddr%s \"%s%s\"\n        set dstaddr%s \"%s%s\"\n"
	    "        set action accept\n        set schedule \"always\"\n"
	    "        set service \"%s\"\n",
	    r->id, family == AF_INET ? "" : "-ipv6", out ? lan : plan->site.wan,
	    out ? plan->site.wan : lan, six, out ? "pinhole-lan" :
	    r->nsources ? "pinhole-provider" : "all",
	    out || r->nsources ? six : "", six, out ? "all" : "pinhole-phone",
	    out ? "" : six, r->id);
	if (out && family == AF_INET)
		fwgen_printf(o, "        set nat enable\n");
	if (plan->dscp >= 0 && fwgen_rule_is_voice(r))
		fwgen_printf(o, "        set diffserv-forward enable\n"
		    "        set diffservcode-forward %s\n"
		    "        set diffserv-reverse enable\n"
		    "        set diffservcode-rev %s\n", bits, bits);
	fwgen_printf(o, "    next\n");
}

static void
ft_policies(const struct fwgen_plan *plan, struct fwgen_out *o)
{
	const struct fwgen_rule *r;
	size_t i;

	fwgen_printf(o, "config firewall policy\n");
	for (i = 0; i < plan->nrules; i++) {
		r = &plan->rules[i];
		if (r->dir == PROFILE_IN && fwgen_no_forward(plan, o, "", r))
			continue;
		ft_policy(plan, o, r, AF_INET);
	}
	if (fwgen_dual(plan)) {
		fwgen_comment(o, "    ", "IPv6: no NAT; the phones are reached "
		    "through these (FortiOS 6.2 and earlier: config firewall "
		    "policy6, with srcaddr and dstaddr).");
		fwgen_printf(o, "    edit 0\n        set name \"pinhole-icmp6\"\n"
		    "        set srcintf \"%s\"\n        set dstintf \"%s\"\n"
		    "        set srcaddr6 \"all\"\n"
		    "        set dstaddr6 \"pinhole-phone6\"\n"
		    "        set action accept\n        set schedule \"always\"\n"
		    "        set service \"ALL_ICMP6\"\n    next\n",
		    plan->site.wan, plan->site.lan_if);
		for (i = 0; i < plan->nrules; i++) {
			r = &plan->rules[i];
			if (r->dir == PROFILE_IN && fwgen_no_in6(plan, o, "    ",
			    r))
				continue;
			ft_policy(plan, o, r, AF_INET6);
		}
	}
	fwgen_printf(o, "end\n");
}

/* The IPv6 addresses: the provider's, the LAN's and the phones'. */
static void
ft_ipv6(const struct fwgen_plan *plan, struct fwgen_out *o)
{
	static const char *const names[] = { "pinhole-provider6",
	    "pinhole-lan6", "pinhole-phone6" };
	const struct net_cidr *lans[FWGEN_MAX_LANS];
	struct net_cidr dst[FWGEN_MAX_HOSTS];
	const struct net_cidr *each[3][FWGEN_MAX_HOSTS + FWGEN_MAX_LANS];
	size_t n[3] = { 0, 0, 0 }, i, g;
	char c[64];

	for (i = 0; i < plan->nsources; i++)
		if (plan->sources[i]->ip.family == AF_INET6 &&
		    n[0] < FWGEN_MAX_HOSTS + FWGEN_MAX_LANS)
			each[0][n[0]++] = plan->sources[i];
	n[1] = fwgen_lans(plan, AF_INET6, lans);
	for (i = 0; i < n[1]; i++)
		each[1][i] = lans[i];
	n[2] = fwgen_dst6(plan, dst);
	for (i = 0; i < n[2]; i++)
		each[2][i] = &dst[i];
	fwgen_printf(o, "config firewall address6\n");
	for (g = 0; g < 3; g++)
		for (i = 0; i < n[g]; i++)
			fwgen_printf(o, "    edit \"%s-%zu\"\n        set ip6 %s\n"
			    "    next\n", names[g], i + 1, fwgen_cidr(each[g][i],
			    c, sizeof(c)));
	fwgen_printf(o, "end\nconfig firewall addrgrp6\n");
	for (g = 0; g < 3; g++) {
		if (n[g] == 0)
			continue;
		fwgen_printf(o, "    edit \"%s\"\n        set member", names[g]);
		for (i = 0; i < n[g]; i++)
			fwgen_printf(o, " \"%s-%zu\"", names[g], i + 1);
		fwgen_printf(o, "\n    next\n");
	}
	fwgen_printf(o, "end\n");
}

static int
ft_emit(const struct fwgen_plan *plan, struct fwgen_out *o)
{
	char c[64], host[NET_ADDRSTRLEN];
	size_t i;

	fwgen_header(plan, o);
	if (plan->site.lan_if == NULL) {
		fwgen_cannot(o, "", "reach", "FortiOS policies name the LAN "
		    "interface: give it with --lan-if");
		return 0;
	}
	if (plan->sip_alg_off)
		fwgen_printf(o, "# sip-alg: neither the SIP session helper nor "
		    "the SIP ALG\nconfig system settings\n"
		    "    set default-voip-alg-mode kernel-helper-based\n"
		    "    set sip-helper disable\n    set sip-nat-trace disable\n"
		    "end\n"
		    "# and delete the helper itself: 'show system session-helper'"
		    "\n# names it (name sip, port 5060); 'config system "
		    "session-helper',\n# 'delete ID', 'end', then reboot.\n");
	if (plan->udp_timeout > 0)
		fwgen_printf(o, "# udp-timeout: UDP sessions live at least %u s\n"
		    "config system session-ttl\n    config port\n"
		    "        edit 0\n            set protocol 17\n"
		    "            set start-port 1\n            set end-port 65535\n"
		    "            set timeout %u\n        next\n    end\nend\n",
		    plan->udp_timeout, fwgen_timeout(plan, o, "udp"));
	fwgen_printf(o, "config firewall address\n");
	for (i = 0; i < plan->nsources; i++)
		if (plan->sources[i]->ip.family == AF_INET)
			fwgen_printf(o, "    edit \"pinhole-provider-%zu\"\n"
			    "        set subnet %s\n    next\n", i + 1,
			    fwgen_addr_mask(plan->sources[i], 0, c, sizeof(c)));
	for (i = 0; i < plan->site.nlans; i++)
		if (plan->site.lans[i].ip.family == AF_INET)
			fwgen_printf(o, "    edit \"pinhole-lan-%zu\"\n"
			    "        set subnet %s\n    next\n", i + 1,
			    fwgen_addr_mask(&plan->site.lans[i], 0, c,
			    sizeof(c)));
	fwgen_printf(o, "end\nconfig firewall addrgrp\n");
	if (fwgen_nsources(plan, NULL, AF_INET) > 0) {
		fwgen_printf(o, "    edit \"pinhole-provider\"\n        set member");
		for (i = 0; i < plan->nsources; i++)
			if (plan->sources[i]->ip.family == AF_INET)
				fwgen_printf(o, " \"pinhole-provider-%zu\"", i + 1);
		fwgen_printf(o, "\n    next\n");
	}
	fwgen_printf(o, "    edit \"pinhole-lan\"\n        set member");
	for (i = 0; i < plan->site.nlans; i++)
		if (plan->site.lans[i].ip.family == AF_INET)
			fwgen_printf(o, " \"pinhole-lan-%zu\"", i + 1);
	fwgen_printf(o, "\n    next\nend\n");
	if (fwgen_dual(plan))
		ft_ipv6(plan, o);
	if (plan->site.nhosts == 1)
		fwgen_printf(o, "config firewall vip\n    edit \"pinhole-phone\"\n"
		    "        set extintf \"%s\"\n        set extip 0.0.0.0\n"
		    "        set mappedip \"%s\"\n    next\nend\n", plan->site.wan,
		    net_ip_str(&plan->site.hosts[0], host, sizeof(host)));
	ft_services(plan, o);
	ft_policies(plan, o);
	return 0;
}

const struct fwgen_ops fwgen_fortios_ops = {
	.name = "fortios",
	.title = "Fortinet FortiOS",
	.comment = "#",
	.ipv6 = 1,
	.emit = ft_emit,
};
