/*
 * report_plot_udp.c - the UDP timeout timeline: for each server port and
 * binding state (unreplied, established), how long an idle binding stayed
 * alive and where it expired, against the profile's minimum and the limit
 * of the measurement.  Drawn from the udp-timeout evidence (docs/report.md).
 */
#include <math.h>
#include <string.h>

#include "report_html.h"

#define UT_MAX_S	3600	/* lifetimes beyond this are not drawn */
#define UT_MAX_PORTS	8
#define UT_W		760	/* viewBox width */
#define UT_LABEL	170	/* width of the row labels */
#define UT_RIGHT	30
#define UT_TOP		54	/* two lines of marker labels above */
#define UT_LINE		20	/* a marker label's line */
#define UT_ROW		30
#define UT_BAR		16

struct ut_scale {
	double max_s;		/* the right end of the axis */
	double plot_w;
};

static double
ut_x(const struct ut_scale *s, double secs)
{
	if (secs > s->max_s)
		secs = s->max_s;
	return UT_LABEL + secs / s->max_s * s->plot_w;
}

/*
 * A vertical marker across the rows, labelled above the plot on line
 * 'line' (0 the lower, 1 the upper), the label starting just right of the
 * marker.  The two markers have a line each, so that their labels never
 * meet, whatever their seconds (120 and 120 is the default case); the
 * plot ends 150 units before the right edge, room for either label.
 */
static void
ut_marker(struct html_out *h, const struct ut_scale *s, double secs,
    double bottom, const char *cls, const char *label, int line)
{
	double x = ut_x(s, secs);
	int y = UT_TOP - 10 - line * UT_LINE;

	html_rawf(h, "<line class=\"%s\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" "
	    "y2=\"%.1f\"/>", cls, x, y - 10, x, bottom);
	html_rawf(h, "<text class=\"plot-note\" x=\"%.1f\" y=\"%d\">",
	    x + 4, y);
	html_raw(h, label);
	html_rawf(h, " %.0f s</text>", secs);
}

/*
 * One row: a binding state toward one port.  'life' is the lifetime in
 * seconds, or -1 when the binding outlived the limit (json null), or -2
 * when the row was not measured.
 */
static void
ut_row(struct html_out *h, const struct ut_scale *s, int y, long port,
    const char *state, double life, double limit, double res)
{
	double x0 = ut_x(s, 0), x1;
	int by = y + (UT_ROW - UT_BAR) / 2;

	html_rawf(h, "<text class=\"plot-label\" x=\"%d\" y=\"%d\" "
	    "text-anchor=\"end\">udp/%ld &#183; %s</text>", UT_LABEL - 10,
	    by + UT_BAR - 4, port, state);
	if (life == -2) {
		html_rawf(h, "<text class=\"plot-note\" x=\"%.1f\" y=\"%d\">"
		    "not measured</text>", x0 + 4, by + UT_BAR - 4);
		return;
	}
	if (life < 0) {
		x1 = ut_x(s, limit);
		html_rawf(h, "<rect class=\"ut-alive\" x=\"%.1f\" y=\"%d\" "
		    "width=\"%.1f\" height=\"%d\"><title>alive at every probe "
		    "up to the limit of %.0f s</title></rect>", x0, by, x1 - x0,
		    UT_BAR, limit);
		html_rawf(h, "<path class=\"ut-alive\" d=\"M%.1f %d l8 %d l-8 %d "
		    "z\"/>", x1, by, UT_BAR / 2, UT_BAR / 2);
		html_rawf(h, "<text class=\"plot-value\" x=\"%.1f\" y=\"%d\">"
		    "&gt; %.0f s (outlived the limit)</text>", x1 + 12,
		    by + UT_BAR - 4, limit);
		return;
	}
	x1 = ut_x(s, life);
	html_rawf(h, "<rect class=\"ut-alive\" x=\"%.1f\" y=\"%d\" "
	    "width=\"%.1f\" height=\"%d\"><title>alive for %.0f s idle"
	    "</title></rect>", x0, by, x1 - x0, UT_BAR, life);
	html_rawf(h, "<rect class=\"ut-expired\" x=\"%.1f\" y=\"%d\" "
	    "width=\"%.1f\" height=\"%d\"><title>expired after %.0f s "
	    "(within %.0f s)</title></rect>", x1, by,
	    fmax(ut_x(s, life + res) - x1, 3), UT_BAR, life, res);
	html_rawf(h, "<text class=\"plot-value\" x=\"%.1f\" y=\"%d\">"
	    "%.0f s</text>", fmax(ut_x(s, life + res) - x1, 3) + x1 + 6,
	    by + UT_BAR - 4, life);
}

static void
ut_axis(struct html_out *h, const struct ut_scale *s, double y)
{
	double step = html_axis_step(s->max_s, 8), t, x;

	html_rawf(h, "<line class=\"plot-axis\" x1=\"%d\" y1=\"%.1f\" "
	    "x2=\"%.1f\" y2=\"%.1f\"/>", UT_LABEL, y, UT_LABEL + s->plot_w, y);
	for (t = 0; t <= s->max_s + 1e-9; t += step) {
		x = ut_x(s, t);
		html_rawf(h, "<line class=\"plot-grid\" x1=\"%.1f\" y1=\"%d\" "
		    "x2=\"%.1f\" y2=\"%.1f\"/>", x, UT_TOP, x, y);
		html_rawf(h, "<text class=\"plot-tick\" x=\"%.1f\" y=\"%.1f\" "
		    "text-anchor=\"middle\">%.0f</text>", x, y + 15, t);
	}
	html_rawf(h, "<text class=\"plot-note\" x=\"%.1f\" y=\"%.1f\" "
	    "text-anchor=\"middle\">seconds idle</text>",
	    UT_LABEL + s->plot_w / 2, y + 32);
}

/* The lifetime in a row: seconds, -1 for null (outlived), -2 absent. */
static double
ut_life(const json_t *port, const char *key)
{
	if (json_is_null(json_object_get(port, key)))
		return -1;
	return ev_real_in(port, key, 0, UT_MAX_S, -2);
}

int
report_plot_udp_timeline(struct html_out *h, const struct report_check *c)
{
	static const char *const states[] = { "unreplied", "established" };
	static const char *const keys[] = { "unreplied_s", "established_s" };
	const json_t *ports = json_object_get(c->evidence, "ports"), *p;
	double minimum, limit, res, life, top = 0;
	struct ut_scale s;
	size_t i, n, k;
	int y, height;
	const json_t *refresh;

	minimum = ev_real_in(c->evidence, "minimum_s", 0, UT_MAX_S, -1);
	limit = ev_real_in(c->evidence, "limit_s", 0, UT_MAX_S, -1);
	res = ev_real_in(c->evidence, "resolution_s", 0, 60, -1);
	if (res <= 0)
		res = 1;
	n = json_array_size(ports);
	if (n > UT_MAX_PORTS)
		n = UT_MAX_PORTS;
	if (n == 0)
		return 0;
	top = fmax(minimum, limit);
	for (i = 0; i < n; i++)
		for (k = 0; k < 2; k++)
			top = fmax(top, ut_life(json_array_get(ports, i),
			    keys[k]) + res);
	if (top <= 0)
		return 0;
	/* A row is a few shapes; the axis and markers about 40. */
	if (html_shapes_take(h, (unsigned)n * 2 * 4 + 40) < 0)
		return report_plot_skipped(h);
	s.max_s = ceil(top * 1.08 / html_axis_step(top, 8)) *
	    html_axis_step(top, 8);
	s.plot_w = UT_W - UT_LABEL - UT_RIGHT - 150;
	height = UT_TOP + (int)(n * 2) * UT_ROW + 44;

	html_raw(h, "<figure class=\"plot\"><figcaption>Idle UDP bindings: "
	    "how long each stayed open</figcaption>");
	html_rawf(h, "<svg class=\"plot-svg\" viewBox=\"0 0 %d %d\" "
	    "role=\"img\" aria-label=\"UDP binding lifetimes per port and "
	    "state\">", UT_W, height);
	ut_axis(h, &s, UT_TOP + (double)n * 2 * UT_ROW);
	y = UT_TOP;
	for (i = 0; i < n; i++) {
		long port;

		p = json_array_get(ports, i);
		port = (long)ev_real_in(p, "port", 0, 65535, -1);
		for (k = 0; k < 2; k++) {
			life = limit > 0 ? ut_life(p, keys[k]) : -2;
			ut_row(h, &s, y, port, states[k], life, limit, res);
			y += UT_ROW;
		}
	}
	if (limit > 0)
		ut_marker(h, &s, limit, y, "ut-limit", "measured up to", 1);
	if (minimum > 0)
		ut_marker(h, &s, minimum, y, "ut-minimum", "required", 0);
	html_raw(h, "</svg><p class=\"plot-legend\"><span class=\"key "
	    "ut-alive\"></span>alive when probed <span class=\"key "
	    "ut-expired\"></span>expired <span class=\"key-line "
	    "ut-minimum\"></span>the profile's minimum");
	refresh = json_object_get(c->evidence, "inbound_refresh");
	if (json_is_boolean(refresh))
		html_raw(h, json_is_true(refresh) ?
		    ". Packets from outside keep a binding alive." :
		    ". Packets from outside do <strong>not</strong> keep a "
		    "binding alive: the phone itself must send.");
	html_raw(h, "</p></figure>");
	return html_status(h);
}
