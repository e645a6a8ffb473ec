/*
 * fwgen.h - pinhole config: firewall configuration that meets profiles.
 *
 * The profiles (and optionally a 'pinhole check --json' report) are first
 * turned into one platform-neutral plan: the rules each requirement needs,
 * the UDP timeout to set, the DSCP class, the SIP ports whose ALG must be
 * off.  Each target platform is then a struct fwgen_ops that writes the
 * plan in its own language.  Whatever a platform cannot express is written
 * as a comment in the output and listed on stderr (fwgen_cannot()), never
 * dropped silently.
 */
#ifndef PINHOLE_FWGEN_H
#define PINHOLE_FWGEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "net.h"
#include "profile.h"

#define FWGEN_MAX_LANS		8
#define FWGEN_MAX_HOSTS		16

/* The site: what the profiles cannot know. */
struct fwgen_site {
	struct net_cidr lans[FWGEN_MAX_LANS];
	size_t nlans;
	const char *wan;		/* WAN interface name */
	const char *lan_if;		/* LAN interface name, or NULL */
	struct net_ip hosts[FWGEN_MAX_HOSTS];	/* phones to forward to */
	size_t nhosts;
	int restrict_sources;		/* inbound only from [sources] */
	struct net_cidr mgmt[FWGEN_MAX_LANS];	/* manage the router from
						   the WAN side from these */
	size_t nmgmt;
};

/* What a 'pinhole check' report measured, when one is given. */
struct fwgen_measured {
	int have;
	long long udp_established_s;	/* shortest measured, 0 unknown */
	long long nat_count;		/* nat.layers count, -1 unknown */
	int cgnat;
	char alg_ids[256];		/* failed sip-alg ids, space-separated */
};

/* One allow rule, in one direction. */
struct fwgen_rule {
	char id[PROFILE_ID_LEN];	/* the requirement: reach.udp.in.1-65535 */
	const char *profile;
	const char *endpoint;
	const char *host;		/* a destination name, or NULL */
	const char *service;
	enum profile_proto proto;
	enum profile_dir dir;		/* PROFILE_OUT or PROFILE_IN */
	uint16_t lo, hi;
	const struct net_cidr *sources;	/* inbound: allowed sources, or NULL */
	size_t nsources;
};

struct fwgen_plan {
	struct profile *const *profiles;
	size_t nprofiles;
	/* The site as given, but for its hosts: site.hosts holds the IPv4
	 * --forward hosts (the targets of NAT), hosts6 the IPv6 ones. */
	struct fwgen_site site;
	struct net_ip hosts6[FWGEN_MAX_HOSTS];
	size_t nhosts6;
	struct fwgen_measured measured;

	struct fwgen_rule *rules;
	size_t nrules;

	int sip_alg_off;		/* some profile asks for it */
	uint16_t sip_ports[16];		/* where an ALG would act (UDP, TCP) */
	size_t nsip_ports;
	unsigned udp_timeout;		/* seconds; 0: no requirement */
	int dscp;			/* codepoint, -1 none */
	const char *dscp_name;
	/* All inbound sources of all profiles, for sets and address lists
	 * (as many as the profiles have). */
	const struct net_cidr **sources;
	size_t nsources;
};

struct fwgen_out {
	FILE *f;
	const char *comment;		/* the platform's comment leader */
	const char *format;
	unsigned cannot;		/* requirements written as comments */
};

struct fwgen_ops {
	const char *name;		/* --format NAME */
	const char *title;
	const char *comment;
	/* The output replaces the ruleset and drops what the WAN sends to
	 * the router itself, but for --mgmt sources. */
	int drops_wan_input;
	/* It writes the IPv6 side of a dual-stack site (fwgen_dual()); when
	 * not, the IPv4 side is written alone and the IPv6 side is listed as
	 * not expressed. */
	int ipv6;
	int (*emit)(const struct fwgen_plan *plan, struct fwgen_out *out);
};

extern const struct fwgen_ops fwgen_nftables_ops;
extern const struct fwgen_ops fwgen_iptables_ops;
extern const struct fwgen_ops fwgen_pf_ops;
extern const struct fwgen_ops fwgen_routeros_ops;
extern const struct fwgen_ops fwgen_vyos_ops;
extern const struct fwgen_ops fwgen_cisco_ops;
extern const struct fwgen_ops fwgen_junos_ops;
extern const struct fwgen_ops fwgen_fortios_ops;

/* Every format (NULL-terminated), and one by name. */
extern const struct fwgen_ops *const fwgen_registry[];
const struct fwgen_ops *fwgen_find(const char *name);

/* Builds the plan; 0, or -ENOMEM.  Free with fwgen_plan_free(). */
int fwgen_plan_build(struct fwgen_plan *plan, struct profile *const *profiles,
    size_t nprofiles, const struct fwgen_site *site,
    const struct fwgen_measured *measured);
void fwgen_plan_free(struct fwgen_plan *plan);

/*
 * Reads what a pinhole.report/1 JSON file measured, through
 * report_load_file() (REPORT_LOAD_PARTIAL): its IPv4 entries, or its IPv6
 * ones (ids with "@ipv6") when IPv4 was not tested.  0, or -errno with a message
 * in 'err' that names the file, and the line where there is one:
 * -EBADMSG (not JSON, or not a report), -EISDIR, or what opening it
 * failed with.
 */
int fwgen_read_report(const char *path, struct fwgen_measured *m, char *err,
    size_t errlen);

/* Writes the plan in the format; 0 or -errno. */
int fwgen_emit(const struct fwgen_ops *ops, const struct fwgen_plan *plan,
    FILE *f, unsigned *cannot);

/* Output helpers for the formats. */
void fwgen_printf(struct fwgen_out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* "LEADER text" lines, wrapped at 76 columns. */
void fwgen_comment(struct fwgen_out *o, const char *indent, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/*
 * A requirement the platform cannot express: a comment in the output and
 * a line on stderr naming the requirement id.
 */
void fwgen_cannot(struct fwgen_out *o, const char *indent, const char *id,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/*
 * Inbound rule 'r' behind NAT needs exactly one --forward host; when the
 * site has not, writes it as not expressed and returns 1.
 */
int fwgen_no_forward(const struct fwgen_plan *plan, struct fwgen_out *o,
    const char *indent, const struct fwgen_rule *r);
/* The standard header: what, from which profiles, and the measured facts. */
void fwgen_header(const struct fwgen_plan *plan, struct fwgen_out *o);

/* "5060" or "10000-20000"; 'sep' joins a range ("-" or ":" or " "). */
const char *fwgen_ports(const struct fwgen_rule *r, const char *sep,
    char *buf, size_t len);
const char *fwgen_cidr(const struct net_cidr *c, char *buf, size_t len);
/* An IPv4 prefix as "ADDR MASK", or as "ADDR WILDCARD" (Cisco ACLs). */
const char *fwgen_addr_mask(const struct net_cidr *c, int wildcard, char *buf,
    size_t len);
/*
 * The UDP timeout to write for the platform's 'knob' ("unreplied",
 * "stream", ...: see the table in fwgen.c): the profiles' minimum, never
 * below the platform's own default.  Only when plan->udp_timeout is set.
 */
unsigned fwgen_timeout(const struct fwgen_plan *plan, const struct fwgen_out *o,
    const char *knob);
/* A voice rule: its traffic is marked with the plan's DSCP class. */
int fwgen_rule_is_voice(const struct fwgen_rule *r);

/*
 * IPv6.  The IPv6 side of an output is written only for a site with an
 * IPv6 --lan (fwgen_dual()); an IPv4 site's output is what it always was.
 * Over IPv6 there is no NAT (NAT66 is not assumed): the LAN's prefixes
 * are the devices' own addresses, outbound rules are the IPv4 ones, and
 * inbound rules are firewall accepts from the provider's IPv6 ranges to
 * the IPv6 --forward hosts, or to the IPv6 LANs when none is named.
 */
int fwgen_dual(const struct fwgen_plan *plan);
/* The site's LANs of 'family', into 'out' (FWGEN_MAX_LANS); how many. */
size_t fwgen_lans(const struct fwgen_plan *plan, int family,
    const struct net_cidr **out);
/* The --forward hosts of 'family' as /32 or /128 prefixes; how many. */
size_t fwgen_hosts(const struct fwgen_plan *plan, int family,
    struct net_cidr *out);
/*
 * Where inbound IPv6 goes: the IPv6 --forward hosts (/128), or the IPv6
 * LANs when none is named; into 'out' (FWGEN_MAX_HOSTS); how many.
 */
size_t fwgen_dst6(const struct fwgen_plan *plan, struct net_cidr *out);
/* How many of the plan's (or, with r, the rule's) sources are of 'family'. */
size_t fwgen_nsources(const struct fwgen_plan *plan,
    const struct fwgen_rule *r, int family);
/*
 * Inbound rule 'r' over IPv6: 0 when it is written (from the rule's IPv6
 * sources, or from anywhere when it is not restricted); 1 after writing
 * it as not expressed when its sources are all IPv4: the profile names
 * no IPv6 range of the provider, and IPv6 inbound stays closed.
 */
int fwgen_no_in6(const struct fwgen_plan *plan, struct fwgen_out *o,
    const char *indent, const struct fwgen_rule *r);
/* IPv6 sources with no IPv6 LAN: written as not expressed, once. */
void fwgen_v6_unused(const struct fwgen_plan *plan, struct fwgen_out *o);

#endif
