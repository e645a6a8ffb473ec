/*
 * layers_check.h - the nat.layers check, shared by its files: the TTL
 * probes and the run (check_layers.c), the gateway's own answer over
 * NAT-PMP and UPnP-IGD (layers_gw.c), over IPv6 whether the gateway's
 * firewall opens pinholes on request (layers_gw6.c), and the report entry
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
	/*
	 * Over IPv6 the gateway's firewall control (fw6 set) instead of an
	 * external address: whether it answered, and whether it opens inbound
	 * pinholes on request (offered).
	 */
	int fw6;
	int answered;
	int offered;
	int fw_enabled, inbound_allowed;	/* UPnP GetFirewallStatus */
	int pcp_result;				/* PCP's result code */
	unsigned long pcp_epoch;
	struct net_ip gateway;			/* where PCP was asked */
};

/*
 * A gateway query's thread (arg the struct ly_gw): runs g->fn, then sets
 * g->ended, which the event loop's side reads atomically.
 */
void *layers_gw_h(void *arg);

struct UPNPUrls;
struct IGDdatas;

/*
 * Finds a UPnP Internet gateway of device type 'devtype' by SSDP (over
 * IPv6 when 'ipv6'), waiting g->wait_ms.  0 with *urls to free with
 * FreeUPNPUrls(), or -ENOENT with g->error said.
 */
int layers_upnp_find(struct ly_gw *g, const char *devtype, int ipv6,
    struct UPNPUrls *urls, struct IGDdatas *data);

/* The queries, as g->fn: the external address over NAT-PMP, UPnP-IGD. */
void *layers_natpmp_h(void *arg);
void *layers_upnp_h(void *arg);

/*
 * The IPv6 queries, as g->fn: UPnP IGDv2's WANIPv6FirewallControl
 * (GetFirewallStatus, which changes nothing), and PCP's ANNOUNCE to the
 * default gateway (RFC 6887, which asks nothing and leaves nothing behind).
 */
void *layers_upnp6_h(void *arg);
void *layers_pcp_h(void *arg);

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
