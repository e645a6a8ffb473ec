/* test_advice.c - remedies from the whole report, on reports the lab wrote. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "advice.h"

static void
load(const char *name, struct report *r)
{
	char path[512];
	json_error_t je;
	json_t *o;

	snprintf(path, sizeof(path), "%s/tests/unit/data/reports/%s.json",
	    SRCDIR, name);
	o = json_load_file(path, 0, &je);
	assert_non_null(o);
	assert_int_equal(report_from_json(o, r), 0);
	json_decref(o);
}

static const struct report_check *
find(const struct report *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->nchecks; i++)
		if (strcmp(r->checks[i].id, id) == 0)
			return &r->checks[i];
	fail_msg("no check %s", id);
	return NULL;
}

/* The Linux ALG rewrites everything to the public address: calls work. */
static void
test_alg_consistent(void **state)
{
	const struct report_check *c;
	struct report r;

	(void)state;
	load("nat-alg-udp", &r);
	assert_int_equal(advice_apply(&r), 0);
	c = find(&r, "sip-alg.udp.5060");
	assert_int_equal(c->verdict, VERDICT_FAIL);	/* never changed */
	assert_non_null(strstr(c->summary, "consistently to 203.0.113.2"));
	assert_non_null(strstr(c->summary, "calls can work through it"));
	assert_non_null(strstr(c->remedy, "Switch off the SIP ALG"));
	report_free(&r);
}

/* A SIP helper keeps udp/5060 alive; the STUN port's fresh flows live
 * 8 s: keepalive every 6 s, and the helper's part said. */
static void
test_timeout_helper(void **state)
{
	const struct report_check *c;
	struct report r;

	(void)state;
	load("udp-timeout-sip-helper", &r);
	assert_int_equal(advice_apply(&r), 0);
	c = find(&r, "udp-timeout");
	assert_non_null(strstr(c->remedy, "lives only 8 s"));
	assert_non_null(strstr(c->remedy, "every 6 s"));
	assert_non_null(strstr(c->remedy, "SIP helper keeps its own flows "
	    "on udp/5060 alive"));
	assert_non_null(strstr(c->remedy, "kamailio"));
	assert_null(strstr(c->remedy, "per-flow"));
	report_free(&r);
}

/* An ALG that rewrites to another NAT's address sits on that NAT. */
static void
test_alg_outer(void **state)
{
	struct report_check *c;
	struct report r;
	json_t *layers;

	(void)state;
	load("nat-alg-udp", &r);
	c = (struct report_check *)find(&r, "nat.layers");
	layers = c->evidence;
	json_object_set_new(layers, "count", json_integer(2));
	free(r.public_udp);
	r.public_udp = strdup("198.51.100.77:40000");
	assert_int_equal(advice_apply(&r), 0);
	c = (struct report_check *)find(&r, "sip-alg.udp.5060");
	assert_non_null(strstr(c->remedy, "sits on an outer NAT"));
	assert_non_null(strstr(c->remedy, "to 203.0.113.2"));
	assert_null(strstr(c->remedy, "every router"));
	report_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alg_consistent),
		cmocka_unit_test(test_timeout_helper),
		cmocka_unit_test(test_alg_outer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
