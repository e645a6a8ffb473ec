/*
 * routeros.c - MikroTik RouterOS (v6 and v7) commands for the site: the
 * SIP service port (its ALG) off, conntrack UDP timeouts, address list of
 * the provider, dst-nat and filter rules, DSCP marking in mangle.
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

static int
ros_emit(const struct fwgen_plan *plan, struct fwgen_out *o)
{
	char c[64], t[16], t2[16];
	size_t i;

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
	for (i = 0; i < plan->nsources; i++)
		fwgen_printf(o, "/ip firewall address-list add "
		    "list=pinhole-provider address=%s\n",
		    fwgen_cidr(plan->sources[i], c, sizeof(c)));
	for (i = 0; i < plan->site.nlans; i++)
		fwgen_printf(o, "/ip firewall address-list add "
		    "list=pinhole-lan address=%s\n",
		    fwgen_cidr(&plan->site.lans[i], c, sizeof(c)));
	for (i = 0; i < plan->site.nlans; i++)
		fwgen_printf(o, "/ip firewall nat add chain=srcnat "
		    "out-interface=%s src-address=%s action=masquerade "
		    "comment=\"LAN\"\n/ip firewall nat add chain=srcnat "
		    "out-interface=!%s src-address=%s connection-nat-state=dstnat "
		    "action=masquerade comment=\"nat.hairpin\"\n",
		    plan->site.wan, fwgen_cidr(&plan->site.lans[i], c, sizeof(c)),
		    plan->site.wan, c);
	fwgen_printf(o, "/ip firewall filter add chain=forward "
	    "connection-state=established,related action=accept\n"
	    "/ip firewall filter add chain=forward connection-state=invalid "
	    "action=drop\n");
	for (i = 0; i < plan->nrules; i++)
		ros_rule(plan, o, &plan->rules[i]);
	fwgen_printf(o, "/ip firewall filter add chain=forward "
	    "in-interface=!%s action=accept comment=\"not a requirement: the "
	    "LAN's other traffic\"\n/ip firewall filter add chain=forward "
	    "action=drop comment=\"everything else\"\n", plan->site.wan);
	if (plan->dscp >= 0 && plan->nsources > 0)
		fwgen_printf(o, "/ip firewall mangle add chain=postrouting "
		    "out-interface=%s dst-address-list=pinhole-provider "
		    "action=change-dscp new-dscp=%d passthrough=yes "
		    "comment=\"qos.dscp\"\n/ip firewall mangle add "
		    "chain=postrouting out-interface=!%s "
		    "src-address-list=pinhole-provider action=change-dscp "
		    "new-dscp=%d passthrough=yes comment=\"qos.dscp\"\n",
		    plan->site.wan, plan->dscp, plan->site.wan, plan->dscp);
	else if (plan->dscp >= 0)
		for (i = 0; i < plan->nrules; i++)
			if (fwgen_rule_is_voice(&plan->rules[i]) &&
			    plan->rules[i].dir == PROFILE_OUT)
				fwgen_printf(o, "/ip firewall mangle add "
				    "chain=postrouting out-interface=%s "
				    "protocol=%s dst-port=%s action=change-dscp "
				    "new-dscp=%d passthrough=yes "
				    "comment=\"qos.dscp %s\"\n", plan->site.wan,
				    ros_proto(plan->rules[i].proto),
				    fwgen_ports(&plan->rules[i], "-", c,
				    sizeof(c)), plan->dscp, plan->rules[i].id);
	return 0;
}

const struct fwgen_ops fwgen_routeros_ops = {
	.name = "routeros",
	.title = "MikroTik RouterOS",
	.comment = "#",
	.emit = ros_emit,
};
