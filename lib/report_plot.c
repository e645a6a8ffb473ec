/*
 * report_plot.c - the plot registry of the HTML report: one line per plot,
 * matched on the check id's prefix.  A check may have several plots; they
 * are drawn in the order of this table.
 */
#include <string.h>

#include "report_html.h"

static const struct report_plot report_plots[] = {
	{ "udp-timeout", report_plot_udp_timeline },
	{ "reach.", report_plot_port_map },
	{ "sip-alg.", report_plot_sip_diff },
	{ "media.rtp", report_plot_media_dirs },
	{ "media.rtp", report_plot_media_ports },
	{ "qos.dscp", report_plot_media_dirs },
	/*
	 * media.*: jitter and loss over time, and a delay CDF, one per
	 * direction, once the media family writes series into its evidence:
	 * a function per plot here, beside the others.
	 */
};

int
report_plot_skipped(struct html_out *h)
{
	html_raw(h, "<p class=\"plot-legend\">Plot not drawn: this page "
	    "has drawn as many shapes as a page may; the evidence below "
	    "holds the same figures.</p>");
	return html_status(h);
}

int
report_plot_render_all(struct html_out *h, const struct report_check *c)
{
	size_t i, n;
	int rc;

	for (i = 0; i < sizeof(report_plots) / sizeof(report_plots[0]); i++) {
		n = strlen(report_plots[i].prefix);
		if (strncmp(c->id, report_plots[i].prefix, n) != 0)
			continue;
		if ((rc = report_plots[i].render(h, c)) < 0)
			return rc;
	}
	return html_status(h);
}
