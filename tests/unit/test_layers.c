/*
 * test_layers.c - counting NAT layers from hops and gateway answers.
 * One table row per network: the path as pinhole sees it, what the
 * gateway says, and what layers_infer must conclude.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "layers.h"

#define END	0		/* ends a TTL list */

struct layers_case {
	const char *name;
	const char *local, *pub;
	const char *gw;			/* NULL: no gateway answered */
	const char *hops[LAYERS_MAX_HOPS + 1];	/* "" silent, NULL ends */
	/* expected */
	unsigned count, ttl_count;
	int gw_count, cgnat, complete;
	unsigned unseen[LAYERS_MAX_HOPS + 1];	/* each ends with END */
	unsigned hidden[LAYERS_MAX_HOPS + 1];
	unsigned uncertain[LAYERS_MAX_HOPS + 1];
};

static const struct layers_case cases[] = {
	{ "no NAT", "198.51.100.10", "198.51.100.10", NULL,
	    { "198.51.100.1", NULL }, 0, 0, 0, 0, 1, { END }, { END },
	    { END } },
	/* The server sees our own address: a silent hop hides no NAT. */
	{ "no NAT, silent hop", "198.51.100.10", "198.51.100.10", NULL,
	    { "", "198.51.100.1", NULL }, 0, 0, 0, 0, 1, { END }, { END },
	    { END } },
	{ "one NAT", "192.168.1.10", "203.0.113.2", NULL,
	    { "192.168.1.1", NULL }, 1, 1, 0, 0, 1, { END }, { END },
	    { END } },
	{ "private behind private", "192.168.1.10", "203.0.113.2", NULL,
	    { "192.168.1.1", "10.0.0.1", NULL }, 2, 2, 0, 0, 1, { END },
	    { END }, { END } },
	{ "carrier NAT", "192.168.1.10", "203.0.113.2", NULL,
	    { "192.168.1.1", "100.64.0.1", "203.0.113.1", NULL }, 2, 2, 0, 1,
	    1, { END }, { END }, { END } },
	/* Hop 3 lies past the public side, where a silence hides no NAT. */
	{ "silent gateway", "192.168.1.10", "203.0.113.2", NULL,
	    { "", "203.0.113.1", "", NULL }, 1, 1, 0, 0, 0, { 1, END },
	    { 1, END }, { END } },
	/* 192.168.1.0/24 behind 192.168.0.0/24: a second NAT or a router. */
	{ "same realm twice", "192.168.1.10", "203.0.113.2", NULL,
	    { "192.168.1.1", "192.168.0.1", "203.0.113.1", NULL }, 1, 1, 0, 0,
	    0, { END }, { END }, { 2, END } },
	/* A routed network inside 10/8, its firewall at hop 3. */
	{ "routed LAN", "10.1.1.10", "203.0.113.2", NULL,
	    { "10.1.1.1", "10.0.0.1", "10.255.0.1", "198.51.100.1", "", NULL },
	    1, 1, 0, 0, 0, { END }, { END }, { 2, 3, END } },
	/* The gateway naming the public address settles it. */
	{ "routed LAN, gateway agrees", "10.1.1.10", "203.0.113.2",
	    "203.0.113.2", { "10.1.1.1", "10.0.0.1", "10.255.0.1",
	    "198.51.100.1", "", NULL }, 1, 1, 1, 0, 1, { END }, { END },
	    { END } },
	/* Routed private networks inside another realm, one NAT at the edge. */
	{ "gateway agrees", "192.168.1.10", "203.0.113.2", "203.0.113.2",
	    { "192.168.1.1", "10.1.0.1", NULL }, 1, 2, 1, 0, 1, { END },
	    { END }, { END } },
	/* The gateway covers its own silence and names the next realm. */
	{ "gateway private external", "192.168.1.10", "203.0.113.2",
	    "192.168.0.2", { "", "192.168.0.1", NULL }, 2, 1, 2, 0, 1,
	    { 1, END }, { END }, { END } },
	/* Hop 2, past the gateway, is silent: a third NAT could hide there. */
	{ "gateway shared external", "192.168.1.10", "203.0.113.2",
	    "100.64.0.2", { "192.168.1.1", "", NULL }, 2, 1, 2, 1, 0,
	    { 2, END }, { 2, END }, { END } },
	/* Our router behind the provider's router behind a carrier NAT:
	   the path alone sees one realm change, the gateway one more. */
	{ "triple", "192.168.1.10", "203.0.113.2", "192.168.0.2",
	    { "192.168.1.1", "192.168.0.1", "100.64.0.1", "203.0.113.1",
	    NULL }, 3, 2, 2, 1, 1, { END }, { END }, { END } },
	/* A gateway with a public address behind another NAT. */
	{ "gateway other public", "192.168.1.10", "203.0.113.2",
	    "198.51.100.7", { "", "", "198.51.100.1", NULL }, 2, 1, 2, 0, 0,
	    { 1, 2, END }, { 2, END }, { END } },
	/* 0.0.0.0 is what a gateway says when it will not tell. */
	{ "gateway unspecified", "192.168.1.10", "203.0.113.2", "0.0.0.0",
	    { "192.168.1.1", "", NULL }, 1, 1, 0, 0, 0, { 2, END },
	    { 2, END }, { END } },
	/* The NAT beyond the gateway did not decrement the TTL. */
	{ "gateway the only hop", "192.168.1.10", "203.0.113.2", "10.0.0.2",
	    { "192.168.1.1", NULL }, 2, 1, 2, 0, 1, { END }, { END },
	    { END } },
};

static void
assert_ttls(const unsigned *got, size_t n, const unsigned *want)
{
	size_t i;

	for (i = 0; want[i] != END; i++) {
		assert_true(i < n);
		assert_int_equal(got[i], want[i]);
	}
	assert_int_equal(n, i);
}

static void
test_case(void **state)
{
	const struct layers_case *c = *state;
	struct layers_in in;
	struct layers_out out;
	size_t i;

	memset(&in, 0, sizeof(in));
	assert_int_equal(net_ip_parse(c->local, &in.local), 0);
	assert_int_equal(net_ip_parse(c->pub, &in.public_ip), 0);
	if (c->gw != NULL) {
		in.gw_known = 1;
		assert_int_equal(net_ip_parse(c->gw, &in.gw_external), 0);
	}
	for (i = 0; c->hops[i] != NULL; i++) {
		if (c->hops[i][0] != '\0') {
			in.hops[i].answered = 1;
			assert_int_equal(net_ip_parse(c->hops[i],
			    &in.hops[i].ip), 0);
		}
	}
	in.nhops = i;
	layers_infer(&in, &out);
	assert_int_equal(out.nat, c->count > 0);
	assert_int_equal(out.count, c->count);
	assert_int_equal(out.ttl_count, c->ttl_count);
	assert_int_equal(out.gw_count, c->gw_count);
	assert_int_equal(out.cgnat, c->cgnat);
	assert_int_equal(out.complete, c->complete);
	assert_ttls(out.unseen, out.nunseen, c->unseen);
	assert_ttls(out.hidden, out.nhidden, c->hidden);
	assert_ttls(out.uncertain, out.nuncertain, c->uncertain);
}

static void
test_realm(void **state)
{
	static const struct { const char *ip, *realm; } r[] = {
		{ "10.255.0.1", "10/8" }, { "172.16.0.1", "172.16/12" },
		{ "172.31.255.1", "172.16/12" }, { "172.32.0.1", NULL },
		{ "192.168.7.1", "192.168/16" }, { "100.64.0.1", "100.64/10" },
		{ "100.127.255.1", "100.64/10" }, { "100.128.0.1", NULL },
		{ "203.0.113.1", NULL }, { "fd00::1", "fc00::/7" },
		{ "2001:db8::1", NULL },
	};
	struct net_ip ip;
	const char *got;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		assert_int_equal(net_ip_parse(r[i].ip, &ip), 0);
		got = layers_realm(&ip);
		if (r[i].realm == NULL)
			assert_null(got);
		else
			assert_string_equal(got, r[i].realm);
	}
}

int
main(void)
{
	struct CMUnitTest tests[sizeof(cases) / sizeof(cases[0]) + 1];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&tests[i], 0, sizeof(tests[i]));
		tests[i].name = cases[i].name;
		tests[i].test_func = test_case;
		tests[i].initial_state = (void *)&cases[i];
	}
	memset(&tests[i], 0, sizeof(tests[i]));
	tests[i].name = "realms";
	tests[i].test_func = test_realm;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
