/*
 * bench.h - what the benchmark programs share: the clock, checked option
 * values, loopback-only addresses, and a stop flag set by SIGINT/SIGTERM.
 *
 * The benchmarks only ever talk to loopback, or to a documentation
 * address (RFC 5737, 2001:db8::/32) on a link between namespaces of their
 * own: every address they are given must be one, so that a mistyped
 * option cannot aim a load at a real host.
 */
#ifndef PINHOLE_BENCH_H
#define PINHOLE_BENCH_H

#include <stdint.h>
#include <sys/socket.h>

#include "net.h"

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t bench_now_ns(void);

/* An address option's value; len 0 while the option was not given. */
struct bench_addr {
	struct sockaddr_storage ss;
	socklen_t len;
};

enum bench_opt_kind {
	BENCH_UINT,		/* unsigned in [min, max]; out: unsigned * */
	BENCH_ADDR,		/* loopback address; out: struct bench_addr * */
	BENCH_ADDR_PORT,	/* loopback ADDR:PORT; out: struct bench_addr * */
	BENCH_CHOICE,		/* one of 'choices'; out: unsigned * (index) */
	BENCH_LAB_ADDR_PORT,	/* loopback or documentation ADDR:PORT;
				 * out: struct bench_addr * */
};

/* One long option "--name VALUE" of a benchmark program. */
struct bench_opt {
	const char *name;
	enum bench_opt_kind kind;
	void *out;
	unsigned min, max;		/* BENCH_UINT */
	const char *const *choices;	/* BENCH_CHOICE, NULL-terminated */
};

#define BENCH_MAX_OPTS	16

/*
 * Parses argv against the 'n' options of 'opts' (and --help), writing
 * each value through its 'out'.  Numbers are checked, addresses must be
 * loopback (127.0.0.0/8 or ::1; BENCH_LAB_ADDR_PORT: or documentation),
 * and no operand may follow.  Returns 0,
 * 1 when --help was asked for, or -EINVAL after saying on stderr what
 * was wrong.
 */
int bench_opts_parse(const struct bench_opt *opts, size_t n, int argc,
    char **argv);

/* True when 'sa' is an IPv4 or IPv6 loopback address. */
int bench_sa_is_loopback(const struct sockaddr *sa);

/*
 * The IPv4 address 'i' places after 'base' (base itself for 0), keeping
 * the port.  -ERANGE when it would leave 127.0.0.0/8, -EAFNOSUPPORT for
 * IPv6 with 'i' > 0.
 */
int bench_sa_offset(const struct sockaddr_storage *base, unsigned i,
    struct sockaddr_storage *out);

/*
 * Installs SIGINT and SIGTERM handlers (without SA_RESTART, so blocking
 * calls return EINTR) that only set the flag bench_stopping() reads.
 */
int bench_signals(void);
int bench_stopping(void);

#endif
