/* test_report.c - the report model, overall verdict, JSON and text. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "report.h"

static void
fill(struct report *r)
{
	report_init(r);
	report_set(r, &r->server, "203.0.113.10");
	report_set(r, &r->local_addr, "192.168.1.10");
	report_set(r, &r->public_udp, "203.0.113.2");
	report_add_profile(r, "ringio-ip-phones");
	report_add(r, "nat.present", "NAT", VERDICT_PASS,
	    json_pack("{s:b}", "nat", 1), NULL, "NAT on the path");
	report_add(r, "sip-alg.udp.5060", "SIP ALG", VERDICT_FAIL,
	    json_pack("{s:{s:b, s:[{s:s, s:s, s:s, s:s}]}}", "outbound",
	    "delivered", 1, "rewritten", "message", "INVITE", "element", "Via",
	    "sent", "SIP/2.0/UDP 192.168.1.10:5060",
	    "received", "SIP/2.0/UDP 203.0.113.2:5060"),
	    "Switch off the SIP ALG.", "rewritten: %s", "Via");
	report_add(r, "udp-timeout", "UDP timeout", VERDICT_SKIP, NULL, NULL,
	    "not measured");
}

static void
test_overall(void **state)
{
	struct report r;

	report_init(&r);
	assert_int_equal(report_overall(&r), VERDICT_PASS);	/* empty */
	report_add(&r, "a", "S", VERDICT_SKIP, NULL, NULL, "x");
	assert_int_equal(report_overall(&r), VERDICT_PASS);
	report_add(&r, "b", "S", VERDICT_WARN, NULL, NULL, "x");
	assert_int_equal(report_overall(&r), VERDICT_WARN);
	assert_int_equal(report_exit_status(&r), 0);
	report_add(&r, "c", "S", VERDICT_FAIL, NULL, NULL, "x");
	assert_int_equal(report_exit_status(&r), 1);
	report_add(&r, "d", "S", VERDICT_ERROR, NULL, NULL, "x");
	assert_int_equal(report_overall(&r), VERDICT_ERROR);
	assert_int_equal(report_exit_status(&r), 2);
	assert_string_equal(verdict_name(VERDICT_WARN), "warn");
	report_free(&r);
}

static void
test_json(void **state)
{
	struct report r;
	json_t *o, *c;
	const char *k;
	json_t *v;
	static const char *order[] = { "schema", "version", "server", "profiles",
	    "local_address", "public_address", "started", "duration_s",
	    "verdict", "counts", "checks" };
	size_t i = 0;

	fill(&r);
	o = report_to_json(&r);
	assert_string_equal(json_string_value(json_object_get(o, "schema")),
	    "pinhole.report/1");
	assert_string_equal(json_string_value(json_object_get(o, "verdict")),
	    "fail");
	json_object_foreach(o, k, v)
		assert_string_equal(k, order[i++]);
	assert_int_equal(i, 11);
	assert_true(json_is_null(json_object_get(json_object_get(o,
	    "public_address"), "tcp")));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(o,
	    "counts"), "fail")), 1);
	c = json_array_get(json_object_get(o, "checks"), 1);
	assert_string_equal(json_string_value(json_object_get(c, "id")),
	    "sip-alg.udp.5060");
	assert_string_equal(json_string_value(json_object_get(c, "summary")),
	    "rewritten: Via");
	assert_string_equal(json_string_value(json_object_get(c, "remedy")),
	    "Switch off the SIP ALG.");
	assert_true(json_is_null(json_object_get(json_array_get(
	    json_object_get(o, "checks"), 0), "remedy")));
	json_decref(o);
	report_free(&r);
}

/* The report rendered in a format; the caller frees it. */
static char *
render(const struct report *r, const char *format)
{
	const struct report_output *out = report_output_find(format);
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	assert_non_null(out);
	assert_non_null(f = open_memstream(&buf, &len));
	assert_int_equal(out->render(r, f, 0), 0);
	fclose(f);
	return buf;
}

static void
test_text(void **state)
{
	struct report r;
	char *buf;

	assert_null(report_output_find("pdf"));
	fill(&r);
	buf = render(&r, "text");
	assert_memory_equal(buf, "verdict: fail (1 pass, 0 warn, 1 fail, "
	    "1 skip, 0 error) in 0 s\n", 53);
	assert_non_null(strstr(buf, "\nNAT\n  PASS nat.present       "
	    "NAT on the path\n"));
	assert_non_null(strstr(buf, "  FAIL sip-alg.udp.5060  rewritten 1 out "
	    "(Via)\n"));
	assert_non_null(strstr(buf, "  SKIP udp-timeout       not measured\n"));
	assert_true(strstr(buf, "SKIP udp-timeout") < strstr(buf,
	    "What did not pass"));
	assert_non_null(strstr(buf, "\nFAIL sip-alg.udp.5060\n  rewritten: "
	    "Via\n"));
	assert_non_null(strstr(buf, "    Via (INVITE): 192.168.1.10 → "
	    "203.0.113.2\n"));
	assert_non_null(strstr(buf, "  Remedy: Switch off the SIP ALG.\n"));
	assert_null(strstr(buf, "Full evidence"));	/* only with -v */
	assert_null(strstr(buf, "\033["));		/* no color asked */
	free(buf);
	report_free(&r);
}

/* Reals to 6 significant digits: 182.777, not 182.77699999999999. */
static void
test_json_precision(void **state)
{
	struct report r;
	char *buf;

	report_init(&r);
	r.duration_s = 3.3119999999999998;
	report_add(&r, "udp-timeout", "UDP timeout", VERDICT_PASS,
	    json_pack("{s:f}", "wall_s", 182.77699999999999), NULL, "x");
	buf = render(&r, "json");
	assert_non_null(strstr(buf, "\"wall_s\": 182.777\n"));
	assert_non_null(strstr(buf, "\"duration_s\": 3.312,"));
	assert_null(strstr(buf, "99999"));
	free(buf);
	report_free(&r);
}

/* Two families joined: IPv4 ids as they were, IPv6 ids with @ipv6, the
 * families said and read back, and one row per requirement with a verdict
 * per family in text and HTML. */
static void
test_families(void **state)
{
	struct report r, four, six, back;
	json_t *o, *fam;
	char *buf, base[64];

	(void)state;
	report_init(&r);
	fill(&four);
	fill(&six);
	report_set(&six, &six.local_addr, "2001:db8:1::10");
	six.checks[1].verdict = VERDICT_PASS;
	assert_int_equal(report_af_join(&r, &four, REPORT_AF_IPV4), 0);
	assert_int_equal(report_af_join(&r, &six, REPORT_AF_IPV6), 0);
	report_set(&r, &r.af[REPORT_AF_IPV6].server_addr, "2001:db8:ff::10");
	assert_int_equal(r.nchecks, 6);
	assert_string_equal(r.checks[1].id, "sip-alg.udp.5060");
	assert_string_equal(r.checks[4].id, "sip-alg.udp.5060@ipv6");
	assert_string_equal(report_id_base(r.checks[4].id, base,
	    sizeof(base)), "sip-alg.udp.5060");
	assert_int_equal(report_id_af(r.checks[4].id), REPORT_AF_IPV6);
	assert_string_equal(r.local_addr, "192.168.1.10");
	assert_int_equal(report_af_overall(&r, REPORT_AF_IPV4), VERDICT_FAIL);
	assert_int_equal(report_af_overall(&r, REPORT_AF_IPV6), VERDICT_PASS);

	assert_non_null(o = report_to_json(&r));
	fam = json_object_get(o, "families");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    fam, "ipv6"), "local_address")), "2001:db8:1::10");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    fam, "ipv4"), "verdict")), "fail");
	assert_int_equal(report_from_json(o, &back), 0);
	assert_int_equal(report_af_tested(&back), 2);
	assert_string_equal(back.af[REPORT_AF_IPV6].server_addr,
	    "2001:db8:ff::10");
	json_decref(o);

	buf = render(&back, "text");
	assert_non_null(strstr(buf, "\n  FAIL PASS sip-alg.udp.5060 "));
	assert_non_null(strstr(buf, "\n  PASS PASS nat.present "));
	assert_null(strstr(buf, "PASS sip-alg.udp.5060@ipv6"));
	assert_non_null(strstr(buf, "IPv6 tested (server 2001:db8:ff::10, "
	    "from 2001:db8:1::10"));
	free(buf);
	buf = render(&back, "html");
	assert_non_null(strstr(buf, "<tr data-requirement=\"sip-alg.udp.5060\">"
	    "<td class=\"id\">sip-alg.udp.5060</td><td data-family=\"ipv4\">"
	    "<a href=\"#check-sip-alg.udp.5060\"><span class=\"chip "
	    "chip-fail\">"));
	assert_non_null(strstr(buf, "<td data-family=\"ipv6\"><a href=\""
	    "#check-sip-alg.udp.5060@ipv6\"><span class=\"chip chip-pass\">"));
	free(buf);

	/* One family: the table as it always was, the other family's why. */
	report_free(&back);
	r.af[REPORT_AF_IPV6].tested = 0;
	report_set(&r, &r.af[REPORT_AF_IPV6].why, "no global IPv6 address");
	buf = render(&r, "text");
	assert_non_null(strstr(buf, "\n  FAIL sip-alg.udp.5060 "));
	assert_non_null(strstr(buf, "IPv6 not tested: no global IPv6 "
	    "address"));
	free(buf);
	report_free(&r);
	report_free(&four);
	report_free(&six);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overall),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_json_precision),
		cmocka_unit_test(test_families),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
