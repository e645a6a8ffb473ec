/*
 * report_text.c - the text report, for a person reading it on a phone: the
 * overall verdict and a table with one line per requirement first, then,
 * for what did not pass, the evidence as its family writes it and the
 * remedy.  Every line fits TEXT_COLS.  With REPORT_VERBOSE, the full
 * evidence of every check follows.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_text.h"

#define TEXT_ID_COLS 24		/* the id column, at most */

static const struct report_family *const report_families[] = {
	&report_family_sipalg,
	&report_family_sipsize,
	&report_family_udptimeout,
	&report_family_reach,
	&report_family_layers,	/* before "nat": the longer prefix first */
	&report_family_nat,
	&report_family_media,
	&report_family_qos,
	&report_family_relay,
};

const struct report_family *
report_family_find(const char *id)
{
	size_t i, n;

	for (i = 0; i < sizeof(report_families) / sizeof(report_families[0]);
	    i++) {
		const char *p = report_families[i]->prefix;

		n = strlen(p);
		if (strncmp(id, p, n) == 0 && (id[n] == '\0' || id[n] == '.'))
			return report_families[i];
	}
	return NULL;
}

static const char *
text_tag(enum verdict v)
{
	switch (v) {
	case VERDICT_PASS: return "PASS";
	case VERDICT_WARN: return "WARN";
	case VERDICT_FAIL: return "FAIL";
	case VERDICT_SKIP: return "SKIP";
	default: return "ERR ";
	}
}

static const char *
text_color(enum verdict v)
{
	switch (v) {
	case VERDICT_PASS: return "\033[32m";
	case VERDICT_WARN: return "\033[33m";
	case VERDICT_FAIL: return "\033[31;1m";
	case VERDICT_SKIP: return "\033[2m";
	default: return "\033[35m";
	}
}

static void
text_put_tag(struct text_out *t, enum verdict v)
{
	fprintf(t->f, "%s%s%s", t->color ? text_color(v) : "", text_tag(v),
	    t->color ? "\033[0m" : "");
}

/* What the summary table says was found. */
static void
text_found(const struct report_check *c0, char *buf, size_t len)
{
	struct report_check copy;
	char base[256];
	const struct report_check *c = report_check_base(c0, &copy, base,
	    sizeof(base));
	const struct report_family *fam = report_family_find(c->id);

	buf[0] = '\0';
	if (c->verdict != VERDICT_SKIP && c->verdict != VERDICT_ERROR &&
	    fam != NULL && fam->found != NULL && fam->found(c, buf, len) == 0 &&
	    buf[0] != '\0')
		return;
	snprintf(buf, len, "%s", c->summary ? c->summary : "");
}

/*
 * An id wider than the line after its tag, broken after a '.' or '-'
 * (where none is near enough: cut), the rest indented under it.
 */
static void
text_put_id(struct text_out *t, const char *id, size_t col)
{
	size_t n, cut;

	/* Ids are ASCII: bytes are columns. */
	while (strlen(id) > (size_t)t->cols - col) {
		n = (size_t)t->cols - col;
		for (cut = n; cut > n / 2 && id[cut - 1] != '.' &&
		    id[cut - 1] != '-'; cut--)
			;
		if (cut <= n / 2)
			cut = n;
		fprintf(t->f, "%.*s\n%*s", (int)cut, id, (int)col + 2, "");
		id += cut;
		col += 2;
	}
	fputs(id, t->f);
}

/*
 * One row of the summary table: "  FAIL id  what was found", the finding
 * wrapped under its column.  An id wider than the column has the finding
 * on the lines under it.
 */
static void
text_row(struct text_out *t, const struct report_check *c, size_t idw)
{
	char found[512];
	size_t w = text_width(c->id), col = 2 + 4 + 1 + idw + 2;

	text_found(c, found, sizeof(found));
	fputs("  ", t->f);
	text_put_tag(t, c->verdict);
	fputc(' ', t->f);
	if (w > idw) {
		text_put_id(t, c->id, 2 + 4 + 1);
		fputc('\n', t->f);
		text_put_wrapped(t, 0, col, found);
		return;
	}
	fprintf(t->f, "%s%*s", c->id, (int)(idw - w), "");
	text_put_wrapped(t, col - 2, col, found);
}

static int
text_section_first(const struct report *r, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (strcmp(r->checks[j].section, r->checks[i].section) == 0)
			return 0;
	return 1;
}

/* A line per family: "IPv4 tested (server 203.0.113.10, from ...)" or
 * "IPv6 not tested: no global IPv6 address". */
static void
text_families(struct text_out *t, const struct report *r)
{
	char seen[160];
	int af;

	for (af = 0; af < REPORT_AF_N; af++) {
		const struct report_af *a = &r->af[af];

		if (!a->known)
			continue;
		seen[0] = '\0';
		if (a->tested && a->local_addr != NULL &&
		    report_af_tested(r) == REPORT_AF_N)
			snprintf(seen, sizeof(seen), ", from %s, public %s",
			    a->local_addr, a->public_udp ? a->public_udp :
			    a->public_tcp ? a->public_tcp : "unknown");
		if (a->tested)
			text_para(t, 0, 2, "%s tested (server %s%s)",
			    report_af_label(af), a->server_addr ?
			    a->server_addr : "unknown", seen);
		else
			text_para(t, 0, 2, "%s not tested: %s",
			    report_af_label(af), a->why ? a->why : "unknown");
	}
}

static void
text_head(struct text_out *t, const struct report *r)
{
	size_t n[VERDICT_ERROR + 1] = { 0 }, i;
	enum verdict overall = report_overall(r);
	char d[32], *profiles = NULL;
	size_t plen = 0;
	FILE *pf;

	for (i = 0; i < r->nchecks; i++)
		n[r->checks[i].verdict]++;
	fputs("verdict: ", t->f);
	fprintf(t->f, "%s%s%s", t->color ? text_color(overall) : "",
	    verdict_name(overall), t->color ? "\033[0m" : "");
	fprintf(t->f, " (%zu pass, %zu warn, %zu fail, %zu skip, %zu error) "
	    "in %s\n", n[VERDICT_PASS], n[VERDICT_WARN], n[VERDICT_FAIL],
	    n[VERDICT_SKIP], n[VERDICT_ERROR], text_secs(r->duration_s, d,
	    sizeof(d)));
	if ((pf = open_memstream(&profiles, &plen)) != NULL) {
		for (i = 0; i < r->nprofiles; i++)
			fprintf(pf, "%s%s", i ? ", " : "", r->profiles[i]);
		fclose(pf);
	}
	if (r->nprofiles > 0)
		text_para(t, 0, 2, "pinhole check against %s, profile%s %s",
		    r->server ? r->server : "?", r->nprofiles > 1 ? "s" : "",
		    profiles ? profiles : "");
	else
		text_para(t, 0, 2, "pinhole nat against %s",
		    r->server ? r->server : "?");
	free(profiles);
	if (r->local_addr == NULL && r->public_udp == NULL &&
	    r->public_tcp == NULL)
		;	/* nothing measured them (--skip nat) */
	else if (r->public_udp != NULL && r->public_tcp != NULL &&
	    strcmp(r->public_udp, r->public_tcp) == 0)
		text_para(t, 0, 2, "local address %s, public %s (UDP and TCP)",
		    r->local_addr ? r->local_addr : "unknown", r->public_udp);
	else
		text_para(t, 0, 2, "local address %s, public %s (UDP), %s "
		    "(TCP)", r->local_addr ? r->local_addr : "unknown",
		    r->public_udp ? r->public_udp : "unknown",
		    r->public_tcp ? r->public_tcp : "unknown");
	text_families(t, r);
	if (r->started)
		text_para(t, 0, 2, "started %s", r->started);
}

/*
 * A row of the two families' table: "  PASS FAIL id  what was found",
 * "----" where a family has no such entry; the finding is IPv4's, then
 * IPv6's where it says something else.
 */
static void
text_row2(struct text_out *t, const struct report *r, const char *base,
    size_t idw)
{
	const struct report_check *c[REPORT_AF_N];
	char found[REPORT_AF_N][512], all[1100];
	size_t w = text_width(base), col = 2 + 4 + 1 + 4 + 1 + idw + 2;
	int af;

	all[0] = '\0';
	fputs("  ", t->f);
	for (af = 0; af < REPORT_AF_N; af++) {
		c[af] = report_af_find(r, base, af);
		found[af][0] = '\0';
		if (c[af] == NULL) {
			fputs("----", t->f);
		} else {
			text_put_tag(t, c[af]->verdict);
			text_found(c[af], found[af], sizeof(found[af]));
		}
		fputc(' ', t->f);
	}
	if (c[0] != NULL)
		text_cat(all, sizeof(all), "%s", found[0]);
	if (c[1] != NULL && (c[0] == NULL || strcmp(found[0], found[1]) != 0))
		text_cat(all, sizeof(all), "%sIPv6: %s", all[0] ? "; " : "",
		    found[1]);
	if (w > idw) {
		text_put_id(t, base, 2 + 4 + 1 + 4 + 1);
		fputc('\n', t->f);
		text_put_wrapped(t, 0, col, all);
		return;
	}
	fprintf(t->f, "%s%*s", base, (int)(idw - w), "");
	text_put_wrapped(t, col - 2, col, all);
}

/*
 * The summary table.  With both families, a column per family: one row
 * per requirement (its base id), the id column narrower by the second
 * verdict's.
 */
static void
text_table(struct text_out *t, const struct report *r)
{
	int dual = report_af_tested(r) == REPORT_AF_N;
	size_t i, k, w, idw = 0, max = dual ? TEXT_ID_COLS - 5 : TEXT_ID_COLS;
	char base[256];

	for (i = 0; i < r->nchecks; i++) {
		w = text_width(report_id_base(r->checks[i].id, base,
		    sizeof(base)));
		if (!dual)
			w = text_width(r->checks[i].id);
		if (w > idw)
			idw = w > max ? max : w;
	}
	if (dual)
		fprintf(t->f, "\n  IPv4 IPv6\n");
	for (i = 0; i < r->nchecks; i++) {
		if (!text_section_first(r, i))
			continue;
		fprintf(t->f, "\n%s%s%s\n", t->color ? "\033[1m" : "",
		    r->checks[i].section, t->color ? "\033[0m" : "");
		for (k = i; k < r->nchecks; k++) {
			if (strcmp(r->checks[k].section,
			    r->checks[i].section) != 0)
				continue;
			if (!dual)
				text_row(t, &r->checks[k], idw);
			else if (report_base_first(r, k))
				text_row2(t, r, report_id_base(r->checks[k].id,
				    base, sizeof(base)), idw);
		}
	}
}

/* The part of one check that did not pass. */
static void
text_detail(struct text_out *t, const struct report_check *c0)
{
	struct report_check copy;
	char base[256];
	const struct report_check *c = report_check_base(c0, &copy, base,
	    sizeof(base));
	const struct report_family *fam = report_family_find(c->id);
	const char *lost = ev_str(c->evidence, "session_lost");

	fputc('\n', t->f);
	text_put_tag(t, c->verdict);
	fprintf(t->f, " %s\n", c0->id);
	text_para(t, 2, 0, "%s", c->summary ? c->summary : "");
	if (lost != NULL)
		text_para(t, 2, 2, "The control connection to the server was "
		    "lost: %s.", lost);
	else if (fam != NULL && fam->detail != NULL)
		fam->detail(c, t);
	if (c->remedy != NULL)
		text_para(t, 2, 8, "Remedy: %s", c->remedy);
}

int
report_render_text(const struct report *r, FILE *out, int flags)
{
	struct text_out t = { out, (flags & REPORT_COLOR) != 0, TEXT_COLS };
	size_t i, shown = 0;

	text_head(&t, r);
	text_table(&t, r);
	for (i = 0; i < r->nchecks; i++) {
		const struct report_check *c = &r->checks[i];

		if (c->verdict == VERDICT_PASS || c->verdict == VERDICT_SKIP)
			continue;
		if (shown++ == 0)
			fprintf(out, "\n%sWhat did not pass%s\n",
			    t.color ? "\033[1m" : "", t.color ? "\033[0m" : "");
		text_detail(&t, c);
	}
	if (flags & REPORT_VERBOSE) {
		fprintf(out, "\n%sFull evidence%s\n", t.color ? "\033[1m" : "",
		    t.color ? "\033[0m" : "");
		for (i = 0; i < r->nchecks; i++) {
			const struct report_check *c = &r->checks[i];

			fputc('\n', out);
			text_put_tag(&t, c->verdict);
			fprintf(out, " %s\n", c->id);
			report_walk_evidence(&t, 2, c->evidence);
		}
	}
	return ferror(out) ? -EIO : 0;
}
