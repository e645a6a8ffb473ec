/*
 * check_af.c - which address families 'pinhole check' runs in: each that
 * both this host has (a source address other than loopback and link-local
 * toward the server, so a route and an address that reaches out; a ULA
 * behind NPTv6 counts) and the server has (its name resolves in that
 * family; a literal address is one family), unless -4 or -6 chose one.
 * Nothing is sent: a connected UDP socket only asks the kernel's routes.
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>

#include "check_af.h"
#include "log.h"
#include "net.h"

static const int af_sys[REPORT_AF_N] = { AF_INET, AF_INET6 };

int
check_af_sys(enum report_af_id af)
{
	return af_sys[af];
}

/*
 * Whether this host reaches 'server' from an address that counts: 1, or
 * 0 with 'why' set.  A loopback source counts toward a loopback server
 * (a server on this host).
 */
static int
af_client_has(const struct sockaddr *server, socklen_t len,
    enum report_af_id af, char *why, size_t whylen)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	struct net_ip src, dst;
	enum net_class c;
	int fd, ok = 0;

	net_ip_from_sa(server, &dst, NULL);
	if ((fd = socket(server->sa_family, SOCK_DGRAM | SOCK_CLOEXEC,
	    0)) >= 0 && connect(fd, server, len) == 0 &&
	    getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
		net_ip_from_sa((struct sockaddr *)&ss, &src, NULL);
		c = net_ip_class(&src);
		ok = c != NET_CLASS_LINKLOCAL && c != NET_CLASS_UNSPECIFIED &&
		    (c != NET_CLASS_LOOPBACK ||
		    net_ip_class(&dst) == NET_CLASS_LOOPBACK);
	}
	if (fd >= 0)
		close(fd);
	if (!ok)
		snprintf(why, whylen, "no global %s address",
		    report_af_label(af));
	return ok;
}

int
check_af_plan(const char *host, const char *port, int only,
    struct check_af_plan plan[REPORT_AF_N])
{
	struct addrinfo hints, *res = NULL, *ai;
	unsigned char lit[16];
	int af, gr, literal = -1, resolved = 0;

	memset(plan, 0, REPORT_AF_N * sizeof(*plan));
	if (inet_pton(AF_INET, host, lit) == 1)
		literal = REPORT_AF_IPV4;
	else if (inet_pton(AF_INET6, host, lit) == 1)
		literal = REPORT_AF_IPV6;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((gr = getaddrinfo(host, port, &hints, &res)) == 0)
		resolved = 1;
	for (af = 0; af < REPORT_AF_N; af++) {
		struct check_af_plan *p = &plan[af];
		int other = af == REPORT_AF_IPV4 ? 6 : 4;

		if (only == other) {
			snprintf(p->why, sizeof(p->why), "-%d given", other);
			continue;
		}
		if (literal >= 0 && literal != af) {
			snprintf(p->why, sizeof(p->why), "the server is given "
			    "as an %s address", report_af_label(literal));
			continue;
		}
		for (ai = res; ai != NULL; ai = ai->ai_next)
			if (ai->ai_family == af_sys[af])
				break;
		if (!resolved) {
			/* The session says why, in the family asked for or
			 * IPv4: the check as it ran before families. */
			p->run = only != 0 || af == REPORT_AF_IPV4;
			if (!p->run)
				snprintf(p->why, sizeof(p->why), "the server's "
				    "name does not resolve");
			continue;
		}
		if (ai == NULL) {
			snprintf(p->why, sizeof(p->why), "server has no %s",
			    af == REPORT_AF_IPV4 ? "A" : "AAAA");
			continue;
		}
		p->run = af_client_has(ai->ai_addr, ai->ai_addrlen, af,
		    p->why, sizeof(p->why));
	}
	if (res != NULL)
		freeaddrinfo(res);
	for (af = 0; af < REPORT_AF_N; af++)
		log_debug("%s: %s%s", report_af_label(af), plan[af].run ?
		    "to be tested" : "not tested: ", plan[af].why);
	return plan[REPORT_AF_IPV4].run || plan[REPORT_AF_IPV6].run ? 0 :
	    -ENOENT;
}
