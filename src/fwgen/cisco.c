/*
 * cisco.c - Cisco IOS (router NAT) configuration, with the Cisco ASA
 * commands where they differ given as comments: the NAT SIP ALG off,
 * the NAT UDP timeout, an inbound ACL, static port forwarding, and DSCP
 * marking with MQC.
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

static void
cs_acl_in(const struct fwgen_plan *plan, struct fwgen_out *o)
{
	const struct fwgen_rule *r;
	char p[32], c[64];
	size_t i, k;

	fwgen_printf(o, "ip access-list extended PINHOLE-IN\n"
	    " permit icmp any any\n");
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
	fwgen_printf(o, " remark IOS ACLs are stateless: replies to what the "
	    "LAN started need the rest\n remark let through; narrow it with a "
	    "zone-based firewall\n permit ip any any\n!\n");
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
	fwgen_printf(o, "class-map match-any PINHOLE-VOICE\n"
	    " match access-group name PINHOLE-VOICE\n"
	    "policy-map PINHOLE-DSCP\n class PINHOLE-VOICE\n  set dscp %d\n!\n",
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
	if (plan->udp_timeout > 0)
		fwgen_printf(o, "! udp-timeout: at least %u s\n"
		    "ip nat translation udp-timeout %u\n"
		    "! ASA: timeout udp %u:%02u:%02u\n", plan->udp_timeout,
		    plan->udp_timeout, plan->udp_timeout / 3600,
		    plan->udp_timeout / 60 % 60, plan->udp_timeout % 60);
	fwgen_printf(o, "ip access-list standard PINHOLE-LAN\n");
	for (i = 0; i < plan->site.nlans; i++)
		if (plan->site.lans[i].ip.family == AF_INET)
			fwgen_printf(o, " permit %s\n", fwgen_addr_mask(
			    &plan->site.lans[i], 1, c, sizeof(c)));
	fwgen_printf(o, "ip nat inside source list PINHOLE-LAN interface %s "
	    "overload\n", plan->site.wan);
	cs_forward(plan, o);
	cs_acl_in(plan, o);
	cs_dscp(plan, o);
	fwgen_printf(o, "interface %s\n ip nat outside\n"
	    " ip access-group PINHOLE-IN in\n", plan->site.wan);
	if (plan->dscp >= 0)
		fwgen_printf(o, " service-policy output PINHOLE-DSCP\n");
	fwgen_printf(o, "!\n");
	if (plan->site.lan_if != NULL)
		fwgen_printf(o, "interface %s\n ip nat inside\n!\n",
		    plan->site.lan_if);
	else
		fwgen_comment(o, "", "Mark the LAN interface 'ip nat inside' "
		    "(--lan-if names it).");
	fwgen_comment(o, "", "Outbound: IOS lets the LAN out unless an ACL "
	    "on the LAN interface says otherwise; the reach.*.out "
	    "requirements need nothing here.");
	return 0;
}

const struct fwgen_ops fwgen_cisco_ops = {
	.name = "cisco",
	.title = "Cisco IOS (ASA differences as comments)",
	.comment = "!",
	.emit = cs_emit,
};
