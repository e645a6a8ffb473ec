/*
 * reachsrv.c - the responders that outbound reachability probes talk to,
 * each speaking just enough of the real protocol for an application-aware
 * firewall to treat the probe as real traffic:
 *
 *   HTTP (http-ports, 80 and 5280 by default): GET is answered 200 with
 *     the request head, byte for byte, as the body, so that the client can
 *     see what a transparent proxy added or changed; POST /http-bind (BOSH)
 *     is answered with a BOSH session creation <body/>.  Heads are read by
 *     lib/http.c: other methods get 405, other POST targets 404, oversized
 *     heads or bodies 413, Transfer-Encoding 501, junk 400.
 *   XMPP (xmpp-ports, 5222): a stream open (lib/xmpp.c) is answered with
 *     a stream header and features offering STARTTLS; anything else is
 *     closed without an answer.
 *   TLS (tls-ports, 5061): a TLS handshake with the server's certificate,
 *     when one is configured; then close_notify.
 *
 * They answer any source: over TCP the handshake has proved the source
 * address, so an answer cannot be aimed at a third party, and a probe
 * through a proxy comes from the proxy's address, which has no session.
 * Each connection lives by conn.c's lifecycle (a read deadline that bytes
 * do not extend, a bounded head, answered once, then closed with a flush
 * deadline), and sources without a session are rate limited.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <openssl/ssl.h>

#include "config.h"
#include "conn.h"
#include "http.h"
#include "session.h"
#include "srvproto.h"
#include "xmpp.h"

#define REACH_MAX_HEAD	HTTP_MAX_HEAD	/* request head or stream open */
#define REACH_MAX_BODY	HTTP_MAX_BODY	/* BOSH request body */
#define REACH_READ_S	5

struct reachconn {
	enum lst_kind kind;
};

/* Queues the answer and closes once it has left. */
static void
reach_answer(struct conn *c, const char *head, const void *body, size_t blen)
{
	if (conn_write(c, head, strlen(head)) < 0 ||
	    (blen > 0 && conn_write(c, body, blen) < 0))
		return;
	conn_close(c);
}

/* A short refusal with 'status', then close. */
static void
reach_refuse(struct conn *c, const char *status)
{
	char head[256];

	snprintf(head, sizeof(head), "HTTP/1.1 %s\r\nServer: pinholed/"
	    PINHOLE_VERSION "\r\nContent-Length: 0\r\nConnection: close"
	    "\r\n\r\n", status);
	reach_answer(c, head, NULL, 0);
}

static void
reach_http(struct conn *c, struct evbuffer *in)
{
	static const char bosh[] = "<body xmlns='http://jabber.org/"
	    "protocol/httpbind' xmlns:xmpp='urn:xmpp:xbosh' sid='pinhole' "
	    "wait='60' requests='2' hold='1' inactivity='30' "
	    "ver='1.11' xmpp:version='1.0' from='pinholed'/>";
	size_t avail = evbuffer_get_length(in);
	struct http_req req;
	char head[512];
	uint8_t *p;
	int r;

	if (avail > REACH_MAX_HEAD + REACH_MAX_BODY)
		avail = REACH_MAX_HEAD + REACH_MAX_BODY;
	p = evbuffer_pullup(in, (ssize_t)avail);
	r = http_req_parse(p, avail, REACH_MAX_HEAD, REACH_MAX_BODY, &req);
	if (r == -EAGAIN)
		return;
	if (r == -EMSGSIZE) {
		reach_refuse(c, "413 Content Too Large");
		return;
	}
	if (r == -ENOTSUP) {
		reach_refuse(c, "501 Not Implemented");
		return;
	}
	if (r < 0) {
		reach_refuse(c, "400 Bad Request");
		return;
	}
	if (req.method == HTTP_POST) {
		/* BOSH: the body must be there too. */
		if (http_req_complete(&req, avail) == -EAGAIN)
			return;
		if (!http_req_path_is(&req, "/http-bind")) {
			reach_refuse(c, "404 Not Found");
			return;
		}
		snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\nServer: pinholed/"
		    PINHOLE_VERSION "\r\nContent-Type: text/xml; charset=utf-8"
		    "\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
		    sizeof(bosh) - 1);
		reach_answer(c, head, bosh, sizeof(bosh) - 1);
		return;
	}
	if (req.method != HTTP_GET) {
		reach_refuse(c, "405 Method Not Allowed");
		return;
	}
	/* The request head as it arrived is the body. */
	snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\nServer: pinholed/"
	    PINHOLE_VERSION "\r\nContent-Type: text/plain\r\n"
	    "Cache-Control: no-store\r\nContent-Length: %zu\r\n"
	    "Connection: close\r\n\r\n", req.head_len);
	reach_answer(c, head, p, req.head_len);
}

static void
reach_xmpp(struct conn *c, struct evbuffer *in)
{
	static const char hdr[] = "<?xml version='1.0'?>"
	    "<stream:stream xmlns='jabber:client' "
	    "xmlns:stream='http://etherx.jabber.org/streams' id='pinhole' "
	    "from='pinholed' version='1.0' xml:lang='en'>"
	    "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'>"
	    "<required/></starttls></stream:features>";
	size_t avail = evbuffer_get_length(in);
	struct xmpp_open open;
	int r;

	if (avail > XMPP_MAX_OPEN)
		avail = XMPP_MAX_OPEN;
	r = xmpp_open_parse(evbuffer_pullup(in, (ssize_t)avail), avail,
	    XMPP_MAX_OPEN, &open);
	if (r == -EAGAIN)
		return;
	if (r < 0) {
		conn_close(c);	/* not a stream open: nothing to say */
		return;
	}
	reach_answer(c, hdr, NULL, 0);
}

static void
reach_read_h(struct conn *c, struct evbuffer *in)
{
	struct reachconn *rc = c->arg;

	if (rc->kind == LST_HTTP)
		reach_http(c, in);
	else if (rc->kind == LST_XMPP)
		reach_xmpp(c, in);
	else
		evbuffer_drain(in, evbuffer_get_length(in));
}

/* The handshake is the probe; nothing else to say. */
static void
reach_connected_h(struct conn *c)
{
	conn_close(c);
}

static void
reach_gone_h(struct conn *c)
{
	free(c->arg);
}

static void reach_peek_h(struct conn *c, uint8_t first);

static const struct conn_ops reach_ops = {
	.name = "reachability",
	.peek = reach_peek_h,
	.read = reach_read_h,
	.connected = reach_connected_h,
	.gone = reach_gone_h,
};

static void
reach_peek_h(struct conn *c, uint8_t first)
{
	struct reachconn *rc = c->arg;
	SSL *ssl = NULL;

	(void)first;
	if (rc->kind == LST_TLS &&
	    (c->srv->tls == NULL || (ssl = SSL_new(c->srv->tls)) == NULL)) {
		conn_abort(c);
		return;
	}
	(void)conn_start(c, ssl, REACH_MAX_HEAD + REACH_MAX_BODY);
}

void
reachsrv_tls_take(struct conn *c)
{
	struct reachconn *rc;

	rc = calloc(1, sizeof(*rc));
	conn_handover(c, &reach_ops, rc);
	if (rc == NULL) {
		conn_abort(c);	/* reach_gone_h frees NULL */
		return;
	}
	rc->kind = LST_TLS;
	reach_peek_h(c, 0x16);
}

void
reachsrv_accept_h(evutil_socket_t lfd, short what, void *arg)
{
	struct listener *l = arg;
	struct server *s = l->srv;
	struct reachconn *rc;
	struct conn *c;

	(void)lfd;
	(void)what;
	if ((rc = calloc(1, sizeof(*rc))) == NULL)
		return;
	rc->kind = l->kind;
	if ((c = conn_accept(l, &reach_ops, rc, REACH_READ_S)) == NULL) {
		free(rc);
		return;
	}
	/* A session's client probes with many connections at once; anyone
	 * else is rate limited and counted as unauthenticated. */
	if (session_validated(s, &c->peer_ip)) {
		if (conn_probe(c, s->conf.max_tcp_per_source) < 0) {
			srv_log_remote(s, "refused a reachability connection: "
			    "too many from one session's client");
			conn_abort(c);
		}
	} else if (!rate_take(&s->conn_rate, &c->peer_ip, s->now_ms())) {
		srv_log_remote(s, "refused a reachability connection");
		conn_abort(c);
	} else {
		conn_admit(c);
	}
}
