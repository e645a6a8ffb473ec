/*
 * dualstack.c - where IPv4 and IPv6 disagree, as a phone with happy
 * eyeballs (RFC 8305) meets it: it signals over whichever family connects
 * first, IPv6 where both do, and sends its media in that family too.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dualstack.h"

/* What a phone needs of a family, by id prefix of the requirements. */
enum ds_class { DS_SIGNALLING, DS_MEDIA, DS_REACH, DS_N };

static const char *const ds_names[DS_N] = {
	"signalling", "media", "reachability",
};

static int
ds_class(const char *base)
{
	if (strncmp(base, "sip-alg.", 8) == 0 ||
	    strncmp(base, "sip-size", 8) == 0)
		return DS_SIGNALLING;
	if (strncmp(base, "media.", 6) == 0 || strncmp(base, "qos.", 4) == 0)
		return DS_MEDIA;
	if (strncmp(base, "reach.", 6) == 0)
		return DS_REACH;
	return -1;
}

static int
ds_bad(enum verdict v)
{
	return v == VERDICT_FAIL || v == VERDICT_ERROR;
}

static int
ds_judged(enum verdict v)
{
	return v != VERDICT_SKIP;
}

/* Per class and family: 1 works, 0 fails, -1 not judged. */
struct ds_state {
	int ok[DS_N][REPORT_AF_N];
};

static void
ds_note(int *ok, enum verdict v)
{
	if (!ds_judged(v))
		return;
	if (ds_bad(v))
		*ok = 0;
	else if (*ok < 0)
		*ok = 1;
}

/* The named finding: 'a' the family that works, 'b' the other. */
static void
ds_summary(const struct ds_state *s, char *buf, size_t len, int *a)
{
	const int (*ok)[REPORT_AF_N] = s->ok;
	int sig4 = ok[DS_SIGNALLING][0], sig6 = ok[DS_SIGNALLING][1];
	int m4 = ok[DS_MEDIA][0], m6 = ok[DS_MEDIA][1], k;

	if (sig4 != 0 && sig6 != 0 && m4 != m6 && m4 >= 0 && m6 >= 0) {
		*a = m4 == 1 ? REPORT_AF_IPV4 : REPORT_AF_IPV6;
		snprintf(buf, len, "media works only over %s: a phone that "
		    "signals over %s gets calls without audio",
		    report_af_label(*a), report_af_label(!*a));
		return;
	}
	if (sig4 >= 0 && sig6 >= 0 && sig4 != sig6 && m4 >= 0 && m6 >= 0 &&
	    m4 != m6 && sig4 != m4) {
		*a = m4 == 1 ? REPORT_AF_IPV4 : REPORT_AF_IPV6;
		snprintf(buf, len, "signalling works over %s while media works "
		    "only over %s: a phone that prefers %s registers and rings "
		    "but has no audio", report_af_label(!*a),
		    report_af_label(*a), report_af_label(!*a));
		return;
	}
	for (k = 0; k < DS_N; k++)
		if (ok[k][0] >= 0 && ok[k][1] >= 0 && ok[k][0] != ok[k][1])
			break;
	*a = k < DS_N && ok[k][1] == 1 ? REPORT_AF_IPV6 : REPORT_AF_IPV4;
	snprintf(buf, len, "%s works only over %s: a phone on the other "
	    "family fails where this one works", k < DS_N ? ds_names[k] :
	    "a requirement", report_af_label(*a));
}

int
dualstack_judge(struct report *r)
{
	struct ds_state s;
	json_t *ev, *differ, *classes, *one;
	char base[256], summary[256], ids[512] = "", remedy[1024];
	size_t i, n = 0, idl = 0;
	int k, af, a = REPORT_AF_IPV4, bad = 0;

	if (r->af[REPORT_AF_IPV4].known == 0 ||
	    !r->af[REPORT_AF_IPV4].tested || !r->af[REPORT_AF_IPV6].tested)
		return 0;
	memset(&s, 0xff, sizeof(s));	/* -1: not judged */
	if ((differ = json_array()) == NULL)
		return -ENOMEM;
	for (i = 0; i < r->nchecks; i++) {
		const struct report_check *c4 = &r->checks[i], *c6;

		if (report_id_af(c4->id) != REPORT_AF_IPV4 ||
		    (k = ds_class(c4->id)) < 0)
			continue;
		c6 = report_af_find(r, c4->id, REPORT_AF_IPV6);
		ds_note(&s.ok[k][REPORT_AF_IPV4], c4->verdict);
		if (c6 == NULL)
			continue;
		ds_note(&s.ok[k][REPORT_AF_IPV6], c6->verdict);
		if (!ds_judged(c4->verdict) || !ds_judged(c6->verdict) ||
		    ds_bad(c4->verdict) == ds_bad(c6->verdict))
			continue;
		json_array_append_new(differ, json_pack("{s:s, s:s, s:s}",
		    "id", c4->id, "ipv4", verdict_name(c4->verdict), "ipv6",
		    verdict_name(c6->verdict)));
		if (n++ < 6 && idl < sizeof(ids))
			idl += (size_t)snprintf(ids + idl, sizeof(ids) - idl,
			    "%s%s", idl ? ", " : "", c4->id);
	}
	/* A requirement met only over IPv6 is checked too. */
	for (i = 0; i < r->nchecks; i++)
		if (report_id_af(r->checks[i].id) == REPORT_AF_IPV6 &&
		    (k = ds_class(report_id_base(r->checks[i].id, base,
		    sizeof(base)))) >= 0)
			ds_note(&s.ok[k][REPORT_AF_IPV6], r->checks[i].verdict);
	classes = json_object();
	for (k = 0; k < DS_N; k++) {
		one = json_object();
		for (af = 0; af < REPORT_AF_N; af++)
			json_object_set_new(one, report_af_name(af),
			    s.ok[k][af] < 0 ? json_null() :
			    json_boolean(s.ok[k][af]));
		json_object_set_new(classes, ds_names[k], one);
		if (s.ok[k][0] >= 0 && s.ok[k][1] >= 0 &&
		    s.ok[k][0] != s.ok[k][1])
			bad = 1;
	}
	ev = json_pack("{s:o, s:o}", "works", classes, "differ", differ);
	if (ev == NULL)
		return -ENOMEM;
	if (!bad)
		return report_add(r, "dual-stack", "Address families",
		    VERDICT_PASS, ev, NULL, "IPv4 and IPv6 agree on what a "
		    "phone needs") != NULL ? 0 : -ENOMEM;
	ds_summary(&s, summary, sizeof(summary), &a);
	snprintf(remedy, sizeof(remedy), "A phone with happy eyeballs uses "
	    "whichever family connects first (IPv6 where both do), whether "
	    "its media works there or not. Make %s meet the profile as %s "
	    "does (the requirements that differ: %s%s; each entry's remedy "
	    "says how in that family), or, until then, have the devices use "
	    "%s only (switch %s off in their network settings, or on their "
	    "VLAN).", report_af_label(!a), report_af_label(a),
	    ids[0] ? ids : "see the entries of each family",
	    n > 6 ? ", ..." : "", report_af_label(a), report_af_label(!a));
	return report_add(r, "dual-stack", "Address families", VERDICT_WARN,
	    ev, remedy, "%s", summary) != NULL ? 0 : -ENOMEM;
}
