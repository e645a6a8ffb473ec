/*
 * layers_gw.c - the gateway's own word on its external address, over
 * NAT-PMP (libnatpmp) and UPnP-IGD (miniupnpc).  Both libraries block, so
 * each query runs in a thread of its own while the event loop runs the
 * TTL probes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>

#include <miniupnpc/miniupnpc.h>
#include <miniupnpc/upnpcommands.h>
#include <miniupnpc/upnperrors.h>
#define ENABLE_STRNATPMPERR
#include <natpmp.h>

#include "layers_check.h"

/*
 * Takes the gateway's external address, or the text it gave ('text',
 * NULL when g->external is set already).  An empty answer or 0.0.0.0 is
 * what gateways give when they have no external address they will name;
 * miniupnpd, for one, names no private or shared address.
 */
static void
ly_gw_named(struct ly_gw *g, const char *text)
{
	if (text != NULL && net_ip_parse(text, &g->external) < 0) {
		g->refused = 1;
		snprintf(g->error, sizeof(g->error), text[0] == '\0' ?
		    "the gateway names no external address (empty answer)" :
		    "the gateway's external address is not an address");
	} else if (net_ip_is_any(&g->external)) {
		g->refused = 1;
		snprintf(g->error, sizeof(g->error), "the gateway names no "
		    "external address (0.0.0.0)");
	} else {
		g->ok = 1;
	}
}

/* A gateway query's thread: the query, then the flag ly_done_h() reads. */
void *
layers_gw_h(void *arg)
{
	struct ly_gw *g = arg;

	(void)g->fn(g);
	__atomic_store_n(&g->ended, 1, __ATOMIC_RELEASE);
	return NULL;
}

void *
layers_natpmp_h(void *arg)
{
	struct ly_gw *g = arg;
	natpmpresp_t resp;
	natpmp_t n;
	struct timeval tv;
	fd_set fds;
	long long t0 = loop_now_ms(g->loop), left;
	int r;

	if ((r = initnatpmp(&n, 0, 0)) < 0) {
		snprintf(g->error, sizeof(g->error), "no default gateway");
		return NULL;
	}
	if ((r = sendpublicaddressrequest(&n)) < 0) {
		snprintf(g->error, sizeof(g->error), "cannot ask (%d)", r);
		closenatpmp(&n);
		return NULL;
	}
	do {
		FD_ZERO(&fds);
		FD_SET(n.s, &fds);
		getnatpmprequesttimeout(&n, &tv);
		left = g->wait_ms - (loop_now_ms(g->loop) - t0);
		if (left <= 0)
			break;
		if (tv.tv_sec * 1000 + tv.tv_usec / 1000 > left) {
			tv.tv_sec = left / 1000;
			tv.tv_usec = (left % 1000) * 1000;
		}
		(void)select(n.s + 1, &fds, NULL, NULL, &tv);
		r = readnatpmpresponseorretry(&n, &resp);
	} while (r == NATPMP_TRYAGAIN);
	if (r == 0 && resp.type == NATPMP_RESPTYPE_PUBLICADDRESS) {
		g->external.family = AF_INET;
		memcpy(g->external.a, &resp.pnu.publicaddress.addr, 4);
		ly_gw_named(g, NULL);
	} else if (r == NATPMP_TRYAGAIN || r == 0) {
		snprintf(g->error, sizeof(g->error), "no answer from the gateway");
	} else if (r == NATPMP_ERR_NOGATEWAYSUPPORT) {
		snprintf(g->error, sizeof(g->error), "the gateway does not "
		    "speak NAT-PMP");
	} else if (r == NATPMP_ERR_NETWORKFAILURE ||
	    r == NATPMP_ERR_NOTAUTHORIZED || r == NATPMP_ERR_OUTOFRESOURCES) {
		/* RFC 6886 result codes 2-4: the gateway itself said no. */
		g->refused = 1;
		snprintf(g->error, sizeof(g->error), "the gateway names no "
		    "external address (%s)", strnatpmperr(r));
	} else {
		snprintf(g->error, sizeof(g->error), "%s", strnatpmperr(r));
	}
	closenatpmp(&n);
	return NULL;
}

int
layers_upnp_find(struct ly_gw *g, const char *devtype, int ipv6,
    struct UPNPUrls *urls, struct IGDdatas *data)
{
	struct UPNPDev *devs;
	char lan[64];
	int err = 0, r;

	devs = upnpDiscoverDevice(devtype, g->wait_ms, NULL, NULL,
	    UPNP_LOCAL_PORT_ANY, ipv6, 2, &err);
	if (devs == NULL) {
		snprintf(g->error, sizeof(g->error), "no UPnP-IGD%s device "
		    "answered%s", ipv6 ? "v2" : "", ipv6 ? " over IPv6" : "");
		return -ENOENT;
	}
	r = UPNP_GetValidIGD(devs, urls, data, lan, sizeof(lan));
	freeUPNPDevlist(devs);
	if (r != 1 && r != 2) {
		snprintf(g->error, sizeof(g->error), "no Internet gateway "
		    "among the UPnP devices");
		if (r != 0)
			FreeUPNPUrls(urls);
		return -ENOENT;
	}
	return 0;
}

void *
layers_upnp_h(void *arg)
{
	struct ly_gw *g = arg;
	struct UPNPUrls urls;
	struct IGDdatas data;
	char ext[64];
	int err;

	/* One search type: the others would each wait as long again. */
	if (layers_upnp_find(g, "urn:schemas-upnp-org:device:"
	    "InternetGatewayDevice:1", 0, &urls, &data) < 0)
		return NULL;
	if ((err = UPNP_GetExternalIPAddress(urls.controlURL,
	    data.first.servicetype, ext)) > 0) {
		g->refused = 1;		/* a UPnP error code from the gateway */
		snprintf(g->error, sizeof(g->error), "the gateway names no "
		    "external address (UPnP error %d, %s)", err,
		    strupnperror(err));
	} else if (err < 0) {
		snprintf(g->error, sizeof(g->error), "asking the gateway "
		    "failed (%s)", strupnperror(err));
	} else {
		ly_gw_named(g, ext);
	}
	FreeUPNPUrls(&urls);
	return NULL;
}
