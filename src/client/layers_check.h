/*
 * layers_check.h - the nat.layers check, shared by its files: the TTL
 * probes and the run (check_layers.c), the gateway's own answer over
 * NAT-PMP and UPnP-IGD (layers_gw.c), and the report entry
 * (layers_report.c).
 */
#ifndef PINHOLE_LAYERS_CHECK_H
#define PINHOLE_LAYERS_CHECK_H

#include <pthread.h>
#include <stddef.h>

#include "check.h"
#include "layers.h"
#include "net.h"

/* What one gateway protocol said. */
struct ly_gw {
	const char *name;		/* in the evidence */
	const char *label;		/* in the summary */
	void *(*fn)(void *arg);
	pthread_t thread;
	int started;
	struct loop *loop;		/* its clock only: a thread of its own */
	int wait_ms;			/* for the gateway to answer */
	int ended;			/* the thread is done (atomic) */
	int ok;
	int refused;			/* answered, named no external address */
	struct net_ip external;
	char error[112];
};

/*
 * A gateway query's thread (arg the struct ly_gw): runs g->fn, then sets
 * g->ended, which the event loop's side reads atomically.
 */
void *layers_gw_h(void *arg);

/* The queries, as g->fn: the external address over NAT-PMP, UPnP-IGD. */
void *layers_natpmp_h(void *arg);
void *layers_upnp_h(void *arg);

/*
 * Adds the nat.layers entry for what layers_infer() made of 'in' ('out'),
 * with the server at TTL 'path_len' (0 unknown), the 'ngw' gateway answers
 * 'gw', the smallest 'max_nat' the profiles allow ('profile' asks it) and
 * the check's duration 'dur' in s.
 */
void layers_report(struct check_ctx *ctx, const struct layers_in *in,
    const struct layers_out *out, int path_len, const struct ly_gw *gw,
    size_t ngw, unsigned max_nat, const char *profile, double dur);

#endif
