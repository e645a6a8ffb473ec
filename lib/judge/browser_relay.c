/*
 * browser_relay.c - relay.udp, relay.tcp and relay.tls from the check
 * page: a relay-only RTCPeerConnection (iceTransportPolicy "relay") per
 * transport of the provider's TURN relays, with pinholed as the far end,
 * judged as the page's direct media is (browser_webrtc_quality()).
 * The ids are those of pinhole check's relay family (docs/report.md).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "browser.h"
#include "report_ev.h"

#define RELAY_SECTION	"Relay"
#define RELAY_TLS_FAILED "TLS refused or intercepted"

static const struct {
	const char *name, *id, *what;
} relay_tr[BROWSER_RELAYS] = {
	{ "udp", "relay.udp", "TURN over UDP" },
	{ "tcp", "relay.tcp", "TURN over TCP" },
	{ "tls", "relay.tls", "TURN over TLS (turns)" },
};

void
browser_relay_read(const json_t *a, struct browser_results *r)
{
	struct browser_relay *b;
	const json_t *e;
	const char *t;
	size_t i, k;

	for (i = 0; i < BROWSER_RELAYS; i++)
		memset(&r->relay[i], 0, sizeof(r->relay[i]));
	if (!json_is_array(a))
		return;
	json_array_foreach(a, i, e) {
		if ((t = ev_str(e, "transport")) == NULL)
			continue;
		for (k = 0; k < BROWSER_RELAYS &&
		    strcmp(t, relay_tr[k].name) != 0; k++)
			;
		if (k == BROWSER_RELAYS || r->relay[k].reported)
			continue;
		b = &r->relay[k];
		browser_webrtc_read(e, &b->page);
		b->reported = 1;
		browser_text(ev_str(e, "url"), b->url, sizeof(b->url));
		b->candidate = ev_bool(e, "candidate") == 1;
		b->error_code = (int)ev_real_in(e, "error_code", 0, 999, 0);
		browser_text(ev_str(e, "error_text"), b->error_text,
		    sizeof(b->error_text));
	}
}

/*
 * The host of TURN URI 'u' ("turn:HOST:PORT?...", "turns:[V6]:PORT")
 * into h: "" when it has none.
 */
static void
relay_url_host(const char *u, char *h, size_t n)
{
	const char *p = strchr(u, ':'), *e;

	h[0] = '\0';
	if (p == NULL)
		return;
	p++;
	if (*p == '[')
		e = strchr(++p, ']');
	else
		e = p + strcspn(p, ":?@");
	if (e == NULL || e == p || (size_t)(e - p) >= n)
		return;
	memcpy(h, p, (size_t)(e - p));
	h[e - p] = '\0';
}

/*
 * Whether relay k's missing candidate is TLS's own failure: k is turns,
 * and TURN over TCP to the same host gave a relay candidate.  A browser
 * shows neither the handshake nor the certificate it refused, so this
 * is all the page can tell: TCP reached the relay, TLS did not.
 */
static int
relay_tls_failed(size_t k, const struct browser_results *r)
{
	const struct browser_relay *t = &r->relay[BROWSER_RELAY_TCP];
	char a[sizeof(t->url)], b[sizeof(t->url)];

	if (k != BROWSER_RELAY_TLS || !t->reported || !t->candidate)
		return 0;
	relay_url_host(r->relay[k].url, a, sizeof(a));
	relay_url_host(t->url, b, sizeof(b));
	return a[0] != '\0' && strcasecmp(a, b) == 0;
}

/* The URI without what a browser may append after it: no credentials
 * ever come this way, but a URI is cut at '@' should one hold a user. */
static json_t *
relay_url_json(const char *u)
{
	const char *at = strchr(u, '@');

	return u[0] == '\0' ? json_null() : json_stringn(u, at != NULL ?
	    (size_t)(at - u) : strlen(u));
}

static int
relay_one(struct report *rep, const char *profile, size_t k,
    const struct browser_results *r)
{
	const struct browser_relay *b = &r->relay[k];
	const struct browser_webrtc_page *p = &b->page;
	const struct browser_webrtc_srv *s = &b->srv;
	char sum[512], remedy[512];
	struct rtp_dir_stats down;
	struct mediaq_dir qu, qd;
	const char *step;
	enum verdict v;
	json_t *ev, *rtt;
	int tls;

	ev = json_pack("{s:s, s:s, s:s, s:o, s:b, s:b, s:b, s:s, s:b}",
	    "profile", profile, "from", "browser", "transport", relay_tr[k].name, "url",
	    relay_url_json(b->url), "run", b->reported && p->run, "candidate",
	    b->candidate, "connected", p->connected, "state", p->state,
	    "dtls", s->dtls);
	if (ev == NULL)
		return -ENOMEM;
	json_object_set_new(ev, "candidate_error", b->error_code ?
	    json_pack("{s:i, s:s}", "code", b->error_code, "text",
	    b->error_text) : json_null());
	json_object_set_new(ev, "failed", json_null());
	if (!b->reported || !p->run || p->no_audio) {
		json_object_set_new(ev, "step", json_null());
		return report_add(rep, relay_tr[k].id, RELAY_SECTION,
		    VERDICT_SKIP, ev, NULL, "not run from the browser: %s",
		    !b->reported ? "the server names no relay over this "
		    "transport, or the page did not report it" : "the page's "
		    "audio did not start") ? 0 : -ENOMEM;
	}
	step = !b->candidate ? "gather" : !p->connected || !s->dtls ?
	    "connect" : !s->have_stats || s->up.rx.received == 0 ||
	    p->in_received <= 0 ? "media" : NULL;
	json_object_set_new(ev, "step", step ? json_string(step) : json_null());
	if (step != NULL && strcmp(step, "gather") == 0) {
		if ((tls = relay_tls_failed(k, r)) != 0)
			json_object_set_new(ev, "failed",
			    json_string(RELAY_TLS_FAILED));
		snprintf(sum, sizeof(sum), "%sthe browser got no relay "
		    "candidate from %s (%s)", tls ? RELAY_TLS_FAILED ": " : "",
		    b->url[0] ? b->url : "the relay", relay_tr[k].what);
		if (b->error_code)
			snprintf(sum + strlen(sum), sizeof(sum) - strlen(sum),
			    ": error %d%s%s", b->error_code, b->error_text[0] ?
			    " " : "", b->error_text);
		if (tls) {
			snprintf(sum + strlen(sum), sizeof(sum) - strlen(sum),
			    "; TURN over TCP to the same relay gave one");
			snprintf(remedy, sizeof(remedy), "TURN over TCP reached "
			    "the relay and TLS (%s) did not: a firewall or proxy "
			    "on the way inspects TLS and answers with a "
			    "certificate of its own, or refuses TLS there. Exempt "
			    "the provider's relays from TLS inspection and let "
			    "TLS to them through unchanged: a browser's TURN over "
			    "TLS cannot accept an inspector's certificate.", b->url);
		} else
			snprintf(remedy, sizeof(remedy), "Allow %s from the "
			    "browsers' network to the provider's relay (%s): a "
			    "web phone whose direct media is blocked has no audio "
			    "when its relay cannot be reached either.",
			    relay_tr[k].what, b->url[0] ? b->url : "its TURN "
			    "servers");
		return report_add(rep, relay_tr[k].id, RELAY_SECTION,
		    VERDICT_FAIL, ev, remedy, "%s", sum) ? 0 : -ENOMEM;
	}
	if (step != NULL) {
		snprintf(remedy, sizeof(remedy), "The relay was reached, but %s: "
		    "the relay's own network must let it send to the "
		    "provider's media servers, and they must accept media from "
		    "the relay's addresses.", strcmp(step, "connect") == 0 ?
		    "the connection through it to the media server did not "
		    "complete" : "media did not cross it both ways");
		return report_add(rep, relay_tr[k].id, RELAY_SECTION,
		    VERDICT_FAIL, ev, remedy, "a relay candidate came from %s "
		    "(%s), but %s (ICE %s)", b->url, relay_tr[k].what,
		    strcmp(step, "connect") == 0 ? "ICE through the relay did "
		    "not connect" : "media did not cross it both ways",
		    p->state[0] ? p->state : "unknown") ? 0 : -ENOMEM;
	}
	v = browser_webrtc_quality(p, s, ev, &down, &qu, &qd);
	remedy[0] = '\0';
	if (v != VERDICT_PASS)
		mediaq_remedy(&qu, &qd, remedy, sizeof(remedy));
	rtt = json_object_get(ev, "rtt_ms");
	if (json_is_number(rtt))
		snprintf(sum, sizeof(sum), ", round trip %.0f ms",
		    json_number_value(rtt));
	else
		sum[0] = '\0';
	return report_add(rep, relay_tr[k].id, RELAY_SECTION, v, ev,
	    remedy[0] ? remedy : NULL, "relays media (%s, from the browser): "
	    "MOS %.2f up, %.2f down, loss %.1f%%/%.1f%%, jitter %.1f/%.1f ms%s",
	    relay_tr[k].what, qu.e.mos, qd.e.mos, s->up.rx.loss_pct,
	    down.loss_pct, s->up.rx.jitter_ms, down.jitter_ms, sum) ? 0 :
	    -ENOMEM;
}

int
browser_relay_add(struct report *rep, const char *profile,
    const struct browser_results *r)
{
	size_t k;
	int e;

	if (!r->relay_offered)
		return 0;
	for (k = 0; k < BROWSER_RELAYS; k++)
		if ((e = relay_one(rep, profile, k, r)) < 0)
			return e;
	return 0;
}
