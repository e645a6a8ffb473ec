/*
 * layers.h - how many NATs sit between us and the server, inferred from
 * what the path and the gateway say.  Pure logic: the probes are sent by
 * the client (check_layers.c); this only weighs what came back.
 *
 * Address realms: each RFC 1918 block (10/8, 172.16/12, 192.168/16) and
 * the carrier NAT space 100.64/10 is a realm.  Walking the path from our
 * own address, every change of private realm before the first public hop
 * is taken as one more NAT; a gateway that reports a private or shared
 * external address, or another public one than the server saw, proves a
 * NAT beyond it.
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
	struct net_ip gw_external;
};

struct layers_out {
	int nat;			/* local != public */
	unsigned count;			/* NATs on the path, best estimate */
	unsigned ttl_count;		/* from the path alone */
	int cgnat;			/* a carrier NAT is on the path */
	int gw_count;			/* from the gateway: 1, 2, or 0 unknown */
	unsigned unseen[LAYERS_MAX_HOPS];	/* TTLs of silent private-side hops */
	size_t nunseen;
	int complete;			/* nothing on the private side unseen */
};

void layers_infer(const struct layers_in *in, struct layers_out *out);

/* "10/8", "172.16/12", "192.168/16", "100.64/10", or NULL for public. */
const char *layers_realm(const struct net_ip *ip);

#endif
