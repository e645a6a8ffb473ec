/*
 * report_plot_media.c - the media checks' views in the HTML report: the
 * two directions of a test call side by side (media.rtp's figures,
 * qos.dscp's marks), and media.rtp's one-second stream on every media
 * port in one table, where the generic evidence would nest a table per
 * direction and per port.
 */
#include <string.h>

#include "report_html.h"

/* A scalar as the evidence tables write it; a list of TOS bytes too. */
static void
pm_value(struct html_out *h, const json_t *v)
{
	const json_t *e;
	size_t i;

	if (json_is_string(v))
		html_text(h, json_string_value(v));
	else if (json_is_integer(v))
		html_rawf(h, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		html_num(h, json_real_value(v));
	else if (json_is_boolean(v))
		html_raw(h, json_is_true(v) ? "yes" : "no");
	else if (json_is_array(v))
		json_array_foreach(v, i, e) {
			/* qos.dscp's seen[]: "46 in 480" */
			html_rawf(h, "%s", i ? ", " : "");
			pm_value(h, json_object_get(e, "dscp"));
			if (ev_int(e, "ecn", 0) != 0) {
				html_raw(h, " ECN ");
				pm_value(h, json_object_get(e, "ecn"));
			}
			html_raw(h, " in ");
			pm_value(h, json_object_get(e, "packets"));
		}
	else
		html_raw(h, "<span class=\"ev-lit\">none</span>");
}

/* What a direction's field means, with its unit, for people; the field's
 * name stays in the row's title (docs/report.md names it). */
struct pm_label {
	const char *key, *label;
};

static const struct pm_label pm_media_labels[] = {
	{ "sent", "packets sent" },
	{ "received", "packets received" },
	{ "lost", "packets lost" },
	{ "loss_pct", "loss (%)" },
	{ "discarded", "late for the jitter buffer (packets)" },
	{ "discard_pct", "late for the jitter buffer (%)" },
	{ "duplicates", "duplicates (packets)" },
	{ "reordered", "reordered (packets)" },
	{ "jitter_ms", "jitter (ms)" },
	{ "jitter_max_ms", "largest jitter (ms)" },
	{ "ipdv_p50_ms", "delay variation, median (ms)" },
	{ "ipdv_p99_ms", "delay variation, 99th percentile (ms)" },
	{ "burst_max", "longest run of losses (packets)" },
	{ "bursts", "loss bursts" },
	{ "burst_density_pct", "loss within bursts (%)" },
	{ "gap_density_pct", "loss between bursts (%)" },
	{ "burstr", "burstiness, BurstR (1: random)" },
	{ "ppl_pct", "loss the E-model counts, Ppl (%)" },
	{ "delay_ms", "one-way delay (ms)" },
	{ "r", "R factor (0-100)" },
	{ "mos", "MOS (1-5)" },
	{ "limit", "what costs the most of R" },
	{ NULL, NULL },
};

static const struct pm_label pm_qos_labels[] = {
	{ "sent", "DSCP sent" },
	{ "received", "DSCP most packets arrived with" },
	{ "packets", "packets received" },
	{ "packets_with_received", "packets with that DSCP" },
	{ "result", "what happened to the mark" },
	{ "seen", "DSCP seen (in packets)" },
	{ NULL, NULL },
};

/* A row's head: the label of 'key', its name in the title. */
static void
pm_head(struct html_out *h, const struct pm_label *labels, const char *key)
{
	const struct pm_label *l;

	for (l = labels; l->key != NULL && strcmp(l->key, key) != 0; l++)
		;
	html_raw(h, "<tr><th title=\"");
	html_text(h, key);
	html_raw(h, "\">");
	html_text(h, l->key != NULL ? l->label : key);
	html_raw(h, "</th>");
}

int
report_plot_media_dirs(struct html_out *h, const struct report_check *c)
{
	const json_t *up = json_object_get(c->evidence, "up");
	const json_t *down = json_object_get(c->evidence, "down");
	const struct pm_label *labels = strncmp(c->id, "qos.", 4) == 0 ?
	    pm_qos_labels : pm_media_labels;
	const json_t *v;
	const char *k;

	if (!json_is_object(up) || !json_is_object(down))
		return 0;
	html_raw(h, "<figure class=\"plot\"><figcaption>Each way "
	    "<span class=\"plot-sub\">up: what the server received, down: "
	    "what we did</span></figcaption><table class=\"ev-rec\"><thead>"
	    "<tr><th></th><th>up</th><th>down</th></tr></thead><tbody>");
	json_object_foreach((json_t *)up, k, v) {
		pm_head(h, labels, k);
		html_raw(h, "<td>");
		pm_value(h, v);
		html_raw(h, "</td><td>");
		pm_value(h, json_object_get(down, k));
		html_raw(h, "</td></tr>");
	}
	/* What only the downstream side has. */
	json_object_foreach((json_t *)down, k, v) {
		if (json_object_get(up, k) != NULL)
			continue;
		pm_head(h, labels, k);
		html_raw(h, "<td></td><td>");
		pm_value(h, v);
		html_raw(h, "</td></tr>");
	}
	html_raw(h, "</tbody></table></figure>");
	return html_status(h);
}

int
report_plot_media_ports(struct html_out *h, const struct report_check *c)
{
	const json_t *ports = json_object_get(c->evidence, "ports"), *p;
	static const char *const dir[] = { "up", "down" };
	size_t i, d;

	if (!json_is_array(ports) || json_array_size(ports) == 0)
		return 0;
	html_raw(h, "<figure class=\"plot\"><figcaption>Every media port for "
	    "a second <span class=\"plot-sub\">packets sent and received each "
	    "way</span></figcaption><table class=\"ev-rec\"><thead><tr>"
	    "<th>port</th><th>our port</th><th>up sent</th>"
	    "<th>up received</th><th>down sent</th><th>down received</th>"
	    "<th>refused</th></tr></thead><tbody>");
	json_array_foreach(ports, i, p) {
		html_raw(h, "<tr><td>");
		pm_value(h, json_object_get(p, "port"));
		html_raw(h, "</td><td>");
		pm_value(h, json_object_get(p, "client_port"));
		for (d = 0; d < 2; d++) {
			const json_t *o = json_object_get(p, dir[d]);

			html_raw(h, "</td><td>");
			if (json_is_object(o))
				pm_value(h, json_object_get(o, "sent"));
			html_raw(h, "</td><td>");
			if (json_is_object(o))
				pm_value(h, json_object_get(o, "received"));
		}
		html_raw(h, "</td><td>");
		if (json_object_get(p, "refused") != NULL) {
			pm_value(h, json_object_get(p, "refused"));
			html_raw(h, " ");
			pm_value(h, json_object_get(p, "reason"));
		}
		html_raw(h, "</td></tr>");
	}
	html_raw(h, "</tbody></table></figure>");
	return html_status(h);
}
