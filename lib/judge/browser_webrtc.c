/*
 * browser_webrtc.c - browser.webrtc: the page's RTCPeerConnection with
 * pinholed judged as media.rtp judges pinhole check's test call, by
 * lib/judge/mediaq.c (browser.h).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "browser.h"
#include "codec.h"
#include "mediaq.h"
#include "report_ev.h"

#define BROWSER_SECTION "Browser"

/* The bounds of what the page sends: more is no measurement (-1). */
#define W_HOUR		3600e3
#define W_MINUTE	60e3
#define W_PACKETS	1e9

/* A count the page gave: an integer within 0 to 'max', else -1. */
static long long
wcount(const json_t *o, const char *key, double max)
{
	double v = ev_real_in(o, key, 0, max, -1);

	return v >= 0 && v == floor(v) ? (long long)v : -1;
}

/* The page's "candidates" (browser.h): its checks per remote candidate,
 * summed per port and protocol, each sum held at BROWSER_WEBRTC_CHECKS. */
static void
wcands_read(const json_t *arr, struct browser_webrtc_page *p)
{
	struct browser_webrtc_cand *c;
	const json_t *e;
	const char *proto;
	long long port, rq, rs;
	size_t i, j;

	p->have_cands = json_is_array(arr);
	json_array_foreach(arr, i, e) {
		proto = ev_str(e, "protocol");
		port = wcount(e, "port", 65535);
		rq = wcount(e, "requests_sent", BROWSER_WEBRTC_CHECKS);
		rs = wcount(e, "responses_received", BROWSER_WEBRTC_CHECKS);
		if (port < 1 || rq < 0 || rs < 0 || proto == NULL ||
		    (strcmp(proto, "udp") != 0 && strcmp(proto, "tcp") != 0))
			continue;
		for (j = 0; j < p->ncands; j++)
			if (p->cands[j].port == port &&
			    p->cands[j].tcp == (proto[0] == 't'))
				break;
		if (j == p->ncands) {
			if (j == BROWSER_WEBRTC_CANDS)
				continue;
			c = &p->cands[p->ncands++];
			c->port = (uint16_t)port;
			c->tcp = proto[0] == 't';
		}
		c = &p->cands[j];
		c->requests = c->requests + rq > BROWSER_WEBRTC_CHECKS ?
		    BROWSER_WEBRTC_CHECKS : c->requests + rq;
		c->responses = c->responses + rs > BROWSER_WEBRTC_CHECKS ?
		    BROWSER_WEBRTC_CHECKS : c->responses + rs;
	}
}

void
browser_webrtc_read(const json_t *w, struct browser_webrtc_page *out)
{
	const json_t *pair = ev_obj(w, "pair"), *in = ev_obj(w, "inbound");
	const json_t *ri = ev_obj(w, "remote_inbound");
	const json_t *ob = ev_obj(w, "outbound");

	memset(out, 0, sizeof(*out));
	out->run = ev_bool(w, "run") == 1;
	out->no_audio = ev_bool(w, "audio") == 0;
	out->connected = ev_bool(w, "connected") == 1;
	browser_text(ev_str(w, "state"), out->state, sizeof(out->state));
	browser_text(ev_str(w, "error"), out->error, sizeof(out->error));
	out->connect_ms = ev_real_in(w, "connect_ms", 0, W_HOUR, -1);
	out->media_ms = ev_real_in(w, "media_ms", 0, W_HOUR, -1);
	browser_text(ev_str(pair, "local_type"), out->local_type,
	    sizeof(out->local_type));
	browser_text(ev_str(pair, "remote_type"), out->remote_type,
	    sizeof(out->remote_type));
	browser_text(ev_str(pair, "protocol"), out->protocol,
	    sizeof(out->protocol));
	out->local_port = (long long)ev_real_in(pair, "local_port", 0,
	    65535, -1);
	out->remote_port = (long long)ev_real_in(pair, "remote_port", 0,
	    65535, -1);
	out->rtt_ms = ev_real_in(pair, "rtt_ms", 0, W_MINUTE, -1);
	out->in_received = (long long)ev_real_in(in, "packets_received", 0,
	    W_PACKETS, -1);
	out->in_lost = (long long)ev_real_in(in, "packets_lost", 0,
	    W_PACKETS, -1);
	out->in_jitter_ms = ev_real_in(in, "jitter_ms", 0, W_MINUTE, -1);
	out->out_sent = (long long)ev_real_in(ob, "packets_sent", 0,
	    W_PACKETS, -1);
	out->ri_fraction_lost = ev_real_in(ri, "fraction_lost", 0, 1, -1);
	out->ri_jitter_ms = ev_real_in(ri, "jitter_ms", 0, W_MINUTE, -1);
	out->ri_rtt_ms = ev_real_in(ri, "rtt_ms", 0, W_MINUTE, -1);
	wcands_read(ev_arr(w, "candidates"), out);
}

/* -1 as null, else the value to 0.001. */
static json_t *
wjson(double v)
{
	return v < 0 ? json_null() : json_real(round(v * 1000) / 1000);
}

static json_t *
wint(long long v)
{
	return v < 0 ? json_null() : json_integer(v);
}

/*
 * An offered UDP port as the verdict reads it.  Where the browser's path
 * has no NAT, it stops checking at the first pair that answers, so a port
 * without checks is blocked only when the browser sent checks to it; a
 * page that did not list its checks (have_cands 0) is read as before: no
 * check at pinholed, blocked.
 */
enum wport {
	WPORT_REACHED,		/* checks came, and were answered */
	WPORT_BLOCKED,		/* sent, and none came or none answered */
	WPORT_UNTESTED,		/* the browser sent no check to it */
	WPORT_SILENT,		/* legacy lists: no check came to pinholed */
	WPORT_CHECKED		/* legacy lists: checks came */
};

/* The browser's checks to pinholed's UDP 'port': -1 when not listed. */
static void
wport_sent(const struct browser_webrtc_page *p, uint16_t port,
    long long *rq, long long *rs)
{
	size_t i;

	*rq = *rs = p->have_cands ? 0 : -1;
	for (i = 0; i < p->ncands; i++)
		if (p->cands[i].port == port && !p->cands[i].tcp) {
			*rq = p->cands[i].requests;
			*rs = p->cands[i].responses;
		}
}

static enum wport
wport_class(const struct browser_results *r, size_t i)
{
	long long rq, rs;

	wport_sent(&r->wpage, r->wsrv.ports[i], &rq, &rs);
	if (rq == 0)
		return r->wsrv.port_checks[i] > 0 ? WPORT_REACHED :
		    WPORT_UNTESTED;
	if (r->wsrv.port_checks[i] == 0 || rs == 0)
		return WPORT_BLOCKED;
	return WPORT_REACHED;
}

/* Does the offered port 'i' belong to 'want'? */
static int
wport_is(const struct browser_results *r, size_t i, enum wport want)
{
	if (want == WPORT_SILENT || want == WPORT_CHECKED)
		return (r->wsrv.port_checks[i] > 0) == (want == WPORT_CHECKED);
	return wport_class(r, i) == want;
}

/* "10000, 12666" into 'buf' and 'arr': the offered ports of 'want'. */
static size_t
wports_text(const struct browser_results *r, enum wport want, char *buf,
    size_t len, json_t *arr)
{
	const struct browser_webrtc_srv *s = &r->wsrv;
	size_t i, n = 0, off = 0;

	buf[0] = '\0';
	for (i = 0; i < s->nports; i++) {
		if (!wport_is(r, i, want))
			continue;
		if (off < len)
			off += (size_t)snprintf(buf + off, len - off, "%s%u",
			    n ? ", " : "", s->ports[i]);
		if (arr != NULL)
			json_array_append_new(arr, json_integer(s->ports[i]));
		n++;
	}
	return n;
}

/* The browser's view of pinholed's stream, as rtpstat would give it. */
static void
wdown(const struct browser_webrtc_page *p, struct rtp_dir_stats *d)
{
	memset(d, 0, sizeof(*d));
	d->received = p->in_received > 0 ? (uint32_t)p->in_received : 0;
	d->lost = p->in_lost > 0 ? (uint32_t)p->in_lost : 0;
	d->sent = d->received + d->lost;
	d->loss_pct = d->sent ? 100.0 * d->lost / d->sent : 0;
	d->jitter_ms = d->jitter_max_ms = p->in_jitter_ms > 0 ?
	    p->in_jitter_ms : 0;
	d->burstr = 1;		/* the browser does not say how loss came */
}

enum verdict
browser_webrtc_quality(const struct browser_webrtc_page *p,
    const struct browser_webrtc_srv *s, json_t *ev,
    struct rtp_dir_stats *down, struct mediaq_dir *qu, struct mediaq_dir *qd)
{
	struct codec c;
	double rtt;

	(void)codec_parse("opus", &c);
	rtt = p->rtt_ms >= 0 ? p->rtt_ms : p->ri_rtt_ms >= 0 ? p->ri_rtt_ms :
	    s->up.rtt_us != RTP_UNKNOWN ? s->up.rtt_us / 1000.0 : -1;
	wdown(p, down);
	mediaq_dir(&s->up.rx, rtt, &c, BROWSER_WEBRTC_PTIME, BROWSER_WEBRTC_JB,
	    qu);
	mediaq_dir(down, rtt, &c, BROWSER_WEBRTC_PTIME, BROWSER_WEBRTC_JB, qd);
	json_object_set_new(ev, "rtt_ms", wjson(rtt));
	json_object_set_new(ev, "up", mediaq_dir_json(&s->up.rx, qu));
	json_object_set_new(ev, "down", mediaq_dir_json(down, qd));
	return mediaq_verdict(&s->up.rx, qu, down, qd);
}

static json_t *
wevidence(const char *profile, const struct browser_results *r,
    const struct codec *c)
{
	const struct browser_webrtc_page *p = &r->wpage;
	const struct browser_webrtc_srv *s = &r->wsrv;
	static const char *const cls[] = { "reached", "blocked", "untested" };
	json_t *ev, *ports = json_array();
	long long rq, rs;
	size_t i;

	for (i = 0; i < s->nports; i++) {
		wport_sent(p, s->ports[i], &rq, &rs);
		json_array_append_new(ports, json_pack("{s:i, s:I, s:b, s:o, "
		    "s:o, s:s}", "port", s->ports[i], "checks",
		    (json_int_t)s->port_checks[i], "selected", s->have_pair &&
		    s->pair_port == s->ports[i], "browser_requests", wint(rq),
		    "browser_responses", wint(rs), "status",
		    cls[wport_class(r, i)]));
	}
	ev = json_pack("{s:s, s:b, s:b, s:b, s:s, s:i, s:i, s:s, s:o, s:o, "
	    "s:o, s:o, s:I, s:b}",
	    "profile", profile, "available", r->webrtc_available,
	    "reported", r->webrtc_reported, "run", p->run,
	    "codec", c->name, "ptime_ms", BROWSER_WEBRTC_PTIME,
	    "jitter_buffer_ms", BROWSER_WEBRTC_JB, "state", p->state,
	    "error", p->error[0] ? json_string(p->error) : json_null(),
	    "connect_ms", wjson(p->connect_ms), "media_ms", wjson(p->media_ms),
	    "ports", ports, "checks", (json_int_t)s->checks, "dtls", s->dtls);
	if (ev == NULL)
		return NULL;
	json_object_set_new(ev, "tcp_port", s->tcp_port ?
	    json_integer(s->tcp_port) : json_null());
	json_object_set_new(ev, "tcp_checks", json_integer(s->tcp_checks));
	if (p->connected || s->have_pair)
		json_object_set_new(ev, "pair", json_pack("{s:s, s:s, s:s, s:o, "
		    "s:o, s:i, s:i, s:o}", "protocol", s->pair_tcp ? "tcp" :
		    p->protocol[0] ? p->protocol : "udp", "local_type",
		    p->local_type, "remote_type", p->remote_type, "local_port",
		    wint(p->local_port), "remote_port", wint(p->remote_port),
		    "server_port", s->pair_port, "peer_port", s->peer_port,
		    "family", s->pair_family == AF_INET6 ? json_string("ipv6") :
		    s->pair_family == AF_INET ? json_string("ipv4") :
		    json_null()));
	else
		json_object_set_new(ev, "pair", json_null());
	json_object_set_new(ev, "browser", json_pack("{s:o, s:o, s:o, s:o, "
	    "s:o, s:o, s:o}", "packets_sent", wint(p->out_sent),
	    "packets_received", wint(p->in_received), "packets_lost",
	    wint(p->in_lost), "jitter_ms", wjson(p->in_jitter_ms),
	    "remote_fraction_lost", wjson(p->ri_fraction_lost),
	    "remote_jitter_ms", wjson(p->ri_jitter_ms), "remote_rtt_ms",
	    wjson(p->ri_rtt_ms)));
	return ev;
}

static int
wadd(struct report *rep, enum verdict v, json_t *ev, const char *remedy,
    const char *summary)
{
	if (ev == NULL)
		return -ENOMEM;
	return report_add(rep, "browser.webrtc", BROWSER_SECTION, v, ev, remedy,
	    "%s", summary) ? 0 : -ENOMEM;
}

/* The offered ports as the verdict reads them (enum wport), as text. */
struct wlists {
	char reached[96], blocked[96], untested[96], all[96];
	size_t nblocked, nuntested;
	char note[256];		/* "; not tried by the browser: ..." or "" */
};

static void
wlists_fill(const struct browser_results *r, struct wlists *l, json_t *ev)
{
	const struct browser_webrtc_srv *s = &r->wsrv;
	json_t *a;
	size_t i, off = 0;

	l->all[0] = '\0';
	for (i = 0; i < s->nports && off < sizeof(l->all); i++)
		off += (size_t)snprintf(l->all + off, sizeof(l->all) - off,
		    "%s%u", i ? ", " : "", s->ports[i]);
	/* As pinholed saw them, whatever the browser sent. */
	json_object_set_new(ev, "ports_reached", a = json_array());
	(void)wports_text(r, WPORT_CHECKED, l->note, sizeof(l->note), a);
	json_object_set_new(ev, "ports_unreached", a = json_array());
	(void)wports_text(r, WPORT_SILENT, l->note, sizeof(l->note), a);
	json_object_set_new(ev, "ports_blocked", a = json_array());
	l->nblocked = wports_text(r, WPORT_BLOCKED, l->blocked,
	    sizeof(l->blocked), a);
	json_object_set_new(ev, "ports_untested", a = json_array());
	l->nuntested = wports_text(r, WPORT_UNTESTED, l->untested,
	    sizeof(l->untested), a);
	(void)wports_text(r, WPORT_REACHED, l->reached, sizeof(l->reached),
	    NULL);
	l->note[0] = '\0';
	if (l->nuntested)
		snprintf(l->note, sizeof(l->note), "; not tried by the browser: "
		    "UDP %s (it sent no ICE check there, as a browser does once "
		    "a pair answers on a path without NAT: untested)",
		    l->untested);
}

/* ICE, DTLS or RTP did not pass: what got through, and what to open. */
static int
wfail_path(struct report *rep, const struct browser_results *r, json_t *ev,
    const struct wlists *l)
{
	const struct browser_webrtc_page *p = &r->wpage;
	const struct browser_webrtc_srv *s = &r->wsrv;
	char sum[640], remedy[640];

	snprintf(remedy, sizeof(remedy), "Allow UDP from the browsers' network "
	    "to the provider's media range (pinholed offered UDP %s), and the "
	    "replies back: the web phone's calls connect, then have no audio, "
	    "when media cannot pass.", l->all);
	if (s->checks == 0)
		snprintf(sum, sizeof(sum), "media did not pass over UDP: no ICE "
		    "check from the browser reached UDP %s (ICE %s)", l->all,
		    p->state[0] ? p->state : "unknown");
	else if (!p->connected || !s->dtls)
		snprintf(sum, sizeof(sum), "media did not pass over UDP: ICE "
		    "checks reached UDP %s%s%s but the connection did not "
		    "complete (ICE %s%s)%s", l->reached, l->nblocked ?
		    ", none " : "", l->blocked, p->state[0] ? p->state :
		    "unknown", s->dtls ? "" : ", no DTLS", l->note);
	else
		snprintf(sum, sizeof(sum), "the connection completed on UDP %u "
		    "but RTP did not pass %s", s->pair_port,
		    s->up.rx.received == 0 ? "upstream" : "downstream");
	return wadd(rep, VERDICT_FAIL, ev, remedy, sum);
}

int
browser_webrtc_add(struct report *rep, const char *profile,
    const struct browser_results *r)
{
	const struct browser_webrtc_page *p = &r->wpage;
	const struct browser_webrtc_srv *s = &r->wsrv;
	char sum[768], remedy[640], pre[256];
	struct rtp_dir_stats down;
	struct mediaq_dir qu, qd;
	struct wlists l;
	struct codec c;
	json_t *ev;
	enum verdict v;
	int tcp;

	(void)codec_parse("opus", &c);
	if (!r->webrtc_available || !r->webrtc_reported || !p->run ||
	    p->no_audio)
		return wadd(rep, VERDICT_SKIP, json_pack("{s:s, s:b, s:b, s:b}",
		    "profile", profile, "available", r->webrtc_available,
		    "reported", r->webrtc_reported, "run", p->run), NULL,
		    !r->webrtc_available ? "not run: the server has no WebRTC "
		    "peer" : p->run && p->no_audio ? "not run: the page's "
		    "audio did not start (this browser starts audio only after "
		    "a click on the page, and none came)" : "the page did not "
		    "report a WebRTC media test");
	if ((ev = wevidence(profile, r, &c)) == NULL)
		return -ENOMEM;
	wlists_fill(r, &l, ev);
	if (!s->offered) {
		snprintf(sum, sizeof(sum), "the server did not answer the "
		    "page's offer%s%s", p->error[0] ? ": " : "", p->error);
		return wadd(rep, VERDICT_ERROR, ev, NULL, sum);
	}
	if (!p->connected || !s->dtls || !s->have_stats ||
	    s->up.rx.received == 0 || p->in_received <= 0)
		return wfail_path(rep, r, ev, &l);
	v = browser_webrtc_quality(p, s, ev, &down, &qu, &qd);
	remedy[0] = '\0';
	if (v != VERDICT_PASS)
		mediaq_remedy(&qu, &qd, remedy, sizeof(remedy));
	tcp = s->pair_tcp || strcmp(p->protocol, "tcp") == 0;
	pre[0] = '\0';
	if (tcp) {
		/* Media passes, but not as the web phone's calls need it. */
		v = l.nblocked > 0 ? VERDICT_FAIL : v == VERDICT_PASS ?
		    VERDICT_WARN : v;
		snprintf(remedy, sizeof(remedy), "Allow UDP from the browsers' "
		    "network to the provider's media range (pinholed offered "
		    "UDP %s), and the replies back: over TCP a lost packet "
		    "delays every later one, so calls stutter on any loss, and "
		    "a web phone whose media servers offer no ICE-TCP has no "
		    "audio at all.", l.all);
		if (l.nblocked == s->nports)
			snprintf(pre, sizeof(pre), "media did not pass over UDP "
			    "(no ICE check reached UDP %s); it passed over TCP "
			    "%u (ICE-TCP): ", l.blocked, s->pair_port);
		else
			snprintf(pre, sizeof(pre), "media passed over TCP %u "
			    "(ICE-TCP)%s%s: ", s->pair_port, l.nblocked ?
			    "; no ICE check reached UDP " : "", l.blocked);
	} else if (l.nblocked > 0) {
		/* As media.rtp: a range opened in part breaks some calls. */
		v = VERDICT_FAIL;
		snprintf(remedy, sizeof(remedy), "Open the whole media range, "
		    "to and from the provider's ranges; a firewall that opens "
		    "part of it breaks the calls whose media lands outside "
		    "(no ICE check reached UDP %s).", l.blocked);
		snprintf(pre, sizeof(pre), "media passes on UDP %s of the "
		    "offered ports, none on UDP %s: ", l.reached, l.blocked);
	}
	/* Over IPv6 the summary says so; IPv4's reads as it always did. */
	snprintf(sum, sizeof(sum), "%sMOS %.2f up, %.2f down (opus, %.0f s "
	    "over %s%s to port %u): loss %.1f%%/%.1f%%, jitter %.1f/%.1f ms%s",
	    pre, qu.e.mos, qd.e.mos, p->media_ms < 0 ? 0 : p->media_ms / 1000,
	    s->pair_family == AF_INET6 ? "IPv6 " : "", tcp ? "tcp" : "udp",
	    s->pair_port, s->up.rx.loss_pct,
	    down.loss_pct, s->up.rx.jitter_ms, down.jitter_ms, l.note);
	return wadd(rep, v, ev, remedy[0] ? remedy : NULL, sum);
}
