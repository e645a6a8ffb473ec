/* test_net.c - addresses, prefixes and address classes. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "net.h"

static void
test_cidr(void **state)
{
	struct net_cidr c;
	struct net_ip ip;
	char buf[NET_ADDRSTRLEN];

	assert_int_equal(net_cidr_parse("199.7.172.0/22", &c), 0);
	assert_int_equal(c.prefix, 22);
	assert_string_equal(net_cidr_str(&c, buf, sizeof(buf)), "199.7.172.0/22");
	assert_int_equal(net_ip_parse("199.7.175.255", &ip), 0);
	assert_true(net_cidr_contains(&c, &ip));
	assert_int_equal(net_ip_parse("199.7.176.0", &ip), 0);
	assert_false(net_cidr_contains(&c, &ip));
	assert_int_equal(net_cidr_parse("199.7.173.0/22", &c), -EINVAL);
	assert_int_equal(net_cidr_parse("10.0.0.0/33", &c), -EINVAL);
	assert_int_equal(net_cidr_parse("10.0.0.0/", &c), -EINVAL);
	assert_int_equal(net_cidr_parse("host/8", &c), -EINVAL);
	assert_int_equal(net_cidr_parse("2001:db8::/32", &c), 0);
	assert_int_equal(net_ip_parse("2001:db8:1::5", &ip), 0);
	assert_true(net_cidr_contains(&c, &ip));
	assert_int_equal(net_ip_parse("10.1.1.1", &ip), 0);
	assert_false(net_cidr_contains(&c, &ip));	/* other family */
	assert_int_equal(net_cidr_parse("192.0.2.7", &c), 0);
	assert_int_equal(c.prefix, 32);
	assert_int_equal(net_cidr_parse("0.0.0.0/0", &c), 0);
	assert_true(net_cidr_contains(&c, &ip));
}

static void
test_sockaddr(void **state)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char buf[NET_ADDRSTRLEN];
	struct net_ip ip;
	uint16_t port;

	assert_int_equal(net_sa_parse("203.0.113.10:443", &ss, &len), 0);
	assert_int_equal(len, sizeof(struct sockaddr_in));
	assert_string_equal(net_sa_str((struct sockaddr *)&ss, buf,
	    sizeof(buf)), "203.0.113.10:443");
	assert_int_equal(net_sa_parse("[2001:db8::1]:5060", &ss, &len), 0);
	assert_string_equal(net_sa_str((struct sockaddr *)&ss, buf,
	    sizeof(buf)), "[2001:db8::1]:5060");
	net_ip_from_sa((struct sockaddr *)&ss, &ip, &port);
	assert_int_equal(port, 5060);
	assert_int_equal(ip.family, AF_INET6);
	assert_int_equal(net_sa_parse("2001:db8::1", &ss, &len), 0);
	assert_string_equal(net_sa_str((struct sockaddr *)&ss, buf,
	    sizeof(buf)), "2001:db8::1");
	assert_int_equal(net_sa_parse("1.2.3.4:0", &ss, &len), -EINVAL);
	assert_int_equal(net_sa_parse("1.2.3.4:x", &ss, &len), -EINVAL);
	assert_int_equal(net_sa_parse("[::1", &ss, &len), -EINVAL);
	assert_int_equal(net_sa_parse("example.com", &ss, &len), -EINVAL);
	assert_int_equal(net_sa_parse("", &ss, &len), -EINVAL);
}

static void
test_classes(void **state)
{
	static const struct {
		const char *ip;
		enum net_class cls;
		int sendable;
	} cases[] = {
		{ "192.168.1.10", NET_CLASS_PRIVATE, 1 },
		{ "10.255.0.1", NET_CLASS_PRIVATE, 1 },
		{ "172.31.0.1", NET_CLASS_PRIVATE, 1 },
		{ "172.32.0.1", NET_CLASS_PUBLIC, 1 },
		{ "100.64.0.1", NET_CLASS_SHARED, 1 },
		{ "100.128.0.1", NET_CLASS_PUBLIC, 1 },
		{ "203.0.113.2", NET_CLASS_DOCUMENTATION, 1 },
		{ "127.0.0.1", NET_CLASS_LOOPBACK, 0 },
		{ "0.0.0.0", NET_CLASS_UNSPECIFIED, 0 },
		{ "239.1.1.1", NET_CLASS_MULTICAST, 0 },
		{ "255.255.255.255", NET_CLASS_BROADCAST, 0 },
		{ "::1", NET_CLASS_LOOPBACK, 0 },
		{ "::", NET_CLASS_UNSPECIFIED, 0 },
		{ "ff02::1", NET_CLASS_MULTICAST, 0 },
		{ "fd00::1", NET_CLASS_PRIVATE, 1 },
		{ "2a00::1", NET_CLASS_PUBLIC, 1 },
	};
	struct net_ip ip;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(net_ip_parse(cases[i].ip, &ip), 0);
		assert_int_equal(net_ip_class(&ip), cases[i].cls);
		assert_int_equal(net_ip_sendable(&ip, 0), cases[i].sendable);
	}
	assert_int_equal(net_ip_parse("127.0.0.1", &ip), 0);
	assert_int_equal(net_ip_sendable(&ip, 1), 1);
	assert_string_equal(net_class_name(NET_CLASS_SHARED), "shared");
}

static enum net_nat6
nat6(const char *local, const char *seen)
{
	struct net_ip a, b;

	assert_int_equal(net_ip_parse(local, &a), 0);
	assert_int_equal(net_ip_parse(seen, &b), 0);
	return net_nat6_kind(&a, &b);
}

static void
test_nat6(void **state)
{
	(void)state;
	assert_int_equal(nat6("2001:db8:1::10", "2001:db8:1::10"),
	    NET_NAT6_NONE);
	/* RFC 6296: the prefix rewritten, the interface identifier kept. */
	assert_int_equal(nat6("fd00:1::10", "2001:db8:2::10"), NET_NAT6_NPT);
	assert_int_equal(nat6("fd00:1::a:b:c:d", "2001:db8:2:3:a:b:c:d"),
	    NET_NAT6_NPT);
	/* The translator's own address. */
	assert_int_equal(nat6("fd00:1::10", "2001:db8:ff::2"), NET_NAT6_NAT66);
	assert_int_equal(nat6("2001:db8:1::10", "2001:db8:1::11"),
	    NET_NAT6_NAT66);
	assert_int_equal(nat6("192.168.1.10", "203.0.113.2"), NET_NAT6_NONE);
	assert_string_equal(net_nat6_name(NET_NAT6_NPT), "nptv6");
	assert_string_equal(net_nat6_name(NET_NAT6_NAT66), "nat66");
	assert_null(net_nat6_name(NET_NAT6_NONE));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cidr),
		cmocka_unit_test(test_sockaddr),
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_nat6),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
