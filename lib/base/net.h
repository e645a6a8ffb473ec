/*
 * net.h - addresses, CIDR prefixes and address classes.  Pure functions:
 * no sockets are opened here.
 */
#ifndef PINHOLE_NET_H
#define PINHOLE_NET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* Big enough for "[ffff:...:ffff]:65535" plus NUL. */
#define NET_ADDRSTRLEN 64

/* An IPv4 or IPv6 address without a port, in network byte order. */
struct net_ip {
	int family;			/* AF_INET or AF_INET6 */
	uint8_t a[16];			/* 4 bytes used for AF_INET */
};

struct net_cidr {
	struct net_ip ip;
	unsigned prefix;		/* 0-32 or 0-128 */
};

/* Parses a literal IPv4 or IPv6 address. -EINVAL on anything else. */
int net_ip_parse(const char *s, struct net_ip *ip);
/* Writes the address as text into buf (at least NET_ADDRSTRLEN bytes). */
const char *net_ip_str(const struct net_ip *ip, char *buf, size_t len);
int net_ip_equal(const struct net_ip *a, const struct net_ip *b);
/* 'ip' with an IPv6 address cut to its first 'bits6' bits (the rest
 * zero; 128 keeps it whole); an IPv4 address is copied whole. */
void net_ip_prefix(const struct net_ip *ip, unsigned bits6,
    struct net_ip *out);
/* True for 0.0.0.0 and ::, the wildcard a socket binds to. */
int net_ip_is_any(const struct net_ip *ip);

/*
 * Parses "A.B.C.D/N" or "X::/N"; a bare address is a /32 or /128.  Host
 * bits set below the prefix are rejected (-EINVAL), as a firewall would.
 */
int net_cidr_parse(const char *s, struct net_cidr *c);
int net_cidr_contains(const struct net_cidr *c, const struct net_ip *ip);
const char *net_cidr_str(const struct net_cidr *c, char *buf, size_t len);

/* Conversions between net_ip plus port and socket addresses. */
void net_ip_from_sa(const struct sockaddr *sa, struct net_ip *ip, uint16_t *port);
socklen_t net_sa_from_ip(const struct net_ip *ip, uint16_t port,
    struct sockaddr_storage *ss);
/* The port of an AF_INET or AF_INET6 socket address (0 otherwise). */
uint16_t net_sa_port(const struct sockaddr *sa);
/* Replaces the port of an AF_INET or AF_INET6 socket address. */
void net_sa_set_port(struct sockaddr *sa, uint16_t port);
/* "1.2.3.4:5" or "[::1]:5"; the port is omitted when 0. */
const char *net_sa_str(const struct sockaddr *sa, char *buf, size_t len);
/* The unspecified address of 'family' (0.0.0.0, or :: for AF_INET6). */
void net_ip_any(int family, struct net_ip *ip);
/* Parses "HOST" or "HOST:PORT" or "[V6]:PORT" literal (no DNS); port 0 if absent. */
int net_sa_parse(const char *s, struct sockaddr_storage *ss, socklen_t *slen);

enum net_class {
	NET_CLASS_PUBLIC = 0,
	NET_CLASS_PRIVATE,		/* RFC 1918, fc00::/7 */
	NET_CLASS_SHARED,		/* RFC 6598 carrier NAT 100.64.0.0/10 */
	NET_CLASS_LOOPBACK,
	NET_CLASS_LINKLOCAL,
	NET_CLASS_UNSPECIFIED,
	NET_CLASS_MULTICAST,
	NET_CLASS_BROADCAST,
	NET_CLASS_DOCUMENTATION,	/* RFC 5737, 2001:db8::/32 */
};

enum net_class net_ip_class(const struct net_ip *ip);
/* "public", "private", "shared", ... as used in reports. */
const char *net_class_name(enum net_class c);
/*
 * What translated an IPv6 address 'local' into 'seen' (RFC 6296): none
 * when they are equal, NPTv6 when only the prefix (the first 64 bits)
 * changed and the interface identifier was kept, NAT66 otherwise (an
 * address of the translator's own, usually with ports rewritten too).
 * NET_NAT6_NONE for IPv4 addresses.
 */
enum net_nat6 { NET_NAT6_NONE = 0, NET_NAT6_NPT, NET_NAT6_NAT66 };
enum net_nat6 net_nat6_kind(const struct net_ip *local,
    const struct net_ip *seen);
/* "nptv6", "nat66", or NULL for none, as reports name them. */
const char *net_nat6_name(enum net_nat6 k);

/*
 * Whether pinholed may send to this address on its own initiative:
 * refuses unspecified, multicast, broadcast, and loopback unless
 * 'allow_loopback' is set.  (The caller also refuses its own addresses.)
 */
int net_ip_sendable(const struct net_ip *ip, int allow_loopback);

#endif
