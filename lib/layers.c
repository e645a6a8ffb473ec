/* layers.c - counting NAT layers from path and gateway evidence. */
#include <string.h>

#include "layers.h"

const char *
layers_realm(const struct net_ip *ip)
{
	if (ip->family != AF_INET)
		return net_ip_class(ip) == NET_CLASS_PRIVATE ? "fc00::/7" : NULL;
	if (ip->a[0] == 10)
		return "10/8";
	if (ip->a[0] == 172 && (ip->a[1] & 0xf0) == 16)
		return "172.16/12";
	if (ip->a[0] == 192 && ip->a[1] == 168)
		return "192.168/16";
	if (ip->a[0] == 100 && (ip->a[1] & 0xc0) == 64)
		return "100.64/10";
	return NULL;
}

static int
layers_shared(const struct net_ip *ip)
{
	return net_ip_class(ip) == NET_CLASS_SHARED;
}

void
layers_infer(const struct layers_in *in, struct layers_out *out)
{
	const char *realm, *last;
	int shared_hop = 0;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->nat = !net_ip_equal(&in->local, &in->public_ip);
	out->cgnat = layers_shared(&in->public_ip) ||
	    (in->gw_known && layers_shared(&in->gw_external));

	/* The path: realm changes on the private side. */
	last = layers_realm(&in->local);
	out->ttl_count = out->nat ? 1 : 0;
	for (i = 0; i < in->nhops && i < LAYERS_MAX_HOPS; i++) {
		const struct layers_hop *h = &in->hops[i];

		if (!h->answered) {
			out->unseen[out->nunseen++] = (unsigned)i + 1;
			continue;
		}
		if ((realm = layers_realm(&h->ip)) == NULL)
			break;		/* the public side begins; silent hops
					   beyond it hide no NAT */
		if (layers_shared(&h->ip))
			shared_hop = 1;
		if (last != NULL && strcmp(realm, last) != 0 && out->nat)
			out->ttl_count++;
		last = realm;
	}

	/* The gateway: its external address against the server's view. */
	if (in->gw_known && out->nat)
		out->gw_count = net_ip_equal(&in->gw_external, &in->public_ip) ?
		    1 : 2;
	if (shared_hop && out->nat && out->gw_count != 1)
		out->cgnat = 1;
	if (out->gw_count == 1)
		out->count = 1;		/* the gateway is the only NAT */
	else if (out->gw_count == 2)
		out->count = out->ttl_count > 2 ? out->ttl_count : 2;
	else
		out->count = out->ttl_count;
	out->complete = out->nunseen == 0 || out->gw_count != 0;
}
