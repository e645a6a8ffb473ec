/*
 * check_reach.c - reach.<proto>.out.<ports>: every outbound endpoint of a
 * profile, on every port, speaking the protocol the service really speaks,
 * so that an application-aware firewall treats the probe as it treats the
 * service: SIP OPTIONS (UDP and TCP), a STUN Binding, an HTTP GET (whose
 * echo shows what a transparent proxy changed), a BOSH session request, an
 * XMPP stream open, a TLS handshake (whose certificate is compared with
 * the one the server announced), or a bare connect.
 *
 * Toward the pinholed (endpoints without a host), only ports where the
 * server has a responder are probed; the others are listed as not
 * testable.  Endpoints with a host are resolved (A and AAAA) and every
 * address is probed.  All probes run at once, each with the same deadline;
 * UDP probes are retransmitted.
 */
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "answer.h"
#include "check.h"
#include "portset.h"
#include "stun.h"

#define RP_MAX_PORTS	64	/* per endpoint and address */
#define RP_BUF		8192

enum rp_speak { SP_SIP, SP_STUN, SP_HTTP, SP_BOSH, SP_XMPP, SP_TLS, SP_BARE };

enum rp_outcome {
	RO_PENDING = 0,
	RO_OPEN,		/* the service answered as it should */
	RO_ODD,			/* something answered, not as it should */
	RO_INTERCEPTED,		/* TLS with another certificate */
	RO_REFUSED,		/* RST or ICMP unreachable */
	RO_TIMEOUT,		/* nothing: silently dropped */
};

struct rp_probe {
	struct rp_run *run;
	size_t ep;			/* index of its endpoint result */
	enum rp_speak speak;
	int tcp;
	struct sockaddr_storage to;
	socklen_t to_len;
	uint16_t port;
	int fd;
	struct event *ev;
	SSL *ssl;
	int connected, sent;
	uint8_t req[1024];
	size_t req_len;
	uint8_t resp[RP_BUF];
	size_t resp_len;
	unsigned sends;
	long long t0, t1;
	enum rp_outcome out;
	char detail[160];
	char host[256];			/* the endpoint's name, or "" */
	int via_proxy;			/* 1 works through the proxy, 0 not,
					   -1 not tried */
	char proxy_detail[160];
};

/* One report entry: an endpoint in the outbound direction. */
struct rp_ep {
	const struct profile *p;
	const struct profile_endpoint *e;
	char id[PROFILE_ID_LEN];
	const char *spoken;
	char untestable[256];		/* ports not probed, as ranges */
	char resolve_error[160];
	size_t first, n;		/* its probes */
};

struct rp_run {
	struct check_ctx *ctx;
	SSL_CTX *tls;
	struct rp_probe *pr;
	size_t npr, cap;
	struct rp_ep *ep;
	size_t nep;
	long long start;
	int deadline_ms;
	struct event *tick;
	/* Bare UDP: the server reports what it heard (WATCH, SEEN). */
	uint8_t watch[CTL_NONCE_LEN];
	char watch_hex[2 * CTL_NONCE_LEN + 1];
	int watching;
	size_t seen_pos;
};

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
	if (strcmp(s, "tls") == 0)
		return SP_TLS;
	return SP_BARE;
}

/* Whether pinholed answers this kind of probe on 'port'. */
static int
rp_server_has(const struct ctlcli *c, enum rp_speak sp, int tcp,
    uint16_t port)
{
	switch (sp) {
	case SP_SIP:
		return ctlcli_has_port(c, tcp ? CTL_TCP : CTL_UDP, port);
	case SP_STUN:
		return !tcp && (port == ctlcli_welcome(c)->stun_port ||
		    ctlcli_has_port(c, CTL_UDP, port));
	case SP_HTTP:
	case SP_BOSH:
		return tcp && ctlcli_in_ranges((const uint16_t (*)[2])
		    ctlcli_welcome(c)->http_ports, ctlcli_welcome(c)->nhttp_ports, port);
	case SP_XMPP:
		return tcp && ctlcli_in_ranges((const uint16_t (*)[2])
		    ctlcli_welcome(c)->xmpp_ports, ctlcli_welcome(c)->nxmpp_ports, port);
	case SP_TLS:	/* SIP/TCP ports take TLS too (SIP over TLS) */
		return tcp && (ctlcli_in_ranges((const uint16_t (*)[2])
		    ctlcli_welcome(c)->tls_ports, ctlcli_welcome(c)->ntls_ports, port) ||
		    (ctlcli_welcome(c)->have_cert && ctlcli_has_port(c, CTL_TCP, port)) ||
		    (ctlcli_welcome(c)->have_cert &&
		    port == net_sa_port(ctlcli_server(c))));
	default:
		return tcp ? ctlcli_has_port(c, CTL_TCP, port) ||
		    ctlcli_in_ranges((const uint16_t (*)[2])ctlcli_welcome(c)->http_ports,
		    ctlcli_welcome(c)->nhttp_ports, port) ||
		    ctlcli_in_ranges((const uint16_t (*)[2])ctlcli_welcome(c)->xmpp_ports,
		    ctlcli_welcome(c)->nxmpp_ports, port) :
		    ctlcli_has_port(c, CTL_UDP, port) ||
		    ctlcli_in_ranges((const uint16_t (*)[2])ctlcli_welcome(c)->media_ports,
		    ctlcli_welcome(c)->nmedia_ports, port);
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

static void
rp_done(struct rp_probe *p, enum rp_outcome o, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
rp_done(struct rp_probe *p, enum rp_outcome o, const char *fmt, ...)
{
	va_list ap;

	if (p->out != RO_PENDING)
		return;
	p->out = o;
	p->t1 = loop_now_ms(p->run->ctx->loop);
	va_start(ap, fmt);
	vsnprintf(p->detail, sizeof(p->detail), fmt, ap);
	va_end(ap);
	if (p->ev != NULL)
		event_del(p->ev);
}

/* Judges what came back, once enough of it is there (1) or not yet (0). */
static int
rp_judge(struct rp_probe *p, int eof)
{
	static const enum answer_kind kinds[] = {
		[SP_SIP] = ANSWER_SIP, [SP_HTTP] = ANSWER_HTTP,
		[SP_BOSH] = ANSWER_BOSH, [SP_XMPP] = ANSWER_XMPP,
	};
	struct answer a;
	struct stun_msg m;

	if (p->speak == SP_STUN) {
		if (stun_msg_decode(p->resp, p->resp_len, &m) == 0 &&
		    memcmp(m.tid, p->req + 8, STUN_TID_LEN) == 0) {
			rp_done(p, RO_OPEN, "Binding answered");
			return 1;
		}
		if (!eof)
			return 0;
		rp_done(p, p->resp_len > 0 ? RO_ODD : RO_REFUSED, "%s",
		    p->resp_len > 0 ? "an answer that is not STUN" :
		    "closed without an answer");
		return 1;
	}
	if (p->speak != SP_SIP && p->speak != SP_HTTP &&
	    p->speak != SP_BOSH && p->speak != SP_XMPP) {
		if (!eof)
			return 0;
		rp_done(p, p->resp_len > 0 ? RO_ODD : RO_REFUSED, "%s",
		    p->resp_len > 0 ? "an unexpected answer" :
		    "closed without an answer");
		return 1;
	}
	if (answer_judge(kinds[p->speak], p->resp, p->resp_len, p->req,
	    p->req_len, eof, &a) < 0)
		return 0;
	rp_done(p, a.verdict == ANSWER_OPEN ? RO_OPEN : a.verdict == ANSWER_ODD ?
	    RO_ODD : RO_REFUSED, "%s", a.detail);
	return 1;
}

static void
rp_tls_step(struct rp_probe *p)
{
	const struct ctlcli *c = p->run->ctx->ctl;
	uint8_t md[32];
	unsigned int mdlen = sizeof(md);
	X509 *cert;
	int r, err;

	if ((r = SSL_connect(p->ssl)) != 1) {
		err = SSL_get_error(p->ssl, r);
		if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
			event_del(p->ev);
			event_assign(p->ev, p->run->ctx->loop->base, p->fd,
			    err == SSL_ERROR_WANT_READ ? EV_READ : EV_WRITE,
			    event_get_callback(p->ev), p);
			event_add(p->ev, NULL);
			return;
		}
		rp_done(p, RO_ODD, "the TLS handshake failed");
		return;
	}
	cert = SSL_get1_peer_certificate(p->ssl);
	if (cert == NULL || X509_digest(cert, EVP_sha256(), md, &mdlen) != 1) {
		X509_free(cert);
		rp_done(p, RO_ODD, "no certificate");
		return;
	}
	X509_free(cert);
	if (p->host[0] != '\0') {
		/* A named host: its certificate must chain and name it. */
		long v = SSL_get_verify_result(p->ssl);

		if (v != X509_V_OK)
			rp_done(p, RO_INTERCEPTED, "TLS %s, but the certificate "
			    "is not valid for %s (%s): intercepted, or the "
			    "wrong server", SSL_get_version(p->ssl), p->host,
			    X509_verify_cert_error_string(v));
		else
			rp_done(p, RO_OPEN, "TLS %s, a valid certificate for %s",
			    SSL_get_version(p->ssl), p->host);
		return;
	}
	if (ctlcli_welcome(c)->have_cert && memcmp(md, ctlcli_welcome(c)->cert_sha256, sizeof(md)) != 0)
		rp_done(p, RO_INTERCEPTED, "TLS %s with another certificate "
		    "than the server's: the connection is intercepted",
		    SSL_get_version(p->ssl));
	else
		rp_done(p, RO_OPEN, "TLS %s, the server's own certificate",
		    SSL_get_version(p->ssl));
}

static void
rp_io_h(evutil_socket_t fd, short what, void *arg)
{
	struct rp_probe *p = arg;
	socklen_t elen = sizeof(int);
	ssize_t n;
	int err = 0;

	(void)what;
	if (p->out != RO_PENDING)
		return;
	if (p->tcp && !p->connected) {
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0)
			err = errno;
		if (err != 0) {
			rp_done(p, err == ETIMEDOUT ? RO_TIMEOUT : RO_REFUSED,
			    "connect: %s", strerror(err));
			return;
		}
		p->connected = 1;
		if (p->speak == SP_BARE) {
			rp_done(p, RO_OPEN, "connected");
			return;
		}
		if (p->speak == SP_TLS) {
			if ((p->ssl = SSL_new(p->run->tls)) == NULL ||
			    SSL_set_fd(p->ssl, fd) != 1 ||
			    (p->host[0] != '\0' &&
			    (SSL_set_tlsext_host_name(p->ssl, p->host) != 1 ||
			    SSL_set1_host(p->ssl, p->host) != 1))) {
				rp_done(p, RO_ODD, "cannot start TLS");
				return;
			}
			rp_tls_step(p);
			return;
		}
		event_del(p->ev);
		event_assign(p->ev, p->run->ctx->loop->base, fd, EV_READ | EV_PERSIST,
		    rp_io_h, p);
		event_add(p->ev, NULL);
	}
	if (p->speak == SP_TLS) {
		rp_tls_step(p);
		return;
	}
	if (p->tcp && !p->sent) {
		if (send(fd, p->req, p->req_len, MSG_NOSIGNAL) < 0) {
			rp_done(p, RO_REFUSED, "send: %s", strerror(errno));
			return;
		}
		p->sent = 1;
		p->sends = 1;
		return;
	}
	for (;;) {
		n = recv(fd, p->resp + p->resp_len,
		    sizeof(p->resp) - p->resp_len, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (!p->tcp && errno == ECONNREFUSED) {
				rp_done(p, RO_REFUSED, "ICMP port unreachable");
				return;
			}
			rp_done(p, RO_REFUSED, "%s", strerror(errno));
			return;
		}
		if (!p->tcp) {		/* one datagram is the whole answer */
			p->resp_len = (size_t)n;
			if (rp_judge(p, 1))
				return;
			p->resp_len = 0;
			continue;
		}
		if (n == 0) {
			rp_judge(p, 1);
			return;
		}
		p->resp_len += (size_t)n;
		if (rp_judge(p, p->resp_len == sizeof(p->resp)))
			return;
	}
}

/* Bare UDP probes are open once the server reports hearing them. */
static void
rp_take_seen(struct rp_run *run)
{
	const struct ctlcli *c = run->ctx->ctl;
	size_t i;

	for (; run->seen_pos < ctlcli_nseen(c); run->seen_pos++) {
		const struct ctl_seen *sn = ctlcli_seen_at(c, run->seen_pos);

		if (memcmp(sn->nonce, run->watch, CTL_NONCE_LEN) != 0)
			continue;
		for (i = 0; i < run->npr; i++) {
			struct rp_probe *p = &run->pr[i];

			if (p->speak == SP_BARE && !p->tcp &&
			    p->port == sn->local_port)
				rp_done(p, RO_OPEN, "the server heard it");
		}
	}
}

/* Retransmits UDP probes; times out what is still pending. */
static void
rp_tick_h(evutil_socket_t fd, short what, void *arg)
{
	struct rp_run *run = arg;
	long long el = loop_now_ms(run->ctx->loop) - run->start;
	size_t i;

	(void)fd;
	(void)what;
	rp_take_seen(run);
	for (i = 0; i < run->npr; i++) {
		struct rp_probe *p = &run->pr[i];

		if (p->out != RO_PENDING)
			continue;
		if (el >= run->deadline_ms) {
			rp_done(p, RO_TIMEOUT, p->tcp && !p->connected ?
			    "no answer to the connection attempt (dropped)" :
			    "no answer (dropped)");
			continue;
		}
		if (!p->tcp && p->req_len > 0 &&
		    el >= (long long)p->sends * 500 && p->sends < 4) {
			(void)send(p->fd, p->req, p->req_len, 0);
			p->sends++;
		}
	}
}

static int
rp_done_h(void *arg)
{
	struct rp_run *run = arg;
	size_t i;

	for (i = 0; i < run->npr; i++)
		if (run->pr[i].out == RO_PENDING)
			return 0;
	return 1;
}

static int
rp_add(struct rp_run *run, size_t ep, enum rp_speak sp, int tcp,
    const struct sockaddr *to, socklen_t tolen, uint16_t port,
    const char *host)
{
	struct rp_probe *p, *np;

	if (run->npr == run->cap) {
		size_t cap = run->cap ? run->cap * 2 : 64;

		if ((np = realloc(run->pr, cap * sizeof(*np))) == NULL)
			return -ENOMEM;
		run->pr = np;
		run->cap = cap;
	}
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

static void
rp_start(struct rp_run *run, struct rp_probe *p)
{
	int fd;

	p->t0 = loop_now_ms(run->ctx->loop);
	fd = socket(p->to.ss_family, (p->tcp ? SOCK_STREAM : SOCK_DGRAM) |
	    SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		rp_done(p, RO_REFUSED, "socket: %s", strerror(errno));
		return;
	}
	p->fd = fd;
	if (connect(fd, (struct sockaddr *)&p->to, p->to_len) < 0 &&
	    errno != EINPROGRESS) {
		rp_done(p, RO_REFUSED, "connect: %s", strerror(errno));
		return;
	}
	p->ev = event_new(run->ctx->loop->base, fd, p->tcp ? EV_WRITE :
	    EV_READ | EV_PERSIST, rp_io_h, p);
	if (p->ev == NULL) {
		rp_done(p, RO_REFUSED, "out of memory");
		return;
	}
	event_add(p->ev, NULL);
	if (!p->tcp) {
		if (p->req_len == 0) {
			rp_done(p, RO_ODD, "nothing to send");
			return;
		}
		(void)send(fd, p->req, p->req_len, 0);
		p->sends = 1;
	}
}

/* The probes of one endpoint: each port, each address. */
static int
rp_plan_ep(struct rp_run *run, size_t k)
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
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = tcp ? SOCK_STREAM : SOCK_DGRAM;
	if ((gr = getaddrinfo(e->host, NULL, &hints, &res)) != 0) {
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

static size_t
rp_curl_discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

/* The proxy to try, from --proxy or the environment, as libcurl reads it. */
static const char *
rp_proxy(const struct check_ctx *ctx, int tls)
{
	static const char *const http_env[] = { "http_proxy", "all_proxy",
	    "ALL_PROXY", NULL };
	static const char *const tls_env[] = { "https_proxy", "HTTPS_PROXY",
	    "all_proxy", "ALL_PROXY", NULL };
	const char *const *e;
	const char *v;

	if (ctx->proxy != NULL)
		return ctx->proxy;
	for (e = tls ? tls_env : http_env; *e != NULL; e++)
		if ((v = getenv(*e)) != NULL && *v != '\0')
			return v;
	return NULL;
}

/*
 * A blocked HTTP, BOSH or TLS probe, tried once more through the proxy:
 * libcurl speaks the proxy (HTTP CONNECT for TLS).
 */
static void
rp_try_proxy(struct rp_run *run, struct rp_probe *p)
{
	const char *proxy = rp_proxy(run->ctx, p->speak == SP_TLS);
	char url[512], a[NET_ADDRSTRLEN];
	struct net_ip ip;
	CURLcode rc;
	CURL *cu;
	long code = 0;

	p->via_proxy = -1;
	if (proxy == NULL || (p->speak != SP_HTTP && p->speak != SP_BOSH &&
	    p->speak != SP_TLS) ||
	    (p->out != RO_REFUSED && p->out != RO_TIMEOUT))
		return;
	net_ip_from_sa((struct sockaddr *)&p->to, &ip, NULL);
	net_ip_str(&ip, a, sizeof(a));
	snprintf(url, sizeof(url), "%s://%s%s%s:%u/%s",
	    p->speak == SP_TLS ? "https" : "http", ip.family == AF_INET6 ?
	    "[" : "", p->host[0] ? p->host : a, ip.family == AF_INET6 ? "]" :
	    "", p->port, p->speak == SP_BOSH ? "http-bind" : "pinhole/proxy");
	if ((cu = curl_easy_init()) == NULL)
		return;
	curl_easy_setopt(cu, CURLOPT_URL, url);
	curl_easy_setopt(cu, CURLOPT_PROXY, proxy);
	/* Through the proxy, always: no_proxy would send the retry direct,
	 * blocked again, and the report would blame the proxy. */
	curl_easy_setopt(cu, CURLOPT_NOPROXY, "");
	curl_easy_setopt(cu, CURLOPT_TIMEOUT_MS, (long)run->ctx->wait_ms);
	curl_easy_setopt(cu, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(cu, CURLOPT_NOBODY, p->speak != SP_BOSH ? 1L : 0L);
	curl_easy_setopt(cu, CURLOPT_WRITEFUNCTION, rp_curl_discard);
	if (p->speak == SP_TLS) {
		/* The tunnel and the handshake are the probe. */
		curl_easy_setopt(cu, CURLOPT_CONNECT_ONLY, 1L);
		curl_easy_setopt(cu, CURLOPT_SSL_VERIFYPEER,
		    p->host[0] ? 1L : 0L);
		curl_easy_setopt(cu, CURLOPT_SSL_VERIFYHOST,
		    p->host[0] ? 2L : 0L);
	}
	if (p->speak == SP_BOSH)
		curl_easy_setopt(cu, CURLOPT_POSTFIELDS,
		    "<body rid='1' xmlns='http://jabber.org/protocol/httpbind' "
		    "to='pinholed' wait='60' hold='1' ver='1.6'/>");
	rc = curl_easy_perform(cu);
	(void)curl_easy_getinfo(cu, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_cleanup(cu);
	p->via_proxy = rc == CURLE_OK;
	/* A TLS probe has no HTTP status (CONNECT_ONLY): none is said. */
	if (rc == CURLE_OK && code)
		snprintf(p->proxy_detail, sizeof(p->proxy_detail), "works "
		    "through the proxy %s (HTTP %ld)", proxy, code);
	else if (rc == CURLE_OK)
		snprintf(p->proxy_detail, sizeof(p->proxy_detail), "works "
		    "through the proxy %s", proxy);
	else
		snprintf(p->proxy_detail, sizeof(p->proxy_detail), "fails "
		    "through the proxy %s too: %s", proxy,
		    curl_easy_strerror(rc));
}

static const char *
rp_outcome_name(enum rp_outcome o)
{
	switch (o) {
	case RO_OPEN: return "open";
	case RO_ODD: return "answered-otherwise";
	case RO_INTERCEPTED: return "intercepted";
	case RO_REFUSED: return "refused";
	case RO_TIMEOUT: return "dropped";
	default: return "pending";
	}
}

static void
rp_report_ep(struct rp_run *run, const struct rp_ep *ep)
{
	struct portset open, blocked;
	char ol[512], bl[512], a[NET_ADDRSTRLEN], cover[80] = "";
	json_t *ev, *ports;
	enum verdict v;
	struct report_check *c;
	const char *remedy = NULL;
	size_t i;
	unsigned odd = 0, icpt = 0, proxied = 0, pending = 0, total, tested;
	long long t_max = 0;

	portset_clear(&open);
	portset_clear(&blocked);
	ports = json_array();
	for (i = ep->first; i < ep->first + ep->n; i++) {
		const struct rp_probe *p = &run->pr[i];

		if (p->out == RO_OPEN)
			portset_add(&open, p->port);
		else if (p->out == RO_REFUSED || p->out == RO_TIMEOUT)
			portset_add(&blocked, p->port);
		odd += p->out == RO_ODD;
		icpt += p->out == RO_INTERCEPTED;
		pending += p->out == RO_PENDING;
		if (p->t1 - p->t0 > t_max)
			t_max = p->t1 - p->t0;
		json_array_append_new(ports, json_pack("{s:s, s:i, s:s, s:s, "
		    "s:I}", "address", net_sa_str((struct sockaddr *)&p->to, a,
		    sizeof(a)), "port", p->port, "outcome",
		    rp_outcome_name(p->out), "detail", p->detail,
		    "ms", (json_int_t)(p->t1 - p->t0)));
		if (p->via_proxy >= 0) {
			json_object_set_new(json_array_get(ports,
			    json_array_size(ports) - 1), "proxy",
			    json_string(p->proxy_detail));
			proxied += p->via_proxy == 1;
		}
	}
	portset_format(&open, ol, sizeof(ol));
	portset_format(&blocked, bl, sizeof(bl));
	ev = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "profile",
	    ep->p->name, "endpoint", ep->e->name, "spoken", ep->spoken,
	    "open", ol, "blocked", bl, "ports", ports);
	if (ep->e->host != NULL)
		json_object_set_new(ev, "host", json_string(ep->e->host));
	if (ep->untestable[0] != '\0')
		json_object_set_new(ev, "untestable",
		    json_string(ep->untestable));
	if (ep->resolve_error[0] != '\0') {
		json_object_set_new(ev, "dns_error",
		    json_string(ep->resolve_error));
		c = report_add(run->ctx->report, ep->id, "Reachability",
		    VERDICT_FAIL, ev, "Check the network's DNS resolver: the "
		    "service cannot be found.", "%s", ep->resolve_error);
		if (c != NULL)
			c->standalone = ep->e->host != NULL;
		return;
	}
	if (ep->n == 0) {
		report_add(run->ctx->report, ep->id, "Reachability",
		    VERDICT_SKIP, ev, NULL, "not testable against this "
		    "server: it has no %s responder on %s", ep->spoken,
		    ep->untestable);
		return;
	}
	if (blocked.count > 0 && proxied == blocked.count && icpt == 0) {
		v = VERDICT_WARN;
		remedy = "Direct connections are blocked but the proxy carries "
		    "them: the application must be set to use it, or the "
		    "firewall must allow this traffic out directly.";
	} else if (blocked.count > 0 || icpt > 0) {
		v = VERDICT_FAIL;
		remedy = icpt > 0 ? "Exempt the provider's addresses from TLS "
		    "inspection: signalling and WebRTC break when the "
		    "certificate is replaced." : "Allow this traffic out "
		    "through the firewall, to the provider's addresses.";
	} else if (odd > 0) {
		v = VERDICT_WARN;
		remedy = "Something between us and the server answers or "
		    "rewrites this traffic (a proxy or application gateway); "
		    "exempt the provider's addresses from it.";
	} else {
		v = VERDICT_PASS;
	}
	/* A range probed on samples: a pass says how much it covered, and
	 * needs the range's edges and enough ports spread over it. */
	total = (unsigned)ep->e->port_hi - ep->e->port_lo + 1;
	tested = open.count + blocked.count;
	if (ep->untestable[0] != '\0' && tested > 0) {
		json_object_set_new(ev, "coverage", json_pack("{s:I, s:I}",
		    "tested", (json_int_t)tested, "of", (json_int_t)total));
		snprintf(cover, sizeof(cover), " (%u of %u ports, sampled "
		    "across the range)", tested, total);
		/* A range too large to probe port by port is judged on its
		 * samples; a small one keeps what its testable ports say. */
		if (v == VERDICT_PASS && total > 64 && (tested < 8 ||
		    !portset_has(&open, ep->e->port_lo) ||
		    !portset_has(&open, ep->e->port_hi))) {
			v = VERDICT_WARN;
			remedy = "Only a few ports of this range could be tested "
			    "against this server (it listens on a sample): the "
			    "rest may still be closed. Test against a server "
			    "whose media-udp-ports cover the range.";
		}
	}
	c = report_add(run->ctx->report, ep->id, "Reachability", v, ev, remedy,
	    "%s %s out%s%s: %s%s%s%s%s%s%s", ep->spoken,
	    profile_proto_name(ep->e->proto), ep->e->host ? " to " : "",
	    ep->e->host ? ep->e->host : "", open.count ? "open " : "",
	    ol, blocked.count ? (open.count ? "; blocked " : "blocked ") : "",
	    bl, icpt ? "; TLS intercepted" : odd ? "; answered otherwise" : "",
	    proxied ? " (but it works through the proxy)" : "", cover);
	if (c != NULL) {
		c->duration_s = (double)t_max / 1000.0;
		/* A named host is probed without the server. */
		c->standalone = ep->e->host != NULL && pending == 0;
	}
}

/*
 * The id of the endpoint just added (docs/report.md): the profile's own,
 * unless an earlier profile of this check took it for another target;
 * then qualified by the profile's name.  The same target under the same id
 * is one check (rp_seen_before).
 */
static void
rp_ep_id(struct rp_run *run, struct rp_ep *ep)
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
static int
rp_seen_before(const struct rp_run *run, size_t k)
{
	size_t i;

	for (i = 0; i < k; i++)
		if (strcmp(run->ep[i].id, run->ep[k].id) == 0)
			return 1;
	return check_has_id(run->ctx, run->ep[k].id);
}

static int
rp_run_check(struct check_ctx *ctx)
{
	struct rp_run run;
	struct timeval tick = { 0, 50 * 1000 };
	size_t i, k;
	int r = 0;

	memset(&run, 0, sizeof(run));
	run.ctx = ctx;
	for (i = 0; i < ctx->nprofiles; i++)
		for (k = 0; k < ctx->profiles[i]->nendpoints; k++)
			run.nep += (ctx->profiles[i]->endpoints[k].dir &
			    PROFILE_OUT) != 0;
	if (run.nep == 0)
		return 0;
	check_progress(ctx, "reach");
	if ((run.ep = calloc(run.nep, sizeof(*run.ep))) == NULL)
		return -ENOMEM;
	run.nep = 0;
	for (i = 0; i < ctx->nprofiles; i++)
		for (k = 0; k < ctx->profiles[i]->nendpoints; k++) {
			const struct profile_endpoint *e =
			    &ctx->profiles[i]->endpoints[k];
			struct rp_ep *ep;

			if (!(e->dir & PROFILE_OUT))
				continue;
			ep = &run.ep[run.nep++];
			ep->p = ctx->profiles[i];
			ep->e = e;
			rp_ep_id(&run, ep);
		}
	/* TLS: the certificate is judged by its digest, not by a CA. */
	if ((run.tls = SSL_CTX_new(TLS_client_method())) == NULL) {
		r = -ENOMEM;
		goto out;
	}
	/*
	 * Verification is judged after the handshake: against the digest
	 * the server announced for pinholed, against the system's CAs and
	 * the name for a named host.
	 */
	SSL_CTX_set_verify(run.tls, SSL_VERIFY_NONE, NULL);
	(void)SSL_CTX_set_default_verify_paths(run.tls);
	if ((r = check_random(run.watch, sizeof(run.watch))) < 0)
		goto out;
	check_hex(run.watch, sizeof(run.watch), run.watch_hex);
	for (k = 0; k < run.nep && r == 0; k++)
		if (!rp_seen_before(&run, k))
			r = rp_plan_ep(&run, k);
	if (r < 0)
		goto out;
	for (i = 0; i < run.npr; i++)
		run.watching |= run.pr[i].speak == SP_BARE && !run.pr[i].tcp;
	if (run.watching) {
		/* Heard only once the WATCH is in: PING after it. */
		run.seen_pos = ctlcli_nseen(ctx->ctl);
		if (((r = ctlcli_watch(ctx->ctl, run.watch)) < 0 ||
		    (r = ctlcli_sync(ctx->ctl, ctx->wait_ms)) < 0) &&
		    ctlcli_is_open(ctx->ctl))
			goto out;
		r = 0;
	}
	run.start = loop_now_ms(ctx->loop);
	run.deadline_ms = ctx->wait_ms;
	for (i = 0; i < run.npr; i++)
		rp_start(&run, &run.pr[i]);
	if ((run.tick = event_new(ctx->loop->base, -1, EV_PERSIST, rp_tick_h,
	    &run)) == NULL) {
		r = -ENOMEM;
		goto out;
	}
	event_add(run.tick, &tick);
	r = loop_wait(ctx->loop, rp_done_h, &run, run.deadline_ms + 500);
	/* A lost session still reports: what it voided is marked later. */
	if (r == -ETIMEDOUT || (r < 0 && !ctlcli_is_open(ctx->ctl)))
		r = 0;
	if (r == 0) {
		for (i = 0; i < run.npr; i++)
			rp_try_proxy(&run, &run.pr[i]);
		for (k = 0; k < run.nep; k++)
			if (!rp_seen_before(&run, k))
				rp_report_ep(&run, &run.ep[k]);
	}
out:
	if (run.tick != NULL)
		event_free(run.tick);
	for (i = 0; i < run.npr; i++) {
		if (run.pr[i].ev != NULL)
			event_free(run.pr[i].ev);
		if (run.pr[i].ssl != NULL)
			SSL_free(run.pr[i].ssl);
		if (run.pr[i].fd >= 0)
			close(run.pr[i].fd);
	}
	SSL_CTX_free(run.tls);
	free(run.pr);
	free(run.ep);
	return r;
}

const struct check_ops check_reach_ops = {
	.family = "reach",
	.bursty = 1,
	.run = rp_run_check,
};
