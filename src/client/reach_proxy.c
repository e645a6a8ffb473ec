/*
 * reach_proxy.c - a blocked HTTP, BOSH or TLS probe tried once more
 * through the proxy (--proxy, or the environment as libcurl reads it).
 */
#include <stdio.h>
#include <stdlib.h>

#include <curl/curl.h>

#include "reach.h"

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

	if (ctx->opt->proxy != NULL)
		return ctx->opt->proxy;
	for (e = tls ? tls_env : http_env; *e != NULL; e++)
		if ((v = getenv(*e)) != NULL && *v != '\0')
			return v;
	return NULL;
}

/*
 * A blocked HTTP, BOSH or TLS probe, tried once more through the proxy:
 * libcurl speaks the proxy (HTTP CONNECT for TLS).
 */
void
reach_try_proxy(struct rp_run *run, struct rp_probe *p)
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
	curl_easy_setopt(cu, CURLOPT_TIMEOUT_MS, (long)run->ctx->opt->wait_ms);
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
