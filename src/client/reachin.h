/*
 * reachin.h - the inbound reachability probes (reach.<proto>.in.<ports>),
 * shared by the files of the family: the run and the UDP requirement
 * (check_reachin.c), the UDP sweep it asks of the server and receives
 * (reachin_sweep.c), and the TCP connect-back (reachin_tcp.c).
 */
#ifndef PINHOLE_REACHIN_H
#define PINHOLE_REACHIN_H

#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>

#include "check.h"
#include "ctl.h"
#include "net.h"
#include "portset.h"

#define RI_BIND_MAX	4096	/* without a raw socket: sockets, at most */

/* One sweep from one server address: what it asked and what arrived. */
struct ri_sweep {
	struct check_ctx *ctx;
	int raw;			/* -1: a socket per port instead */
	struct event *ev;
	int *fds;
	struct event **evs;
	size_t nfds;
	struct portset unbound;		/* ports we could not listen on */
	uint8_t nonce[CTL_NONCE_LEN];
	char hex[2 * CTL_NONCE_LEN + 1];
	struct net_ip from;		/* the server address that sends */
	uint16_t lport;			/* ... and its port (0: STUN's) */
	struct portset got;
	int ids[64];			/* requests under way */
	size_t nids;
};

/*
 * Opens the receiver of a sweep from 'from' (a server address) over ports
 * lo-hi: a raw socket that sees every port, or, without the privilege, a
 * socket on each port (up to RI_BIND_MAX).  Returns 0 or -errno; *w is to
 * be closed either way.
 */
int reachin_sweep_open(struct check_ctx *ctx, struct ri_sweep *w,
    const struct net_ip *from, unsigned lo, unsigned hi);

/*
 * Asks the server to sweep the ports of 'want' (within lo-hi) that are not
 * in w->got yet, waits up to 'timeout_ms' for the requests to end and adds
 * what arrived to w->got.  Returns 0 or -errno.
 */
int reachin_sweep_pass(struct ri_sweep *w, const struct portset *want,
    unsigned lo, unsigned hi, int timeout_ms);

/* The error of the first failed request of the last pass, or NULL. */
const struct ctl_answer *reachin_sweep_failed(const struct ri_sweep *w);

/* Frees what reachin_sweep_open() opened. */
void reachin_sweep_close(struct ri_sweep *w);

/*
 * Measures the TCP endpoint 'e' of profile 'p': listens on its ports, has
 * the server connect to each, and adds the entry 'id' to the report.
 */
void reachin_tcp(struct check_ctx *ctx, const struct profile *p,
    const struct profile_endpoint *e, const char *id);

#endif
