/*
 * report_reach.c - the text of reach.*: ports as compressed ranges, grouped
 * by what happened to them (refused, dropped, answered by something else,
 * intercepted; what the server said of an inbound connection), and the
 * proxy that carried a blocked port.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "report_text.h"

#define RE_RANGES 512

static const char *
re_or_none(const char *s)
{
	return s != NULL && s[0] != '\0' ? s : "none";
}

static int
re_found(const struct report_check *c, char *buf, size_t len)
{
	const json_t *ev = c->evidence, *out;
	const char *open = ev_str(ev, "open"), *bl = ev_str(ev, "blocked");
	const char *u;
	size_t head;

	if (open == NULL || bl == NULL || ev_str(ev, "dns_error") != NULL)
		return -ENOENT;
	buf[0] = '\0';
	if (ev_str(ev, "host") != NULL)	/* one of several hosts */
		text_cat(buf, len, "%s: ", ev_str(ev, "host"));
	head = strlen(buf);
	if (bl[0] != '\0')
		text_cat(buf, len, "blocked %s; open %s", bl, re_or_none(open));
	else if (open[0] != '\0')
		text_cat(buf, len, "open %s", open);
	if ((u = ev_str(ev, "untried")) != NULL)
		text_cat(buf, len, "%snot tried %s", buf[head] ? "; " : "", u);
	if ((u = ev_str(ev, "untestable")) != NULL)
		text_cat(buf, len, "%suntestable %s", buf[head] ? "; " : "",
		    u);
	out = json_object_get(ev, "outside_source");
	if (ev_int(out, "arrived", 0) > 0)
		text_cat(buf, len, "; from outside the sources too");
	return buf[head] != '\0' ? 0 : -ENOENT;
}

/* Outbound: the probes grouped by outcome, with their details. */
static void
re_out(const json_t *ev, struct text_out *t)
{
	static const struct {
		const char *outcome, *words;
		int say_detail;
	} kind[] = {
		{ "refused", "Refused (a reset or ICMP unreachable)", 0 },
		{ "dropped", "Dropped (no answer before the timeout)", 0 },
		{ "answered-otherwise", "Answered by something else", 1 },
		{ "intercepted", "Intercepted", 1 },
	};
	const json_t *ports = json_object_get(ev, "ports"), *p;
	char r[RE_RANGES];
	size_t k, i;

	for (k = 0; k < sizeof(kind) / sizeof(kind[0]); k++) {
		json_t *set = json_array();
		const char *detail = NULL;
		int same = 1;

		json_array_foreach(ports, i, p) {
			const char *d = ev_str(p, "detail");

			if (ev_str(p, "outcome") == NULL ||
			    strcmp(ev_str(p, "outcome"), kind[k].outcome) != 0)
				continue;
			json_array_append_new(set, json_integer(ev_int(p,
			    "port", 0)));
			if (!kind[k].say_detail)
				continue;
			if (detail == NULL)
				detail = d;
			else if (d == NULL || strcmp(d, detail) != 0)
				same = 0;
		}
		if (json_array_size(set) > 0) {
			text_para(t, 2, 4, "%s: %s%s%s%s.", kind[k].words,
			    text_port_ranges(set, r, sizeof(r)),
			    same && detail ? " (" : "",
			    same && detail ? detail : "",
			    same && detail ? ")" : "");
			if (!same)
				json_array_foreach(ports, i, p)
					if (ev_str(p, "outcome") != NULL &&
					    strcmp(ev_str(p, "outcome"),
					    kind[k].outcome) == 0 &&
					    ev_str(p, "detail") != NULL)
						text_para(t, 4, 4, "%s: %s",
						    ev_str(p, "address") ?
						    ev_str(p, "address") :
						    "?", ev_str(p, "detail"));
		}
		json_decref(set);
	}
	json_array_foreach(ports, i, p)
		if (ev_str(p, "proxy") != NULL)
			text_para(t, 2, 4, "Port %lld: %s.",
			    ev_int(p, "port", 0), ev_str(p, "proxy"));
	if (ev_str(ev, "dns_error") != NULL)
		text_para(t, 2, 4, "DNS: %s.", ev_str(ev, "dns_error"));
}

/* Inbound TCP: the ports that did not connect, by what the server said. */
static void
re_in_tcp(const json_t *ev, struct text_out *t)
{
	const json_t *bd = json_object_get(ev, "blocked_detail"), *p, *q;
	char r[RE_RANGES];
	size_t i, j;

	json_array_foreach(bd, i, p) {
		const char *says = ev_str(p, "server_says");
		json_t *set;
		int seen = 0;

		if (says == NULL)
			continue;
		for (j = 0; j < i && !seen; j++)
			seen = ev_str(json_array_get(bd, j), "server_says") &&
			    strcmp(ev_str(json_array_get(bd, j),
			    "server_says"), says) == 0;
		if (seen)
			continue;
		set = json_array();
		json_array_foreach(bd, j, q)
			if (ev_str(q, "server_says") != NULL &&
			    strcmp(ev_str(q, "server_says"), says) == 0)
				json_array_append_new(set, json_integer(
				    ev_int(q, "port", 0)));
		text_para(t, 2, 4, "The server's connection to %s: %s.",
		    text_port_ranges(set, r, sizeof(r)), says);
		json_decref(set);
	}
}

/* Inbound UDP: what the sweep sent, from where, and what came in. */
static void
re_in_udp(const json_t *ev, struct text_out *t)
{
	const json_t *out = json_object_get(ev, "outside_source");
	const char *src = ev_str(ev, "source");
	long long passes = ev_int(ev, "passes", 0);
	long long sampled = ev_int(ev, "sampled", 0);
	char to[48];

	if (sampled > 0)
		snprintf(to, sizeof(to), "each of %lld sampled ports", sampled);
	else
		snprintf(to, sizeof(to), "every port");
	if (src != NULL)
		text_para(t, 2, 4, "The server sent a datagram to %s "
		    "from %s port %lld, in %lld pass%s; %lld port%s received "
		    "one (received on %s).", to, src,
		    ev_int(ev, "sent_from_port", 0), passes,
		    passes == 1 ? "" : "es", ev_int(ev, "arrived", 0),
		    ev_int(ev, "arrived", 0) == 1 ? "" : "s",
		    ev_str(ev, "receiver") != NULL &&
		    strcmp(ev_str(ev, "receiver"), "raw socket") == 0 ?
		    "a raw socket" : "a socket per port");
	if (ev_bool(ev, "source_in_ranges") == 0)
		text_para(t, 2, 4, "The server's address is outside the "
		    "profile's allowed sources, so a firewall that admits "
		    "only those is right to keep it out.");
	if (json_is_object(out))
		text_para(t, 2, 4, "From %s, outside the allowed sources: "
		    "%lld of %lld datagrams arrived (none should).",
		    ev_str(out, "address") ? ev_str(out, "address") : "?",
		    ev_int(out, "arrived", 0), ev_int(out, "sent", 0));
}

static void
re_detail(const struct report_check *c, struct text_out *t)
{
	const json_t *ev = c->evidence;
	const char *bl = ev_str(ev, "blocked"), *u;

	if (ev_str(ev, "spoken") != NULL)
		text_para(t, 2, 4, "Probed with: %s%s%s.", ev_str(ev,
		    "spoken"), ev_str(ev, "host") ? ", to " : "",
		    ev_str(ev, "host") ? ev_str(ev, "host") : "");
	if (ev_str(ev, "open") != NULL)
		text_para(t, 2, 4, "Open: %s.", re_or_none(ev_str(ev,
		    "open")));
	if (strstr(c->id, ".out.") != NULL) {
		re_out(ev, t);	/* the blocked ports, by outcome */
	} else {
		if (bl != NULL && bl[0] != '\0')
			text_para(t, 2, 4, "Blocked: %s.", bl);
		if (json_object_get(ev, "blocked_detail") != NULL)
			re_in_tcp(ev, t);
		else
			re_in_udp(ev, t);
	}
	if ((u = ev_str(ev, "untried")) != NULL)
		text_para(t, 2, 4, "Not tried by the server: %s (this says "
		    "nothing about the network).", u);
	if ((u = ev_str(ev, "untestable")) != NULL)
		text_para(t, 2, 4, "Could not be tested: %s.", u);
}

const struct report_family report_family_reach = {
	.prefix = "reach",
	.found = re_found,
	.detail = re_detail,
};
