/* browser.c - the browser check's verdicts (browser.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "browser.h"
#include "report_ev.h"

#define BROWSER_SECTION "Browser"

size_t
browser_targets(const struct profile *p, struct browser_results *r)
{
	const struct profile_endpoint *e;
	size_t i, k;

	r->ntargets = 0;
	for (i = 0; i < p->nendpoints; i++) {
		e = &p->endpoints[i];
		if (e->proto != PROFILE_TCP || e->host == NULL ||
		    e->service == NULL || strcmp(e->service, "tls") != 0 ||
		    strlen(e->host) > BROWSER_HOST_MAX || !(e->dir & PROFILE_OUT))
			continue;
		for (k = 0; k < r->ntargets; k++)
			if (strcmp(r->targets[k].host, e->host) == 0 &&
			    r->targets[k].port == e->port_lo)
				break;
		if (k < r->ntargets || r->ntargets == BROWSER_MAX_TARGETS)
			continue;
		memset(&r->targets[k], 0, sizeof(r->targets[k]));
		snprintf(r->targets[k].host, sizeof(r->targets[k].host), "%s",
		    e->host);
		r->targets[k].port = e->port_lo;
		r->targets[k].endpoint = e->name;
		r->targets[k].ms = -1;
		r->ntargets++;
	}
	return r->ntargets;
}

json_t *
browser_targets_json(const struct browser_results *r)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a != NULL && i < r->ntargets; i++)
		if (json_array_append_new(a, json_pack("{s:s, s:i, s:s}",
		    "host", r->targets[i].host, "port", (int)r->targets[i].port,
		    "endpoint", r->targets[i].endpoint)) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

/* A duration the page measured: a finite number of 0 to an hour. */
#define BROWSER_MS_MAX	3600e3

int
browser_results_read(const json_t *msg, struct browser_results *r)
{
	const json_t *fetch, *e, *ws;
	struct browser_target *t;
	json_int_t port;
	size_t i, k;

	if (!json_is_object(msg))
		return -EBADMSG;
	fetch = json_object_get(msg, "fetch");
	if (fetch != NULL && !json_is_array(fetch))
		return -EBADMSG;
	ws = ev_obj(msg, "ws");
	r->hello_rtt_ms = ev_real_in(ws, "hello_rtt_ms", 0, BROWSER_MS_MAX,
	    -1);
	browser_text(ev_str(msg, "user_agent"), r->user_agent,
	    sizeof(r->user_agent));
	r->webrtc_reported = json_object_get(msg, "webrtc") != NULL;
	browser_webrtc_read(json_object_get(msg, "webrtc"), &r->wpage);
	browser_relay_read(json_object_get(msg, "relay"), r);
	json_array_foreach(fetch, i, e) {
		const char *host = ev_str(e, "host");

		port = ev_int(e, "port", 443);
		if (host == NULL)
			continue;
		for (k = 0; k < r->ntargets; k++)
			if (strcmp(r->targets[k].host, host) == 0 &&
			    r->targets[k].port == port)
				break;
		if (k == r->ntargets || r->targets[k].reported)
			continue;
		t = &r->targets[k];
		t->reported = 1;
		t->ok = ev_bool(e, "ok") == 1;
		t->timed_out = !t->ok && ev_bool(e, "timed_out") == 1;
		t->ms = ev_real_in(e, "ms", 0, BROWSER_MS_MAX, -1);
		if (!t->ok)
			browser_text(ev_str(e, "error"), t->error,
			    sizeof(t->error));
	}
	return 0;
}

/* A duration for the evidence: null when unknown, else to 0.1 ms. */
static json_t *
browser_ms_json(double ms)
{
	return ms < 0 ? json_null() : json_real(round(ms * 10) / 10);
}

static int
browser_add_ws(struct report *rep, const char *profile,
    const struct browser_results *r)
{
	json_t *ev;
	char rtt[48] = "";
	char id[32];

	if (r->hello_rtt_ms >= 0)
		snprintf(rtt, sizeof(rtt), " (hello round trip %.0f ms)",
		    r->hello_rtt_ms);
	ev = json_pack("{s:s, s:i, s:s, s:s, s:o, s:s}", "profile", profile,
	    "port", (int)r->ws_port, "tls_version", r->tls_version,
	    "address", r->address, "hello_rtt_ms",
	    browser_ms_json(r->hello_rtt_ms), "user_agent", r->user_agent);
	snprintf(id, sizeof(id), "browser.tls-ws.%u", r->ws_port);
	/* The results came over this WebSocket: the path works. */
	return report_add(rep, id, BROWSER_SECTION, VERDICT_PASS, ev, NULL,
	    "the browser's WebSocket over %s reached the server on TCP %u%s",
	    r->tls_version[0] ? r->tls_version : "TLS", r->ws_port, rtt) ?
	    0 : -ENOMEM;
}

static int
browser_add_fetch(struct report *rep, const char *profile,
    const struct browser_target *t)
{
	char id[32 + BROWSER_HOST_MAX], url[32 + BROWSER_HOST_MAX];
	char remedy[1024];
	enum verdict v;
	json_t *ev;
	struct report_check *c;

	if (t->port == 443) {
		snprintf(id, sizeof(id), "browser.fetch.%s", t->host);
		snprintf(url, sizeof(url), "https://%s/", t->host);
	} else {
		snprintf(id, sizeof(id), "browser.fetch.%s:%u", t->host, t->port);
		snprintf(url, sizeof(url), "https://%s:%u/", t->host, t->port);
	}
	ev = json_pack("{s:s, s:s, s:s, s:i, s:s, s:b, s:b, s:b, s:o, s:o}",
	    "profile", profile, "endpoint", t->endpoint, "host", t->host,
	    "port", (int)t->port, "url", url, "reported", t->reported,
	    "ok", t->ok, "timed_out", t->timed_out, "ms", browser_ms_json(t->ms),
	    "error", t->reported && !t->ok ? json_string(t->error) : json_null());
	if (ev == NULL)
		return -ENOMEM;
	if (!t->reported) {
		c = report_add(rep, id, BROWSER_SECTION, VERDICT_SKIP, ev, NULL,
		    "the page did not report its fetch of %s", url);
		return c ? 0 : -ENOMEM;
	}
	if (t->ok) {
		c = report_add(rep, id, BROWSER_SECTION, VERDICT_PASS, ev, NULL,
		    "the browser reached %s (%.0f ms)", url, t->ms < 0 ? 0 : t->ms);
		return c ? 0 : -ENOMEM;
	}
	v = VERDICT_FAIL;
	snprintf(remedy, sizeof(remedy), "Allow HTTPS (TCP %u) from the "
	    "browsers' network to %s: the endpoint %s of profile %s.  The web "
	    "phone cannot reach it, so its calls will not connect.  A browser "
	    "does not say why a fetch failed: check that %s resolves (pinhole "
	    "check reports DNS), and that a filter by host name or category, "
	    "or a proxy, allows it.", t->port, t->host, t->endpoint, profile,
	    t->host);
	c = report_add(rep, id, BROWSER_SECTION, v, ev, remedy,
	    t->timed_out ? "the browser's fetch of %s got no answer in %.0f ms" :
	    "the browser's fetch of %s failed after %.0f ms", url,
	    t->ms < 0 ? 0 : t->ms);
	return c ? 0 : -ENOMEM;
}

int
browser_report_add(struct report *rep, const char *profile,
    const struct browser_results *r)
{
	size_t i;
	int e;

	if ((e = browser_add_ws(rep, profile, r)) < 0)
		return e;
	for (i = 0; i < r->ntargets; i++)
		if ((e = browser_add_fetch(rep, profile, &r->targets[i])) < 0)
			return e;
	if ((e = browser_webrtc_add(rep, profile, r)) < 0)
		return e;
	return browser_relay_add(rep, profile, r);
}
