/*
 * junos.c - Juniper Junos (SRX) set commands: the SIP ALG off, one
 * application per requirement with its inactivity timeout (the per-flow
 * UDP timeout), an address book of the provider, source NAT for the LAN,
 * security policies between the zones 'trust' and 'untrust', DSCP in a
 * firewall filter.
 */
#include <string.h>

#include "fwgen.h"

static const char *
jn_proto(enum profile_proto p)
{
	return p == PROFILE_UDP ? "udp" : "tcp";
}

/* Application names may not contain dots: reach-udp-in-1-65535. */
static const char *
jn_name(const struct fwgen_rule *r, char *buf, size_t len)
{
	char *p;

	snprintf(buf, len, "%s", r->id);
	for (p = buf; *p != '\0'; p++)
		if (*p == '.')
			*p = '-';
	return buf;
}

static void
jn_rule(const struct fwgen_plan *plan, struct fwgen_out *o,
    const struct fwgen_rule *r)
{
	char name[PROFILE_ID_LEN], ports[16];
	const char *from = r->dir == PROFILE_OUT ? "trust" : "untrust";
	const char *to = r->dir == PROFILE_OUT ? "untrust" : "trust";

	jn_name(r, name, sizeof(name));
	fwgen_ports(r, "-", ports, sizeof(ports));
	fwgen_printf(o, "# %s (%s)\n"
	    "set applications application %s protocol %s destination-port %s\n",
	    r->id, r->profile, name, jn_proto(r->proto), ports);
	if (r->proto == PROFILE_UDP && plan->udp_timeout > 0)
		fwgen_printf(o, "set applications application %s "
		    "inactivity-timeout %u\n", name,
		    fwgen_timeout(plan, o, "udp"));
	fwgen_printf(o, "set security policies from-zone %s to-zone %s policy "
	    "%s match source-address %s\n"
	    "set security policies from-zone %s to-zone %s policy %s match "
	    "destination-address any\n"
	    "set security policies from-zone %s to-zone %s policy %s match "
	    "application %s\n"
	    "set security policies from-zone %s to-zone %s policy %s then "
	    "permit\n", from, to, name, r->nsources ? "pinhole-provider" : "any",
	    from, to, name, from, to, name, name, from, to, name);
	if (r->dir == PROFILE_IN)
		fwgen_cannot(o, "", r->id, "destination NAT on an SRX matches "
		    "the public address, which this site does not give; add a "
		    "rule-set from zone untrust with a pool for %s",
		    plan->site.nhosts > 0 ? "the --forward host" : "the phones");
}

static int
jn_emit(const struct fwgen_plan *plan, struct fwgen_out *o)
{
	char c[64];
	size_t i;

	fwgen_header(plan, o);
	fwgen_comment(o, "", "Zones: the LAN in 'trust', %s in 'untrust'.",
	    plan->site.wan);
	fwgen_printf(o, "set security zones security-zone untrust interfaces "
	    "%s\n", plan->site.wan);
	if (plan->sip_alg_off)
		fwgen_printf(o, "# sip-alg\nset security alg sip disable\n");
	if (plan->udp_timeout > 0)
		fwgen_comment(o, "", "udp-timeout: each UDP application below "
		    "carries an inactivity timeout of %u s.", plan->udp_timeout);
	for (i = 0; i < plan->nsources; i++)
		fwgen_printf(o, "set security address-book global address "
		    "pinhole-provider-%zu %s\n"
		    "set security address-book global address-set "
		    "pinhole-provider address pinhole-provider-%zu\n", i + 1,
		    fwgen_cidr(plan->sources[i], c, sizeof(c)), i + 1);
	for (i = 0; i < plan->site.nlans; i++)
		fwgen_printf(o, "set security nat source rule-set pinhole-lan "
		    "from zone trust\n"
		    "set security nat source rule-set pinhole-lan to zone untrust\n"
		    "set security nat source rule-set pinhole-lan rule lan%zu match "
		    "source-address %s\n"
		    "set security nat source rule-set pinhole-lan rule lan%zu then "
		    "source-nat interface\n", i + 1,
		    fwgen_cidr(&plan->site.lans[i], c, sizeof(c)), i + 1);
	for (i = 0; i < plan->nrules; i++)
		jn_rule(plan, o, &plan->rules[i]);
	if (plan->dscp >= 0 && plan->nsources > 0) {
		fwgen_printf(o, "# qos.dscp: voice to the provider marked %s\n",
		    plan->dscp_name);
		for (i = 0; i < plan->nsources; i++)
			fwgen_printf(o, "set firewall family inet filter "
			    "pinhole-dscp term voice from destination-address "
			    "%s\n", fwgen_cidr(plan->sources[i], c, sizeof(c)));
		fwgen_printf(o, "set firewall family inet filter pinhole-dscp term "
		    "voice then dscp %d\n"
		    "set firewall family inet filter pinhole-dscp term voice then "
		    "accept\nset firewall family inet filter pinhole-dscp term "
		    "rest then accept\n"
		    "set interfaces %s unit 0 family inet filter output "
		    "pinhole-dscp\n", plan->dscp, plan->site.wan);
	} else if (plan->dscp >= 0) {
		fwgen_cannot(o, "", "qos.dscp", "without source ranges in the "
		    "profile, mark voice with class-of-service rewrite rules");
	}
	return 0;
}

const struct fwgen_ops fwgen_junos_ops = {
	.name = "junos",
	.title = "Juniper Junos (SRX)",
	.comment = "#",
	.emit = jn_emit,
};
