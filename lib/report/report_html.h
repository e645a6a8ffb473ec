/*
 * report_html.h - the parts of the HTML report (report_html.c): the
 * per-family plots, found through one registry (report_plot.c), and the
 * full evidence as nested tables (report_html_json.c).  Everything they
 * write from a report goes through html_text().
 */
#ifndef PINHOLE_REPORT_HTML_H
#define PINHOLE_REPORT_HTML_H

#include "html.h"
#include "report.h"
#include "report_ev.h"

/*
 * A plot of one family's evidence.  'render' writes a <figure> for the
 * check, or nothing when the evidence does not hold what it draws (an
 * older schema, a skipped check); it returns 0 or -errno.
 */
struct report_plot {
	const char *prefix;	/* check ids it draws: "udp-timeout", "reach." */
	int (*render)(struct html_out *h, const struct report_check *c);
};

/*
 * Shapes (SVG elements) a page draws at most: a plot that would pass the
 * budget is left out, said with report_plot_skipped(), so that no report
 * makes a page slow to write or to display (decisions.md).
 */
#define REPORT_HTML_MAX_SHAPES	2048

/* The note written in place of a plot the shape budget left out. */
int report_plot_skipped(struct html_out *h);

/* Writes every plot registered for the check's id, in registry order. */
int report_plot_render_all(struct html_out *h, const struct report_check *c);

/* The plots (one file each). */
int report_plot_udp_timeline(struct html_out *h, const struct report_check *c);
int report_plot_port_map(struct html_out *h, const struct report_check *c);
int report_plot_sip_diff(struct html_out *h, const struct report_check *c);
/* media.rtp and qos.dscp: the 'up' and 'down' objects side by side. */
int report_plot_media_dirs(struct html_out *h, const struct report_check *c);
/* media.rtp: the one-second stream of every port, one row each. */
int report_plot_media_ports(struct html_out *h, const struct report_check *c);

/*
 * Writes a JSON value as nested tables, lists and escaped text (the full
 * evidence, as -v gives it in the text report).  Nesting deeper than a
 * few levels is written as escaped compact JSON.
 */
void report_html_json(struct html_out *h, const json_t *v);

#endif
