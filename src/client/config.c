/*
 * config.c - 'pinhole config': profiles (and optionally a check report)
 * in, firewall configuration out.  The output is written to a temporary
 * file next to -o FILE and renamed only when complete, so a bad input
 * never leaves a half-written configuration behind.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "fwgen.h"
#include "log.h"
#include "pinhole.h"

#define CFG_MAX_PROFILES 8

static const struct option cfg_opts[] = {
	{ "profile", required_argument, NULL, 'p' },
	{ "profile-dir", required_argument, NULL, 'P' },
	{ "format", required_argument, NULL, 'f' },
	{ "lan", required_argument, NULL, 'l' },
	{ "wan", required_argument, NULL, 'w' },
	{ "lan-if", required_argument, NULL, 'i' },
	{ "forward", required_argument, NULL, 'F' },
	{ "restrict-sources", no_argument, NULL, 'r' },
	{ "no-restrict-sources", no_argument, NULL, 'R' },
	{ "allow-public-lan", no_argument, NULL, 'A' },
	{ "mgmt", required_argument, NULL, 'M' },
	{ "report", required_argument, NULL, 'j' },
	{ "output", required_argument, NULL, 'o' },
	{ "list-formats", no_argument, NULL, 'L' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

const struct option *
cmd_config_options(void)
{
	return cfg_opts;
}

static void
cfg_usage(FILE *f)
{
	fprintf(f,
"usage: pinhole config --profile NAME|FILE [--profile ...] --format FORMAT\n"
"                      --lan CIDR [--lan ...] --wan IFACE [options]\n"
"       pinhole config --list-formats\n"
"\n"
"  -p, --profile NAME|FILE   a profile by name or path; repeatable, up to 8\n"
"  -P, --profile-dir DIR     search DIR for profiles first; repeatable,\n"
"                            up to 8\n"
"  -f, --format FORMAT       nftables, iptables, pf, routeros, vyos, cisco,\n"
"                            junos, fortios\n"
"      --lan CIDR            a LAN network behind the firewall; repeatable,\n"
"                            up to 8; an IPv6 prefix (ULA, or the global\n"
"                            prefix the provider delegates) adds the IPv6\n"
"                            side: firewall rules, no NAT\n"
"      --wan IFACE           the internet-facing interface (or zone)\n"
"      --lan-if IFACE        the LAN interface, which pf (NAT loopback), vyos\n"
"                            (DSCP policy), cisco (ip nat inside) and\n"
"                            fortios (policies) need\n"
"      --forward ADDR        a phone or host in a --lan network that\n"
"                            receives the inbound traffic of the profiles;\n"
"                            repeatable, up to 16; IPv4: the one host NAT\n"
"                            forwards to; IPv6: inbound only to these, not\n"
"                            to the whole IPv6 LAN\n"
"      --restrict-sources    inbound only from the profiles' [sources]\n"
"                            (the default)\n"
"      --no-restrict-sources inbound from anywhere (warned on stderr)\n"
"      --allow-public-lan    accept a --lan outside the private ranges\n"
"      --mgmt CIDR           keep the router reachable from CIDR on the WAN\n"
"                            side (nftables, iptables, pf); repeatable (up\n"
"                            to 8)\n"
"      --report FILE         a 'pinhole check --json' report: address what\n"
"                            it measured\n"
"  -o, --output FILE         write there instead of standard output\n"
"      --list-formats        list the formats\n"
"  -h, --help                this text\n");
}

static int
cfg_write(const struct fwgen_ops *ops, const struct fwgen_plan *plan,
    const char *path, unsigned *cannot)
{
	char tmp[4096];
	FILE *f;
	int r, fd;

	if (path == NULL || strcmp(path, "-") == 0) {
		r = fwgen_emit(ops, plan, stdout, cannot);
		if (fflush(stdout) != 0 && r == 0)
			r = -errno;
		return r;
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >=
	    sizeof(tmp))
		return -ENAMETOOLONG;
	if ((fd = mkstemp(tmp)) < 0)
		return -errno;
	if ((f = fdopen(fd, "w")) == NULL) {
		r = -errno;
		close(fd);
		unlink(tmp);
		return r;
	}
	r = fwgen_emit(ops, plan, f, cannot);
	if (fclose(f) != 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0)
		unlink(tmp);
	return r;
}

static void
cfg_list(void)
{
	const struct fwgen_ops *const *ops;

	for (ops = fwgen_registry; *ops != NULL; ops++)
		printf("%-10s %s\n", (*ops)->name, (*ops)->title);
}

/* A network a firewall's LAN can be: private, carrier NAT or ULA. */
static int
cfg_lan_private(const struct net_cidr *c)
{
	enum net_class k = net_ip_class(&c->ip);

	return (k == NET_CLASS_PRIVATE || k == NET_CLASS_SHARED) &&
	    c->prefix >= (c->ip.family == AF_INET ? 8u : 7u);
}

/*
 * An IPv6 prefix a provider delegates to a site: global unicast
 * (2000::/3), /32 or longer.  Over IPv6 the LAN's addresses are public
 * (no NAT), so such a LAN needs no --allow-public-lan.
 */
static int
cfg_lan_global6(const struct net_cidr *c)
{
	enum net_class k = net_ip_class(&c->ip);

	return c->ip.family == AF_INET6 && (c->ip.a[0] & 0xe0) == 0x20 &&
	    (k == NET_CLASS_PUBLIC || k == NET_CLASS_DOCUMENTATION) &&
	    c->prefix >= 32;
}

/*
 * Refuses site options that would make the output unsafe: a LAN that is
 * the whole internet, a public LAN (unless asked for, with a warning),
 * and a --forward that is not a host of a LAN.  0, or -EINVAL after
 * saying why.
 */
static int
cfg_site_check(const struct fwgen_site *site, int allow_public)
{
	char a[NET_ADDRSTRLEN];
	size_t i, k;

	for (i = 0; i < site->nlans; i++) {
		const struct net_cidr *c = &site->lans[i];

		net_cidr_str(c, a, sizeof(a));
		if (c->prefix < (c->ip.family == AF_INET ? 8u : 16u)) {
			log_warnx("--lan %s covers a large part of the internet: "
			    "name the LAN's own network", a);
			return -EINVAL;
		}
		if (!cfg_lan_private(c) && !cfg_lan_global6(c)) {
			if (!allow_public) {
				log_warnx("--lan %s is not a private network "
				    "(10/8, 172.16/12, 192.168/16, 100.64/10, "
				    "fc00::/7) nor an IPv6 site prefix (2000::/3, "
				    "/32 or longer); if this LAN really uses public "
				    "addresses, add --allow-public-lan", a);
				return -EINVAL;
			}
			log_warnx("warning: --lan %s is public (--allow-public-"
			    "lan): the rules treat it as inside", a);
		}
	}
	for (i = 0; i < site->nhosts; i++) {
		const struct net_ip *h = &site->hosts[i];
		int inside = 0;

		net_ip_str(h, a, sizeof(a));
		for (k = 0; k < site->nlans; k++) {
			const struct net_cidr *c = &site->lans[k];
			struct net_cidr host = { *h, c->prefix };
			struct net_cidr bcast = { *h, c->prefix };
			size_t b, bits = h->family == AF_INET ? 32 : 128;

			if (!net_cidr_contains(c, h))
				continue;
			inside = 1;
			/* The network address and the IPv4 broadcast are
			 * not hosts. */
			for (b = c->prefix; b < bits; b++)
				host.ip.a[b / 8] &= (uint8_t)~(0x80u >> (b % 8));
			for (b = c->prefix; b < bits; b++)
				bcast.ip.a[b / 8] |= (uint8_t)(0x80u >> (b % 8));
			if (c->prefix < bits - 1 &&
			    (net_ip_equal(&host.ip, h) ||
			    (h->family == AF_INET && net_ip_equal(&bcast.ip, h)))) {
				char l[NET_ADDRSTRLEN];

				log_warnx("--forward %s is the network or "
				    "broadcast address of --lan %s, not a host",
				    a, net_cidr_str(c, l, sizeof(l)));
				return -EINVAL;
			}
		}
		if (!inside) {
			log_warnx("--forward %s is in no --lan network", a);
			return -EINVAL;
		}
	}
	return 0;
}

int
cmd_config(int argc, char **argv)
{
	const char *names[CFG_MAX_PROFILES];
	const char *dirs[CFG_MAX_PROFILES + PINHOLE_PROFILE_DIRS_EXTRA];
	const char *format = NULL, *report = NULL, *out = NULL;
	struct profile *profiles[CFG_MAX_PROFILES] = { NULL };
	const struct fwgen_ops *ops;
	struct fwgen_measured measured;
	struct fwgen_site site;
	struct fwgen_plan plan;
	size_t nnames = 0, ndirs = 0, i;
	unsigned cannot = 0;
	char err[512];
	int ch, r, status = 2, allow_public = 0;

	memset(&site, 0, sizeof(site));
	memset(&measured, 0, sizeof(measured));
	measured.nat_count = -1;
	site.restrict_sources = 1;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "p:P:f:o:h", cfg_opts,
	    NULL)) != -1) {
		switch (ch) {
		case 'p':
			if (nnames == CFG_MAX_PROFILES) {
				log_warnx("at most %d profiles", CFG_MAX_PROFILES);
				return 2;
			}
			names[nnames++] = optarg;
			break;
		case 'P':
			if (ndirs == CFG_MAX_PROFILES) {
				log_warnx("at most %d profile directories",
				    CFG_MAX_PROFILES);
				return 2;
			}
			if (pinhole_profile_dir_check(optarg) < 0)
				return 2;
			dirs[ndirs++] = optarg;
			break;
		case 'f':
			if (fwgen_find(optarg) == NULL) {
				log_warnx("unknown format '%s' (see "
				    "--list-formats)", optarg);
				return 2;
			}
			format = optarg;
			break;
		case 'l':
			if (site.nlans == FWGEN_MAX_LANS ||
			    net_cidr_parse(optarg, &site.lans[site.nlans]) < 0) {
				log_warnx("--lan wants a network such as "
				    "192.168.1.0/24 (at most %d), not '%s'",
				    FWGEN_MAX_LANS, optarg);
				return 2;
			}
			site.nlans++;
			break;
		case 'w':
		case 'i':
			if (optarg[0] == '\0' || strlen(optarg) > 15 ||
			    strpbrk(optarg, " \t\"'/;{}$\\") != NULL) {
				log_warnx("--%s wants an interface name, not "
				    "'%s'", ch == 'w' ? "wan" : "lan-if", optarg);
				return 2;
			}
			if (ch == 'w')
				site.wan = optarg;
			else
				site.lan_if = optarg;
			break;
		case 'F':
			if (site.nhosts == FWGEN_MAX_HOSTS ||
			    net_ip_parse(optarg, &site.hosts[site.nhosts]) < 0) {
				log_warnx("--forward wants an address (at most "
				    "%d), not '%s'", FWGEN_MAX_HOSTS, optarg);
				return 2;
			}
			site.nhosts++;
			break;
		case 'r':
			site.restrict_sources = 1;
			break;
		case 'R':
			site.restrict_sources = 0;
			break;
		case 'A':
			allow_public = 1;
			break;
		case 'M':
			if (site.nmgmt == FWGEN_MAX_LANS ||
			    net_cidr_parse(optarg, &site.mgmt[site.nmgmt]) < 0 ||
			    site.mgmt[site.nmgmt].prefix <
			    (site.mgmt[site.nmgmt].ip.family == AF_INET ? 8u :
			    16u)) {
				log_warnx("--mgmt wants the network you manage "
				    "the router from, such as 203.0.113.0/28 (at "
				    "most %d), not '%s'", FWGEN_MAX_LANS, optarg);
				return 2;
			}
			site.nmgmt++;
			break;
		case 'j':
			report = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'L':
			cfg_list();
			return 0;
		case 'h':
			cfg_usage(stdout);
			return 0;
		default:
			cfg_usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		log_warnx("unexpected argument '%s'", argv[optind]);
		return 2;
	}
	if (nnames == 0 || format == NULL || site.nlans == 0 ||
	    site.wan == NULL) {
		log_warnx("config needs --profile, --format, --lan and --wan");
		cfg_usage(stderr);
		return 2;
	}
	if (cfg_site_check(&site, allow_public) < 0)
		return 2;
	if (!site.restrict_sources)
		log_warnx("warning: --no-restrict-sources: the inbound "
		    "requirements are opened to every address on the "
		    "internet, not only to the profiles' [sources]");
	if (report != NULL &&
	    fwgen_read_report(report, &measured, err, sizeof(err)) < 0) {
		log_warnx("--report %s", err);
		return 2;
	}
	ndirs = pinhole_profile_dirs_finish(dirs, ndirs);
	if (pinhole_load_profiles(names, nnames, dirs, profiles) < 0)
		return 2;
	ops = fwgen_find(format);
	if ((r = fwgen_plan_build(&plan, profiles, nnames, &site,
	    &measured)) < 0)
		log_warnx("cannot plan: %s", strerror(-r));
	else if ((r = cfg_write(ops, &plan, out, &cannot)) < 0)
		log_warnx("cannot write %s: %s", out ? out : "the output",
		    strerror(-r));
	else
		status = 0;
	if (status == 0 && ops->drops_wan_input && site.nmgmt == 0)
		log_warnx("warning: %s: the output replaces the ruleset and "
		    "drops what the internet side sends to the router itself; "
		    "if you manage it from there, add --mgmt CIDR", ops->name);
	if (status == 0 && cannot > 0)
		log_warnx("%u requirement%s written as comments: %s cannot "
		    "express them", cannot, cannot == 1 ? "" : "s", ops->title);
	fwgen_plan_free(&plan);
	for (i = 0; i < nnames; i++)
		profile_free(profiles[i]);
	return status;
}
