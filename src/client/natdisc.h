/*
 * natdisc.h - NAT behaviour discovery (RFC 5780 section 4) against any
 * server with a primary and an alternate address: mapping, filtering,
 * port preservation and hairpinning.
 *
 * Every test runs on fresh sockets, all in parallel, and every request is
 * retransmitted, so that one lost datagram does not flip a verdict.  The
 * engine waits on the client's loop (loop.h) like every check: under
 * 'pinhole check' the scheduler takes its waits and a lost session ends
 * them; 'pinhole nat' runs the loop with no session at all.
 */
#ifndef PINHOLE_NATDISC_H
#define PINHOLE_NATDISC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <event2/event.h>

#include "loop.h"
#include "report.h"

enum nat_behavior {
	NAT_B_UNKNOWN = 0,
	NAT_B_EI,		/* endpoint-independent */
	NAT_B_AD,		/* address-dependent */
	NAT_B_APD,		/* address-and-port-dependent */
};

struct natdisc {
	/* In. */
	struct loop *loop;		/* its sockets, waits and clock */
	struct sockaddr_storage server;	/* primary address and port */
	socklen_t server_len;
	int wait_ms;			/* how long before "no answer" */

	/* Out. */
	int reached;			/* the primary answered at all */
	struct sockaddr_storage local;	/* the mapping socket's own address */
	struct sockaddr_storage mapped;	/* ... as the primary saw it */
	int has_other;			/* OTHER-ADDRESS was given */
	struct sockaddr_storage other;
	char software[64];		/* the server's SOFTWARE, if any */

	enum nat_behavior mapping;
	struct sockaddr_storage mapped_ap2, mapped_pp2;	/* A2:P1, A2:P2 */
	int have_ap2, have_pp2;

	enum nat_behavior filtering;
	int got_change_both, got_change_port;	/* answers that arrived */
	int change_refused;		/* 420: the server cannot change */

	unsigned pp_samples, pp_preserved;	/* port preservation */

	int hairpin;			/* -1 not tested, 0 no, 1 yes */
	int rtt_ms;
};

/* Runs every test.  0, or -errno when the primary could not be asked. */
int natdisc_run(struct natdisc *nd);

/* "endpoint-independent", ... or "unknown". */
const char *nat_behavior_name(enum nat_behavior b);

/*
 * Adds nat.mapping, nat.filtering, nat.port-preservation and nat.hairpin
 * to the report.  'inbound' says whether a profile asks for inbound UDP,
 * which is what makes a filtering behaviour worth a warning; 'device' is
 * what remedies call the devices ("the phones", pinhole-profile(5)).
 */
void natdisc_report(const struct natdisc *nd, struct report *r,
    const char *device, int inbound, double duration_s);

#endif
