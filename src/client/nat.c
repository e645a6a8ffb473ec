/*
 * nat.c - pinhole nat: the RFC 5780 tests against any STUN server.
 */
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include <event2/event.h>

#include "cmd.h"
#include "cmdline.h"
#include "loop.h"
#include "log.h"
#include "natdisc.h"
#include "net.h"
#include "report.h"

int
cmd_nat(const struct opts *o, char **args)
{
	struct addrinfo hints, *res = NULL;
	struct event_base *base;
	struct loop loop;
	struct natdisc nd;
	struct report rep;
	char host[256], port[8], started[32], a[NET_ADDRSTRLEN];
	long long t0;
	const char *why;
	struct net_ip ip;
	int r, gr, status;

	(void)args;
	if (o->stun == NULL || o->server != NULL || o->nprofiles > 0) {
		log_warnx("nat needs --stun HOST[:PORT], and no --server or "
		    "--profile");
		return 2;
	}
	if (cmdline_hostport_split(o->stun, "3478", host, sizeof(host), port,
	    sizeof(port), &why) < 0) {
		log_warnx("bad --stun '%s': want HOST or HOST:PORT", o->stun);
		return 2;
	}
	if ((base = event_base_new()) == NULL)
		fatalx("cannot create the event loop");
	loop_init(&loop, base);
	t0 = loop_now_ms(&loop);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	if ((gr = getaddrinfo(host, port, &hints, &res)) != 0) {
		log_warnx("cannot resolve %s: %s", host, gai_strerror(gr));
		event_base_free(base);
		return 2;
	}
	memset(&nd, 0, sizeof(nd));
	memcpy(&nd.server, res->ai_addr, res->ai_addrlen);
	nd.server_len = res->ai_addrlen;
	freeaddrinfo(res);
	nd.loop = &loop;
	nd.wait_ms = (int)o->timeout_s * 1000;

	report_init(&rep);
	cmd_now_rfc3339(started, sizeof(started));
	report_set(&rep, &rep.server, o->stun);
	report_set(&rep, &rep.started, started);
	if ((r = natdisc_run(&nd)) < 0) {
		report_add(&rep, "nat.mapping", "NAT", VERDICT_ERROR, NULL,
		    "Check the server's name and port, and that outbound UDP "
		    "to it is allowed.", "no STUN answer from %s: %s",
		    net_sa_str((struct sockaddr *)&nd.server, a, sizeof(a)),
		    strerror(-r));
	} else {
		net_ip_from_sa((struct sockaddr *)&nd.local, &ip, NULL);
		report_set(&rep, &rep.local_addr, net_ip_str(&ip, a, sizeof(a)));
		net_ip_from_sa((struct sockaddr *)&nd.mapped, &ip, NULL);
		report_set(&rep, &rep.public_udp, net_ip_str(&ip, a, sizeof(a)));
		natdisc_report(&nd, &rep, PROFILE_DEVICE_DEFAULT, 0,
		    loop_since_s(&loop, t0));
	}
	status = cmd_finish_report(o, &rep, &loop, t0);
	event_base_free(base);
	return status;
}
