/*
 * udptimeout_verdict.h - the decision rule of the udp-timeout check, pure:
 * when each binding is probed, what the probes' outcomes say of the
 * expiry, how long a probe and the measurement may take, and what the
 * result means for the profile.  No I/O and no clock: the caller passes
 * the states and times in and acts on the decision (check_udptimeout.c).
 */
#ifndef PINHOLE_UDPTIMEOUT_VERDICT_H
#define PINHOLE_UDPTIMEOUT_VERDICT_H

#include <stddef.h>

#include "report.h"

#define UT_MAX_LIMIT		600	/* s: the longest timeout measured */
#define UT_PROOF_MS		50	/* the last age: just past the limit */

/* Where a binding is: set up, idle, probed, then alive or dead. */
enum ut_state { B_SETUP, B_IDLE, B_PROBED, B_ALIVE, B_DEAD, B_FAILED };

/*
 * The age (ms idle) at which binding k of a set is probed: k + 1.5 s, the
 * last one just past 'limit_s'.
 */
long long udptimeout_age_ms(size_t k, int limit_s);

/* The next binding after k whose setup did not fail, or n. */
size_t udptimeout_next_live(const enum ut_state *st, size_t n, size_t k);

enum udptimeout_step {
	UDPTIMEOUT_WAIT,		/* not known yet */
	UDPTIMEOUT_PROBE,		/* probe binding 'probe' now */
	UDPTIMEOUT_DECIDED,		/* expiry_s and lost are the answer */
};

struct udptimeout_decision {
	enum udptimeout_step step;
	size_t probe;			/* UDPTIMEOUT_PROBE: which binding */
	int expiry_s;			/* UDPTIMEOUT_DECIDED: 0 outlived the
					   limit */
	unsigned lost;			/* lone misses between arrivals */
};

/*
 * Decides a set of 'n' bindings from their states 'st' (binding k probed
 * at udptimeout_age_ms(k)); 'next' is the next binding the schedule would
 * probe.  The expiry is the first of two consecutive ages whose probes did
 * not arrive; a lone miss between arrivals is a lost probe.  When the
 * binding after a dead one is due next and idle, it is probed at once
 * rather than a second later.  Fills *d.
 */
void udptimeout_decide(const enum ut_state *st, size_t n, size_t next,
    struct udptimeout_decision *d);

/*
 * How long a probe may take to arrive: four round trips and 300 ms, at
 * most 'cap_ms' (--timeout); with no round trip known ('rtt_ms' < 0),
 * a second at most.
 */
int udptimeout_probe_wait_ms(int rtt_ms, int cap_ms);

/*
 * The longest idle time measured, in s: --udp-timeout-max ('max_opt', 0
 * when not given) or else the profiles' 'minimum', between 10 and
 * UT_MAX_LIMIT, and inside the session the server granted ('session_s'
 * seconds, 0 unlimited, of which 'elapsed_ms' are gone) with 15 s to spare.
 */
int udptimeout_limit_s(int max_opt, unsigned minimum, unsigned session_s,
    long long elapsed_ms);

/*
 * The verdict for the lowest established expiry 'est_s' (0: outlived
 * 'limit_s') against the profiles' 'minimum': a fail below it, with the
 * keepalive interval that would do until fixed in *keep_s; a warning when
 * the limit measured could not prove it; else a pass.
 */
enum verdict udptimeout_verdict(int est_s, unsigned minimum, int limit_s,
    unsigned *keep_s);

#endif
