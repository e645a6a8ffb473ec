/*
 * report_sipalg.c - the text of sip-alg.*: each rewritten element as sent
 * and as received, cut to the part that changed ("Via, Contact in
 * REGISTER, INVITE: 192.168.1.10 → 203.0.113.2"), and the messages that
 * were dropped, cut short or no longer parsed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "report_text.h"

#define SA_GROUPS	24
#define SA_PART		160

struct sa_group {
	char sent[SA_PART], recv[SA_PART];
	char elems[256], msgs[64];
};

static int
sa_delim(char c)
{
	return strchr(" ;:@<>/=,\"", c) != NULL;
}

/*
 * The parts of a and b that differ, widened to whole tokens so that an
 * address reads as an address: "192.168.1.10" and "203.0.113.2".
 */
static void
sa_trim(const char *a, const char *b, char *oa, char *ob)
{
	size_t la = strlen(a), lb = strlen(b), p = 0, s = 0;

	while (p < la && p < lb && a[p] == b[p])
		p++;
	while (p > 0 && !sa_delim(a[p - 1]))
		p--;
	while (s < la - p && s < lb - p && a[la - 1 - s] == b[lb - 1 - s])
		s++;
	/* The common tail starts at a delimiter. */
	while (s > 0 && !sa_delim(a[la - s]))
		s--;
	snprintf(oa, SA_PART, "%.*s", (int)(la - p - s), a + p);
	snprintf(ob, SA_PART, "%.*s", (int)(lb - p - s), b + p);
}

static void
sa_add_word(char *list, size_t len, const char *w)
{
	const char *p = list;
	size_t n = strlen(w);

	while ((p = strstr(p, w)) != NULL) {
		if ((p == list || p[-1] == ' ') &&
		    (p[n] == ',' || p[n] == '\0'))
			return;
		p += n;
	}
	text_cat(list, len, "%s%s", list[0] ? ", " : "", w);
}

/* The element names rewritten in one direction, each once. */
static void
sa_elements(const json_t *dir, char *buf, size_t len)
{
	const json_t *e;
	size_t i;

	buf[0] = '\0';
	json_array_foreach(json_object_get(dir, "rewritten"), i, e)
		if (ev_str(e, "element") != NULL)
			sa_add_word(buf, len, ev_str(e, "element"));
}

static size_t
sa_count(const char *list)
{
	size_t n = list[0] != '\0';

	for (; *list != '\0'; list++)
		n += *list == ',';
	return n;
}

static int
sa_found(const struct report_check *c, char *buf, size_t len)
{
	const json_t *o = json_object_get(c->evidence, "outbound");
	const json_t *in = json_object_get(c->evidence, "inbound");
	char eo[256], ei[256], lost[64] = "";

	buf[0] = '\0';
	sa_elements(o, eo, sizeof(eo));
	sa_elements(in, ei, sizeof(ei));
	if (ev_bool(o, "truncated") == 1)
		text_cat(lost, sizeof(lost), "out cut short");
	else if (ev_bool(o, "delivered") == 0)
		text_cat(lost, sizeof(lost), "out dropped");
	if (ev_bool(in, "truncated") == 1)
		text_cat(lost, sizeof(lost), "%sin cut short",
		    lost[0] ? ", " : "");
	else if (ev_bool(in, "delivered") == 0)
		text_cat(lost, sizeof(lost), "%sin dropped",
		    lost[0] ? ", " : "");
	if (eo[0] != '\0' || ei[0] != '\0') {
		text_cat(buf, len, "rewritten");
		if (eo[0] != '\0')
			text_cat(buf, len, " %zu out", sa_count(eo));
		if (ei[0] != '\0')
			text_cat(buf, len, "%s %zu in", eo[0] ? "," : "",
			    sa_count(ei));
		if (lost[0] != '\0')
			text_cat(buf, len, "; %s", lost);
		text_cat(buf, len, " (%s%s%s)", eo, eo[0] && ei[0] ? ", " : "",
		    ei);
	} else if (lost[0] != '\0') {
		text_cat(buf, len, "%s", lost);
	} else if (c->verdict == VERDICT_PASS) {
		text_cat(buf, len, "unchanged both ways");
	}
	return buf[0] != '\0' ? 0 : -ENOENT;
}

/* The other methods: which arrived and which were dropped.  1 when it
 * said something. */
static int
sa_methods(const json_t *d, const char *title, struct text_out *t)
{
	char ok[160] = "", lost[160] = "";
	const json_t *e;
	size_t i;

	json_array_foreach(json_object_get(d, "methods"), i, e) {
		const char *m = ev_str(e, "method");
		char *to = ev_bool(e, "delivered") == 1 ? ok : lost;

		if (m != NULL)
			text_cat(to, sizeof(ok), "%s%s", to[0] ? ", " : "", m);
	}
	if (lost[0] == '\0')
		return 0;
	text_para(t, 2, 4, "%s: %s dropped%s%s.", title, lost,
	    ok[0] ? "; delivered: " : "", ok);
	return 1;
}

static void
sa_direction(const json_t *d, const char *title, struct text_out *t)
{
	struct sa_group g[SA_GROUPS];
	size_t ng = 0, i, k;
	const json_t *e;
	char a[SA_PART], b[SA_PART];
	int said = 0;

	json_array_foreach(json_object_get(d, "rewritten"), i, e) {
		const char *s = ev_str(e, "sent"), *r = ev_str(e, "received");
		const char *el = ev_str(e, "element");
		const char *msg = ev_str(e, "message");

		if (el == NULL)
			continue;
		if (s != NULL && r != NULL) {
			sa_trim(s, r, a, b);
		} else {
			snprintf(a, sizeof(a), "%s", s ? s : "(absent)");
			snprintf(b, sizeof(b), "%s", r ? r : "(removed)");
		}
		for (k = 0; k < ng; k++)
			if (strcmp(g[k].sent, a) == 0 &&
			    strcmp(g[k].recv, b) == 0)
				break;
		if (k == ng) {
			if (ng == SA_GROUPS)
				continue;
			memset(&g[ng], 0, sizeof(g[ng]));
			memcpy(g[ng].sent, a, sizeof(a));
			memcpy(g[ng].recv, b, sizeof(b));
			ng++;
		}
		sa_add_word(g[k].elems, sizeof(g[k].elems), el);
		if (msg != NULL)
			sa_add_word(g[k].msgs, sizeof(g[k].msgs), msg);
	}
	if (ng > 0) {
		text_para(t, 2, 2, "%s, as sent → as received:", title);
		for (k = 0; k < ng; k++) {
			char where[400];

			snprintf(where, sizeof(where), "%s%s%s%s", g[k].elems,
			    g[k].msgs[0] ? " (" : "", g[k].msgs,
			    g[k].msgs[0] ? ")" : "");
			if (4 + text_width(where) + 2 + text_width(g[k].sent) +
			    3 + text_width(g[k].recv) <= (size_t)t->cols) {
				text_para(t, 4, 4, "%s: %s → %s", where,
				    g[k].sent, g[k].recv);
				continue;
			}
			/* The change on a line of its own. */
			text_para(t, 4, 4, "%s:", where);
			text_para(t, 6, 2, "%s → %s", g[k].sent, g[k].recv);
		}
		said = 1;
	}
	json_array_foreach(json_object_get(d, "messages"), i, e) {
		const char *m = ev_str(e, "method");
		long long sb = ev_int(e, "sent_bytes", -1);
		long long rb = ev_int(e, "received_bytes", -1);

		if (m == NULL)
			continue;
		if (ev_bool(e, "delivered") == 0) {
			text_para(t, 2, 4, "%s: %s was not delivered "
			    "(%lld bytes sent).", title, m, sb);
			said = 1;
		} else if (ev_bool(e, "truncated") == 1) {
			text_para(t, 2, 4, "%s: %s arrived cut short, %lld of "
			    "%lld bytes.", title, m, rb, sb);
			said = 1;
		} else if (ev_bool(e, "parsed") == 0) {
			text_para(t, 2, 4, "%s: %s no longer parsed as SIP "
			    "and was compared line by line.", title, m);
			said = 1;
		}
	}
	if (sa_methods(d, title, t))
		said = 1;
	if (ev_str(d, "note") != NULL) {
		text_para(t, 2, 4, "%s: %s", title, ev_str(d, "note"));
		said = 1;
	}
	if (!said && ev_bool(d, "delivered") == 1)
		text_para(t, 2, 4, "%s: every message arrived unchanged.",
		    title);
}

static void
sa_detail(const struct report_check *c, struct text_out *t)
{
	const json_t *o = json_object_get(c->evidence, "outbound");
	const json_t *i = json_object_get(c->evidence, "inbound");

	if (json_is_object(o))
		sa_direction(o, "Outbound (to the server)", t);
	if (json_is_object(i))
		sa_direction(i, "Inbound (from the server)", t);
}

const struct report_family report_family_sipalg = {
	.prefix = "sip-alg",
	.found = sa_found,
	.detail = sa_detail,
};
