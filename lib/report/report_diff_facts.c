/*
 * report_diff_facts.c - what changed in the evidence that matters, family
 * by family: ports opened or closed (reach.*, media.rtp), SIP elements no
 * longer or newly rewritten and the ALG gone (sip-alg.*), binding
 * lifetimes (udp-timeout), MOS and loss (media.rtp), calls at once
 * (media.capacity), the largest SIP over UDP (sip.udp-size), NAT
 * behaviour and layers (nat.*).  One table keyed by id prefix; a family
 * not in it has no facts, only its verdicts compared.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portset.h"
#include "report_diff.h"
#include "report_ev.h"

/* MOS and loss move a little from run to run: smaller moves are noise. */
#define DIFF_MOS_STEP	0.1	/* MOS points */
#define DIFF_LOSS_STEP	0.5	/* percentage points */

/* A copy of 's' (NULL stays NULL); *bad set when memory ran out. */
static char *
fact_strdup(const char *s, int *bad)
{
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		*bad = 1;
	return d;
}

int
report_diff_fact_add(struct diff_entry *e, const char *what,
    const char *before, const char *after, int direction)
{
	struct diff_fact *nf, *f;
	int bad = 0;

	if ((nf = realloc(e->facts, (e->nfacts + 1) * sizeof(*nf))) == NULL)
		return -ENOMEM;
	e->facts = nf;
	f = &nf[e->nfacts];
	f->what = fact_strdup(what, &bad);
	f->before = fact_strdup(before, &bad);
	f->after = fact_strdup(after, &bad);
	f->direction = direction;
	if (bad || f->what == NULL) {
		free(f->what);
		free(f->before);
		free(f->after);
		return -ENOMEM;
	}
	e->nfacts++;
	return 0;
}

/* Ports in 'x' and not in 'y', as ranges into buf ("" for none). */
static void
diff_ports_minus(const struct portset *x, const struct portset *y,
    char *buf, size_t len)
{
	struct portset d;
	size_t w;

	portset_clear(&d);
	for (w = 0; w < sizeof(d.bits) / sizeof(d.bits[0]); w++) {
		d.bits[w] = x->bits[w] & ~y->bits[w];
		d.count += (unsigned)__builtin_popcountll(d.bits[w]);
	}
	portset_format(&d, buf, len);
}

/* A port set from a ranges string, or from an array of port numbers. */
static int
diff_ports_read(const json_t *v, struct portset *s)
{
	const json_t *p;
	size_t i;

	portset_clear(s);
	if (json_is_string(v))
		return portset_parse(s, json_string_value(v));
	if (!json_is_array(v))
		return -ENOENT;
	json_array_foreach(v, i, p)
		if (json_is_integer(p) && json_integer_value(p) >= 0 &&
		    json_integer_value(p) <= 65535)
			portset_add(s, (uint16_t)json_integer_value(p));
	return 0;
}

/*
 * Ports in the set 'key' of evidence 'b' that are not in that of 'a', as
 * the fact 'what' with 'direction'.  No fact when either set is absent
 * (not measured there).
 */
static int
diff_ports(struct diff_entry *e, const json_t *a, const json_t *b,
    const char *key, const char *what, int direction)
{
	struct portset pa, pb;	/* 8 KiB each */
	char buf[512];

	if (diff_ports_read(json_object_get(a, key), &pa) < 0 ||
	    diff_ports_read(json_object_get(b, key), &pb) < 0)
		return 0;
	diff_ports_minus(&pb, &pa, buf, sizeof(buf));
	if (buf[0] == '\0')
		return 0;
	return report_diff_fact_add(e, what, NULL, buf, direction);
}

static int
diff_reach(struct diff_entry *e, const json_t *a, const json_t *b)
{
	int r;

	if ((r = diff_ports(e, a, b, "open", "ports opened", +1)) < 0)
		return r;
	return diff_ports(e, a, b, "blocked", "ports closed", -1);
}

/* The unique rewritten elements of one direction, in order, into buf. */
static int
diff_elements(const json_t *dir, char *buf, size_t len)
{
	const json_t *rw = json_object_get(dir, "rewritten"), *x;
	size_t i, n = 0, used;
	int w;

	buf[0] = '\0';
	if (!json_is_array(rw))
		return -ENOENT;
	json_array_foreach(rw, i, x) {
		const char *el = ev_str(x, "element");
		char key[80];

		if (el == NULL)
			continue;
		snprintf(key, sizeof(key), ", %s,", el);
		/* A list ", A, B," so that every name is found whole. */
		if (n > 0 && strstr(buf, key) != NULL)
			continue;
		if (n == 0)
			snprintf(buf, len, ",");
		used = strlen(buf);
		w = snprintf(buf + used, len - used, " %s,", el);
		if (w > 0 && (size_t)w < len - used)
			n++;
		else
			buf[used] = '\0';	/* no room: the list as it was */
	}
	return (int)n;
}

/* Names of 'x' (", A, B,") not in 'y', as "A, B" into out. */
static void
diff_names_minus(const char *x, const char *y, char *out, size_t len)
{
	const char *p = x;
	char name[80], key[84];

	out[0] = '\0';
	while (p != NULL && (p = strchr(p, ' ')) != NULL) {
		size_t n = strcspn(p + 1, ",");

		snprintf(name, sizeof(name), "%.*s", (int)n, p + 1);
		p += 1 + n;
		snprintf(key, sizeof(key), ", %s,", name);
		if (strstr(y, key) != NULL)
			continue;
		if (strlen(out) + strlen(name) + 3 < len)
			snprintf(out + strlen(out), len - strlen(out), "%s%s",
			    out[0] ? ", " : "", name);
	}
}

static int
diff_sipalg(struct diff_entry *e, const json_t *a, const json_t *b)
{
	static const char *const dirs[] = { "outbound", "inbound" };
	char ea[512], eb[512], gone[512], added[512], what[64];
	int na = 0, nb = 0, r, x, y;
	size_t i;

	for (i = 0; i < 2; i++) {
		const json_t *da = json_object_get(a, dirs[i]);
		const json_t *db = json_object_get(b, dirs[i]);

		x = diff_elements(da, ea, sizeof(ea));
		y = diff_elements(db, eb, sizeof(eb));
		if (x < 0 || y < 0)
			continue;
		na += x;
		nb += y;
		diff_names_minus(ea, eb, gone, sizeof(gone));
		diff_names_minus(eb, ea, added, sizeof(added));
		snprintf(what, sizeof(what), "%s no longer rewritten", dirs[i]);
		if (gone[0] && (r = report_diff_fact_add(e, what, NULL, gone,
		    +1)) < 0)
			return r;
		snprintf(what, sizeof(what), "%s newly rewritten", dirs[i]);
		if (added[0] && (r = report_diff_fact_add(e, what, NULL, added,
		    -1)) < 0)
			return r;
		x = ev_bool(da, "delivered") == 1;
		y = ev_bool(db, "delivered") == 1;
		snprintf(what, sizeof(what), "%s messages all arrive", dirs[i]);
		if (x != y && (r = report_diff_fact_add(e, what, x ? "yes" :
		    "no", y ? "yes" : "no", y ? +1 : -1)) < 0)
			return r;
		x = ev_bool(da, "truncated") == 1;
		y = ev_bool(db, "truncated") == 1;
		snprintf(what, sizeof(what), "%s messages cut short", dirs[i]);
		if (x != y && (r = report_diff_fact_add(e, what, x ? "yes" :
		    "no", y ? "yes" : "no", x ? +1 : -1)) < 0)
			return r;
	}
	if (na > 0 && nb == 0)
		return report_diff_fact_add(e, "SIP ALG", "on the path",
		    "gone", +1);
	if (na == 0 && nb > 0)
		return report_diff_fact_add(e, "SIP ALG", "not seen",
		    "on the path", -1);
	return 0;
}

/*
 * A number that moved: "before" and "after" in 'unit', better when larger
 * ('up' > 0) or smaller; moves below 'step' are not facts.  A null stands
 * for "over LIMIT" when 'limit' is a number (a lifetime that outlived the
 * measurement), else the number is not measured.
 */
static int
diff_num(struct diff_entry *e, const char *what, const json_t *va,
    const json_t *vb, double limit_a, double limit_b, const char *unit,
    int up, double step)
{
	char sa[48], sb[48];
	double x, y;

	if (json_is_number(va))
		x = json_number_value(va);
	else if (json_is_null(va) && limit_a > 0)
		x = INFINITY;
	else
		return 0;
	if (json_is_number(vb))
		y = json_number_value(vb);
	else if (json_is_null(vb) && limit_b > 0)
		y = INFINITY;
	else
		return 0;
	if (x == y || (isfinite(x) && isfinite(y) && fabs(x - y) < step))
		return 0;
	if (isinf(x))
		snprintf(sa, sizeof(sa), "over %g%s", limit_a, unit);
	else
		snprintf(sa, sizeof(sa), "%g%s", x, unit);
	if (isinf(y))
		snprintf(sb, sizeof(sb), "over %g%s", limit_b, unit);
	else
		snprintf(sb, sizeof(sb), "%g%s", y, unit);
	if (strcmp(sa, sb) == 0)
		return 0;
	return report_diff_fact_add(e, what, sa, sb,
	    (y > x) == (up > 0) ? +1 : -1);
}

static int
diff_udptimeout(struct diff_entry *e, const json_t *a, const json_t *b)
{
	double la = ev_real(a, "limit_s", 0), lb = ev_real(b, "limit_s", 0);
	int r, x, y;

	if ((r = diff_num(e, "established timeout",
	    json_object_get(a, "established_s"),
	    json_object_get(b, "established_s"), la, lb, " s", 1, 1)) < 0 ||
	    (r = diff_num(e, "unreplied timeout",
	    json_object_get(a, "unreplied_s"),
	    json_object_get(b, "unreplied_s"), la, lb, " s", 1, 1)) < 0)
		return r;
	x = ev_bool(a, "inbound_refresh");
	y = ev_bool(b, "inbound_refresh");
	if (x >= 0 && y >= 0 && x != y)
		return report_diff_fact_add(e, "inbound packets keep a binding",
		    x ? "yes" : "no", y ? "yes" : "no", y ? +1 : -1);
	return 0;
}

static int
diff_media(struct diff_entry *e, const json_t *a, const json_t *b)
{
	static const char *const dirs[] = { "up", "down" };
	char what[64];
	size_t i;
	int r;

	for (i = 0; i < 2; i++) {
		const json_t *da = json_object_get(a, dirs[i]);
		const json_t *db = json_object_get(b, dirs[i]);

		snprintf(what, sizeof(what), "MOS %s", dirs[i]);
		if ((r = diff_num(e, what, json_object_get(da, "mos"),
		    json_object_get(db, "mos"), 0, 0, "", 1,
		    DIFF_MOS_STEP)) < 0)
			return r;
		snprintf(what, sizeof(what), "loss %s", dirs[i]);
		if ((r = diff_num(e, what, json_object_get(da, "loss_pct"),
		    json_object_get(db, "loss_pct"), 0, 0, "%", -1,
		    DIFF_LOSS_STEP)) < 0)
			return r;
	}
	/* Media ports that carried nothing one way, and now do or not. */
	if ((r = diff_ports(e, b, a, "ports_blocked_up",
	    "media ports opened up", +1)) < 0 ||
	    (r = diff_ports(e, a, b, "ports_blocked_up",
	    "media ports closed up", -1)) < 0 ||
	    (r = diff_ports(e, b, a, "ports_blocked_down",
	    "media ports opened down", +1)) < 0)
		return r;
	return diff_ports(e, a, b, "ports_blocked_down",
	    "media ports closed down", -1);
}

static int
diff_capacity(struct diff_entry *e, const json_t *a, const json_t *b)
{
	return diff_num(e, "calls at once", json_object_get(a, "max_calls"),
	    json_object_get(b, "max_calls"), 0, 0, "", 1, 1);
}

static int
diff_sipsize(struct diff_entry *e, const json_t *a, const json_t *b)
{
	static const char *const dirs[] = { "outbound", "inbound" };
	char what[64];
	size_t i;
	int r;

	for (i = 0; i < 2; i++) {
		const json_t *fa = json_object_get(json_object_get(a, dirs[i]),
		    "smallest_failed");
		const json_t *fb = json_object_get(json_object_get(b, dirs[i]),
		    "smallest_failed");
		char sa[32] = "none", sb[32] = "none";

		/* The smallest size that did not arrive: null is none. */
		if (json_is_integer(fa))
			snprintf(sa, sizeof(sa), "%lld bytes",
			    (long long)json_integer_value(fa));
		if (json_is_integer(fb))
			snprintf(sb, sizeof(sb), "%lld bytes",
			    (long long)json_integer_value(fb));
		snprintf(what, sizeof(what), "smallest SIP %s lost", dirs[i]);
		if ((json_is_integer(fa) || json_is_null(fa)) &&
		    (json_is_integer(fb) || json_is_null(fb)) &&
		    strcmp(sa, sb) != 0 && (r = report_diff_fact_add(e, what,
		    sa, sb, json_is_null(fb) || (json_is_integer(fa) &&
		    json_integer_value(fb) > json_integer_value(fa)) ? +1 :
		    -1)) < 0)
			return r;
		snprintf(what, sizeof(what), "largest SIP %s", dirs[i]);
		if ((r = diff_num(e, what, json_object_get(json_object_get(a,
		    dirs[i]), "largest_ok"), json_object_get(json_object_get(b,
		    dirs[i]), "largest_ok"), 0, 0, " bytes", 1, 1)) < 0)
			return r;
	}
	return 0;
}

static int
diff_layers(struct diff_entry *e, const json_t *a, const json_t *b)
{
	return diff_num(e, "NATs on the path", json_object_get(a, "count"),
	    json_object_get(b, "count"), 0, 0, "", -1, 1);
}

static int
diff_nat(struct diff_entry *e, const json_t *a, const json_t *b)
{
	const char *x = ev_str(a, "behavior"), *y = ev_str(b, "behavior");
	int ha = ev_bool(a, "hairpin"), hb = ev_bool(b, "hairpin"), r;

	if (x != NULL && y != NULL && strcmp(x, y) != 0 &&
	    (r = report_diff_fact_add(e, "behavior", x, y, 0)) < 0)
		return r;
	if (ha >= 0 && hb >= 0 && ha != hb)
		return report_diff_fact_add(e, "hairpinning", hb ? "no" : "yes",
		    hb ? "yes" : "no", hb ? +1 : -1);
	return 0;
}

struct diff_family {
	const char *prefix;
	int (*facts)(struct diff_entry *e, const json_t *a, const json_t *b);
};

static const struct diff_family diff_families[] = {
	{ "reach", diff_reach },
	{ "sip-alg", diff_sipalg },
	{ "sip.udp-size", diff_sipsize },
	{ "udp-timeout", diff_udptimeout },
	{ "media.rtp", diff_media },
	{ "media.capacity", diff_capacity },
	{ "nat.layers", diff_layers },	/* before "nat": longer first */
	{ "nat", diff_nat },
};

int
report_diff_facts(const char *fullid, const json_t *a, const json_t *b,
    struct diff_entry *e)
{
	char id[256];
	size_t i, n;

	/* An IPv6 entry's facts read as its IPv4 id's. */
	report_id_base(fullid, id, sizeof(id));
	for (i = 0; i < sizeof(diff_families) / sizeof(diff_families[0]);
	    i++) {
		n = strlen(diff_families[i].prefix);
		if (strncmp(id, diff_families[i].prefix, n) == 0 &&
		    (id[n] == '\0' || id[n] == '.'))
			return diff_families[i].facts(e, a, b);
	}
	return 0;
}
