/*
 * report_plot_ports.c - a map of a reachability check's port range: which
 * ports were open, blocked or could not be tested, read from the evidence's
 * compressed ranges (open, blocked, untestable, untried).  A range of up to
 * 64 ports gets a cell per port; a larger one (the inbound sweep of
 * 1-65535) is drawn as up to 1024 cells of equal width, a cell holding
 * some open ports in a lighter green than one that is wholly open.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "portset.h"
#include "report_html.h"

#define PM_COLS		64
#define PM_CELLS	1024
#define PM_W		760
#define PM_LEFT		58
#define PM_ROW		14

enum pm_set { PM_OPEN, PM_BLOCKED, PM_UNTESTED, PM_NSETS };
enum pm_state { PM_S_NONE, PM_S_OPEN, PM_S_PART, PM_S_BLOCKED, PM_S_UNTESTED };

static const char *const pm_class[] = {
	[PM_S_NONE] = "pm-none", [PM_S_OPEN] = "pm-open",
	[PM_S_PART] = "pm-part", [PM_S_BLOCKED] = "pm-blocked",
	[PM_S_UNTESTED] = "pm-untested",
};
static const char *const pm_name[] = {
	[PM_S_NONE] = "not in the range", [PM_S_OPEN] = "open",
	[PM_S_PART] = "some open", [PM_S_BLOCKED] = "blocked",
	[PM_S_UNTESTED] = "not tested",
};

struct pm_map {
	struct portset set[PM_NSETS];
	unsigned lo, hi;	/* extent of everything listed */
	unsigned per;		/* ports per cell */
	unsigned cells, cols, rows;
};

/* Reads one evidence field into a set; a missing field is empty. */
static int
pm_read(struct portset *s, const json_t *ev, const char *key)
{
	const json_t *v = json_object_get(ev, key);

	if (v == NULL)
		return 0;
	if (!json_is_string(v))
		return -EINVAL;
	return portset_parse(s, json_string_value(v));
}

/* The state of cell 'i', and how many of its ports are open. */
static enum pm_state
pm_cell(const struct pm_map *m, unsigned i, unsigned *nopen)
{
	unsigned first = m->lo + i * m->per, last = first + m->per - 1;
	unsigned n[PM_NSETS];
	int k;

	if (last > m->hi)
		last = m->hi;
	for (k = 0; k < PM_NSETS; k++)
		n[k] = portset_count_range(&m->set[k], (uint16_t)first,
		    (uint16_t)last);
	*nopen = n[PM_OPEN];
	if (n[PM_OPEN] > 0)
		return n[PM_BLOCKED] + n[PM_UNTESTED] > 0 ? PM_S_PART : PM_S_OPEN;
	if (n[PM_BLOCKED] > 0)
		return PM_S_BLOCKED;
	return n[PM_UNTESTED] > 0 ? PM_S_UNTESTED : PM_S_NONE;
}

static void
pm_rect(struct html_out *h, const struct pm_map *m, unsigned from,
    unsigned to, enum pm_state st, unsigned nopen, double cw, double ch)
{
	unsigned row = from / m->cols, col = from % m->cols;
	unsigned p0 = m->lo + from * m->per;
	unsigned p1 = m->lo + (to + 1) * m->per - 1;

	if (p1 > m->hi)
		p1 = m->hi;
	html_rawf(h, "<rect class=\"%s\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
	    "height=\"%.2f\"><title>", pm_class[st], PM_LEFT + col * cw,
	    row * ch, (to - from + 1) * cw, ch);
	if (p0 == p1)
		html_rawf(h, "port %u: %s", p0, pm_name[st]);
	else if (st == PM_S_PART)
		html_rawf(h, "ports %u-%u: %u open", p0, p1, nopen);
	else
		html_rawf(h, "ports %u-%u: %s", p0, p1, pm_name[st]);
	html_raw(h, "</title></rect>");
}

/* A range of a row of single ports: each cell is named, or every few. */
static void
pm_port_labels(struct html_out *h, const struct pm_map *m, double cw,
    double ch)
{
	unsigned i, step = cw >= 40 ? 1 : (unsigned)(40 / cw) + 1, nopen;

	for (i = 0; i < m->cells; i += step)
		html_rawf(h, "<text class=\"pm-port %s\" x=\"%.2f\" "
		    "y=\"%.2f\" text-anchor=\"middle\">%u</text>",
		    pm_cell(m, i, &nopen) == PM_S_OPEN ? "pm-on" : "pm-off",
		    PM_LEFT + (i + 0.5) * cw, ch / 2 + 4, m->lo + i);
}

static void
pm_draw(struct html_out *h, const struct pm_map *m)
{
	double cw = (double)(PM_W - PM_LEFT) / m->cols;
	double ch = m->rows == 1 ? 28 : PM_ROW;
	unsigned i, j, row, nopen, nopen2;
	enum pm_state st;

	int single = m->rows == 1 && m->per == 1;

	html_rawf(h, "<svg class=\"plot-svg\" viewBox=\"0 0 %d %.0f\" "
	    "role=\"img\" aria-label=\"ports open and blocked\">", PM_W,
	    m->rows * ch + 1);
	for (row = 0; row < m->rows && !single; row++)
		html_rawf(h, "<text class=\"plot-tick\" x=\"%d\" y=\"%.2f\" "
		    "text-anchor=\"end\">%u</text>", PM_LEFT - 6,
		    row * ch + ch / 2 + 4, m->lo + row * m->cols * m->per);
	for (i = 0; i < m->cells; i = j) {
		st = pm_cell(m, i, &nopen);
		j = i + 1;
		/* Runs of a state merge, within a row; partly open cells
		   and single ports stay alone, each named. */
		while (!single && st != PM_S_PART && j < m->cells &&
		    j / m->cols == i / m->cols && pm_cell(m, j, &nopen2) == st)
			j++;
		pm_rect(h, m, i, j - 1, st, nopen, cw, ch);
	}
	if (single)
		pm_port_labels(h, m, cw, ch);
	html_raw(h, "</svg>");
}

static void
pm_key(struct html_out *h, enum pm_state st)
{
	html_rawf(h, "<span class=\"key %s\"></span>%s ", pm_class[st],
	    pm_name[st]);
}

int
report_plot_port_map(struct html_out *h, const struct report_check *c)
{
	struct pm_map *m;
	uint16_t lo, hi;
	unsigned k;
	int rc = 0;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return -ENOMEM;
	if (pm_read(&m->set[PM_OPEN], c->evidence, "open") < 0 ||
	    pm_read(&m->set[PM_BLOCKED], c->evidence, "blocked") < 0)
		goto out;	/* not a port list: nothing to draw */
	/* 'untestable' is a sentence in some families: then not drawn. */
	if (pm_read(&m->set[PM_UNTESTED], c->evidence, "untestable") < 0 ||
	    pm_read(&m->set[PM_UNTESTED], c->evidence, "untried") < 0)
		portset_clear(&m->set[PM_UNTESTED]);
	m->lo = 65536;
	for (k = 0; k < PM_NSETS; k++)
		if (portset_extent(&m->set[k], &lo, &hi) == 0) {
			if (lo < m->lo)
				m->lo = lo;
			if (hi > m->hi)
				m->hi = hi;
		}
	if (m->lo > m->hi)
		goto out;
	if (m->hi - m->lo + 1 <= PM_COLS) {
		m->per = 1;
		m->cells = m->cols = m->hi - m->lo + 1;
	} else {
		m->per = (m->hi - m->lo + PM_CELLS) / PM_CELLS;
		m->cells = (m->hi - m->lo + m->per) / m->per;
		m->cols = PM_COLS;
	}
	m->rows = (m->cells + m->cols - 1) / m->cols;
	/* Every cell a shape at worst, with the row labels. */
	if (html_shapes_take(h, m->cells + m->rows + 1) < 0) {
		rc = report_plot_skipped(h);
		goto out;
	}

	html_rawf(h, "<figure class=\"plot\"><figcaption>Ports %u-%u: what "
	    "got through", m->lo, m->hi);
	if (m->per > 1)
		html_rawf(h, " <span class=\"plot-sub\">(each cell %u ports)"
		    "</span>", m->per);
	html_raw(h, "</figcaption>");
	pm_draw(h, m);
	html_raw(h, "<p class=\"plot-legend\">");
	pm_key(h, PM_S_OPEN);
	if (m->per > 1)
		pm_key(h, PM_S_PART);
	pm_key(h, PM_S_BLOCKED);
	if (m->set[PM_UNTESTED].count > 0)
		pm_key(h, PM_S_UNTESTED);
	html_rawf(h, " &#8212; %u open, %u blocked", m->set[PM_OPEN].count,
	    m->set[PM_BLOCKED].count);
	if (m->set[PM_UNTESTED].count > 0)
		html_rawf(h, ", %u not tested", m->set[PM_UNTESTED].count);
	html_raw(h, "</p></figure>");
	rc = html_status(h);
out:
	free(m);
	return rc;
}
