/*
 * fortios.c - FortiGate FortiOS CLI: the SIP helper and SIP ALG off, a
 * session TTL for UDP, the provider's addresses, a virtual IP to the
 * phone, policies per requirement with DSCP marking.
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

static void
ft_policies(const struct fwgen_plan *plan, struct fwgen_out *o)
{
	const struct fwgen_rule *r;
	const char *lan = plan->site.lan_if;
	char bits[8];
	size_t i;
	int k;

	for (k = 5; k >= 0; k--)
		bits[5 - k] = plan->dscp >= 0 && (plan->dscp >> k) & 1 ? '1' : '0';
	bits[6] = '\0';
	fwgen_printf(o, "config firewall policy\n");
	for (i = 0; i < plan->nrules; i++) {
		r = &plan->rules[i];
		if (r->dir == PROFILE_IN && fwgen_no_forward(plan, o, "", r))
			continue;
		fwgen_printf(o, "    edit 0\n        set name \"%s\"\n"
		    "        set srcintf \"%s\"\n        set dstintf \"%s\"\n"
		    "        set srcaddr \"%s\"\n        set dstaddr \"%s\"\n"
		    "        set action accept\n        set schedule \"always\"\n"
		    "        set service \"%s\"\n",
		    r->id, r->dir == PROFILE_OUT ? lan : plan->site.wan,
		    r->dir == PROFILE_OUT ? plan->site.wan : lan,
		    r->dir == PROFILE_OUT ? "pinhole-lan" : r->nsources ?
		    "pinhole-provider" : "all",
		    r->dir == PROFILE_OUT ? "all" : "pinhole-phone", r->id);
		if (r->dir == PROFILE_OUT)
			fwgen_printf(o, "        set nat enable\n");
		if (plan->dscp >= 0 && fwgen_rule_is_voice(r))
			fwgen_printf(o, "        set diffserv-forward enable\n"
			    "        set diffservcode-forward %s\n"
			    "        set diffserv-reverse enable\n"
			    "        set diffservcode-rev %s\n", bits, bits);
		fwgen_printf(o, "    next\n");
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
	if (plan->nsources > 0) {
		fwgen_printf(o, "    edit \"pinhole-provider\"\n        set member");
		for (i = 0; i < plan->nsources; i++)
			fwgen_printf(o, " \"pinhole-provider-%zu\"", i + 1);
		fwgen_printf(o, "\n    next\n");
	}
	fwgen_printf(o, "    edit \"pinhole-lan\"\n        set member");
	for (i = 0; i < plan->site.nlans; i++)
		fwgen_printf(o, " \"pinhole-lan-%zu\"", i + 1);
	fwgen_printf(o, "\n    next\nend\n");
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
	.emit = ft_emit,
};
