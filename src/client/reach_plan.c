/*
 * reach_plan.c - the plan of the outbound reachability probes: what each
 * endpoint of a profile speaks, the request it sends, and the probes of
 * each port and address; toward pinholed only the ports where it has a
 * responder, the rest listed as not testable.
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "portset.h"
#include "reach.h"
#include "stun.h"

static const char *const rp_speak_name[] = {
	"SIP OPTIONS", "STUN Binding", "HTTP GET", "BOSH session request",
	"XMPP stream open", "TLS handshake", "connect",
};

static enum rp_speak
rp_speak_of(const struct profile_endpoint *e)
{
	const char *s = e->service;

	if (s == NULL)
		return SP_BARE;
	if (strcmp(s, "sip") == 0)
		return SP_SIP;
	if (strcmp(s, "stun") == 0)
		return SP_STUN;
	if (strcmp(s, "http") == 0)
		return SP_HTTP;
	if (strcmp(s, "bosh") == 0)
		return SP_BOSH;
	if (strcmp(s, "xmpp") == 0)
		return SP_XMPP;
	/* A relay: STUN's Binding over UDP (a TURN server answers it);
	 * over TLS the handshake; over TCP a connect. */
	if (strcmp(s, "tls") == 0 || strcmp(s, "turns") == 0)
		return SP_TLS;
	if (strcmp(s, "turn") == 0 && e->proto == PROFILE_UDP)
		return SP_STUN;
	return SP_BARE;
}

/* Whether pinholed answers this kind of probe on 'port'. */
static int
rp_server_has(const struct ctlcli *c, enum rp_speak sp, int tcp,
    uint16_t port)
{
	const struct ctl_welcome *w = ctlcli_welcome(c);

	switch (sp) {
	case SP_SIP:
		return ctlcli_has_port(c, tcp ? CTL_TCP : CTL_UDP, port);
	case SP_STUN:
		return !tcp && (port == w->stun_port ||
		    ctlcli_has_port(c, CTL_UDP, port));
	case SP_HTTP:
	case SP_BOSH:
		return tcp && ctlcli_in_ranges((const uint16_t (*)[2])
		    w->http_ports, w->nhttp_ports, port);
	case SP_XMPP:
		return tcp && ctlcli_in_ranges((const uint16_t (*)[2])
		    w->xmpp_ports, w->nxmpp_ports, port);
	case SP_TLS:	/* SIP/TCP ports take TLS too (SIP over TLS) */
		return tcp && (ctlcli_in_ranges((const uint16_t (*)[2])
		    w->tls_ports, w->ntls_ports, port) ||
		    (w->have_cert && ctlcli_has_port(c, CTL_TCP, port)) ||
		    (w->have_cert &&
		    port == net_sa_port(ctlcli_server(c))));
	default:
		return tcp ? ctlcli_has_port(c, CTL_TCP, port) ||
		    ctlcli_in_ranges((const uint16_t (*)[2])w->http_ports,
		    w->nhttp_ports, port) ||
		    ctlcli_in_ranges((const uint16_t (*)[2])w->xmpp_ports,
		    w->nxmpp_ports, port) :
		    ctlcli_has_port(c, CTL_UDP, port) ||
		    ctlcli_in_ranges((const uint16_t (*)[2])w->media_ports,
		    w->nmedia_ports, port);
	}
}

static void
rp_request(struct rp_probe *p, const char *host)
{
	char nonce[17];
	uint8_t rnd[8];
	struct dbuf b;
	int n = 0;

	if (check_random(rnd, sizeof(rnd)) < 0)
		memset(rnd, 0x5a, sizeof(rnd));
	check_hex(rnd, sizeof(rnd), nonce);
	switch (p->speak) {
	case SP_SIP:
		n = snprintf((char *)p->req, sizeof(p->req),
		    "OPTIONS sip:%s:%u SIP/2.0\r\n"
		    "Via: SIP/2.0/%s 0.0.0.0:9;branch=z9hG4bK%s;rport\r\n"
		    "Max-Forwards: 70\r\n"
		    "From: <sip:pinhole@invalid>;tag=%s\r\n"
		    "To: <sip:%s>\r\nCall-ID: %s@pinhole\r\n"
		    "CSeq: 1 OPTIONS\r\nAccept: application/sdp\r\n"
		    "Content-Length: 0\r\n\r\n", host, p->port,
		    p->tcp ? "TCP" : "UDP", nonce, nonce, host, nonce);
		break;
	case SP_STUN:
		dbuf_init(&b, sizeof(p->req));
		if (stun_tid_random(p->req + 8) == 0 &&
		    stun_enc_begin(&b, STUN_BINDING_REQUEST, p->req + 8) == 0 &&
		    stun_enc_padding(&b, 32) == 0 &&
		    stun_enc_finish(&b, NULL, 0, 1) == 0) {
			memcpy(p->req, b.b, b.len);
			n = (int)b.len;
		}
		dbuf_free(&b);
		break;
	case SP_HTTP:
		n = snprintf((char *)p->req, sizeof(p->req),
		    "GET /pinhole/%s HTTP/1.1\r\nHost: %s\r\n"
		    "User-Agent: pinhole/" "reach\r\nAccept: */*\r\n"
		    "Connection: close\r\n\r\n", nonce, host);
		break;
	case SP_BOSH: {
		char body[256];
		int bl = snprintf(body, sizeof(body), "<body rid='1' "
		    "xmlns='http://jabber.org/protocol/httpbind' to='%s' "
		    "xml:lang='en' wait='60' hold='1' ver='1.6' "
		    "xmpp:version='1.0' xmlns:xmpp='urn:xmpp:xbosh'/>", host);

		n = snprintf((char *)p->req, sizeof(p->req),
		    "POST /http-bind HTTP/1.1\r\nHost: %s\r\n"
		    "Content-Type: text/xml; charset=utf-8\r\n"
		    "Content-Length: %d\r\nConnection: close\r\n\r\n%s", host,
		    bl, body);
		break;
	}
	case SP_XMPP:
		n = snprintf((char *)p->req, sizeof(p->req),
		    "<?xml version='1.0'?><stream:stream to='%s' "
		    "xmlns='jabber:client' "
		    "xmlns:stream='http://etherx.jabber.org/streams' "
		    "version='1.0' xml:lang='en'>", host);
		break;
	case SP_BARE:
		if (!p->tcp)	/* a datagram the server reports, if it hears */
			n = snprintf((char *)p->req, sizeof(p->req),
			    "pinhole reach %s", p->run->watch_hex);
		break;
	default:
		break;
	}
	p->req_len = n > 0 && (size_t)n < sizeof(p->req) ? (size_t)n : 0;
}

static int
rp_add(struct rp_run *run, size_t ep, enum rp_speak sp, int tcp,
    const struct sockaddr *to, socklen_t tolen, uint16_t port,
    const char *host)
{
	struct rp_probe *p, *np;

	if ((np = buf_array_grow(run->pr, run->npr, &run->cap, sizeof(*np),
	    64)) == NULL)
		return -ENOMEM;
	run->pr = np;
	p = &run->pr[run->npr++];
	memset(p, 0, sizeof(*p));
	p->run = run;
	p->ep = ep;
	p->speak = sp;
	p->tcp = tcp;
	p->port = port;
	p->fd = -1;
	if (run->ep[ep].e->host != NULL)
		snprintf(p->host, sizeof(p->host), "%s", run->ep[ep].e->host);
	memcpy(&p->to, to, tolen);
	p->to_len = tolen;
	net_sa_set_port((struct sockaddr *)&p->to, port);
	rp_request(p, host);
	return 0;
}

/* The probes of one endpoint: each port, each address. */
int
reach_plan_ep(struct rp_run *run, size_t k)
{
	struct rp_ep *ep = &run->ep[k];
	const struct profile_endpoint *e = ep->e;
	struct sockaddr_storage ss;
	struct addrinfo hints, *res = NULL, *ai;
	enum rp_speak sp = rp_speak_of(e);
	int tcp = e->proto == PROFILE_TCP, gr, r;
	char host[NET_ADDRSTRLEN];
	unsigned port, probed = 0;
	struct portset skipped;
	socklen_t len;

	ep->first = run->npr;
	ep->spoken = sp == SP_BARE && !tcp ? "datagram" : rp_speak_name[sp];
	if (e->host == NULL) {
		len = net_sa_from_ip(&run->ctx->server_ip, 0, &ss);
		net_ip_str(&run->ctx->server_ip, host, sizeof(host));
		portset_clear(&skipped);
		for (port = e->port_lo; port <= e->port_hi; port++) {
			if (!rp_server_has(run->ctx->ctl, sp, tcp,
			    (uint16_t)port) || probed == RP_MAX_PORTS) {
				portset_add(&skipped, (uint16_t)port);
				continue;
			}
			if ((r = rp_add(run, k, sp, tcp, (struct sockaddr *)&ss,
			    len, (uint16_t)port, host)) < 0)
				return r;
			probed++;
		}
		(void)portset_format(&skipped, ep->untestable,
		    sizeof(ep->untestable));
		ep->n = run->npr - ep->first;
		return 0;
	}
	/* The host's addresses in the family this run tests: the other
	 * family's run probes the others. */
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = run->ctx->server_ip.family == AF_INET6 ? AF_INET6 :
	    AF_INET;
	hints.ai_socktype = tcp ? SOCK_STREAM : SOCK_DGRAM;
	if ((gr = getaddrinfo(e->host, NULL, &hints, &res)) != 0) {
		hints.ai_family = AF_UNSPEC;
		if (getaddrinfo(e->host, NULL, &hints, &res) == 0) {
			freeaddrinfo(res);
			ep->other_family = 1;
			return 0;
		}
		snprintf(ep->resolve_error, sizeof(ep->resolve_error),
		    "%s does not resolve: %s", e->host, gai_strerror(gr));
		return 0;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next)
		for (port = e->port_lo; port <= e->port_hi &&
		    port < (unsigned)e->port_lo + RP_MAX_PORTS; port++)
			if ((r = rp_add(run, k, sp, tcp, ai->ai_addr,
			    ai->ai_addrlen, (uint16_t)port, e->host)) < 0) {
				freeaddrinfo(res);
				return r;
			}
	freeaddrinfo(res);
	ep->n = run->npr - ep->first;
	return 0;
}

/*
 * The id of the endpoint just added (docs/report.md): the profile's own,
 * unless an earlier profile of this check took it for another target;
 * then qualified by the profile's name.  The same target under the same id
 * is one check (reach_seen_before).
 */
void
reach_ep_id(struct rp_run *run, struct rp_ep *ep)
{
	size_t i;

	(void)profile_endpoint_id(ep->p, ep->e, PROFILE_OUT, 0, ep->id,
	    sizeof(ep->id));
	for (i = 0; run->ep + i < ep; i++)
		if (strcmp(run->ep[i].id, ep->id) == 0 &&
		    run->ep[i].p != ep->p &&
		    !profile_endpoint_same_target(run->ep[i].e, ep->e)) {
			(void)profile_endpoint_id(ep->p, ep->e, PROFILE_OUT, 1,
			    ep->id, sizeof(ep->id));
			return;
		}
}

/* An earlier endpoint (of any profile) has the same id: checked once. */
int
reach_seen_before(const struct rp_run *run, size_t k)
{
	size_t i;

	for (i = 0; i < k; i++)
		if (strcmp(run->ep[i].id, run->ep[k].id) == 0)
			return 1;
	return check_has_id(run->ctx, run->ep[k].id);
}
