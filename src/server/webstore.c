/*
 * webstore.c - the report store's routes on pinholed's HTTPS (websrv.c
 * routes requests here):
 *   GET  /r/ID          the report as an HTML page (rendered at upload)
 *   GET  /r/ID.json     the report's JSON, as stored
 *   GET  /r/ID/diff     what changed since the earlier report of the same
 *                       source (the same origin, store_origin(), and the
 *                       same profiles): rendered at upload, as the page
 *   POST /api/reports   a pinhole.report/1 upload: 201 {"id", "url"}
 *   GET  /api/reports   the listing, only with the support-token
 * Each queues a job for the store's worker (store.c) and answers when it
 * comes back; a connection gone by then leaves the job to free itself.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "conn.h"
#include "http.h"
#include "parse.h"
#include "report.h"
#include "session.h"
#include "store.h"
#include "web.h"

#define WEB_LIST_DEFAULT 50

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

/* GET /r/ID, /r/ID.json and /r/ID/diff: as stored (the pages were
 * rendered at upload, by the worker): the loop only writes them out. */
static void
web_got_h(struct store_job *j)
{
	struct webconn *wc = web_job_back(j);

	if (wc == NULL)
		goto out;
	if (j->result == -ENOENT)
		web_error(wc, 404, j->page == STORE_PART_DIFF ? "no such "
		    "report, or no earlier report of its source" :
		    "no such report");
	else if (j->result == -EFBIG || j->result == -EBADMSG)
		web_error(wc, 500, "cannot render the report");
	else if (j->result < 0)
		web_error(wc, 503, "the store failed");
	else if (j->page != STORE_PART_JSON)
		web_answer(wc, 200, "text/html; charset=utf-8", web_html_csp,
		    "private, max-age=300", j->json, strlen(j->json));
	else
		web_answer(wc, 200, "application/json", web_json_csp,
		    "private, max-age=300", j->json, strlen(j->json));
out:
	store_job_free(j);
}

void
web_report_h(struct webconn *wc, const struct http_req *req,
    const uint8_t *path, size_t plen)
{
	const char *id = (const char *)path + 3;	/* after "/r/" */
	size_t n = plen - 3;
	enum store_part part = STORE_PART_PAGE;
	struct store_job *j;

	(void)req;
	if (n > 5 && memcmp(id + n - 5, ".json", 5) == 0) {
		part = STORE_PART_JSON;
		n -= 5;
	} else if (n > 5 && memcmp(id + n - 5, "/diff", 5) == 0) {
		part = STORE_PART_DIFF;
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
	j->page = part;
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

void
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
	store_origin(wc->c->srv, &wc->c->peer_ip, j->row.origin,
	    sizeof(j->row.origin));
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

void
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
