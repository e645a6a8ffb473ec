/* test_iptab.c - SipHash-2-4 against its published vectors, and the address table. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "iptab.h"

static const uint8_t key[HASH_KEY_LEN] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
};

/* The reference vectors of the SipHash paper: key 00..0f, input 00..(n-1). */
static void
test_siphash_vectors(void **state)
{
	uint8_t in[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)i;
	assert_true(hash_sip24(key, in, 0) == 0x726fdb47dd0e0e31ULL);
	assert_true(hash_sip24(key, in, 1) == 0x74f839c593dc67fdULL);
	assert_true(hash_sip24(key, in, 8) == 0x93f5f5799a932462ULL);
	assert_true(hash_sip24(key, in, 15) == 0xa129ca6149be45e5ULL);
	assert_true(hash_sip24(key, in, 63) == 0x958a324ceb064572ULL);
}

static void
test_hash_ip_family(void **state)
{
	struct net_ip a, b;

	(void)state;
	net_ip_parse("203.0.113.7", &a);
	net_ip_parse("203.0.113.8", &b);
	assert_true(hash_ip(key, &a) != hash_ip(key, &b));
	b = a;
	b.a[5] = 9;		/* bytes past an IPv4 address do not count */
	assert_true(hash_ip(key, &a) == hash_ip(key, &b));
}

struct item {
	struct ipt_node node;
	int id;
};

static void
test_table(void **state)
{
	struct ipt t;
	struct item *it;
	struct net_ip ip;
	char s[32];
	size_t i, n = 10000;

	(void)state;
	assert_int_equal(ipt_init(&t, n, key), 0);
	it = calloc(n, sizeof(*it));
	assert_non_null(it);
	for (i = 0; i < n; i++) {
		/* Two items per address: 5000 addresses. */
		snprintf(s, sizeof(s), "10.%zu.%zu.1", (i / 2) / 256,
		    (i / 2) % 256);
		assert_int_equal(net_ip_parse(s, &it[i].node.ip), 0);
		it[i].id = (int)i;
		ipt_insert(&t, &it[i].node);
	}
	assert_int_equal(t.n, n);
	net_ip_parse("10.0.7.1", &ip);
	assert_int_equal(ipt_count(&t, &ip), 2);
	ipt_remove(&t, &it[14].node);
	assert_int_equal(ipt_count(&t, &ip), 1);
	assert_ptr_equal(ipt_find(&t, &ip), &it[15].node);
	assert_null(ipt_next(&it[15].node));
	ipt_remove(&t, &it[14].node);		/* not there: no change */
	assert_int_equal(t.n, n - 1);
	net_ip_parse("192.0.2.1", &ip);
	assert_null(ipt_find(&t, &ip));
	assert_int_equal(ipt_count(&t, &ip), 0);
	/* The longest chain stays short: the hash spreads the keys. */
	size_t worst = 0;
	for (i = 0; i <= t.mask; i++) {
		size_t len = 0;
		for (struct ipt_node *x = t.b[i]; x != NULL; x = x->next)
			len++;
		if (len > worst)
			worst = len;
	}
	assert_true(worst <= 16);
	ipt_free(&t);
	free(it);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_siphash_vectors),
		cmocka_unit_test(test_hash_ip_family),
		cmocka_unit_test(test_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
