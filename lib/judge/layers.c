/* layers.c - counting NAT layers from path and gateway evidence. */
#include <string.h>

#include "layers.h"

/* One walk along the path, optionally with the gateway's word. */
struct layers_walk {
	unsigned count;
	int shared;			/* a hop in 100.64/10 */
	unsigned unseen[LAYERS_MAX_HOPS];
	size_t nunseen;
	unsigned uncertain[LAYERS_MAX_HOPS];
	size_t nuncertain;
};

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

/*
 * Walks the private side of the path.  With 'gw_answered', hop 1 is the
 * gateway and needs no ICMP answer; with 'gw_realm' also, the gateway
 * translates into that realm, which is one more NAT, and the next hop is
 * expected in it.
 */
static void
layers_walk(const struct layers_in *in, int gw_answered,
    const struct net_ip *gw_realm, struct layers_walk *w)
{
	const char *realm, *last = layers_realm(&in->local);
	int expect = 1;		/* the next hop may share the realm of 'last' */
	size_t i, n = in->nhops < LAYERS_MAX_HOPS ? in->nhops : LAYERS_MAX_HOPS;

	memset(w, 0, sizeof(*w));
	w->count = 1;
	if (gw_realm != NULL && n < 2)
		w->count++;	/* the NAT beyond the gateway kept the TTL */
	for (i = 0; i < n; i++) {
		const struct layers_hop *h = &in->hops[i];

		if (i == 1 && gw_realm != NULL) {
			w->count++;
			last = layers_realm(gw_realm);
			expect = 1;
		}
		if (!h->answered) {
			if (i > 0 || !gw_answered)
				w->unseen[w->nunseen++] = (unsigned)i + 1;
			expect = 0;
			continue;
		}
		if ((realm = layers_realm(&h->ip)) == NULL)
			break;		/* the public side begins; silent hops
					   beyond it hide no NAT */
		if (layers_shared(&h->ip))
			w->shared = 1;
		if (last != NULL && strcmp(realm, last) != 0)
			w->count++;
		else if (!expect)
			w->uncertain[w->nuncertain++] = (unsigned)i + 1;
		last = realm;
		expect = 0;
	}
}

void
layers_infer(const struct layers_in *in, struct layers_out *out)
{
	struct layers_walk path, both;
	const struct net_ip *gw = &in->gw_external;
	int gw_private;

	memset(out, 0, sizeof(*out));
	out->complete = 1;
	if (net_ip_equal(&in->local, &in->public_ip))
		return;		/* the server sees our own address */
	out->nat = 1;
	if (in->gw_known && !net_ip_is_any(gw))
		out->gw_count = net_ip_equal(gw, &in->public_ip) ? 1 : 2;
	gw_private = out->gw_count == 2 && layers_realm(gw) != NULL;

	layers_walk(in, 0, NULL, &path);
	out->ttl_count = path.count;
	memcpy(out->unseen, path.unseen, sizeof(out->unseen));
	out->nunseen = path.nunseen;
	out->cgnat = layers_shared(&in->public_ip);
	if (out->gw_count == 1) {
		out->count = 1;	/* the gateway is the only NAT */
		return;
	}
	if (out->gw_count == 2)
		layers_walk(in, 1, gw_private ? gw : NULL, &both);
	else
		both = path;
	out->count = both.count;
	if (out->gw_count == 2 && out->count < 2)
		out->count = 2;
	memcpy(out->hidden, both.unseen, sizeof(out->hidden));
	out->nhidden = both.nunseen;
	memcpy(out->uncertain, both.uncertain, sizeof(out->uncertain));
	out->nuncertain = both.nuncertain;
	out->cgnat |= both.shared || (gw_private && layers_shared(gw));
	out->complete = out->nhidden == 0 && out->nuncertain == 0;
}
