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
	const char *open = text_str(ev, "open"), *bl = text_str(ev, "blocked");
	const char *u;
	size_t head;

	if (open == NULL || bl == NULL || text_str(ev, "dns_error") != NULL)
		return -ENOENT;
	buf[0] = '\0';
	if (text_str(ev, "host") != NULL)	/* one of several hosts */
		text_cat(buf, len, "%s: ", text_str(ev, "host"));
	head = strlen(buf);
	if (bl[0] != '\0')
		text_cat(buf, len, "blocked %s; open %s", bl, re_or_none(open));
	else if (open[0] != '\0')
		text_cat(buf, len, "open %s", open);
	if ((u = text_str(ev, "untried")) != NULL)
		text_cat(buf, len, "%snot tried %s", buf[head] ? "; " : "", u);
	if ((u = text_str(ev, "untestable")) != NULL)
		text_cat(buf, len, "%suntestable %s", buf[head] ? "; " : "",
		    u);
	out = json_object_get(ev, "outside_source");
	if (text_int(out, "arrived", 0) > 0)
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
			const char *d = text_str(p, "detail");

			if (text_str(p, "outcome") == NULL ||
			    strcmp(text_str(p, "outcome"), kind[k].outcome) != 0)
				continue;
			json_array_append_new(set, json_integer(text_int(p,
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
					if (text_str(p, "outcome") != NULL &&
					    strcmp(text_str(p, "outcome"),
					    kind[k].outcome) == 0 &&
					    text_str(p, "detail") != NULL)
						text_para(t, 4, 4, "%s: %s",
						    text_str(p, "address") ?
						    text_str(p, "address") :
						    "?", text_str(p, "detail"));
		}
		json_decref(set);
	}
	json_array_foreach(ports, i, p)
		if (text_str(p, "proxy") != NULL)
			text_para(t, 2, 4, "Port %lld: %s.",
			    text_int(p, "port", 0), text_str(p, "proxy"));
	if (text_str(ev, "dns_error") != NULL)
		text_para(t, 2, 4, "DNS: %s.", text_str(ev, "dns_error"));
}

/* Inbound TCP: the ports that did not connect, by what the server said. */
static void
re_in_tcp(const json_t *ev, struct text_out *t)
{
	const json_t *bd = json_object_get(ev, "blocked_detail"), *p, *q;
	char r[RE_RANGES];
	size_t i, j;

	json_array_foreach(bd, i, p) {
		const char *says = text_str(p, "server_says");
		json_t *set;
		int seen = 0;

		if (says == NULL)
			continue;
		for (j = 0; j < i && !seen; j++)
			seen = text_str(json_array_get(bd, j), "server_says") &&
			    strcmp(text_str(json_array_get(bd, j),
			    "server_says"), says) == 0;
		if (seen)
			continue;
		set = json_array();
		json_array_foreach(bd, j, q)
			if (text_str(q, "server_says") != NULL &&
			    strcmp(text_str(q, "server_says"), says) == 0)
				json_array_append_new(set, json_integer(
				    text_int(q, "port", 0)));
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
	const char *src = text_str(ev, "source");
	long long passes = text_int(ev, "passes", 0);

	if (src != NULL)
		text_para(t, 2, 4, "The server sent a datagram to every port "
		    "from %s port %lld, in %lld pass%s; %lld port%s received "
		    "one (received on %s).", src,
		    text_int(ev, "sent_from_port", 0), passes,
		    passes == 1 ? "" : "es", text_int(ev, "arrived", 0),
		    text_int(ev, "arrived", 0) == 1 ? "" : "s",
		    text_str(ev, "receiver") != NULL &&
		    strcmp(text_str(ev, "receiver"), "raw socket") == 0 ?
		    "a raw socket" : "a socket per port");
	if (text_bool(ev, "source_in_ranges") == 0)
		text_para(t, 2, 4, "The server's address is outside the "
		    "profile's allowed sources, so a firewall that admits "
		    "only those is right to keep it out.");
	if (json_is_object(out))
		text_para(t, 2, 4, "From %s, outside the allowed sources: "
		    "%lld of %lld datagrams arrived (none should).",
		    text_str(out, "address") ? text_str(out, "address") : "?",
		    text_int(out, "arrived", 0), text_int(out, "sent", 0));
}

static void
re_detail(const struct report_check *c, struct text_out *t)
{
	const json_t *ev = c->evidence;
	const char *bl = text_str(ev, "blocked"), *u;

	if (text_str(ev, "spoken") != NULL)
		text_para(t, 2, 4, "Probed with: %s%s%s.", text_str(ev,
		    "spoken"), text_str(ev, "host") ? ", to " : "",
		    text_str(ev, "host") ? text_str(ev, "host") : "");
	if (text_str(ev, "open") != NULL)
		text_para(t, 2, 4, "Open: %s.", re_or_none(text_str(ev,
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
	if ((u = text_str(ev, "untried")) != NULL)
		text_para(t, 2, 4, "Not tried by the server: %s (this says "
		    "nothing about the network).", u);
	if ((u = text_str(ev, "untestable")) != NULL)
		text_para(t, 2, 4, "Could not be tested: %s.", u);
}

const struct report_family report_family_reach = {
	.prefix = "reach",
	.found = re_found,
	.detail = re_detail,
};
