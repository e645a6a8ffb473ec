/*
 * websrv.c - HTTPS on the control port: the report store's pages and API.
 *
 * A connection to the control port whose first bytes inside TLS are an
 * HTTP method rather than the control preamble is handed over here by the
 * responder registry (responder.c), when a store is configured.  One request per connection,
 * under conn.c's lifecycle: the head and body must be in by the HELLO
 * deadline that was set at accept, the answer must be out by WEB_TOTAL_S
 * after the handover, the output limit holds, and the connection still
 * counts as one that has not authenticated (it never does), so the caps
 * on those bound it too.  Heads are read by lib/http.c.
 *
 * Routes (a table: method, path, whether the path is a prefix, handler):
 *   GET  /r/ID          the report as an HTML page (lib/report_html.c)
 *   GET  /r/ID.json     the report's JSON, as stored
 *   POST /api/reports   a pinhole.report/1 upload: 201 {"id", "url"}
 *   GET  /api/reports   the listing, only with the support-token
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
#include <strings.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "config.h"
#include "conn.h"
#include "http.h"
#include "page.h"
#include "parse.h"
#include "report.h"
#include "responder.h"
#include "session.h"
#include "srvproto.h"
#include "store.h"

#define WEB_TOTAL_S	30	/* from the handover to the last byte out */
#define WEB_LIST_DEFAULT 50

struct webconn {
	struct conn *c;
	struct store_job *job;		/* in the worker's hands, or NULL */
	int answered;			/* a request was taken: no more reads */
	int html;			/* GET /r/ID: render the page */
	char host[256];			/* for the url of an upload */
};

struct web_route {
	enum http_method method;
	const char *path;
	int prefix;
	void (*handler)(struct webconn *wc, const struct http_req *req,
	    const uint8_t *path, size_t plen);
};

static const char web_json_csp[] = "default-src 'none'; "
    "frame-ancestors 'none'";
/* The page's own policy (report_html.c), and no framing. */
static const char web_html_csp[] = "default-src 'none'; "
    "style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'";

static const char *
web_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 411: return "Length Required";
	case 413: return "Content Too Large";
	case 426: return "Upgrade Required";
	case 429: return "Too Many Requests";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 507: return "Insufficient Storage";
	default: return "Internal Server Error";
	}
}

/* Queues the answer and closes once it has left. */
static void
web_answer(struct webconn *wc, int status, const char *ctype,
    const char *csp, const char *cache, const void *body, size_t blen)
{
	char head[1024 + sizeof(((struct page *)0)->connect_src)];
	int n;

	if (wc->c == NULL || !conn_is_open(wc->c))
		return;
	n = snprintf(head, sizeof(head), "HTTP/1.1 %d %s\r\n"
	    "Server: pinholed/" PINHOLE_VERSION "\r\n"
	    "Content-Type: %s\r\n"
	    "Content-Length: %zu\r\n"
	    "Content-Security-Policy: %s\r\n"
	    "X-Content-Type-Options: nosniff\r\n"
	    "Referrer-Policy: no-referrer\r\n"
	    "Cache-Control: %s\r\n"
	    "%s"
	    "Connection: close\r\n\r\n", status, web_reason(status), ctype,
	    blen, csp, cache, status == 401 ? "WWW-Authenticate: Bearer\r\n" :
	    status == 426 ? "Upgrade: websocket\r\nSec-WebSocket-Version: "
	    "13\r\n" : "");
	if (n < 0 || (size_t)n >= sizeof(head)) {
		conn_abort(wc->c);
		return;
	}
	if (conn_write(wc->c, head, (size_t)n) < 0 ||
	    (blen > 0 && conn_write(wc->c, body, blen) < 0))
		return;
	conn_close(wc->c);
}

/* A JSON answer from an object (taken over). */
static void
web_json(struct webconn *wc, int status, const char *cache, json_t *o)
{
	char *s = o != NULL ? json_dumps(o, JSON_COMPACT |
	    JSON_PRESERVE_ORDER) : NULL;

	json_decref(o);
	if (s == NULL) {
		web_answer(wc, 500, "application/json", web_json_csp,
		    "no-store", "{\"error\":\"out of memory\"}", 25);
		return;
	}
	web_answer(wc, status, "application/json", web_json_csp, cache, s,
	    strlen(s));
	free(s);
}

static void
web_error(struct webconn *wc, int status, const char *why)
{
	web_json(wc, status, "no-store", json_pack("{s:s}", "error", why));
}

/* A job came back: the connection may be gone (arg NULL). */
static struct webconn *
web_job_back(struct store_job *j)
{
	struct webconn *wc = j->arg;

	if (wc != NULL)
		wc->job = NULL;
	return wc;
}

static int
web_submit(struct webconn *wc, struct store_job *j)
{
	j->arg = wc;
	if (store_submit(wc->c->srv, j) < 0) {
		store_job_free(j);
		web_error(wc, 503, "the store is busy: try again later");
		return -EAGAIN;
	}
	wc->job = j;
	return 0;
}

/* GET /r/ID and /r/ID.json: both as stored (the page was rendered at
 * upload, by the worker): the loop only writes them out. */
static void
web_got_h(struct store_job *j)
{
	struct webconn *wc = web_job_back(j);

	if (wc == NULL)
		goto out;
	if (j->result == -ENOENT)
		web_error(wc, 404, "no such report");
	else if (j->result == -EFBIG || j->result == -EBADMSG)
		web_error(wc, 500, "cannot render the report");
	else if (j->result < 0)
		web_error(wc, 503, "the store failed");
	else if (j->page)
		web_answer(wc, 200, "text/html; charset=utf-8", web_html_csp,
		    "private, max-age=300", j->json, strlen(j->json));
	else
		web_answer(wc, 200, "application/json", web_json_csp,
		    "private, max-age=300", j->json, strlen(j->json));
out:
	store_job_free(j);
}

static void
web_report_h(struct webconn *wc, const struct http_req *req,
    const uint8_t *path, size_t plen)
{
	const char *id = (const char *)path + 3;	/* after "/r/" */
	size_t n = plen - 3;
	struct store_job *j;

	(void)req;
	wc->html = 1;
	if (n > 5 && memcmp(id + n - 5, ".json", 5) == 0) {
		wc->html = 0;
		n -= 5;
	}
	/* Not the shape of an id: the same answer as an id never stored. */
	if (!store_id_valid(id, n)) {
		web_error(wc, 404, "no such report");
		return;
	}
	if ((j = store_job_new(STORE_GET)) == NULL) {
		web_error(wc, 503, "out of memory");
		return;
	}
	memcpy(j->row.id, id, n);
	j->page = wc->html;
	j->done = web_got_h;
	(void)web_submit(wc, j);
}

/* POST /api/reports */
static void
web_put_h(struct store_job *j)
{
	struct webconn *wc = web_job_back(j);
	char url[sizeof(wc->host) + 64];

	if (wc == NULL)
		goto out;
	if (j->result == -ENOSPC)
		web_error(wc, 507, "the store is full");
	else if (j->result == -EFBIG)
		web_error(wc, 413, "the report's page would be larger than "
		    "store-max-page-bytes");
	else if (j->result < 0)
		web_error(wc, 503, "the store failed");
	else {
		snprintf(url, sizeof(url), "https://%s/r/%s", wc->host,
		    j->row.id);
		web_json(wc, 201, "no-store", json_pack("{s:s, s:s}", "id",
		    j->row.id, "url", url));
	}
out:
	store_job_free(j);
}

/*
 * The session an upload names with "Pinhole-Session: TOKEN" (its
 * WELCOME's token in hex, as pinhole check --share sends it), from that
 * session's client; NULL when it names none of them: the upload is then
 * its source's alone, never charged to a session found by its address.
 */
static struct session *
web_upload_session(struct webconn *wc, const struct http_req *req)
{
	uint8_t tok[CTL_TOKEN_LEN];
	const uint8_t *v;
	size_t n, i;
	int hi, lo;

	if (http_req_field(req, "Pinhole-Session", &v, &n) < 0 ||
	    n != 2 * CTL_TOKEN_LEN)
		return NULL;
	for (i = 0; i < CTL_TOKEN_LEN; i++) {
		if ((hi = OPENSSL_hexchar2int(v[2 * i])) < 0 ||
		    (lo = OPENSSL_hexchar2int(v[2 * i + 1])) < 0)
			return NULL;
		tok[i] = (uint8_t)(hi << 4 | lo);
	}
	return session_by_token(wc->c->srv, &wc->c->peer_ip, tok);
}

static void
web_upload_h(struct webconn *wc, const struct http_req *req,
    const uint8_t *path, size_t plen)
{
	const uint8_t *body = req->head + req->head_len;
	struct store_job *j = NULL;
	struct report rep;
	json_error_t jerr;
	json_t *o;
	int r = -ENOMEM;

	(void)path;
	(void)plen;
	if (!req->has_length) {
		web_error(wc, 411, "Content-Length is required");
		return;
	}
	o = json_loadb((const char *)body, req->body_len,
	    JSON_REJECT_DUPLICATES, &jerr);
	if (o == NULL || report_from_json(o, &rep) < 0) {
		json_decref(o);
		web_error(wc, 400, "not a pinhole.report/1 report");
		return;
	}
	json_decref(o);
	if ((j = store_job_new(STORE_PUT)) == NULL ||
	    (r = store_job_report(j, &rep)) < 0 ||
	    (r = store_id_new(j->row.id)) < 0) {
		report_free(&rep);
		store_job_free(j);
		if (r == -E2BIG)
			web_error(wc, 413, "the report has more checks than a "
			    "stored report may (" STORE_MAX_CHECKS_S ")");
		else
			web_error(wc, 503, "out of resources");
		return;
	}
	report_free(&rep);
	if (j->row.size > wc->c->srv->conf.store_max_bytes) {
		store_job_free(j);
		web_error(wc, 413, "the report is larger than store-max-bytes");
		return;
	}
	if ((r = store_upload_charge(wc->c->srv, web_upload_session(wc, req),
	    &wc->c->peer_ip, &j->row)) < 0) {
		store_job_free(j);
		web_error(wc, 429, r == -EUSERS ? "too many uploads in this "
		    "session" : "too many uploads from this address");
		return;
	}
	j->row.created = (long long)time(NULL);
	net_ip_str(&wc->c->peer_ip, j->row.source, sizeof(j->row.source));
	j->done = web_put_h;
	(void)web_submit(wc, j);
}

/* GET /api/reports */
static void
web_listed_h(struct store_job *j)
{
	struct webconn *wc = web_job_back(j);
	json_t *a;

	if (wc == NULL)
		goto out;
	if (j->result < 0) {
		web_error(wc, 503, "the store failed");
		goto out;
	}
	a = store_rows_json(j->rows, j->nrows);
	web_json(wc, 200, "no-store", a != NULL ?
	    json_pack("{s:o}", "reports", a) : NULL);
out:
	store_job_free(j);
}

/* Whether the request carries "Authorization: Bearer TOKEN" with the
 * support-token: digests compared in constant time, so that neither the
 * length nor a prefix of the token shows in the time taken. */
static int
web_token_ok(const struct server *s, const uint8_t *v, size_t n)
{
	uint8_t want[32], got[32];
	unsigned wl = 0, gl = 0;
	const char *tok = s->conf.support_token;

	if (n < 7 || strncasecmp((const char *)v, "Bearer ", 7) != 0)
		return 0;
	if (EVP_Digest(tok, strlen(tok), want, &wl, EVP_sha256(), NULL) != 1 ||
	    EVP_Digest(v + 7, n - 7, got, &gl, EVP_sha256(), NULL) != 1)
		return 0;
	return CRYPTO_memcmp(want, got, sizeof(want)) == 0;
}

static int
web_query(const struct http_req *req, const char *key, char *out,
    size_t len)
{
	int r = http_req_query(req, key, out, len);

	if (r == -ENOENT) {
		out[0] = '\0';
		return 0;
	}
	return r;
}

static void
web_list_h(struct webconn *wc, const struct http_req *req,
    const uint8_t *path, size_t plen)
{
	const struct server *s = wc->c->srv;
	struct store_job *j;
	const uint8_t *v;
	size_t vlen;
	char limit[8];
	int r;

	(void)path;
	(void)plen;
	if (s->conf.support_token[0] == '\0') {
		web_error(wc, 404, "no such page");
		return;
	}
	if ((r = http_req_field(req, "authorization", &v, &vlen)) == -ENOENT) {
		web_error(wc, 401, "a support token is required");
		return;
	}
	/* A source that guessed wrong too often is not even compared. */
	if (!rate_peek(&wc->c->srv->token_fail, &wc->c->peer_ip, s->now_ms())) {
		web_error(wc, 429, "too many wrong tokens from this address");
		return;
	}
	if (r < 0 || !web_token_ok(s, v, vlen)) {
		(void)rate_take(&wc->c->srv->token_fail, &wc->c->peer_ip,
		    s->now_ms());
		srv_log_remote(wc->c->srv, "store listing refused: wrong token");
		web_error(wc, 403, "wrong token");
		return;
	}
	if ((j = store_job_new(STORE_LIST)) == NULL) {
		web_error(wc, 503, "out of memory");
		return;
	}
	j->query.limit = WEB_LIST_DEFAULT;
	if (web_query(req, "verdict", j->query.verdict,
	    sizeof(j->query.verdict)) < 0 ||
	    web_query(req, "profile", j->query.profile,
	    sizeof(j->query.profile)) < 0 ||
	    web_query(req, "q", j->query.text, sizeof(j->query.text)) < 0 ||
	    web_query(req, "limit", limit, sizeof(limit)) < 0 ||
	    (limit[0] != '\0' && parse_uint(limit, 1, STORE_LIST_MAX,
	    &j->query.limit) < 0)) {
		store_job_free(j);
		web_error(wc, 400, "bad query: verdict, profile, q, limit "
		    "(1-200)");
		return;
	}
	j->done = web_listed_h;
	(void)web_submit(wc, j);
}

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
