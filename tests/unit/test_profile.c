/* test_profile.c - the shipped profiles and every kind of error. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "profile.h"

static void
test_ip_phones(void **state)
{
	struct profile_error err;
	struct profile *p;
	char cidr[64];
	size_t i;

	assert_int_equal(profile_load(SRCDIR "/profiles/ringio-ip-phones.ini",
	    &p, &err), 0);
	assert_string_equal(p->name, "ringio-ip-phones");
	assert_int_equal(p->sip_alg_off, 1);
	assert_int_equal(p->nsip_ports, 2);
	assert_int_equal(p->sip_ports[0], 5060);
	assert_int_equal(p->sip_ports[1], 5062);
	assert_int_equal(p->max_nat, 1);
	assert_int_equal(p->udp_timeout_min, 120);
	assert_int_equal(p->dscp, 46);
	assert_string_equal(p->dscp_name, "EF");
	assert_int_equal(p->nsources, 1);
	assert_string_equal(net_cidr_str(&p->sources[0], cidr, sizeof(cidr)),
	    "199.7.172.0/22");
	assert_int_equal(p->nendpoints, 4);
	assert_string_equal(p->endpoints[0].name, "inbound-udp");
	assert_int_equal(p->endpoints[0].proto, PROFILE_UDP);
	assert_int_equal(p->endpoints[0].port_lo, 1);
	assert_int_equal(p->endpoints[0].port_hi, 65535);
	assert_int_equal(p->endpoints[0].dir, PROFILE_IN);
	for (i = 0; i < p->nendpoints; i++)
		assert_true(p->endpoints[i].line > 0);
	assert_string_equal(p->endpoints[1].service, "sip");
	profile_free(p);
}

static void
test_others(void **state)
{
	static const char *const dirs[] = { SRCDIR "/profiles", NULL };
	struct profile_error err;
	struct profile *p;

	assert_int_equal(profile_find("ringio-desktop", dirs, &p, &err), 0);
	assert_int_equal(p->nendpoints, 4);
	assert_int_equal(p->endpoints[3].dir, PROFILE_BOTH);
	assert_int_equal(p->endpoints[3].port_lo, 5222);
	assert_int_equal(p->sip_alg_off, 0);
	assert_int_equal(p->dscp, -1);
	profile_free(p);
	assert_int_equal(profile_find("ringio-web-phone", dirs, &p, &err), 0);
	assert_int_equal(p->has_media, 1);
	assert_int_equal(p->media_lo, 10000);
	assert_int_equal(p->media_hi, 20000);
	assert_string_equal(p->endpoints[0].host, "chunderw-gll.twilio.com");
	profile_free(p);
	assert_int_equal(profile_find("sip-generic", dirs, &p, &err), 0);
	assert_int_equal(p->udp_timeout_min, 60);
	profile_free(p);
	assert_int_equal(profile_find("no-such-profile", dirs, &p, &err), -ENOENT);
	assert_int_equal(profile_find("Bad_Name", dirs, &p, &err), -EINVAL);
}

static void
expect_error(const char *text, int line, const char *msg)
{
	struct profile_error err;
	struct profile *p = NULL;

	assert_int_equal(profile_load_string(text, "t.ini", &p, &err), -EINVAL);
	assert_null(p);
	assert_string_equal(err.file, "t.ini");
	assert_int_equal(err.line, line);
	if (strstr(err.msg, msg) == NULL)
		fail_msg("'%s' does not contain '%s'", err.msg, msg);
}

#define HEAD "[profile]\nname = t\ntitle = T\n"

static void
test_errors(void **state)
{
	expect_error(HEAD "[bogus]\nx = 1\n", 5, "unknown section");
	expect_error(HEAD "colour = red\n", 4, "unknown key 'colour'");
	expect_error(HEAD "title = again\n", 4, "given twice");
	expect_error("x = 1\n", 1, "outside any section");
	expect_error(HEAD "[requirements]\nsip-alg = on\n", 5, "only requirement");
	expect_error(HEAD "[requirements]\nmax-nat = 0\n", 5, "max-nat");
	expect_error(HEAD "[requirements]\ndscp = XX\n", 5, "dscp");
	expect_error(HEAD "[requirements]\nudp-timeout-min = 1s\n", 5,
	    "udp-timeout-min");
	expect_error(HEAD "[requirements]\nsip-alg-ports = 5060 0\n", 5,
	    "sip-alg-ports");
	expect_error(HEAD "[sources]\nallow = 199.7.173.0/22\n", 5, "host bits");
	expect_error(HEAD "[media]\nudp = 20000-10000\n", 5, "port range");
	expect_error(HEAD "\n[endpoint a]\nproto = udp\nports = 70000\n", 7,
	    "ports");
	expect_error(HEAD "[endpoint a]\nproto = sctp\n", 5, "udp or tcp");
	expect_error(HEAD "[endpoint a]\nproto = udp\nports = 1\n", 4,
	    "needs proto, ports and direction");
	expect_error(HEAD "[endpoint a]\n", 4, "needs proto");
	expect_error(HEAD "[endpoint a]\nproto=udp\nports=1\ndirection=in\n"
	    "[endpoint a]\nproto=udp\n", 9, "defined twice");
	expect_error(HEAD "[endpoint A]\nproto = udp\n", 5, "endpoint name");
	expect_error(HEAD "[endpoint a]\nservice = ftp\n", 5, "service");
	expect_error(HEAD "this is not ini\n", 4, "key = value");
	expect_error("[profile]\nname = t\n", 1, "needs name and title");
	expect_error(HEAD "[requirements]\nmax-nat =\n", 5, "empty value");
}

static void
test_name_and_defaults(void **state)
{
	struct profile_error err;
	struct profile *p;

	assert_int_equal(profile_load_string(HEAD "[requirements]\n"
	    "sip-alg = off\ndscp = af41\n", "t.ini", &p, &err), 0);
	assert_int_equal(p->nsip_ports, 1);		/* default 5060 */
	assert_int_equal(p->sip_ports[0], 5060);
	assert_int_equal(p->dscp, 34);
	assert_string_equal(p->dscp_name, "AF41");
	assert_int_equal(p->max_nat, 0);
	profile_free(p);
	assert_int_equal(profile_dscp_parse("EF"), 46);
	assert_int_equal(profile_dscp_parse("CS3"), 24);
	assert_int_equal(profile_dscp_parse("63"), 63);
	assert_int_equal(profile_dscp_parse("64"), -EINVAL);
	assert_int_equal(profile_dscp_parse("CS8"), -EINVAL);
}

static int found;

static void
list_h(const struct profile *p, void *arg)
{
	found++;
}

static void
test_list(void **state)
{
	static const char *const dirs[] = { SRCDIR "/profiles",
	    SRCDIR "/profiles", NULL };

	found = 0;
	assert_int_equal(profile_list(dirs, list_h, NULL, NULL), 0);
	assert_int_equal(found, 4);		/* the second dir is shadowed */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ip_phones),
		cmocka_unit_test(test_others),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_name_and_defaults),
		cmocka_unit_test(test_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
