/* test_layers.c - counting NAT layers from hops and gateway answers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "layers.h"

/* Builds the input: hops as addresses, "" for a silent hop. */
static void
path(struct layers_in *in, const char *local, const char *pub,
    const char *gw, const char *const *hops)
{
	size_t i;

	memset(in, 0, sizeof(*in));
	assert_int_equal(net_ip_parse(local, &in->local), 0);
	assert_int_equal(net_ip_parse(pub, &in->public_ip), 0);
	if (gw != NULL) {
		in->gw_known = 1;
		assert_int_equal(net_ip_parse(gw, &in->gw_external), 0);
	}
	for (i = 0; hops[i] != NULL; i++) {
		if (hops[i][0] != '\0') {
			in->hops[i].answered = 1;
			assert_int_equal(net_ip_parse(hops[i], &in->hops[i].ip), 0);
		}
	}
	in->nhops = i;
}

static void
test_no_nat(void **state)
{
	static const char *const hops[] = { "198.51.100.1", NULL };
	struct layers_in in;
	struct layers_out out;

	(void)state;
	path(&in, "198.51.100.10", "198.51.100.10", NULL, hops);
	layers_infer(&in, &out);
	assert_false(out.nat);
	assert_int_equal(out.count, 0);
	assert_true(out.complete);
}

static void
test_one_nat(void **state)
{
	static const char *const hops[] = { "192.168.1.1", NULL };
	struct layers_in in;
	struct layers_out out;

	(void)state;
	path(&in, "192.168.1.10", "203.0.113.2", NULL, hops);
	layers_infer(&in, &out);
	assert_int_equal(out.count, 1);
	assert_false(out.cgnat);
	assert_true(out.complete);
}

static void
test_double_nat(void **state)
{
	static const char *const hops[] = { "192.168.1.1", "10.0.0.1", NULL };
	struct layers_in in;
	struct layers_out out;

	(void)state;
	path(&in, "192.168.1.10", "203.0.113.2", NULL, hops);
	layers_infer(&in, &out);
	assert_int_equal(out.count, 2);
	assert_int_equal(out.ttl_count, 2);
	assert_false(out.cgnat);
}

static void
test_cgnat(void **state)
{
	static const char *const hops[] = { "192.168.1.1", "100.64.0.1",
	    "203.0.113.1", NULL };
	struct layers_in in;
	struct layers_out out;

	(void)state;
	path(&in, "192.168.1.10", "203.0.113.2", NULL, hops);
	layers_infer(&in, &out);
	assert_int_equal(out.count, 2);
	assert_true(out.cgnat);
}

static void
test_silent_gateway(void **state)
{
	static const char *const hops[] = { "", "203.0.113.1", "", NULL };
	struct layers_in in;
	struct layers_out out;

	(void)state;
	path(&in, "192.168.1.10", "203.0.113.2", NULL, hops);
	layers_infer(&in, &out);
	assert_int_equal(out.count, 1);
	assert_int_equal(out.nunseen, 1);	/* hop 3 is past the public side */
	assert_int_equal(out.unseen[0], 1);
	assert_false(out.complete);
}

static void
test_gateway_private_external(void **state)
{
	/* Same RFC 1918 block twice: only the gateway shows the second NAT. */
	static const char *const hops[] = { "", "192.168.0.1", NULL };
	struct layers_in in;
	struct layers_out out;

	(void)state;
	path(&in, "192.168.1.10", "203.0.113.2", "192.168.0.2", hops);
	layers_infer(&in, &out);
	assert_int_equal(out.ttl_count, 1);
	assert_int_equal(out.gw_count, 2);
	assert_int_equal(out.count, 2);
	assert_true(out.complete);
}

static void
test_gateway_agrees(void **state)
{
	/* Routed private networks inside, one NAT at the edge. */
	static const char *const hops[] = { "192.168.1.1", "10.1.0.1", NULL };
	struct layers_in in;
	struct layers_out out;

	(void)state;
	path(&in, "192.168.1.10", "203.0.113.2", "203.0.113.2", hops);
	layers_infer(&in, &out);
	assert_int_equal(out.ttl_count, 2);
	assert_int_equal(out.gw_count, 1);
	assert_int_equal(out.count, 1);
}

static void
test_gateway_shared(void **state)
{
	static const char *const hops[] = { "192.168.1.1", "", NULL };
	struct layers_in in;
	struct layers_out out;

	(void)state;
	path(&in, "192.168.1.10", "203.0.113.2", "100.64.0.2", hops);
	layers_infer(&in, &out);
	assert_int_equal(out.count, 2);
	assert_true(out.cgnat);
	assert_true(out.complete);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_nat),
		cmocka_unit_test(test_one_nat),
		cmocka_unit_test(test_double_nat),
		cmocka_unit_test(test_cgnat),
		cmocka_unit_test(test_silent_gateway),
		cmocka_unit_test(test_gateway_private_external),
		cmocka_unit_test(test_gateway_agrees),
		cmocka_unit_test(test_gateway_shared),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
