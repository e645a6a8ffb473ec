/*
 * reachsrv.c - the responders that outbound reachability probes talk to,
 * each speaking just enough of the real protocol for an application-aware
 * firewall to treat the probe as real traffic:
 *
 *   HTTP (http-ports, 80 and 5280 by default): GET is answered 200 with
 *     the request head, byte for byte, as the body, so that the client can
 *     see what a transparent proxy added or changed; POST /http-bind (BOSH)
 *     is answered with a BOSH session creation <body/>.
 *   XMPP (xmpp-ports, 5222): a stream open is answered with a stream
 *     header and features offering STARTTLS.
 *   TLS (tls-ports, 5061): a TLS handshake with the server's certificate,
 *     when one is configured; then close_notify.
 *
 * Every connection is read through a bounded buffer with a read timeout,
 * answered once, and closed; connections per source are rate limited.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <openssl/ssl.h>

#include "config.h"
#include "server.h"

#define REACH_MAX_HEAD	8192	/* request head or stream open */
#define REACH_MAX_BODY	4096	/* BOSH request body */
#define REACH_READ_S	5
#define REACH_MAX_CONNS	256

struct reachconn {
	struct server *srv;
	enum lst_kind kind;
	struct bufferevent *bev;
	int answered;
};

static unsigned reach_open;

static void
reachconn_free(struct reachconn *c)
{
	bufferevent_free(c->bev);
	free(c);
	reach_open--;
}

static void
reach_drained_h(struct bufferevent *bev, void *arg)
{
	(void)bev;
	reachconn_free(arg);
}

/* Queues the answer and closes once it has left. */
static void
reach_answer(struct reachconn *c, const char *head, const void *body,
    size_t blen)
{
	struct evbuffer *out = bufferevent_get_output(c->bev);

	c->answered = 1;
	evbuffer_add(out, head, strlen(head));
	if (blen > 0)
		evbuffer_add(out, body, blen);
	bufferevent_disable(c->bev, EV_READ);
	bufferevent_setcb(c->bev, NULL, reach_drained_h, NULL, c);
}

static void
reach_http(struct reachconn *c, struct evbuffer *in)
{
	struct evbuffer_ptr end;
	char head[512];
	const char *clen;
	size_t hlen, blen = 0;
	uint8_t *p;

	end = evbuffer_search(in, "\r\n\r\n", 4, NULL);
	if (end.pos < 0) {
		if (evbuffer_get_length(in) > REACH_MAX_HEAD)
			reachconn_free(c);
		return;
	}
	hlen = (size_t)end.pos + 4;
	p = evbuffer_pullup(in, -1);
	if (hlen >= 5 && memcmp(p, "POST ", 5) == 0) {
		/* BOSH: the body must be there too. */
		clen = memmem(p, hlen, "\r\nContent-Length:", 17);
		if (clen == NULL)
			clen = memmem(p, hlen, "\r\ncontent-length:", 17);
		if (clen != NULL)
			blen = strtoul(clen + 17, NULL, 10);
		if (blen > REACH_MAX_BODY) {
			reachconn_free(c);
			return;
		}
		if (evbuffer_get_length(in) < hlen + blen)
			return;
		static const char bosh[] = "<body xmlns='http://jabber.org/"
		    "protocol/httpbind' xmlns:xmpp='urn:xmpp:xbosh' sid='pinhole' "
		    "wait='60' requests='2' hold='1' inactivity='30' "
		    "ver='1.11' xmpp:version='1.0' from='pinholed'/>";
		snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\nServer: pinholed/"
		    PINHOLE_VERSION "\r\nContent-Type: text/xml; charset=utf-8"
		    "\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
		    sizeof(bosh) - 1);
		reach_answer(c, head, bosh, sizeof(bosh) - 1);
		return;
	}
	if (hlen < 4 || memcmp(p, "GET ", 4) != 0) {
		reach_answer(c, "HTTP/1.1 405 Method Not Allowed\r\nServer: "
		    "pinholed/" PINHOLE_VERSION "\r\nContent-Length: 0\r\n"
		    "Connection: close\r\n\r\n", NULL, 0);
		return;
	}
	/* The request head as it arrived is the body. */
	snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\nServer: pinholed/"
	    PINHOLE_VERSION "\r\nContent-Type: text/plain\r\n"
	    "Cache-Control: no-store\r\nContent-Length: %zu\r\n"
	    "Connection: close\r\n\r\n", hlen);
	reach_answer(c, head, p, hlen);
}

static void
reach_xmpp(struct reachconn *c, struct evbuffer *in)
{
	static const char hdr[] = "<?xml version='1.0'?>"
	    "<stream:stream xmlns='jabber:client' "
	    "xmlns:stream='http://etherx.jabber.org/streams' id='pinhole' "
	    "from='pinholed' version='1.0' xml:lang='en'>"
	    "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'>"
	    "<required/></starttls></stream:features>";
	struct evbuffer_ptr open, gt;

	open = evbuffer_search(in, "<stream:stream", 14, NULL);
	if (open.pos >= 0) {
		gt = evbuffer_search(in, ">", 1, &open);
		if (gt.pos >= 0) {
			reach_answer(c, hdr, NULL, 0);
			return;
		}
	}
	if (evbuffer_get_length(in) > REACH_MAX_HEAD)
		reachconn_free(c);
}

static void
reach_read_h(struct bufferevent *bev, void *arg)
{
	struct reachconn *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);

	if (c->answered)
		return;
	if (c->kind == LST_HTTP)
		reach_http(c, in);
	else if (c->kind == LST_XMPP)
		reach_xmpp(c, in);
	else
		evbuffer_drain(in, evbuffer_get_length(in));
}

static void
reach_event_h(struct bufferevent *bev, short what, void *arg)
{
	struct reachconn *c = arg;

	(void)bev;
	if (what & BEV_EVENT_CONNECTED && c->kind == LST_TLS) {
		/* The handshake is the probe; nothing else to say. */
		reachconn_free(c);
		return;
	}
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR | BEV_EVENT_TIMEOUT))
		reachconn_free(c);
}

/* Serves an accepted connection of 'kind' (HTTP, XMPP, TLS); owns fd. */
static void
reach_start(struct server *s, enum lst_kind kind, int fd)
{
	struct timeval tv = { REACH_READ_S, 0 };
	struct reachconn *c;
	SSL *ssl;

	if ((kind == LST_TLS && s->tls == NULL) ||
	    (c = calloc(1, sizeof(*c))) == NULL) {
		close(fd);
		return;
	}
	c->srv = s;
	c->kind = kind;
	if (kind == LST_TLS) {
		if ((ssl = SSL_new(s->tls)) != NULL)
			c->bev = bufferevent_openssl_socket_new(s->base, fd, ssl,
			    BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
	} else {
		c->bev = bufferevent_socket_new(s->base, fd,
		    BEV_OPT_CLOSE_ON_FREE);
	}
	if (c->bev == NULL) {
		close(fd);
		free(c);
		return;
	}
	reach_open++;
	bufferevent_set_timeouts(c->bev, &tv, &tv);
	bufferevent_setwatermark(c->bev, EV_READ, 0,
	    REACH_MAX_HEAD + REACH_MAX_BODY);
	bufferevent_setcb(c->bev, reach_read_h, NULL, reach_event_h, c);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
}

void
reachsrv_tls_fd(struct server *s, int fd)
{
	if (reach_open >= REACH_MAX_CONNS) {
		close(fd);
		return;
	}
	reach_start(s, LST_TLS, fd);
}

void
reachsrv_accept_h(evutil_socket_t lfd, short what, void *arg)
{
	struct listener *l = arg;
	struct server *s = l->srv;
	struct sockaddr_storage peer;
	socklen_t plen = sizeof(peer);
	struct net_ip ip;
	int fd;

	(void)what;
	fd = accept4(lfd, (struct sockaddr *)&peer, &plen,
	    SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	net_ip_from_sa((struct sockaddr *)&peer, &ip, NULL);
	if (reach_open >= REACH_MAX_CONNS ||
	    (!session_validated(s, &ip) &&
	    !rate_take(&s->conn_rate, &ip, srv_now_ms()))) {
		srv_log_remote(s, "refused a reachability connection");
		close(fd);
		return;
	}
	reach_start(s, l->kind, fd);
}
