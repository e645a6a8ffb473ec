/*
 * layers_gw6.c - over IPv6, whether the gateway's firewall opens inbound
 * pinholes on request: UPnP IGDv2's WANIPv6FirewallControl (miniupnpc's
 * GetFirewallStatus) and PCP (RFC 6887, an ANNOUNCE to the default
 * gateway).  Neither changes anything on the gateway.  Each runs in a
 * thread of its own, as the IPv4 queries of layers_gw.c do.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <miniupnpc/miniupnpc.h>
#include <miniupnpc/upnpcommands.h>
#include <miniupnpc/upnperrors.h>

#include "layers_check.h"
#include "pcp.h"

void *
layers_upnp6_h(void *arg)
{
	struct ly_gw *g = arg;
	struct UPNPUrls urls;
	struct IGDdatas data;
	int err;

	/* IGDv2 alone has the IPv6 firewall service; SSDP over IPv6. */
	if (layers_upnp_find(g, "urn:schemas-upnp-org:device:"
	    "InternetGatewayDevice:2", 1, &urls, &data) < 0)
		return NULL;
	if (urls.controlURL_6FC == NULL || urls.controlURL_6FC[0] == '\0' ||
	    data.IPv6FC.servicetype[0] == '\0') {
		g->answered = 1;
		snprintf(g->error, sizeof(g->error), "the gateway's UPnP-IGD "
		    "has no WANIPv6FirewallControl");
	} else if ((err = UPNP_GetFirewallStatus(urls.controlURL_6FC,
	    data.IPv6FC.servicetype, &g->fw_enabled,
	    &g->inbound_allowed)) != UPNPCOMMAND_SUCCESS) {
		g->answered = err > 0;	/* a UPnP error code from the gateway */
		snprintf(g->error, sizeof(g->error), "GetFirewallStatus "
		    "failed (%d, %s)", err, strupnperror(err));
	} else {
		g->answered = 1;
		/* A firewall that is off needs no pinhole. */
		g->offered = g->fw_enabled && g->inbound_allowed;
	}
	FreeUPNPUrls(&urls);
	return NULL;
}

/*
 * The default IPv6 route's next hop, from /proc/net/ipv6_route (its
 * interface as the scope of a link-local one).  0 or -ENOENT.
 */
static int
ly_gw6_default(struct sockaddr_in6 *sin6)
{
	char dst[33], nh[33], ifname[IF_NAMESIZE + 1];
	unsigned dlen, i, byte;
	FILE *f;
	int r = -ENOENT;

	if ((f = fopen("/proc/net/ipv6_route", "re")) == NULL)
		return -errno;
	while (fscanf(f, "%32s %x %*s %*s %32s %*s %*s %*s %*s %16s",
	    dst, &dlen, nh, ifname) == 4) {
		if (dlen != 0 || strspn(dst, "0") != 32 ||
		    strspn(nh, "0") == 32 || strcmp(ifname, "lo") == 0)
			continue;
		memset(sin6, 0, sizeof(*sin6));
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(PCP_PORT);
		for (i = 0; i < 16 && sscanf(nh + 2 * i, "%2x", &byte) == 1; i++)
			sin6->sin6_addr.s6_addr[i] = (uint8_t)byte;
		if (i < 16)
			continue;
		if (IN6_IS_ADDR_LINKLOCAL(&sin6->sin6_addr))
			sin6->sin6_scope_id = if_nametoindex(ifname);
		r = 0;
		break;
	}
	fclose(f);
	return r;
}

/* Sends the ANNOUNCE until an answer or the wait is over: -errno. */
static int
ly_pcp_ask(struct ly_gw *g, int fd, const uint8_t *req, size_t len,
    struct pcp_response *resp)
{
	uint8_t buf[1100];
	long long t0 = loop_now_ms(g->loop), left, next = 0;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t n;

	for (;;) {
		long long el = loop_now_ms(g->loop) - t0;

		if ((left = g->wait_ms - el) <= 0)
			return -ETIMEDOUT;
		if (el >= next) {	/* three sends in the wait, at most */
			if (send(fd, req, len, 0) < 0 && errno != ECONNREFUSED)
				return -errno;
			next = el + g->wait_ms / 3;
		}
		if (poll(&pfd, 1, (int)(next - el < left ? next - el : left))
		    <= 0)
			continue;
		if ((n = recv(fd, buf, sizeof(buf), 0)) < 0) {
			if (errno == ECONNREFUSED)
				return -ECONNREFUSED;
			continue;
		}
		if (pcp_response_decode(buf, (size_t)n, resp) == 0 &&
		    resp->opcode == PCP_OP_ANNOUNCE)
			return 0;
	}
}

void *
layers_pcp_h(void *arg)
{
	struct ly_gw *g = arg;
	struct sockaddr_in6 gw, me;
	struct net_ip client = { .family = AF_INET6 };
	socklen_t melen = sizeof(me);
	struct pcp_response resp;
	uint8_t req[PCP_HDR_LEN];
	const char *name;
	int fd, r;

	if (ly_gw6_default(&gw) < 0) {
		snprintf(g->error, sizeof(g->error), "no IPv6 default gateway");
		return NULL;
	}
	g->gateway.family = AF_INET6;
	memcpy(g->gateway.a, &gw.sin6_addr, 16);
	if ((fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&gw, sizeof(gw)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&me, &melen) < 0) {
		snprintf(g->error, sizeof(g->error), "cannot reach the gateway "
		    "(%s)", strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	/* Our source address, which the gateway compares with the header's. */
	memcpy(client.a, &me.sin6_addr, 16);
	(void)pcp_announce_encode(req, sizeof(req), &client);
	r = ly_pcp_ask(g, fd, req, sizeof(req), &resp);
	close(fd);
	if (r == -ETIMEDOUT) {
		snprintf(g->error, sizeof(g->error), "no answer from the "
		    "gateway");
	} else if (r == -ECONNREFUSED) {
		snprintf(g->error, sizeof(g->error), "the gateway does not "
		    "speak PCP (port %d closed)", PCP_PORT);
	} else if (r < 0) {
		snprintf(g->error, sizeof(g->error), "%s", strerror(-r));
	} else {
		g->answered = 1;
		g->pcp_result = resp.result;
		g->pcp_epoch = resp.epoch;
		g->offered = resp.result == 0;
		if (!g->offered) {
			name = pcp_result_name(resp.result);
			snprintf(g->error, sizeof(g->error), "the gateway "
			    "answered %s", name ? name : "an unknown result");
		}
	}
	return NULL;
}
