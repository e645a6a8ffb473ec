/*
 * vyos.c - VyOS 1.3 / EdgeOS configuration commands: conntrack SIP module
 * off, conntrack UDP timeouts, a network group of the provider, NAT
 * (masquerade, destination rules), a WAN_IN firewall and DSCP marking by
 * policy route.  VyOS 1.4 renamed some nodes; see the comments.
 */
#include "fwgen.h"

static const char *
vy_proto(enum profile_proto p)
{
	return p == PROFILE_UDP ? "udp" : "tcp";
}

static int
vy_emit(const struct fwgen_plan *plan, struct fwgen_out *o)
{
	const struct fwgen_rule *r;
	char c[64], ports[16], host[NET_ADDRSTRLEN];
	unsigned nat = 100, fw = 100, pr = 100;
	size_t i;

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
	for (i = 0; i < plan->nsources; i++)
		fwgen_printf(o, "set firewall group network-group PINHOLE-PROVIDER "
		    "network %s\n", fwgen_cidr(plan->sources[i], c, sizeof(c)));
	for (i = 0; i < plan->site.nlans; i++, nat++)
		fwgen_printf(o, "set nat source rule %u outbound-interface %s\n"
		    "set nat source rule %u source address %s\n"
		    "set nat source rule %u translation address masquerade\n",
		    nat, plan->site.wan, nat,
		    fwgen_cidr(&plan->site.lans[i], c, sizeof(c)), nat);
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
	if (plan->dscp < 0)
		return 0;
	fwgen_printf(o, "# qos.dscp: voice marked %s (DSCP %d)\n",
	    plan->dscp_name, plan->dscp);
	for (i = 0; i < plan->nrules; i++) {
		r = &plan->rules[i];
		if (!fwgen_rule_is_voice(r) || r->dir != PROFILE_OUT)
			continue;
		fwgen_printf(o, "set policy route PINHOLE-DSCP rule %u "
		    "description '%s'\nset policy route PINHOLE-DSCP rule %u "
		    "protocol %s\nset policy route PINHOLE-DSCP rule %u "
		    "destination port %s\nset policy route PINHOLE-DSCP rule %u "
		    "set dscp %d\n", pr, r->id, pr, vy_proto(r->proto), pr,
		    fwgen_ports(r, "-", ports, sizeof(ports)), pr, plan->dscp);
		pr++;
	}
	if (pr == 100)
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
	.emit = vy_emit,
};
