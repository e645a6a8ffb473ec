/*
 * report_media.c - the text of the media checks: media.rtp (the test
 * call per direction in one table, and the media ports that carried
 * nothing), media.capacity (the steps of the ramp) and qos.dscp (the
 * codepoint sent and received each way).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "report_text.h"

static const char *const md_dirs[] = { "up", "down" };

static int
md_is(const struct report_check *c, const char *id)
{
	return strcmp(c->id, id) == 0;
}

/* A direction of the test call that was measured (it has a MOS). */
static const json_t *
md_dir(const json_t *ev, const char *dir)
{
	const json_t *d = json_object_get(ev, dir);

	return json_is_number(json_object_get(d, "mos")) ? d : NULL;
}

/* The number of ports of a list, and the list as ranges into buf. */
static size_t
md_ports(const json_t *ev, const char *key, char *buf, size_t len)
{
	const json_t *a = json_object_get(ev, key);

	text_port_ranges(a, buf, len);
	return json_is_array(a) ? json_array_size(a) : 0;
}

static int
rtp_found(const struct report_check *c, char *buf, size_t len)
{
	const json_t *ev = c->evidence, *up = md_dir(ev, "up");
	const json_t *down = md_dir(ev, "down");
	char p[256];
	size_t i;

	if (up == NULL || down == NULL ||
	    ev_int(up, "received", 0) == 0 || ev_int(down, "received", 0) == 0)
		return -ENOENT;
	snprintf(buf, len, "MOS %.2f/%.2f, loss %.1f%%/%.1f%% (up/down)",
	    ev_real(up, "mos", 0), ev_real(down, "mos", 0),
	    ev_real(up, "loss_pct", 0), ev_real(down, "loss_pct", 0));
	for (i = 0; i < 2; i++)
		if (md_ports(ev, i ? "ports_blocked_down" :
		    "ports_blocked_up", p, sizeof(p)) > 0)
			text_cat(buf, len, "; blocked %s %s", md_dirs[i], p);
	return 0;
}

/* One row of the test call's table; 'd' NULL: the heading. */
static void
rtp_row(struct text_out *t, const char *name, const json_t *d)
{
	char v[10][16];

	if (d == NULL) {
		fprintf(t->f, "    %-5s %5s %5s %6s %6s %7s %7s %5s %5s %5s  "
		    "%s\n", name, "sent", "recv", "loss%", "disc%", "jitter",
		    "IPDV99", "burst", "R", "MOS", "limit");
		return;
	}
	snprintf(v[0], sizeof(v[0]), "%lld", ev_int(d, "sent", 0));
	snprintf(v[1], sizeof(v[1]), "%lld", ev_int(d, "received", 0));
	snprintf(v[2], sizeof(v[2]), "%.1f", ev_real(d, "loss_pct", 0));
	snprintf(v[3], sizeof(v[3]), "%.1f", ev_real(d, "discard_pct", 0));
	snprintf(v[4], sizeof(v[4]), "%.2f", ev_real(d, "jitter_ms", 0));
	snprintf(v[5], sizeof(v[5]), "%.2f", ev_real(d, "ipdv_p99_ms", 0));
	snprintf(v[6], sizeof(v[6]), "%lld", ev_int(d, "burst_max", 0));
	snprintf(v[7], sizeof(v[7]), "%.1f", ev_real(d, "r", 0));
	snprintf(v[8], sizeof(v[8]), "%.2f", ev_real(d, "mos", 0));
	fprintf(t->f, "    %-5s %5.5s %5.5s %6.6s %6.6s %7.7s %7.7s %5.5s "
	    "%5.5s %5.5s  %.9s\n", name, v[0], v[1], v[2], v[3], v[4], v[5],
	    v[6], v[7], v[8], ev_str(d, "limit") ? ev_str(d, "limit") :
	    "?");
}

/* The one-second streams: which ports carried nothing, which refused. */
static void
rtp_sweep(const json_t *ev, struct text_out *t)
{
	const json_t *ports = json_object_get(ev, "ports"), *p;
	char r[512];
	size_t i, n, nports = json_is_array(ports) ? json_array_size(ports) : 0;
	size_t blocked = 0;

	if (nports == 0)
		return;
	for (i = 0; i < 2; i++) {
		n = md_ports(ev, i ? "ports_blocked_down" : "ports_blocked_up",
		    r, sizeof(r));
		blocked += n;
		if (n > 0)
			text_para(t, 2, 4, "No media %s on %zu of %zu media "
			    "port%s: %s.", i ? "downstream (to the phone)" :
			    "upstream (to the server)", n, nports,
			    nports == 1 ? "" : "s", r);
	}
	json_array_foreach(ports, i, p)
		if (ev_int(p, "refused", 0) != 0)
			text_para(t, 2, 4, "The server refused a stream on "
			    "udp/%lld: %lld %s.", ev_int(p, "port", 0),
			    ev_int(p, "refused", 0), ev_str(p, "reason") ?
			    ev_str(p, "reason") : "");
	if (blocked == 0)
		text_para(t, 2, 4, "All %zu media ports carried media both "
		    "ways.", nports);
}

static void
rtp_detail(const struct report_check *c, struct text_out *t)
{
	const json_t *ev = c->evidence, *rng = json_object_get(ev, "range");
	const json_t *ref = json_object_get(ev, "refused"), *d;
	char rtt[48], n[32];
	size_t i;

	if (ev_str(ev, "codec") != NULL && json_is_object(rng))
		text_para(t, 2, 4, "Media range UDP %lld-%lld, %s every "
		    "%lld ms, a %lld ms jitter buffer.", ev_int(rng, "lo", 0),
		    ev_int(rng, "hi", 0), ev_str(ev, "codec"),
		    ev_int(ev, "ptime_ms", 0),
		    ev_int(ev, "jitter_buffer_ms", 0));
	rtp_sweep(ev, t);
	if (json_is_object(ref))
		text_para(t, 2, 4, "The server refused the test call: %lld %s.",
		    ev_int(ref, "code", 0), ev_str(ref, "reason") ?
		    ev_str(ref, "reason") : "");
	if (md_dir(ev, "up") == NULL && md_dir(ev, "down") == NULL)
		return;
	if (json_is_number(json_object_get(ev, "rtt_ms")))
		snprintf(rtt, sizeof(rtt), "round trip %s ms",
		    text_num(ev_real(ev, "rtt_ms", 0), n, sizeof(n)));
	else
		snprintf(rtt, sizeof(rtt), "no round trip measured");
	text_para(t, 2, 4, "The test call, %lld s on udp/%lld (from port "
	    "%lld); %s:", ev_int(ev, "seconds", 0),
	    ev_int(ev, "server_port", 0), ev_int(ev, "client_port", 0),
	    rtt);
	rtp_row(t, "", NULL);
	for (i = 0; i < 2; i++)
		if ((d = md_dir(ev, md_dirs[i])) != NULL)
			rtp_row(t, md_dirs[i], d);
	text_para(t, 2, 2, "(up: what the server received; jitter (RFC 3550) "
	    "and IPDV's 99th percentile in ms; burst: the longest run lost; "
	    "limit: what costs R the most)");
}

static int
cap_found(const struct report_check *c, char *buf, size_t len)
{
	const json_t *ev = c->evidence, *steps = json_object_get(ev, "steps");
	const json_t *s, *bad = NULL;
	long long best = ev_int(ev, "max_calls", -1);
	long long lim = ev_int(ev, "limit", -1);
	double loss, mos;
	size_t i;

	if (!json_is_array(steps) || json_array_size(steps) == 0 || best < 0)
		return -ENOENT;
	json_array_foreach(steps, i, s)
		if (ev_bool(s, "ok") == 0 && bad == NULL)
			bad = s;
	snprintf(buf, len, "%lld of %lld call%s at once good", best, lim,
	    lim == 1 ? "" : "s");
	if (bad == NULL)
		return 0;
	if (ev_int(bad, "refused", 0) > 0) {
		text_cat(buf, len, "; server refused %lld at %lld",
		    ev_int(bad, "refused", 0), ev_int(bad, "calls", 0));
		return 0;
	}
	/* The worst of both ways. */
	loss = ev_real(bad, "worst_up_loss_pct", 0);
	if (ev_real(bad, "worst_down_loss_pct", 0) > loss)
		loss = ev_real(bad, "worst_down_loss_pct", 0);
	mos = ev_real(bad, "worst_up_mos", 0);
	if (ev_real(bad, "worst_down_mos", 0) < mos)
		mos = ev_real(bad, "worst_down_mos", 0);
	text_cat(buf, len, "; at %lld: loss %.1f%%, MOS %.2f",
	    ev_int(bad, "calls", 0), loss, mos);
	return 0;
}

static void
cap_detail(const struct report_check *c, struct text_out *t)
{
	const json_t *ev = c->evidence, *steps = json_object_get(ev, "steps");
	const json_t *s;
	size_t i;

	if (!json_is_array(steps) || json_array_size(steps) == 0)
		return;
	text_para(t, 2, 2, "Calls at once (%s), %lld s each; a call is good "
	    "at MOS 4.0 or more and loss of 1%% or less both ways (the worst "
	    "call of each step):",
	    ev_str(ev, "codec") ? ev_str(ev, "codec") : "?",
	    ev_int(ev, "step_seconds", 0));
	fprintf(t->f, "    %5s  %4s  %4s  %7s  %15s  %13s\n", "calls", "good",
	    "poor", "refused", "loss% up / down", "MOS up / down");
	json_array_foreach(steps, i, s) {
		char loss[40], mos[40];

		snprintf(loss, sizeof(loss), "%.1f / %.1f",
		    ev_real(s, "worst_up_loss_pct", 0),
		    ev_real(s, "worst_down_loss_pct", 0));
		snprintf(mos, sizeof(mos), "%.2f / %.2f",
		    ev_real(s, "worst_up_mos", 0),
		    ev_real(s, "worst_down_mos", 0));
		fprintf(t->f, "    %5lld  %4s  %4lld  %7lld  %15.15s  %13.13s\n",
		    ev_int(s, "calls", 0), ev_bool(s, "ok") == 1 ? "yes" :
		    "no", ev_int(s, "poor", 0), ev_int(s, "refused", 0),
		    loss, mos);
	}
}

/* "0 (bleached)", "46 (intact)", "none arrived". */
static const char *
dscp_got(const json_t *d, char *buf, size_t len)
{
	if (!json_is_integer(json_object_get(d, "received")))
		snprintf(buf, len, "none arrived");
	else
		snprintf(buf, len, "%lld (%s)", ev_int(d, "received", 0),
		    ev_str(d, "result") ? ev_str(d, "result") : "?");
	return buf;
}

static int
dscp_found(const struct report_check *c, char *buf, size_t len)
{
	const json_t *ev = c->evidence, *up = json_object_get(ev, "up");
	const json_t *down = json_object_get(ev, "down");
	char a[48], b[48];

	if (!json_is_object(up) || !json_is_object(down))
		return -ENOENT;
	snprintf(buf, len, "%s %lld: up %s, down %s", ev_str(ev, "class") ?
	    ev_str(ev, "class") : "DSCP", ev_int(ev, "dscp", 0),
	    dscp_got(up, a, sizeof(a)), dscp_got(down, b, sizeof(b)));
	return 0;
}

static void
dscp_detail(const struct report_check *c, struct text_out *t)
{
	const json_t *ev = c->evidence, *d, *s;
	char got[48], seen[256];
	size_t i, j;

	for (i = 0; i < 2; i++) {
		if (!json_is_object(d = json_object_get(ev, md_dirs[i])))
			continue;
		seen[0] = '\0';
		/* Every TOS byte, when more than the one reported came. */
		if (json_array_size(json_object_get(d, "seen")) > 1)
			json_array_foreach(json_object_get(d, "seen"), j, s)
				text_cat(seen, sizeof(seen), "%s%lld%s%s in %lld",
				    j ? ", " : "", ev_int(s, "dscp", 0),
				    ev_int(s, "ecn", 0) ? " ECN " : "",
				    ev_int(s, "ecn", 0) ? (ev_int(s, "ecn",
				    0) == 3 ? "CE" : "ECT") : "",
				    ev_int(s, "packets", 0));
		text_para(t, 2, 4, "%s: sent %lld, arrived as %s in %lld of "
		    "%lld packets%s%s.", i ? "Downstream" : "Upstream",
		    ev_int(d, "sent", 0),
		    dscp_got(d, got, sizeof(got)),
		    ev_int(d, "packets_with_received", 0),
		    ev_int(d, "packets", 0), seen[0] ? "; seen: " : "",
		    seen);
	}
}

static int
media_found(const struct report_check *c, char *buf, size_t len)
{
	if (md_is(c, "media.rtp"))
		return rtp_found(c, buf, len);
	if (md_is(c, "media.capacity"))
		return cap_found(c, buf, len);
	return -ENOENT;
}

static void
media_detail(const struct report_check *c, struct text_out *t)
{
	if (md_is(c, "media.rtp"))
		rtp_detail(c, t);
	else if (md_is(c, "media.capacity"))
		cap_detail(c, t);
}

const struct report_family report_family_media = {
	.prefix = "media",
	.found = media_found,
	.detail = media_detail,
};

const struct report_family report_family_qos = {
	.prefix = "qos.dscp",
	.found = dscp_found,
	.detail = dscp_detail,
};
