/*
 * sweepport.c - the server port the inbound UDP sweep comes from.
 *
 * The sweep sends one datagram from this server port to every port of our
 * public address.  On a NAT each of them leaves a connection tracking
 * entry (server:S -> public:P) for as long as the router keeps unreplied
 * flows (30 s on Linux), so for that time:
 *  - a flow of ours toward S that already had a mapping would let the
 *    sweep's datagram in as its reply: the port would be reported open
 *    because of our own traffic;
 *  - a new flow of ours toward S finds every public port taken toward S
 *    and the router cannot map it (insert_failed): its packets are
 *    dropped, and a port that is open would be reported blocked.
 * So S must be a port that no family of this run sends to, before or
 * after the sweep.  It is one of the server's media ports, as inbound
 * media would come from, but neither the lowest nor the highest (the
 * media family's range edges, which it must test); the media family
 * leaves it out of its sweep (check_media_port_ok).
 */
#include "check.h"

/* Whether a family other than media sends to server UDP port 'p'. */
int
check_port_used(const struct check_ctx *ctx, unsigned p)
{
	const struct ctl_welcome *wl = ctlcli_welcome(ctx->ctl);
	size_t k, j;

	if (p == 0 || p == wl->stun_port || p == 5060)
		return 1;
	for (k = 0; k < ctx->opt->nprofiles; k++) {
		const struct profile *pr = ctx->opt->profiles[k];

		for (j = 0; j < pr->nsip_ports; j++)
			if (pr->sip_ports[j] == p)
				return 1;
		for (j = 0; j < pr->nendpoints; j++) {
			const struct profile_endpoint *e = &pr->endpoints[j];

			if (e->proto == PROFILE_UDP && (e->dir & PROFILE_OUT) &&
			    e->host == NULL && p >= e->port_lo &&
			    p <= e->port_hi)
				return 1;
		}
	}
	return 0;
}

/* The lowest and highest media port the server offers. */
static void
media_edges(const struct ctl_welcome *wl, unsigned *lo, unsigned *hi)
{
	size_t i;

	*lo = 65536;
	*hi = 0;
	for (i = 0; i < wl->nmedia_ports; i++) {
		if (wl->media_ports[i][0] < *lo)
			*lo = wl->media_ports[i][0];
		if (wl->media_ports[i][1] > *hi)
			*hi = wl->media_ports[i][1];
	}
}

uint16_t
check_sweep_port(const struct check_ctx *ctx)
{
	const struct ctl_welcome *wl = ctlcli_welcome(ctx->ctl);
	unsigned p, lo, hi;
	size_t i;

	media_edges(wl, &lo, &hi);
	for (i = wl->nmedia_ports; i-- > 0;)
		for (p = wl->media_ports[i][1]; p >= wl->media_ports[i][0] &&
		    p > 0; p--)
			if (p != lo && p != hi && !check_port_used(ctx, p))
				return (uint16_t)p;
	for (i = wl->nudp_ports; i-- > 0;)
		for (p = wl->udp_ports[i][1]; p >= wl->udp_ports[i][0] &&
		    p > 0; p--)
			if (!check_port_used(ctx, p))
				return (uint16_t)p;
	return 0;
}

int
check_media_port_ok(const struct check_ctx *ctx, unsigned p)
{
	return check_skipped(ctx, "reach-in") || p != check_sweep_port(ctx);
}
