/*
 * layers.h - how many NATs sit between us and the server, inferred from
 * what the path and the gateway say.  Pure logic: the probes are sent by
 * the client (check_layers.c); this only weighs what came back.
 *
 * Address realms: each RFC 1918 block (10/8, 172.16/12, 192.168/16) and
 * the carrier NAT space 100.64/10 is a realm.  Walking the path from our
 * own address, every change of private realm before the first public hop
 * is taken as one more NAT.  A private hop beyond the first router in the
 * same realm as the hop before it may be a router of that network or
 * another NAT (192.168.1.0/24 behind 192.168.0.0/24 is common): it is
 * not counted, but reported as uncertain.
 *
 * The gateway (assumed to be hop 1, the router that NAT-PMP and UPnP-IGD
 * reach on our own network) settles the count when it names the public
 * address the server saw: nothing beyond it translates.  When it names a
 * private or shared address, that address's realm is where the walk goes
 * on after hop 1; when another public address, a NAT sits beyond it.
 */
#ifndef PINHOLE_LAYERS_H
#define PINHOLE_LAYERS_H

#include <stddef.h>

#include "net.h"

#define LAYERS_MAX_HOPS	16

struct layers_hop {
	int answered;			/* an ICMP time exceeded came back */
	struct net_ip ip;
};

struct layers_in {
	struct net_ip local;		/* our address toward the server */
	struct net_ip public_ip;	/* our address as the server saw it */
	struct layers_hop hops[LAYERS_MAX_HOPS];	/* hops[0] is TTL 1 */
	size_t nhops;			/* hops before the server */
	int gw_known;			/* UPnP-IGD or NAT-PMP answered */
	struct net_ip gw_external;	/* ignored when unspecified (0.0.0.0) */
};

struct layers_out {
	int nat;			/* local != public */
	unsigned count;			/* NATs on the path, best estimate */
	unsigned ttl_count;		/* from the path alone */
	int cgnat;			/* a carrier NAT is on the path */
	int gw_count;			/* from the gateway: 1, 2, or 0 unknown */
	/* TTLs of silent hops on the private side, from the path alone. */
	unsigned unseen[LAYERS_MAX_HOPS];
	size_t nunseen;
	/* Of those, the ones that the gateway's answer does not cover. */
	unsigned hidden[LAYERS_MAX_HOPS];
	size_t nhidden;
	/* TTLs of private hops that may be routers or NATs, undecided. */
	unsigned uncertain[LAYERS_MAX_HOPS];
	size_t nuncertain;
	int complete;			/* nothing hidden, nothing uncertain */
};

/* Weighs the path and the gateway's answer; fills all of *out. */
void layers_infer(const struct layers_in *in, struct layers_out *out);

/* "10/8", "172.16/12", "192.168/16", "100.64/10", "fc00::/7", or NULL
   for any other address. */
const char *layers_realm(const struct net_ip *ip);

#endif
