/*
 * report_sipsize.c - the text of sip.udp-size: per direction, the sizes of
 * SIP over UDP grouped by what became of them (intact, rewritten, cut,
 * lost), and where IP fragments begin.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "report_text.h"

static int
sz_found(const struct report_check *c, char *buf, size_t len)
{
	const json_t *o = json_object_get(c->evidence, "outbound");
	const json_t *in = json_object_get(c->evidence, "inbound");
	long long lo = ev_int(o, "largest_ok", -1);
	long long li = ev_int(in, "largest_ok", -1), f;

	if (lo < 0)
		return -ENOENT;
	buf[0] = '\0';
	if (li < 0)
		text_cat(buf, len, "up to %lld bytes out, none in", lo);
	else if (lo == li)
		text_cat(buf, len, "up to %lld bytes both ways", lo);
	else
		text_cat(buf, len, "up to %lld bytes out, %lld in", lo, li);
	/* A size lost below one that arrived (an ALG grew it past the MTU). */
	if ((f = ev_int(o, "smallest_failed", -1)) >= 0 && f < lo)
		text_cat(buf, len, "; %lld lost out", f);
	if ((f = ev_int(in, "smallest_failed", -1)) >= 0 && f < li)
		text_cat(buf, len, "; %lld lost in", f);
	if (ev_bool(o, "fragments_pass") == 0 &&
	    ev_bool(in, "fragments_pass") == 0)
		text_cat(buf, len, "; fragments dropped");
	return 0;
}

/* "1200, 1400" or, for what arrived changed, "1200 as 1195". */
static void
sz_group(const json_t *sizes, const char *result, char *buf, size_t len)
{
	const json_t *s;
	long long sz, got;
	size_t i;

	buf[0] = '\0';
	json_array_foreach(sizes, i, s) {
		if (ev_str(s, "result") == NULL ||
		    strcmp(ev_str(s, "result"), result) != 0)
			continue;
		sz = ev_int(s, "size", 0);
		got = ev_int(s, "received_bytes", -1);
		text_cat(buf, len, "%s%lld", buf[0] ? ", " : "", sz);
		if (got >= 0 && got != sz)
			text_cat(buf, len, " as %lld", got);
	}
}

static void
sz_dir(const json_t *d, const char *words, struct text_out *t)
{
	static const struct {
		const char *result, *words;
	} kind[] = {
		{ "intact", "intact" },
		{ "rewritten", "rewritten" },
		{ "cut", "cut short" },
		{ "lost", "lost" },
		{ "untested", "not sent (the server refused)" },
	};
	const json_t *sizes = json_object_get(d, "sizes");
	char line[512], g[256];
	size_t k;

	line[0] = '\0';
	for (k = 0; k < sizeof(kind) / sizeof(kind[0]); k++) {
		sz_group(sizes, kind[k].result, g, sizeof(g));
		if (g[0] != '\0')
			text_cat(line, sizeof(line), "%s%s %s", line[0] ?
			    "; " : "", kind[k].words, g);
	}
	if (line[0] != '\0')
		text_para(t, 2, 4, "%s (bytes): %s.", words, line);
	if (ev_str(d, "note") != NULL)
		text_para(t, 2, 4, "%s: %s.", words, ev_str(d, "note"));
}

static void
sz_detail(const struct report_check *c, struct text_out *t)
{
	const json_t *ev = c->evidence;

	sz_dir(json_object_get(ev, "outbound"), "Outbound, to the server", t);
	sz_dir(json_object_get(ev, "inbound"), "Inbound, to our mapping", t);
	if (ev_int(ev, "largest_unfragmented", -1) > 0)
		text_para(t, 2, 2, "SIP over UDP larger than %lld bytes needs "
		    "IP fragments (a %lld-byte MTU assumed, and %lld bytes of "
		    "IP and UDP headers).", ev_int(ev,
		    "largest_unfragmented", 0), ev_int(ev, "mtu_assumed", 0),
		    ev_int(ev, "overhead_bytes", 0));
}

const struct report_family report_family_sipsize = {
	.prefix = "sip.udp-size",
	.found = sz_found,
	.detail = sz_detail,
};
