/*
 * share.c - the report store of a pinholed, over HTTPS on its control
 * port: 'pinhole check --share' uploads, 'pinhole show' fetches.
 *
 * The connection goes straight to the control host and port, as the
 * control connection does (no proxy), with the same trust: the CA file of
 * --tls-ca, else the system's CAs, and the name or address of --server
 * checked against the certificate.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>

#include "buf.h"
#include "cmdline.h"
#include "share.h"

#define SHARE_MAX_ANSWER	(8u << 20)
#define SHARE_TIMEOUT_S		30

static size_t
share_write_h(char *p, size_t size, size_t n, void *arg)
{
	return dbuf_add(arg, p, size * n) == 0 ? size * n : 0;
}

/* The answer as JSON, or NULL. */
static json_t *
share_json(const struct dbuf *b)
{
	return json_loadb((const char *)b->b, b->len, 0, NULL);
}

/* One request to https://SERVER/path; *body (NUL-terminated) and *status
 * on an answer. */
static int
share_request(const char *server, const char *ca, const char *path,
    const char *post, const char *session, struct dbuf *body,
    long *status, char *err, size_t errlen)
{
	char host[256], port[8], url[512], cerr[CURL_ERROR_SIZE] = "";
	char named[64];
	struct curl_slist *hdr = NULL;
	const char *why;
	CURL *h;
	CURLcode rc;

	if (cmdline_hostport_split(server, "443", host, sizeof(host), port,
	    sizeof(port), &why) < 0) {
		snprintf(err, errlen, "bad --server '%s': %s", server, why);
		return -EINVAL;
	}
	snprintf(url, sizeof(url), strchr(host, ':') ? "https://[%s]:%s%s" :
	    "https://%s:%s%s", host, port, path);
	if ((h = curl_easy_init()) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROXY, "");
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(h, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	if (ca != NULL)
		curl_easy_setopt(h, CURLOPT_CAINFO, ca);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)SHARE_TIMEOUT_S);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, share_write_h);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, body);
	if (post != NULL) {
		hdr = curl_slist_append(hdr, "Content-Type: application/json");
		/* The server answers a report that is too large before its
		 * body: wait for its word first. */
		hdr = curl_slist_append(hdr, "Expect: 100-continue");
		if (session != NULL) {
			snprintf(named, sizeof(named), "Pinhole-Session: %s",
			    session);
			hdr = curl_slist_append(hdr, named);
		}
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, post);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)strlen(post));
	}
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
	curl_easy_cleanup(h);
	curl_slist_free_all(hdr);
	if (rc != CURLE_OK) {
		/* pinholed closes HTTPS unanswered when it has no store. */
		snprintf(err, errlen, "%s: %s%s", url, cerr[0] ? cerr :
		    curl_easy_strerror(rc), rc == CURLE_GOT_NOTHING ?
		    " (the server has no report store)" : "");
		return -EIO;
	}
	return 0;
}

/* The "error" of a JSON answer, or the status. */
static void
share_why(const struct dbuf *b, long status, const char *what,
    char *err, size_t errlen)
{
	json_t *o = share_json(b);
	const char *e = json_string_value(json_object_get(o, "error"));

	snprintf(err, errlen, "%s: HTTP %ld%s%s", what, status, e ? ": " : "",
	    e ? e : "");
	json_decref(o);
}

int
share_upload(const char *server, const char *ca, const char *json,
    const char *session, char *url, size_t urllen, char *err, size_t errlen)
{
	struct dbuf b;
	const char *u;
	json_t *o = NULL;
	long status = 0;
	int r;

	dbuf_init(&b, SHARE_MAX_ANSWER);
	r = share_request(server, ca, "/api/reports", json, session, &b,
	    &status, err, errlen);
	if (r == 0 && status != 201) {
		share_why(&b, status, "the server did not store the report",
		    err, errlen);
		r = -EIO;
	}
	if (r == 0 && ((o = share_json(&b)) == NULL ||
	    (u = json_string_value(json_object_get(o, "url"))) ==
	    NULL || strncmp(u, "https://", 8) != 0 || strlen(u) >= urllen)) {
		snprintf(err, errlen, "the server's answer has no link");
		r = -EBADMSG;
	}
	if (r == 0)
		snprintf(url, urllen, "%s", u);
	json_decref(o);
	dbuf_free(&b);
	return r;
}

int
share_id_valid(const char *id)
{
	size_t i;

	for (i = 0; id[i] != '\0'; i++)
		if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= '2' &&
		    id[i] <= '7')))
			return 0;
	return i == 24;
}

int
share_fetch(const char *server, const char *ca, const char *id,
    json_t **out, char *err, size_t errlen)
{
	struct dbuf b;
	char path[128];
	long status = 0;
	int r;

	if (!share_id_valid(id)) {
		snprintf(err, errlen, "'%s' is not a report id (24 letters "
		    "a-z and digits 2-7)", id);
		return -EINVAL;
	}
	snprintf(path, sizeof(path), "/r/%s.json", id);
	dbuf_init(&b, SHARE_MAX_ANSWER);
	r = share_request(server, ca, path, NULL, NULL, &b, &status, err,
	    errlen);
	if (r == 0 && status == 404) {
		snprintf(err, errlen, "no report %s on %s", id, server);
		r = -ENOENT;
	} else if (r == 0 && status != 200) {
		share_why(&b, status, "the server did not send the report",
		    err, errlen);
		r = -EIO;
	}
	if (r == 0 && (*out = share_json(&b)) == NULL) {
		snprintf(err, errlen, "the server's answer is not JSON");
		r = -EBADMSG;
	}
	dbuf_free(&b);
	return r;
}

int
share_link_parse(const char *arg, char *server, size_t slen, char *id,
    size_t idlen, char *err, size_t errlen)
{
	char host[256], port[8];
	const char *p, *r, *why;
	size_t hl, il;

	if (strncmp(arg, "https://", 8) != 0)
		return -ENOENT;
	p = arg + 8;
	if ((r = strstr(p, "/r/")) == NULL || r == p ||
	    memchr(p, '/', (size_t)(r - p)) != NULL ||
	    memchr(p, '@', (size_t)(r - p)) != NULL) {
		snprintf(err, errlen, "'%s' is not a report link (want "
		    "https://HOST/r/ID)", arg);
		return -EINVAL;
	}
	hl = (size_t)(r - p);
	r += 3;
	il = strcspn(r, "/?#");
	if (il > 5 && strncmp(r + il - 5, ".json", 5) == 0)
		il -= 5;
	if (strcmp(r + strcspn(r, "/?#"), "") != 0 &&
	    strcmp(r + strcspn(r, "/?#"), "/") != 0) {
		snprintf(err, errlen, "'%s' is not a report link (want "
		    "https://HOST/r/ID)", arg);
		return -EINVAL;
	}
	if (hl >= slen || il >= idlen || hl >= sizeof(host)) {
		snprintf(err, errlen, "'%s' is too long for a report link",
		    arg);
		return -EINVAL;
	}
	memcpy(server, p, hl);
	server[hl] = '\0';
	if (cmdline_hostport_split(server, "443", host, sizeof(host), port,
	    sizeof(port), &why) < 0) {
		snprintf(err, errlen, "'%s': the link's server: %s", arg, why);
		return -EINVAL;
	}
	memcpy(id, r, il);
	id[il] = '\0';
	return 0;
}
