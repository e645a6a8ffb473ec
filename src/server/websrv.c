/*
 * websrv.c - HTTPS on the control port: the connection, the request and
 * its route.
 *
 * A connection to the control port whose first bytes inside TLS are an
 * HTTP method rather than the control preamble is handed over here by the
 * responder registry (responder.c), when a store is configured.  One
 * request per connection, under conn.c's lifecycle: the head and body must be in by the HELLO
 * deadline that was set at accept, the answer must be out by WEB_TOTAL_S
 * after the handover, the output limit holds, and the connection still
 * counts as one that has not authenticated (it never does), so the caps
 * on those bound it too.  Heads are read by lib/http.c.
 *
 * Routes (a table: method, path, whether the path is a prefix, handler),
 * each request first charged to its source's HTTP rate:
 *   /r/..., /api/reports  the report store's (webstore.c)
 *
 * With a check page (page.c; page-dir read into memory at start):
 *   GET /, /static/NAME  the page's files, looked up by exact path in a
 *                  table: nothing is opened after start, so there is no
 *                  path to traverse
 *   GET /ws        the page's WebSocket: wssrv.c checks the Upgrade head,
 *                  answers 101 and takes the connection over
 *                  (conn_handover(): web_gone_h frees the struct webconn)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>

#include "conn.h"
#include "http.h"
#include "page.h"
#include "responder.h"
#include "srvproto.h"
#include "store.h"
#include "web.h"

#define WEB_TOTAL_S	30	/* from the handover to the last byte out */

/* GET / and /static/NAME: the check page, from memory (page.c). */
static void
web_page_h(struct webconn *wc, const struct http_req *req,
    const uint8_t *path, size_t plen)
{
	const struct page *pg = wc->c->srv->page;
	const struct page_file *f = page_find(wc->c->srv, path, plen);
	char csp[256 + sizeof(pg->connect_src) + sizeof(wc->host)];

	(void)req;
	if (f == NULL) {
		web_error(wc, 404, "no such page");
		return;
	}
	/* No inline script or style, nothing from elsewhere; the page may
	 * talk to its own WebSocket and fetch the profile's hosts. */
	snprintf(csp, sizeof(csp), "default-src 'none'; script-src 'self'; "
	    "style-src 'self'; img-src 'self'; connect-src 'self' wss://%s%s; "
	    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
	    wc->host, pg->connect_src);
	web_answer(wc, 200, f->ctype, csp, "no-cache", f->data, f->len);
}

/* GET /ws: the check page's WebSocket (wssrv.c takes the connection). */
static void
web_ws_h(struct webconn *wc, const struct http_req *req,
    const uint8_t *path, size_t plen)
{
	const char *why;
	int r;

	(void)path;
	(void)plen;
	if (wc->c->srv->page == NULL) {
		web_error(wc, 404, "no such page");
		return;
	}
	r = wssrv_take(wc->c, req, wc->host, &why);
	if (r == 0)
		return;		/* the WebSocket's now: web_gone_h freed wc */
	web_error(wc, r == -EPERM ? 403 : r == -EPROTONOSUPPORT ? 426 :
	    r == -ENOMEM ? 503 : 400, why);
}

struct web_route {
	enum http_method method;
	const char *path;
	int prefix;
	void (*handler)(struct webconn *wc, const struct http_req *req,
	    const uint8_t *path, size_t plen);
};

static const struct web_route web_routes[] = {
	{ HTTP_GET, "/r/", 1, web_report_h },
	{ HTTP_POST, "/api/reports", 0, web_upload_h },
	{ HTTP_GET, "/api/reports", 0, web_list_h },
	{ HTTP_GET, "/ws", 0, web_ws_h },
	{ HTTP_GET, "/", 0, web_page_h },
	{ HTTP_GET, "/static/", 1, web_page_h },
};

/* The Host of the request when it looks like a host[:port], else the
 * address the connection came to. */
static void
web_host(struct webconn *wc, const struct http_req *req)
{
	const uint8_t *v;
	size_t n, i;
	char a[NET_ADDRSTRLEN];

	if (http_req_field(req, "host", &v, &n) == 0 && n > 0 &&
	    n < sizeof(wc->host)) {
		for (i = 0; i < n; i++)
			if (!((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' &&
			    v[i] <= 'Z') || (v[i] >= '0' && v[i] <= '9') ||
			    strchr(".-:[]", v[i]) != NULL))
				break;
		if (i == n) {
			memcpy(wc->host, v, n);
			wc->host[n] = '\0';
			return;
		}
	}
	net_ip_str(&wc->c->local_ip, a, sizeof(a));
	snprintf(wc->host, sizeof(wc->host), strchr(a, ':') ? "[%s]:%u" :
	    "%s:%u", a, wc->c->local_port);
}

static void
web_dispatch(struct webconn *wc, const struct http_req *req)
{
	const struct web_route *rt;
	const uint8_t *path;
	size_t plen, i, n;
	int seen = 0;

	if (http_req_origin_path(req, &path, &plen) < 0) {
		web_error(wc, 400, "bad request target");
		return;
	}
	web_host(wc, req);
	/* Every request is unauthenticated work: a rate per source first. */
	if (!rate_take(&wc->c->srv->http_rate, &wc->c->peer_ip,
	    wc->c->srv->now_ms())) {
		web_error(wc, 429, "too many requests from this address");
		return;
	}
	for (i = 0; i < sizeof(web_routes) / sizeof(web_routes[0]); i++) {
		rt = &web_routes[i];
		n = strlen(rt->path);
		if (rt->prefix ? plen <= n || memcmp(path, rt->path, n) != 0 :
		    plen != n || memcmp(path, rt->path, n) != 0)
			continue;
		seen = 1;
		if (rt->method == req->method) {
			rt->handler(wc, req, path, plen);
			return;
		}
	}
	if (seen)
		web_error(wc, 405, "method not allowed");
	else
		web_error(wc, 404, "no such page");
}

static void
web_read_h(struct conn *c, struct evbuffer *in)
{
	struct webconn *wc = c->arg;
	size_t avail = evbuffer_get_length(in);
	size_t max_body = c->srv->conf.store_max_bytes;
	struct http_req req;
	uint8_t *p;
	int r;

	if (wc->answered || avail == 0)
		return;
	if (avail > HTTP_MAX_HEAD + max_body)
		avail = HTTP_MAX_HEAD + max_body;
	p = evbuffer_pullup(in, (ssize_t)avail);
	r = http_req_parse(p, avail, HTTP_MAX_HEAD, max_body, &req);
	if (r == -EAGAIN)
		return;
	if (r == 0 && http_req_complete(&req, avail) == -EAGAIN)
		return;
	wc->answered = 1;
	bufferevent_disable(c->bev, EV_READ);
	conn_deadline(c, CONN_DL_START, 0);	/* the request is in */
	if (r == -EMSGSIZE)
		web_error(wc, 413, "request too large");
	else if (r == -ENOTSUP)
		web_error(wc, 501, "Transfer-Encoding is not supported");
	else if (r < 0)
		web_error(wc, 400, "malformed request");
	else
		web_dispatch(wc, &req);
}

static void
web_expired_h(struct conn *c, enum conn_deadline which)
{
	struct webconn *wc = c->arg;

	(void)which;
	if (!wc->answered)
		web_error(wc, 408, "the request did not arrive in time");
	else if (wc->job != NULL)
		web_error(wc, 503, "the store did not answer in time");
}

static void
web_gone_h(struct conn *c)
{
	struct webconn *wc = c->arg;

	if (wc == NULL)
		return;
	if (wc->job != NULL)
		wc->job->arg = NULL;	/* done() then only frees it */
	free(wc);
}

static const struct conn_ops web_ops = {
	.name = "https",
	.read = web_read_h,
	.expired = web_expired_h,
	.gone = web_gone_h,
};

/* Inside TLS, with a store: an HTTP method's first letter (the control
 * preamble, before it in the registry, may claim a 'P' first). */
static int
web_stream_is(const struct server *s, int tls, const uint8_t *p, size_t n)
{
	(void)n;
	return tls && store_enabled(s) && p[0] >= 'A' && p[0] <= 'Z';
}

static void
web_stream_take(struct conn *c, int tls, struct evbuffer *in)
{
	struct webconn *wc = calloc(1, sizeof(*wc));

	(void)tls;
	if (wc == NULL) {
		conn_abort(c);
		return;
	}
	wc->c = c;
	conn_handover(c, &web_ops, wc);
	bufferevent_setwatermark(c->bev, EV_READ, 0, HTTP_MAX_HEAD +
	    c->srv->conf.store_max_bytes);
	conn_deadline(c, CONN_DL_TOTAL, WEB_TOTAL_S);
	web_read_h(c, in);
}

const struct responder websrv_responder = {
	.name = "https",
	.stream_is = web_stream_is,
	.stream_take = web_stream_take,
};
