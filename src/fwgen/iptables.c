/*
 * iptables.c - an iptables-restore file for a Linux router (IPv4), with
 * the sysctl lines it needs in front, as comments to run first: iptables
 * has no per-flow UDP timeout without extra tools, so the global conntrack
 * timeouts are raised.  Loading the file replaces the tables it names, so
 * no rule left there assigns the SIP helper.  For a dual-stack site the
 * IPv6 rules follow, for ip6tables-restore, behind "#6 " (ipt6_emit()).
 * Checked with 'iptables-restore --test' and 'ip6tables-restore --test'.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fwgen.h"

/* What IPv6 needs forwarded whatever the state (RFC 4890, section 4.3.1). */
static const char ipt_icmp6[] =
    "-A FORWARD -p ipv6-icmp --icmpv6-type destination-unreachable -j ACCEPT\n"
    "-A FORWARD -p ipv6-icmp --icmpv6-type packet-too-big -j ACCEPT\n"
    "-A FORWARD -p ipv6-icmp --icmpv6-type time-exceeded -j ACCEPT\n"
    "-A FORWARD -p ipv6-icmp --icmpv6-type parameter-problem -j ACCEPT\n"
    "-A FORWARD -p ipv6-icmp --icmpv6-type echo-request -j ACCEPT\n";

static const char *
ipt_proto(enum profile_proto p)
{
	return p == PROFILE_UDP ? "udp" : "tcp";
}

/* One line per source range of 'family', or one without a source. */
static void
ipt_each_source(struct fwgen_out *o, const struct fwgen_rule *r, int family,
    const char *head, const char *tail)
{
	char c[64];
	size_t i;

	if (r->nsources == 0) {
		fwgen_printf(o, "%s%s\n", head, tail);
		return;
	}
	for (i = 0; i < r->nsources; i++)
		if (r->sources[i].ip.family == family)
			fwgen_printf(o, "%s-s %s %s\n", head,
			    fwgen_cidr(&r->sources[i], c, sizeof(c)), tail);
}

static void
ipt_nat(const struct fwgen_plan *plan, struct fwgen_out *o)
{
	const struct fwgen_rule *r;
	const struct net_cidr *lans[FWGEN_MAX_LANS];
	char ports[16], host[NET_ADDRSTRLEN], head[160], tail[384], c[64];
	size_t i, nlans = fwgen_lans(plan, AF_INET, lans);

	fwgen_printf(o, "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n"
	    ":OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n");
	if (nlans > 1) {
		fwgen_printf(o, ":PINHOLE-LOOP - [0:0]\n-A PREROUTING ! -i %s "
		    "-m addrtype --dst-type LOCAL -j PINHOLE-LOOP\n",
		    plan->site.wan);
		for (i = 0; i < nlans; i++)
			fwgen_printf(o, "-A PINHOLE-LOOP -d %s -j RETURN\n",
			    fwgen_cidr(lans[i], c, sizeof(c)));
	}
	for (i = 0; i < plan->nrules; i++) {
		r = &plan->rules[i];
		if (r->dir != PROFILE_IN)
			continue;
		if (fwgen_no_forward(plan, o, "", r))
			continue;
		net_ip_str(&plan->site.hosts[0], host, sizeof(host));
		snprintf(head, sizeof(head), "-A PREROUTING -i %s ",
		    plan->site.wan);
		snprintf(tail, sizeof(tail), "-p %s --dport %s -m comment "
		    "--comment \"%s\" -j DNAT --to-destination %s",
		    ipt_proto(r->proto), fwgen_ports(r, ":", ports,
		    sizeof(ports)), r->id, host);
		ipt_each_source(o, r, AF_INET, head, tail);
		/* NAT loopback: the LAN through the public address, never to
		 * the router's LAN addresses (its DNS, DHCP, management):
		 * one LAN is left out in the rule, several by the chain. */
		if (nlans == 1)
			snprintf(c, sizeof(c), "! -d %s ", fwgen_cidr(
			    lans[0], head, sizeof(head)));
		fwgen_printf(o, "-A %s ! -i %s -m addrtype --dst-type LOCAL "
		    "%s-p %s --dport %s -m comment --comment \"nat.hairpin "
		    "%s\" -j DNAT --to-destination %s\n",
		    nlans == 1 ? "PREROUTING" : "PINHOLE-LOOP",
		    plan->site.wan, nlans == 1 ? c : "",
		    ipt_proto(r->proto), fwgen_ports(r, ":", ports,
		    sizeof(ports)), r->id, host);
	}
	for (i = 0; i < nlans; i++) {
		fwgen_cidr(lans[i], c, sizeof(c));
		fwgen_printf(o, "-A POSTROUTING -o %s -s %s -j MASQUERADE\n"
		    "-A POSTROUTING ! -o %s -s %s -m conntrack --ctstate DNAT "
		    "-j MASQUERADE\n", plan->site.wan, c, plan->site.wan, c);
	}
	fwgen_printf(o, "COMMIT\n");
}

/*
 * Inbound rule 'r' over IPv6: a firewall accept to each IPv6 --forward
 * host, or to each IPv6 LAN, from each of the rule's IPv6 sources.
 */
static void
ipt_in6(const struct fwgen_plan *plan, struct fwgen_out *o,
    const struct fwgen_rule *r, const char *tail)
{
	struct net_cidr dst[FWGEN_MAX_HOSTS];
	char head[160], c[64];
	size_t i, n;

	if (fwgen_no_in6(plan, o, "", r))
		return;
	for (i = 0, n = fwgen_dst6(plan, dst); i < n; i++) {
		snprintf(head, sizeof(head), "-A FORWARD -i %s ! -o %s -d %s ",
		    plan->site.wan, plan->site.wan, fwgen_cidr(&dst[i], c,
		    sizeof(c)));
		ipt_each_source(o, r, AF_INET6, head, tail);
	}
}

/* The filter table of one family (AF_INET6: for ip6tables-restore). */
static void
ipt_filter(const struct fwgen_plan *plan, struct fwgen_out *o, int family)
{
	const struct fwgen_rule *r;
	const char *wan = plan->site.wan;
	char ports[16], head[160], tail[256], host[NET_ADDRSTRLEN];
	size_t i;

	fwgen_printf(o, "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n"
	    ":OUTPUT ACCEPT [0:0]\n"
	    "-A INPUT -i lo -j ACCEPT\n"
	    "-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n"
	    "-A INPUT -m conntrack --ctstate INVALID -j DROP\n"
	    "-A INPUT ! -i %s -j ACCEPT\n", wan);
	if (family == AF_INET)
		fwgen_printf(o, "-A INPUT -p icmp -j ACCEPT\n");
	else
		fwgen_printf(o, "-A INPUT -p ipv6-icmp -m comment --comment "
		    "\"neighbour discovery, router advertisements, path MTU\" "
		    "-j ACCEPT\n");
	for (i = 0; i < plan->site.nmgmt; i++)
		if (plan->site.mgmt[i].ip.family == family)
			fwgen_printf(o, "-A INPUT -i %s -s %s -m comment "
			    "--comment \"management (--mgmt)\" -j ACCEPT\n",
			    wan, fwgen_cidr(&plan->site.mgmt[i], head,
			    sizeof(head)));
	fwgen_printf(o, "-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED "
	    "-j ACCEPT\n-A FORWARD -m conntrack --ctstate INVALID -j DROP\n");
	if (family == AF_INET6)
		fwgen_printf(o, "%s", ipt_icmp6);
	for (i = 0; i < plan->nrules; i++) {
		r = &plan->rules[i];
		if (r->dir == PROFILE_OUT) {
			fwgen_printf(o, "-A FORWARD ! -i %s -o %s -p %s --dport "
			    "%s -m comment --comment \"%s\" -j ACCEPT\n", wan,
			    wan, ipt_proto(r->proto), fwgen_ports(r, ":", ports,
			    sizeof(ports)), r->id);
			continue;
		}
		snprintf(tail, sizeof(tail), "-p %s --dport %s -m comment "
		    "--comment \"%s\" -j ACCEPT", ipt_proto(r->proto),
		    fwgen_ports(r, ":", ports, sizeof(ports)), r->id);
		if (family == AF_INET6) {
			ipt_in6(plan, o, r, tail);
			continue;
		}
		snprintf(head, sizeof(head), "-A FORWARD -i %s ! -o %s ", wan,
		    wan);
		if (plan->site.nhosts == 1)
			snprintf(head + strlen(head), sizeof(head) - strlen(head),
			    "-d %s ", net_ip_str(&plan->site.hosts[0], host,
			    sizeof(host)));
		ipt_each_source(o, r, AF_INET, head, tail);
	}
	fwgen_printf(o, "-A FORWARD ! -i %s -o %s -m comment --comment "
	    "\"not a requirement: the LAN's other traffic\" -j ACCEPT\n",
	    wan, wan);
	if (family == AF_INET)
		fwgen_printf(o, "-A FORWARD ! -i %s ! -o %s -m conntrack "
		    "--ctstate DNAT -m comment --comment \"nat.hairpin\" "
		    "-j ACCEPT\n", wan, wan);
	fwgen_printf(o, "COMMIT\n");
}

/* The mangle table of one family: the DSCP marks. */
static void
ipt_mangle(const struct fwgen_plan *plan, struct fwgen_out *o, int family)
{
	const struct fwgen_rule *r;
	char ports[16], c[64];
	size_t i;

	fwgen_printf(o, "*mangle\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n"
	    ":FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
	    ":POSTROUTING ACCEPT [0:0]\n");
	if (plan->dscp >= 0) {
		for (i = 0; i < plan->nsources; i++) {
			if (plan->sources[i]->ip.family != family)
				continue;
			fwgen_cidr(plan->sources[i], c, sizeof(c));
			fwgen_printf(o, "-A POSTROUTING -o %s -d %s -m comment "
			    "--comment \"qos.dscp\" -j DSCP --set-dscp %d\n"
			    "-A POSTROUTING ! -o %s -s %s -m comment --comment "
			    "\"qos.dscp\" -j DSCP --set-dscp %d\n",
			    plan->site.wan, c, plan->dscp, plan->site.wan, c,
			    plan->dscp);
		}
		for (i = 0; i < plan->nrules; i++) {
			r = &plan->rules[i];
			if (!fwgen_rule_is_voice(r) || r->dir != PROFILE_OUT)
				continue;
			fwgen_printf(o, "-A POSTROUTING -o %s -p %s --dport %s "
			    "-m comment --comment \"qos.dscp %s\" -j DSCP "
			    "--set-dscp %d\n", plan->site.wan,
			    ipt_proto(r->proto), fwgen_ports(r, ":", ports,
			    sizeof(ports)), r->id, plan->dscp);
		}
	}
	fwgen_printf(o, "COMMIT\n");
}

/* raw: named, so that loading empties it of any CT --helper rule. */
static void
ipt_raw(struct fwgen_out *o)
{
	fwgen_printf(o, "*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
	    "COMMIT\n");
}

/*
 * The IPv6 side, for ip6tables-restore, in the same file: every line
 * behind "#6 ", which iptables-restore reads as a comment, so that the one
 * file loads with both tools (docs/decisions.md).  No nat table: no NAT
 * over IPv6.
 */
static int
ipt6_emit(const struct fwgen_plan *plan, struct fwgen_out *o)
{
	struct fwgen_out o6 = *o;
	char *buf = NULL, *line, *next;
	size_t len = 0;

	if ((o6.f = open_memstream(&buf, &len)) == NULL)
		return -ENOMEM;
	ipt_raw(&o6);
	ipt_mangle(plan, &o6, AF_INET6);
	ipt_filter(plan, &o6, AF_INET6);
	if (fclose(o6.f) != 0) {
		free(buf);
		return -ENOMEM;
	}
	o->cannot = o6.cannot;
	fwgen_comment(o, "", "IPv6 (no NAT: firewall rules only), for "
	    "ip6tables-restore. Load it with:");
	fwgen_printf(o, "#   sed -n 's/^#6 //p' FILE | ip6tables-restore\n"
	    "#   sysctl -w net.ipv6.conf.all.forwarding=1\n");
	for (line = buf; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		fwgen_printf(o, "#6 %s\n", line);
	}
	free(buf);
	return 0;
}

static int
ipt_emit(const struct fwgen_plan *plan, struct fwgen_out *o)
{
	fwgen_header(plan, o);
	fwgen_comment(o, "", "Load with iptables-restore (IPv4). It "
	    "replaces the raw, mangle, nat and filter tables: a complete "
	    "firewall for the site, with NAT. Run first, as root:");
	if (plan->sip_alg_off)
		fwgen_printf(o, "#   modprobe -r nf_nat_sip nf_conntrack_sip"
		    "   # sip-alg: no SIP helper\n"
		    "# before Linux 6.0 also: sysctl -w net.netfilter.nf_conntrack_helper=0\n");
	if (plan->udp_timeout > 0)
		fwgen_printf(o, "#   sysctl -w "
		    "net.netfilter.nf_conntrack_udp_timeout=%u   # udp-timeout\n"
		    "#   sysctl -w net.netfilter.nf_conntrack_udp_timeout_stream=%u"
		    "\n", fwgen_timeout(plan, o, "unreplied"),
		    fwgen_timeout(plan, o, "replied"));
	fwgen_printf(o, "#   sysctl -w net.ipv4.ip_forward=1\n");
	if (plan->sip_alg_off)
		fwgen_comment(o, "", "After loading, empty the connection table "
		    "(conntrack -F) so that no flow keeps a helper it got "
		    "before.");
	if (plan->udp_timeout > 0)
		fwgen_comment(o, "", "The UDP timeouts are global: iptables "
		    "sets per-flow timeouts only with nfct timeout objects.");
	ipt_raw(o);
	ipt_mangle(plan, o, AF_INET);
	ipt_nat(plan, o);
	ipt_filter(plan, o, AF_INET);
	fwgen_v6_unused(plan, o);
	return fwgen_dual(plan) ? ipt6_emit(plan, o) : 0;
}

const struct fwgen_ops fwgen_iptables_ops = {
	.name = "iptables",
	.title = "iptables-restore (Linux; IPv6 for ip6tables-restore)",
	.comment = "#",
	.drops_wan_input = 1,
	.ipv6 = 1,
	.emit = ipt_emit,
};
