/* test_advice.c - remedies from the whole report, on reports the lab wrote. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "advice.h"
#include "dualstack.h"

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

static const char *const devices[] = { "the phones",
    "the computers running the desktop app", "the browsers" };

/* A report with nat.present (nat 1, 0, or -1: not measured) and one
 * failed check 'id' of 'device', its own remedy 'remedy'. */
static struct report_check *
one_failed(struct report *r, int nat, const char *id, const char *device,
    json_t *ev, const char *remedy)
{
	report_init(r);
	if (nat >= 0)
		report_add(r, "nat.present", "NAT", VERDICT_PASS, json_pack(
		    "{s:b}", "nat", nat), NULL, "nat");
	json_object_set_new(ev, "device", json_string(device));
	report_add(r, id, "Reachability", VERDICT_FAIL, ev, remedy, "failed");
	assert_int_equal(advice_apply(r), 0);
	return &r->checks[r->nchecks - 1];
}

static void
has(const char *s, const char *part)
{
	if (strstr(s, part) == NULL)
		fail_msg("\"%s\" lacks \"%s\"", s, part);
}

/* Inbound UDP blocked, nothing open: on a NAT, calls reach the devices
 * through their bindings, and a forward to them; without a NAT, a
 * firewall rule and no forward; not measured, both with conditions. */
static void
test_inbound_words(void **state)
{
	struct report_check *c;
	struct report r;
	char want[256];
	size_t d;

	(void)state;
	for (d = 0; d < 3; d++) {
		c = one_failed(&r, 1, "reach.udp.in.1-65535", devices[d],
		    json_pack("{s:s}", "open", ""), "Let it in.");
		snprintf(want, sizeof(want), "Calls still reach %s through "
		    "the bindings", devices[d]);
		has(c->remedy, want);
		snprintf(want, sizeof(want), "forward the provider's ranges "
		    "to %s (a port forward or 1:1 NAT)", devices[d]);
		has(c->remedy, want);
		has(c->summary, "as on any NAT without a forward");
		if (d != 0)	/* no phone where the profile has none */
			assert_null(strstr(c->remedy, "phone"));
		report_free(&r);

		c = one_failed(&r, 0, "reach.udp.in.1-65535", devices[d],
		    json_pack("{s:s}", "open", ""), "Let it in.");
		has(c->remedy, "Let it in. There is no NAT on this path");
		has(c->remedy, "a firewall rule that accepts it");
		assert_null(strstr(c->remedy, "1:1"));
		assert_null(strstr(c->remedy, "port forward"));
		assert_null(strstr(c->summary, "NAT"));
		report_free(&r);

		c = one_failed(&r, -1, "reach.tcp.in.5222", devices[d],
		    json_pack("{s:s}", "open", ""), "Let it in.");
		snprintf(want, sizeof(want), "A firewall rule lets it in; where "
		    "the router translates addresses, a port forward or 1:1 "
		    "NAT to %s.", devices[d]);
		has(c->remedy, want);
		report_free(&r);

		/* Some ports open: the family's remedy, and the mechanism. */
		c = one_failed(&r, 1, "reach.tcp.in.5222", devices[d],
		    json_pack("{s:s}", "open", "5060"), "Let it in.");
		snprintf(want, sizeof(want), "Let it in. This network's router "
		    "translates addresses (see nat.present): a port forward or "
		    "1:1 NAT to %s lets it in", devices[d]);
		has(c->remedy, want);
		report_free(&r);
	}
}

/* Over IPv6 without a NAT, a gateway that opens pinholes on request
 * (nat.layers' pinhole_control): the remedy names its ways and still
 * offers the rule for the provider's ranges; none named, none said. */
static void
test_inbound_pinholes(void **state)
{
	struct report_check *c;
	struct report r;

	(void)state;
	report_init(&r);
	report_add(&r, "nat.present", "NAT", VERDICT_PASS, json_pack("{s:b}",
	    "nat", 0), NULL, "nat");
	report_add(&r, "nat.layers", "NAT", VERDICT_PASS, json_pack(
	    "{s:[s, s]}", "pinhole_control", "UPnP IGDv2 "
	    "(WANIPv6FirewallControl)", "PCP"), NULL, "layers");
	report_add(&r, "reach.udp.in.1-65535", "Reachability", VERDICT_FAIL,
	    json_pack("{s:s, s:s}", "open", "", "device", "the phones"),
	    "Let it in.", "failed");
	assert_int_equal(advice_apply(&r), 0);
	c = &r.checks[2];
	has(c->remedy, "a firewall rule that accepts it is enough");
	has(c->remedy, "The gateway can open pinholes for the phones (see "
	    "nat.layers): enable UPnP IGDv2 (WANIPv6FirewallControl) or PCP "
	    "on the phones, or add a rule admitting the provider's IPv6 "
	    "ranges.");
	report_free(&r);

	report_init(&r);
	report_add(&r, "nat.present", "NAT", VERDICT_PASS, json_pack("{s:b}",
	    "nat", 0), NULL, "nat");
	report_add(&r, "nat.layers", "NAT", VERDICT_PASS, json_pack(
	    "{s:[]}", "pinhole_control"), NULL, "layers");
	report_add(&r, "reach.udp.in.1-65535", "Reachability", VERDICT_FAIL,
	    json_pack("{s:s}", "open", ""), "Let it in.", "failed");
	assert_int_equal(advice_apply(&r), 0);
	assert_null(strstr(r.checks[2].remedy, "pinholes"));
	report_free(&r);
}

/* udp-timeout's evidence: fresh flows live 30 s, established 60 s. */
static json_t *
timeout_ev(void)
{
	return json_pack("{s:i, s:[{s:i, s:i, s:i}]}", "minimum_s", 120,
	    "ports", "port", 3478, "unreplied_s", 30, "established_s", 60);
}

/* A short UDP timeout: incoming calls to the devices depend on their
 * bindings; a forward fixes that behind a NAT, a firewall rule without. */
static void
test_timeout_words(void **state)
{
	struct report_check *c;
	struct report r;
	char want[256];
	size_t d;

	(void)state;
	for (d = 0; d < 3; d++) {
		c = one_failed(&r, 1, "udp-timeout", devices[d],
		    timeout_ev(), NULL);
		snprintf(want, sizeof(want), "Incoming calls reach %s only "
		    "through the bindings they keep open", devices[d]);
		has(c->remedy, want);
		snprintf(want, sizeof(want), "a forward of the provider's "
		    "ranges to %s makes them independent", devices[d]);
		has(c->remedy, want);
		has(c->remedy, "a longer timeout or a forward is the dependable");
		report_free(&r);

		c = one_failed(&r, 0, "udp-timeout", devices[d],
		    timeout_ev(), NULL);
		snprintf(want, sizeof(want), "a firewall rule that lets in the "
		    "provider's ranges to %s makes them independent of the "
		    "timeout (there is no NAT on this path: nothing to "
		    "forward).", devices[d]);
		has(c->remedy, want);
		has(c->remedy, "a longer timeout or an inbound firewall rule");
		assert_null(strstr(c->remedy, "a forward"));
		report_free(&r);
	}
}

/* One IPv6 run: without "nat6" in nat.present, or with nat.present not
 * measured at all, no forward: the provider's IPv6 ranges admitted. */
static void
test_inbound_ipv6(void **state)
{
	struct report r;
	int measured;

	(void)state;
	for (measured = 0; measured < 2; measured++) {
		report_init(&r);
		r.af[REPORT_AF_IPV6].known = r.af[REPORT_AF_IPV6].tested = 1;
		if (measured)
			report_add(&r, "nat.present", "NAT", VERDICT_PASS,
			    json_pack("{s:b}", "nat", 0), NULL, "no NAT");
		report_add(&r, "reach.udp.in.1-65535", "Reachability",
		    VERDICT_FAIL, json_pack("{s:s, s:s}", "open", "",
		    "device", "the phones"), "Let it in.", "blocked");
		assert_int_equal(advice_apply(&r), 0);
		has(r.checks[r.nchecks - 1].remedy, "one that admits the "
		    "provider's IPv6 ranges to the phones");
		assert_null(strstr(r.checks[r.nchecks - 1].remedy,
		    "port forward"));
		assert_null(strstr(r.checks[r.nchecks - 1].remedy, "1:1"));
		report_free(&r);
	}
}

/* A both-families report, entries as report_af_join() leaves them. */
static void
dual(struct report *r, enum verdict sip4, enum verdict sip6,
    enum verdict media4, enum verdict media6)
{
	report_init(r);
	r->af[0].known = r->af[0].tested = 1;
	r->af[1].known = r->af[1].tested = 1;
	report_add(r, "sip-alg.udp.5060", "SIP ALG", sip4, NULL, NULL, "x");
	report_add(r, "media.rtp", "Media", media4, NULL, NULL, "x");
	report_add(r, "sip-alg.udp.5060@ipv6", "SIP ALG", sip6, NULL, NULL,
	    "x");
	report_add(r, "media.rtp@ipv6", "Media", media6, NULL, NULL, "x");
}

/* Signalling over IPv6, media only over IPv4: named, warned, remedied;
 * families that agree pass; one family adds nothing. */
static void
test_dualstack(void **state)
{
	const struct report_check *c;
	struct report r;

	(void)state;
	dual(&r, VERDICT_FAIL, VERDICT_PASS, VERDICT_PASS, VERDICT_FAIL);
	assert_int_equal(dualstack_judge(&r), 0);
	c = find(&r, "dual-stack");
	assert_int_equal(c->verdict, VERDICT_WARN);
	has(c->summary, "signalling works over IPv6 while media works only "
	    "over IPv4");
	has(c->remedy, "Make IPv6 meet the profile as IPv4 does");
	has(c->remedy, "sip-alg.udp.5060, media.rtp");
	assert_int_equal(json_array_size(json_object_get(c->evidence,
	    "differ")), 2);
	report_free(&r);

	dual(&r, VERDICT_PASS, VERDICT_PASS, VERDICT_PASS, VERDICT_FAIL);
	assert_int_equal(dualstack_judge(&r), 0);
	c = find(&r, "dual-stack");
	assert_int_equal(c->verdict, VERDICT_WARN);
	has(c->summary, "media works only over IPv4: a phone that signals "
	    "over IPv6 gets calls without audio");
	report_free(&r);

	dual(&r, VERDICT_FAIL, VERDICT_FAIL, VERDICT_PASS, VERDICT_WARN);
	assert_int_equal(dualstack_judge(&r), 0);
	assert_int_equal(find(&r, "dual-stack")->verdict, VERDICT_PASS);
	report_free(&r);

	dual(&r, VERDICT_PASS, VERDICT_PASS, VERDICT_PASS, VERDICT_FAIL);
	r.af[1].tested = 0;
	assert_int_equal(dualstack_judge(&r), 0);
	assert_int_equal(r.nchecks, 4);
	report_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alg_consistent),
		cmocka_unit_test(test_timeout_helper),
		cmocka_unit_test(test_alg_outer),
		cmocka_unit_test(test_inbound_words),
		cmocka_unit_test(test_inbound_pinholes),
		cmocka_unit_test(test_timeout_words),
		cmocka_unit_test(test_inbound_ipv6),
		cmocka_unit_test(test_dualstack),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
