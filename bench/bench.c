/* bench.c - helpers shared by the benchmark programs. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "parse.h"

/* The one piece of state a signal handler may touch. */
static volatile sig_atomic_t bench_stop;

uint64_t
bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The class of an IPv4 or IPv6 address; -1 for another family. */
static int
bench_sa_class(const struct sockaddr *sa)
{
	struct net_ip ip;

	if (sa->sa_family != AF_INET && sa->sa_family != AF_INET6)
		return -1;
	net_ip_from_sa(sa, &ip, NULL);
	return (int)net_ip_class(&ip);
}

int
bench_sa_is_loopback(const struct sockaddr *sa)
{
	return bench_sa_class(sa) == NET_CLASS_LOOPBACK;
}

/* One option's value, checked; -EINVAL after saying why. */
static int
bench_opt_value(const struct bench_opt *o, const char *v)
{
	struct bench_addr *a = o->out;
	unsigned i;

	switch (o->kind) {
	case BENCH_UINT:
		if (parse_uint(v, o->min, o->max, o->out) == 0)
			return 0;
		fprintf(stderr, "--%s: '%s' is not a number from %u to %u\n",
		    o->name, v, o->min, o->max);
		return -EINVAL;
	case BENCH_CHOICE:
		for (i = 0; o->choices[i] != NULL; i++)
			if (strcmp(v, o->choices[i]) == 0) {
				*(unsigned *)o->out = i;
				return 0;
			}
		fprintf(stderr, "--%s: '%s' is not one of the choices\n",
		    o->name, v);
		return -EINVAL;
	case BENCH_ADDR:
	case BENCH_ADDR_PORT:
	case BENCH_LAB_ADDR_PORT:
		break;
	}
	if (net_sa_parse(v, &a->ss, &a->len) < 0 ||
	    (o->kind != BENCH_ADDR &&
	    net_sa_port((struct sockaddr *)&a->ss) == 0)) {
		fprintf(stderr, "--%s: '%s' is not an address%s\n", o->name, v,
		    o->kind != BENCH_ADDR ? " with a port" : "");
		return -EINVAL;
	}
	/* Documentation addresses: no real host has one. */
	if (o->kind == BENCH_LAB_ADDR_PORT &&
	    bench_sa_class((struct sockaddr *)&a->ss) ==
	    NET_CLASS_DOCUMENTATION)
		return 0;
	if (!bench_sa_is_loopback((struct sockaddr *)&a->ss)) {
		fprintf(stderr, "--%s: '%s' is not a loopback address; the "
		    "benchmarks only run on loopback\n", o->name, v);
		return -EINVAL;
	}
	return 0;
}

int
bench_opts_parse(const struct bench_opt *opts, size_t n, int argc,
    char **argv)
{
	struct option lo[BENCH_MAX_OPTS + 2];
	size_t i;
	int c;

	if (n > BENCH_MAX_OPTS)
		return -EINVAL;
	for (i = 0; i < n; i++)
		lo[i] = (struct option){ opts[i].name, required_argument,
		    NULL, (int)i };
	lo[n] = (struct option){ "help", no_argument, NULL, 'h' + 256 };
	lo[n + 1] = (struct option){ NULL, 0, NULL, 0 };
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (c == 'h' + 256)
			return 1;
		if (c < 0 || (size_t)c >= n ||
		    bench_opt_value(&opts[c], optarg) < 0)
			return -EINVAL;
	}
	if (optind != argc) {
		fprintf(stderr, "unexpected '%s'\n", argv[optind]);
		return -EINVAL;
	}
	return 0;
}

int
bench_sa_offset(const struct sockaddr_storage *base, unsigned i,
    struct sockaddr_storage *out)
{
	const struct sockaddr_in *in = (const struct sockaddr_in *)base;
	struct sockaddr_in *o = (struct sockaddr_in *)out;
	uint32_t a;

	*out = *base;
	if (i == 0)
		return 0;
	if (base->ss_family != AF_INET)
		return -EAFNOSUPPORT;
	a = ntohl(in->sin_addr.s_addr);
	if ((a >> 24) != 127 || i > (0x7fffffffu - a) ||
	    ((a + i) >> 24) != 127)
		return -ERANGE;
	o->sin_addr.s_addr = htonl(a + i);
	return 0;
}

static void
bench_sig_h(int sig)
{
	(void)sig;
	bench_stop = 1;
}

int
bench_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = bench_sig_h;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) < 0 ||
	    sigaction(SIGTERM, &sa, NULL) < 0)
		return -errno;
	return 0;
}

int
bench_stopping(void)
{
	return bench_stop != 0;
}
