/*
 * web.h - HTTPS on the control port, in three files that call one way:
 * websrv.c (the connection, the request and the route table, the check
 * page's routes) calls webstore.c (the report store's pages and API),
 * and both answer through webreply.c.
 */
#ifndef PINHOLED_WEB_H
#define PINHOLED_WEB_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct conn;
struct http_req;
struct store_job;

/* One HTTPS connection, one request. */
struct webconn {
	struct conn *c;
	struct store_job *job;		/* in the worker's hands, or NULL */
	int answered;			/* a request was taken: no more reads */
	char host[256];			/* for the url of an upload */
};

/* webreply.c */

/* The policy of a JSON answer: nothing loads, no framing. */
extern const char web_json_csp[];
/* The policy of a stored report's page (report_html.c's own), no
 * framing. */
extern const char web_html_csp[];

/*
 * Queues the answer (status line, the security headers, 'body') and
 * closes once it has left; nothing when the connection is gone.
 */
void web_answer(struct webconn *wc, int status, const char *ctype,
    const char *csp, const char *cache, const void *body, size_t blen);
/* A JSON answer from 'o' (taken over; NULL answers 500). */
void web_json(struct webconn *wc, int status, const char *cache, json_t *o);
/* {"error": why}, not cached. */
void web_error(struct webconn *wc, int status, const char *why);

/*
 * webstore.c: the routes of the report store, each a handler of the
 * route table: 'path' ('plen' bytes) is the request's path.
 */
/* GET /r/ID (the page), /r/ID.json (the JSON, as stored) and /r/ID/diff
 * (its comparison with the earlier report of its source). */
void web_report_h(struct webconn *wc, const struct http_req *req,
    const uint8_t *path, size_t plen);
/* POST /api/reports: an upload, 201 {"id", "url"}. */
void web_upload_h(struct webconn *wc, const struct http_req *req,
    const uint8_t *path, size_t plen);
/* GET /api/reports: the listing, with the support-token only. */
void web_list_h(struct webconn *wc, const struct http_req *req,
    const uint8_t *path, size_t plen);

#endif
