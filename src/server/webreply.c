/*
 * webreply.c - the answers of pinholed's HTTPS routes: the status line,
 * the security headers every answer carries (a Content-Security-Policy,
 * nosniff, no referrer), one request per connection and closed once the
 * answer has left.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "conn.h"
#include "page.h"
#include "web.h"

const char web_json_csp[] = "default-src 'none'; "
    "frame-ancestors 'none'";
/* The page's own policy (report_html.c), and no framing. */
const char web_html_csp[] = "default-src 'none'; "
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

void
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

void
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

void
web_error(struct webconn *wc, int status, const char *why)
{
	web_json(wc, status, "no-store", json_pack("{s:s}", "error", why));
}
