/* net.c - address parsing, printing and classification. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "parse.h"

int
net_ip_parse(const char *s, struct net_ip *ip)
{
	struct net_ip t;

	memset(&t, 0, sizeof(t));
	if (s == NULL)
		return -EINVAL;
	if (inet_pton(AF_INET, s, t.a) == 1)
		t.family = AF_INET;
	else if (inet_pton(AF_INET6, s, t.a) == 1)
		t.family = AF_INET6;
	else
		return -EINVAL;
	*ip = t;
	return 0;
}

const char *
net_ip_str(const struct net_ip *ip, char *buf, size_t len)
{
	if (inet_ntop(ip->family, ip->a, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

static size_t
net_ip_len(const struct net_ip *ip)
{
	return ip->family == AF_INET ? 4 : 16;
}

int
net_ip_equal(const struct net_ip *a, const struct net_ip *b)
{
	return a->family == b->family &&
	    memcmp(a->a, b->a, net_ip_len(a)) == 0;
}

void
net_ip_prefix(const struct net_ip *ip, unsigned bits6, struct net_ip *out)
{
	unsigned i;

	*out = *ip;
	if (ip->family != AF_INET6 || bits6 >= 128)
		return;
	for (i = bits6 / 8; i < 16; i++)
		out->a[i] = i == bits6 / 8 ?
		    (uint8_t)(out->a[i] & (0xff00 >> (bits6 % 8))) : 0;
}

int
net_ip_is_any(const struct net_ip *ip)
{
	static const uint8_t zero[16];

	return memcmp(ip->a, zero, net_ip_len(ip)) == 0;
}

int
net_cidr_parse(const char *s, struct net_cidr *c)
{
	char addr[INET6_ADDRSTRLEN];
	const char *slash;
	struct net_cidr t;
	unsigned bits, i;
	size_t n;
	int r;

	if (s == NULL)
		return -EINVAL;
	slash = strchr(s, '/');
	n = slash ? (size_t)(slash - s) : strlen(s);
	if (n == 0 || n >= sizeof(addr))
		return -EINVAL;
	memcpy(addr, s, n);
	addr[n] = '\0';
	if ((r = net_ip_parse(addr, &t.ip)) < 0)
		return r;
	bits = (unsigned)net_ip_len(&t.ip) * 8;
	t.prefix = bits;
	if (slash && (r = parse_uint(slash + 1, 0, bits, &t.prefix)) < 0)
		return -EINVAL;
	for (i = t.prefix; i < bits; i++)
		if (t.ip.a[i / 8] & (0x80 >> (i % 8)))
			return -EINVAL;
	*c = t;
	return 0;
}

int
net_cidr_contains(const struct net_cidr *c, const struct net_ip *ip)
{
	unsigned i;

	if (c->ip.family != ip->family)
		return 0;
	for (i = 0; i < c->prefix; i++) {
		uint8_t m = (uint8_t)(0x80 >> (i % 8));

		if ((c->ip.a[i / 8] & m) != (ip->a[i / 8] & m))
			return 0;
	}
	return 1;
}

const char *
net_cidr_str(const struct net_cidr *c, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	snprintf(buf, len, "%s/%u", net_ip_str(&c->ip, a, sizeof(a)), c->prefix);
	return buf;
}

void
net_ip_from_sa(const struct sockaddr *sa, struct net_ip *ip, uint16_t *port)
{
	memset(ip, 0, sizeof(*ip));
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;

		ip->family = AF_INET;
		memcpy(ip->a, &s4->sin_addr, 4);
		if (port)
			*port = ntohs(s4->sin_port);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;

		ip->family = AF_INET6;
		memcpy(ip->a, &s6->sin6_addr, 16);
		if (port)
			*port = ntohs(s6->sin6_port);
	} else if (port) {
		*port = 0;
	}
}

socklen_t
net_sa_from_ip(const struct net_ip *ip, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (ip->family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		memcpy(&s4->sin_addr, ip->a, 4);
		return sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		memcpy(&s6->sin6_addr, ip->a, 16);
		return sizeof(*s6);
	}
}

uint16_t
net_sa_port(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)sa)->sin_port);
	if (sa->sa_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
	return 0;
}

void
net_sa_set_port(struct sockaddr *sa, uint16_t port)
{
	if (sa->sa_family == AF_INET)
		((struct sockaddr_in *)sa)->sin_port = htons(port);
	else if (sa->sa_family == AF_INET6)
		((struct sockaddr_in6 *)sa)->sin6_port = htons(port);
}

const char *
net_sa_str(const struct sockaddr *sa, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	struct net_ip ip;
	uint16_t port;

	if (sa->sa_family != AF_INET && sa->sa_family != AF_INET6) {
		snprintf(buf, len, "?");
		return buf;
	}
	net_ip_from_sa(sa, &ip, &port);
	net_ip_str(&ip, a, sizeof(a));
	if (port == 0)
		snprintf(buf, len, "%s", a);
	else if (ip.family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", a, port);
	else
		snprintf(buf, len, "%s:%u", a, port);
	return buf;
}

int
net_sa_parse(const char *s, struct sockaddr_storage *ss, socklen_t *slen)
{
	char host[INET6_ADDRSTRLEN];
	const char *p, *colon;
	struct net_ip ip;
	uint16_t port = 0;
	size_t n;

	if (s == NULL || *s == '\0')
		return -EINVAL;
	if (*s == '[') {
		if ((p = strchr(s, ']')) == NULL)
			return -EINVAL;
		n = (size_t)(p - s - 1);
		if (n >= sizeof(host))
			return -EINVAL;
		memcpy(host, s + 1, n);
		host[n] = '\0';
		if (p[1] == ':') {
			if (parse_port(p + 2, &port) < 0)
				return -EINVAL;
		} else if (p[1] != '\0') {
			return -EINVAL;
		}
	} else if ((colon = strchr(s, ':')) != NULL && strchr(colon + 1, ':') == NULL) {
		n = (size_t)(colon - s);
		if (n >= sizeof(host))
			return -EINVAL;
		memcpy(host, s, n);
		host[n] = '\0';
		if (parse_port(colon + 1, &port) < 0)
			return -EINVAL;
	} else {
		if (strlen(s) >= sizeof(host))
			return -EINVAL;
		strcpy(host, s);
	}
	if (net_ip_parse(host, &ip) < 0)
		return -EINVAL;
	*slen = net_sa_from_ip(&ip, port, ss);
	return 0;
}

struct net_range {
	int family;
	const char *cidr;
	enum net_class cls;
};

/* Most specific first: the first match wins. */
static const struct net_range net_ranges[] = {
	{ AF_INET, "0.0.0.0/8", NET_CLASS_UNSPECIFIED },
	{ AF_INET, "127.0.0.0/8", NET_CLASS_LOOPBACK },
	{ AF_INET, "10.0.0.0/8", NET_CLASS_PRIVATE },
	{ AF_INET, "172.16.0.0/12", NET_CLASS_PRIVATE },
	{ AF_INET, "192.168.0.0/16", NET_CLASS_PRIVATE },
	{ AF_INET, "100.64.0.0/10", NET_CLASS_SHARED },
	{ AF_INET, "169.254.0.0/16", NET_CLASS_LINKLOCAL },
	{ AF_INET, "192.0.2.0/24", NET_CLASS_DOCUMENTATION },
	{ AF_INET, "198.51.100.0/24", NET_CLASS_DOCUMENTATION },
	{ AF_INET, "203.0.113.0/24", NET_CLASS_DOCUMENTATION },
	{ AF_INET, "224.0.0.0/4", NET_CLASS_MULTICAST },
	{ AF_INET, "255.255.255.255/32", NET_CLASS_BROADCAST },
	{ AF_INET6, "::/128", NET_CLASS_UNSPECIFIED },
	{ AF_INET6, "::1/128", NET_CLASS_LOOPBACK },
	{ AF_INET6, "fc00::/7", NET_CLASS_PRIVATE },
	{ AF_INET6, "fe80::/10", NET_CLASS_LINKLOCAL },
	{ AF_INET6, "ff00::/8", NET_CLASS_MULTICAST },
	{ AF_INET6, "2001:db8::/32", NET_CLASS_DOCUMENTATION },
};

enum net_class
net_ip_class(const struct net_ip *ip)
{
	struct net_cidr c;
	size_t i;

	for (i = 0; i < sizeof(net_ranges) / sizeof(net_ranges[0]); i++) {
		if (net_ranges[i].family != ip->family)
			continue;
		if (net_cidr_parse(net_ranges[i].cidr, &c) == 0 &&
		    net_cidr_contains(&c, ip))
			return net_ranges[i].cls;
	}
	return NET_CLASS_PUBLIC;
}

const char *
net_class_name(enum net_class c)
{
	switch (c) {
	case NET_CLASS_PUBLIC: return "public";
	case NET_CLASS_PRIVATE: return "private";
	case NET_CLASS_SHARED: return "shared";
	case NET_CLASS_LOOPBACK: return "loopback";
	case NET_CLASS_LINKLOCAL: return "link-local";
	case NET_CLASS_UNSPECIFIED: return "unspecified";
	case NET_CLASS_MULTICAST: return "multicast";
	case NET_CLASS_BROADCAST: return "broadcast";
	case NET_CLASS_DOCUMENTATION: return "documentation";
	}
	return "unknown";
}

int
net_ip_sendable(const struct net_ip *ip, int allow_loopback)
{
	switch (net_ip_class(ip)) {
	case NET_CLASS_UNSPECIFIED:
	case NET_CLASS_MULTICAST:
	case NET_CLASS_BROADCAST:
		return 0;
	case NET_CLASS_LOOPBACK:
		return allow_loopback;
	default:
		return 1;
	}
}

enum net_nat6
net_nat6_kind(const struct net_ip *local, const struct net_ip *seen)
{
	if (local->family != AF_INET6 || seen->family != AF_INET6 ||
	    memcmp(local->a, seen->a, 16) == 0)
		return NET_NAT6_NONE;
	return memcmp(local->a + 8, seen->a + 8, 8) == 0 ? NET_NAT6_NPT :
	    NET_NAT6_NAT66;
}

const char *
net_nat6_name(enum net_nat6 k)
{
	return k == NET_NAT6_NPT ? "nptv6" : k == NET_NAT6_NAT66 ? "nat66" :
	    NULL;
}

void
net_ip_any(int family, struct net_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	ip->family = family == AF_INET6 ? AF_INET6 : AF_INET;
}
