/*
 * report_udpto.c - the text of udp-timeout: the idle lifetime of a binding
 * per state (unreplied, established) and per server port, against the
 * profile's minimum.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report_text.h"

/* A lifetime: "15 s", or "more than 20 s" when it outlived the limit. */
static const char *
ut_life(const json_t *o, const char *key, long long limit, char *buf,
    size_t len)
{
	long long v = ev_int(o, key, -1);

	if (v >= 0)
		snprintf(buf, len, "%lld s", v);
	else if (limit > 0)
		snprintf(buf, len, "more than %lld s", limit);
	else
		snprintf(buf, len, "not measured");
	return buf;
}

static int
ut_found(const struct report_check *c, char *buf, size_t len)
{
	const json_t *ev = c->evidence, *p;
	long long lim = ev_int(ev, "limit_s", -1), est = -1, v;
	long long min = ev_int(ev, "minimum_s", -1);
	char a[32], b[32];
	size_t i;

	if (json_object_get(ev, "ports") == NULL)
		return -ENOENT;
	/* The shortest established lifetime is what a phone lives with. */
	json_array_foreach(json_object_get(ev, "ports"), i, p)
		if ((v = ev_int(p, "established_s", -1)) >= 0 &&
		    (est < 0 || v < est))
			est = v;
	if (est >= 0)
		snprintf(a, sizeof(a), "%lld s", est);
	else
		ut_life(ev, "established_s", lim, a, sizeof(a));
	snprintf(buf, len, "established %s, unreplied %s", a,
	    ut_life(ev, "unreplied_s", lim, b, sizeof(b)));
	if (min > 0)
		text_cat(buf, len, "; needs %lld s", min);
	return 0;
}

static void
ut_detail(const struct report_check *c, struct text_out *t)
{
	static const char *const state[] = { "unreplied", "established" };
	static const char *const key[] = { "unreplied_s", "established_s" };
	const json_t *ev = c->evidence, *ports = json_object_get(ev, "ports");
	const json_t *p;
	long long lim = ev_int(ev, "limit_s", -1);
	long long min = ev_int(ev, "minimum_s", -1);
	char line[160], cell[40], w[32];
	size_t i, s;
	int refresh = ev_bool(ev, "inbound_refresh");
	double wall = ev_real(ev, "wall_s", NAN);

	if (!json_is_array(ports) || json_array_size(ports) == 0)
		return;
	if (min > 0)
		text_para(t, 2, 2, "How long an idle binding lives, per state "
		    "and server port (%s asks for %lld s):",
		    ev_str(ev, "profile") ? ev_str(ev, "profile") :
		    "the profile", min);
	snprintf(line, sizeof(line), "%-16s", "");
	json_array_foreach(ports, i, p) {
		if (i >= 3)
			break;
		snprintf(cell, sizeof(cell), "udp/%lld (%s)",
		    ev_int(p, "port", 0), i == 0 ? "STUN" : "SIP");
		text_cat(line, sizeof(line), "%-20s", cell);
	}
	for (i = strlen(line); i > 0 && line[i - 1] == ' '; i--)
		line[i - 1] = '\0';
	fprintf(t->f, "    %s\n", line);
	for (s = 0; s < 2; s++) {
		snprintf(line, sizeof(line), "%-16s", state[s]);
		json_array_foreach(ports, i, p) {
			if (i >= 3)
				break;
			text_cat(line, sizeof(line), "%-20s",
			    ut_life(p, key[s], lim, cell, sizeof(cell)));
		}
		/* The grid's trailing blanks go. */
		for (i = strlen(line); i > 0 && line[i - 1] == ' '; i--)
			line[i - 1] = '\0';
		fprintf(t->f, "    %s\n", line);
	}
	if (refresh >= 0)
		text_para(t, 2, 2, "Packets from outside keep a binding alive: "
		    "%s.", refresh ? "yes" : "no");
	if (!isnan(wall))
		text_para(t, 2, 2, "Measured up to %lld s, to within %lld s, "
		    "in %s.", lim, ev_int(ev, "resolution_s", 1),
		    text_secs(wall, w, sizeof(w)));
	json_array_foreach(ports, i, p) {
		long long lost = ev_int(p, "lost_probes", 0);
		long long failed = ev_int(p, "failed_setups", 0);

		if (lost > 0 || failed > 0)
			text_para(t, 2, 2, "Toward udp/%lld: %lld probe%s lost "
			    "on the way, %lld binding%s could not be set up.",
			    ev_int(p, "port", 0), lost, lost == 1 ? "" : "s",
			    failed, failed == 1 ? "" : "s");
	}
}

const struct report_family report_family_udptimeout = {
	.prefix = "udp-timeout",
	.found = ut_found,
	.detail = ut_detail,
};
