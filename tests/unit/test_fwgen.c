/* test_fwgen.c - the plan of pinhole config and what the formats share. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <setjmp.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "fwgen.h"

static struct profile *
load(const char *path)
{
	struct profile_error err;
	struct profile *p = NULL;

	assert_int_equal(profile_load(path, &p, &err), 0);
	return p;
}

static void
site_default(struct fwgen_site *site, int restrict_sources)
{
	memset(site, 0, sizeof(*site));
	assert_int_equal(net_cidr_parse("192.168.1.0/24", &site->lans[0]), 0);
	site->nlans = 1;
	site->wan = "wan0";
	site->restrict_sources = restrict_sources;
}

static void
test_plan_ip_phones(void **state)
{
	struct profile *p = load(SRCDIR "/profiles/ringio-ip-phones.ini");
	struct fwgen_measured m = { 0 };
	struct fwgen_site site;
	struct fwgen_plan plan;
	size_t i;
	int in = 0;

	(void)state;
	site_default(&site, 1);
	assert_int_equal(fwgen_plan_build(&plan, &p, 1, &site, &m), 0);
	assert_int_equal(plan.udp_timeout, 120);
	assert_int_equal(plan.dscp, 46);
	assert_true(plan.sip_alg_off);
	assert_int_equal(plan.nsip_ports, 2);	/* 5060 and 5062 */
	assert_int_equal(plan.nsources, 1);
	assert_int_equal(plan.nrules, 4);
	assert_string_equal(plan.rules[0].id, "reach.udp.in.1-65535");
	for (i = 0; i < plan.nrules; i++)
		if (plan.rules[i].dir == PROFILE_IN) {
			in++;
			assert_int_equal(plan.rules[i].nsources, 1);
		}
	assert_int_equal(in, 2);
	fwgen_plan_free(&plan);

	/* Unrestricted: inbound from anywhere, and no source set at all. */
	site_default(&site, 0);
	assert_int_equal(fwgen_plan_build(&plan, &p, 1, &site, &m), 0);
	assert_int_equal(plan.nsources, 0);
	for (i = 0; i < plan.nrules; i++)
		assert_int_equal(plan.rules[i].nsources, 0);
	fwgen_plan_free(&plan);
	profile_free(p);
}

static void
test_plan_both_directions(void **state)
{
	struct profile *p = load(SRCDIR "/profiles/ringio-desktop.ini");
	struct fwgen_measured m = { 0 };
	struct fwgen_site site;
	struct fwgen_plan plan;
	size_t i, xmpp = 0;

	(void)state;
	site_default(&site, 1);
	assert_int_equal(fwgen_plan_build(&plan, &p, 1, &site, &m), 0);
	for (i = 0; i < plan.nrules; i++)
		if (strstr(plan.rules[i].id, ".5222") != NULL)
			xmpp++;
	assert_int_equal(xmpp, 2);	/* "direction = both": out and in */
	assert_int_equal(plan.udp_timeout, 0);
	assert_int_equal(plan.dscp, -1);
	fwgen_plan_free(&plan);
	profile_free(p);
}

static void
test_helpers(void **state)
{
	struct fwgen_rule r = { .lo = 10000, .hi = 20000 };
	struct net_cidr c;
	char buf[64];

	(void)state;
	assert_string_equal(fwgen_ports(&r, ":", buf, sizeof(buf)),
	    "10000:20000");
	r.hi = 10000;
	assert_string_equal(fwgen_ports(&r, "-", buf, sizeof(buf)), "10000");
	assert_int_equal(net_cidr_parse("199.7.172.0/22", &c), 0);
	assert_string_equal(fwgen_addr_mask(&c, 0, buf, sizeof(buf)),
	    "199.7.172.0 255.255.252.0");
	assert_string_equal(fwgen_addr_mask(&c, 1, buf, sizeof(buf)),
	    "199.7.172.0 0.0.3.255");
	assert_int_equal(net_cidr_parse("0.0.0.0/0", &c), 0);
	assert_string_equal(fwgen_addr_mask(&c, 0, buf, sizeof(buf)),
	    "0.0.0.0 0.0.0.0");
	assert_non_null(fwgen_find("nftables"));
	assert_null(fwgen_find("iptable"));
}

/* Whatever a format cannot express is counted and commented, not lost. */
static void
test_cannot_is_counted(void **state)
{
	struct profile *p = load(SRCDIR "/profiles/ringio-ip-phones.ini");
	struct fwgen_measured m = { 0 };
	struct fwgen_site site;
	struct fwgen_plan plan;
	char *text = NULL;
	size_t len = 0;
	unsigned cannot;
	FILE *f;

	(void)state;
	site_default(&site, 1);		/* no --forward host */
	assert_int_equal(fwgen_plan_build(&plan, &p, 1, &site, &m), 0);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	assert_int_equal(fwgen_emit(fwgen_find("nftables"), &plan, f,
	    &cannot), 0);
	fclose(f);
	assert_int_equal(cannot, 2);	/* both inbound requirements */
	assert_non_null(strstr(text, "# NOT EXPRESSED (reach.udp.in.1-65535)"));
	assert_non_null(strstr(text, "ct timeout set \"voice-udp\""));
	assert_null(strstr(text, "ct helper"));
	free(text);
	fwgen_plan_free(&plan);
	profile_free(p);
}

/* A dual-stack site: hosts split by family, IPv6 destinations, sources. */
static void
test_plan_dual(void **state)
{
	struct profile *p = load(SRCDIR "/tests/golden/profiles/dual-phones.ini");
	struct profile *v4 = load(SRCDIR "/profiles/ringio-ip-phones.ini");
	struct fwgen_measured m = { 0 };
	struct net_cidr dst[FWGEN_MAX_HOSTS];
	struct fwgen_site site;
	struct fwgen_plan plan;
	char *text = NULL, buf[64];
	size_t len = 0, i;
	unsigned cannot;
	FILE *f;

	(void)state;
	site_default(&site, 1);
	assert_false(fwgen_dual(&(struct fwgen_plan){ .site = site }));
	assert_int_equal(net_cidr_parse("2001:db8:1::/64", &site.lans[1]), 0);
	site.nlans = 2;
	assert_int_equal(net_ip_parse("2001:db8:1::10", &site.hosts[0]), 0);
	assert_int_equal(net_ip_parse("192.168.1.10", &site.hosts[1]), 0);
	site.nhosts = 2;
	assert_int_equal(fwgen_plan_build(&plan, &p, 1, &site, &m), 0);
	assert_true(fwgen_dual(&plan));
	/* The IPv4 host is the one NAT target; the IPv6 one narrows. */
	assert_int_equal(plan.site.nhosts, 1);
	assert_int_equal(plan.nhosts6, 1);
	assert_int_equal(fwgen_dst6(&plan, dst), 1);
	assert_string_equal(fwgen_cidr(&dst[0], buf, sizeof(buf)),
	    "2001:db8:1::10/128");
	assert_int_equal(fwgen_nsources(&plan, NULL, AF_INET6), 2);
	assert_int_equal(fwgen_nsources(&plan, NULL, AF_INET), 1);
	for (i = 0; i < plan.nrules; i++)
		if (plan.rules[i].dir == PROFILE_IN)
			assert_int_equal(fwgen_nsources(&plan, &plan.rules[i],
			    AF_INET6), 2);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	assert_int_equal(fwgen_emit(fwgen_find("nftables"), &plan, f,
	    &cannot), 0);
	fclose(f);
	assert_int_equal(cannot, 0);
	assert_non_null(strstr(text, "ip6 saddr @provider6 ip6 daddr @phones6 "
	    "udp dport 10000-20000 accept"));
	assert_null(strstr(text, "table ip6"));	/* no NAT66 */
	free(text);
	fwgen_plan_free(&plan);

	/* No --forward: inbound IPv6 to the whole IPv6 LAN.  A profile
	 * with IPv4 sources only: inbound IPv6 stays closed, said. */
	site.nhosts = 0;
	assert_int_equal(fwgen_plan_build(&plan, &v4, 1, &site, &m), 0);
	assert_int_equal(fwgen_dst6(&plan, dst), 1);
	assert_string_equal(fwgen_cidr(&dst[0], buf, sizeof(buf)),
	    "2001:db8:1::/64");
	text = NULL;
	f = open_memstream(&text, &len);
	assert_non_null(f);
	assert_int_equal(fwgen_emit(fwgen_find("iptables"), &plan, f,
	    &cannot), 0);
	fclose(f);
	/* 2 without a --forward host (IPv4), 2 without an IPv6 source */
	assert_int_equal(cannot, 4);
	assert_non_null(strstr(text, "#6 # NOT EXPRESSED (reach.udp.in.1-65535): "
	    "inbound udp 1-65535 over IPv6"));
	assert_null(strstr(text, "#6 -A FORWARD -i wan0 ! -o wan0 -d"));
	free(text);
	fwgen_plan_free(&plan);
	profile_free(v4);
	profile_free(p);
}

/* A report of both families' udp-timeout (IPv4 40 s, IPv6 24 s) and an
 * IPv6 SIP ALG, with 'families' before its checks, read into 'm'. */
static void
read_families(const char *path, const char *families,
    struct fwgen_measured *m)
{
	char err[256];
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fprintf(f, "{\"schema\": \"pinhole.report/1\", %s\"checks\": ["
	    "{\"id\": \"udp-timeout\", \"verdict\": \"fail\", \"evidence\": "
	    "{\"ports\": [{\"port\": 3478, \"established_s\": 40}]}},"
	    "{\"id\": \"udp-timeout@ipv6\", \"verdict\": \"fail\", "
	    "\"evidence\": {\"ports\": [{\"port\": 3478, \"established_s\": "
	    "24}]}},"
	    "{\"id\": \"sip-alg.udp.5062@ipv6\", \"verdict\": \"fail\"}]}",
	    families);
	fclose(f);
	assert_int_equal(fwgen_read_report(path, m, err, sizeof(err)), 0);
}

static void
test_report(void **state)
{
	struct fwgen_measured m;
	char err[256], path[] = "/tmp/pinhole-test-report-XXXXXX";
	FILE *f;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs("{\"schema\": \"pinhole.report/1\", \"checks\": ["
	    "{\"id\": \"udp-timeout\", \"verdict\": \"fail\", \"evidence\": "
	    "{\"ports\": [{\"port\": 3478, \"established_s\": 40}, "
	    "{\"port\": 5060, \"established_s\": 25}]}},"
	    "{\"id\": \"nat.layers\", \"verdict\": \"fail\", \"evidence\": "
	    "{\"count\": 2, \"cgnat\": true}},"
	    "{\"id\": \"sip-alg.udp.5060\", \"verdict\": \"fail\"}]}", f);
	fclose(f);
	assert_int_equal(fwgen_read_report(path, &m, err, sizeof(err)), 0);
	assert_int_equal(m.udp_established_s, 25);
	assert_int_equal(m.nat_count, 2);
	assert_true(m.cgnat);
	assert_string_equal(m.alg_ids, "sip-alg.udp.5060");
	/* Counts past 32 bits are kept whole, not cut to an int. */
	f = fopen(path, "w");
	fputs("{\"schema\": \"pinhole.report/1\", \"checks\": ["
	    "{\"id\": \"udp-timeout\", \"verdict\": \"pass\", \"evidence\": "
	    "{\"ports\": [{\"port\": 3478, \"established_s\": 4294967297}, "
	    "{\"port\": 5060, \"established_s\": -5}]}},"
	    "{\"id\": \"nat.layers\", \"verdict\": \"pass\", \"evidence\": "
	    "{\"count\": 4294967298}}]}", f);
	fclose(f);
	assert_int_equal(fwgen_read_report(path, &m, err, sizeof(err)), 0);
	assert_true(m.udp_established_s == 4294967297LL);
	assert_true(m.nat_count == 4294967298LL);
	/* Both families: the shortest lifetime and every ALG of the two;
	 * IPv6 alone (-6): IPv6's; IPv4 alone (-4): IPv4's. */
	read_families(path, "", &m);
	assert_int_equal(m.udp_established_s, 24);
	assert_string_equal(m.alg_ids, "sip-alg.udp.5062@ipv6");
	read_families(path, "\"families\": {\"ipv4\": {\"tested\": true}, "
	    "\"ipv6\": {\"tested\": false, \"why\": \"-4 given\"}}, ", &m);
	assert_int_equal(m.udp_established_s, 40);
	assert_string_equal(m.alg_ids, "");
	read_families(path, "\"families\": {\"ipv4\": {\"tested\": false, "
	    "\"why\": \"-6 given\"}, \"ipv6\": {\"tested\": true}}, ", &m);
	assert_int_equal(m.udp_established_s, 24);
	assert_string_equal(m.alg_ids, "sip-alg.udp.5062@ipv6");
	/* Only well-formed SIP ALG ids are kept: a newline or a stray
	 * suffix could smuggle a line into a configuration. */
	f = fopen(path, "w");
	fputs("{\"schema\": \"pinhole.report/1\", \"checks\": ["
	    "{\"id\": \"sip-alg.udp.5060\\ninclude \\\"/etc/passwd\\\"\", "
	    "\"verdict\": \"fail\"},"
	    "{\"id\": \"sip-alg.udp.99999\", \"verdict\": \"fail\"},"
	    "{\"id\": \"sip-alg.tcp.5061\", \"verdict\": \"fail\"}]}", f);
	fclose(f);
	assert_int_equal(fwgen_read_report(path, &m, err, sizeof(err)), 0);
	assert_string_equal(m.alg_ids, "sip-alg.tcp.5061");
	f = fopen(path, "w");
	fputs("{\"schema\": \"other/1\"}", f);
	fclose(f);
	assert_int_equal(fwgen_read_report(path, &m, err, sizeof(err)),
	    -EBADMSG);
	assert_non_null(strstr(err, "not a pinhole.report/1"));
	f = fopen(path, "w");
	fputs("{\"schema\": ", f);
	fclose(f);
	assert_int_equal(fwgen_read_report(path, &m, err, sizeof(err)),
	    -EBADMSG);
	unlink(path);
	/* An unopenable file: the reason, and no line -1. */
	assert_int_equal(fwgen_read_report(path, &m, err, sizeof(err)), -ENOENT);
	assert_null(strstr(err, ":-1:"));
	assert_non_null(strstr(err, ": cannot open: No such file or directory"));
	assert_int_equal(fwgen_read_report("/", &m, err, sizeof(err)), -EISDIR);
	assert_string_equal(err, "/: is a directory, not a report");
}

/* A comment never lets a byte end its line, whatever it quotes. */
static void
test_comment_stays_comment(void **state)
{
	struct fwgen_out o = { NULL, "#", "nftables", 0 };
	char *text = NULL;
	size_t len = 0;

	(void)state;
	o.f = open_memstream(&text, &len);
	assert_non_null(o.f);
	fwgen_comment(&o, "", "measured: %s", "x\ninclude \"/etc/passwd\"\r");
	fclose(o.f);
	assert_string_equal(text,
	    "# measured: x include \"/etc/passwd\"\n");
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_ip_phones),
		cmocka_unit_test(test_plan_both_directions),
		cmocka_unit_test(test_plan_dual),
		cmocka_unit_test(test_helpers),
		cmocka_unit_test(test_cannot_is_counted),
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_comment_stays_comment),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
