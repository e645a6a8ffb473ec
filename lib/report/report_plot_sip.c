/*
 * report_plot_sip.c - the SIP ALG diff: per direction, every element that
 * changed on the way, as sent beside as received, with the changed part
 * marked (what is common at the start and the end is left plain).  Then
 * each message: delivered, truncated, its size both sides.  Read from the
 * sip-alg.* evidence (docs/report.md).
 */
#include <string.h>

#include "report_html.h"

#define SD_MAX_ROWS	200

/* Bytes at the start and the end that 'a' and 'b' share, cut between
   characters and not overlapping. */
static void
sd_common(const char *a, size_t alen, const char *b, size_t blen,
    size_t *pre, size_t *suf)
{
	size_t p = 0, s = 0, min = alen < blen ? alen : blen;

	while (p < min && a[p] == b[p])
		p++;
	while (p > 0 && p < min && ((unsigned char)a[p] & 0xc0) == 0x80)
		p--;
	while (s < min - p && a[alen - 1 - s] == b[blen - 1 - s])
		s++;
	while (s > 0 && ((unsigned char)a[alen - s] & 0xc0) == 0x80)
		s--;
	*pre = p;
	*suf = s;
}

/* One side of a changed element; 'tag' is "del" or "ins". */
static void
sd_side(struct html_out *h, const json_t *v, const json_t *other,
    const char *tag, const char *absent)
{
	const char *s, *o;
	size_t n, on, pre = 0, suf = 0;

	if (!json_is_string(v)) {
		html_rawf(h, "<td class=\"sd-absent\">%s</td>", absent);
		return;
	}
	s = json_string_value(v);
	n = json_string_length(v);
	if (json_is_string(other)) {
		o = json_string_value(other);
		on = json_string_length(other);
		sd_common(s, n, o, on, &pre, &suf);
	}
	html_raw(h, "<td><code>");
	html_textn(h, s, pre);
	if (n - pre - suf > 0) {
		html_rawf(h, "<%s>", tag);
		html_textn(h, s + pre, n - pre - suf);
		html_rawf(h, "</%s>", tag);
	}
	html_textn(h, s + n - suf, suf);
	html_raw(h, "</code></td>");
}

static void
sd_changes(struct html_out *h, const json_t *rewritten)
{
	const json_t *e, *sent, *recv;
	size_t i;

	html_raw(h, "<table class=\"sd\"><thead><tr><th>message</th>"
	    "<th>element</th><th>as sent</th><th>as received</th></tr>"
	    "</thead><tbody>");
	json_array_foreach(rewritten, i, e) {
		if (i == SD_MAX_ROWS)
			break;
		sent = json_object_get(e, "sent");
		recv = json_object_get(e, "received");
		html_raw(h, "<tr><td>");
		html_text(h, ev_str(e, "message"));
		html_raw(h, "</td><td class=\"sd-el\">");
		html_text(h, ev_str(e, "element"));
		html_raw(h, "</td>");
		sd_side(h, sent, recv, "del", "(not sent: added on the way)");
		sd_side(h, recv, sent, "ins", "(removed on the way)");
		html_raw(h, "</tr>");
	}
	html_raw(h, "</tbody></table>");
	if (json_array_size(rewritten) > SD_MAX_ROWS)
		html_rawf(h, "<p class=\"plot-note\">%zu more changes in the "
		    "evidence below.</p>", json_array_size(rewritten) -
		    SD_MAX_ROWS);
}

static void
sd_messages(struct html_out *h, const json_t *messages)
{
	const json_t *m;
	size_t i;
	double sb, rb;

	if (json_array_size(messages) == 0)
		return;
	html_raw(h, "<ul class=\"sd-msgs\">");
	json_array_foreach(messages, i, m) {
		if (i == SD_MAX_ROWS)
			break;
		html_raw(h, "<li><strong>");
		html_text(h, ev_str(m, "method"));
		html_raw(h, "</strong> ");
		if (ev_bool(m, "delivered") != 1)
			html_raw(h, "<span class=\"sd-bad\">did not arrive</span>");
		else if (ev_bool(m, "truncated") == 1)
			html_raw(h, "<span class=\"sd-bad\">arrived cut short"
			    "</span>");
		else
			html_raw(h, "arrived");
		if (ev_bool(m, "parsed") == 0)
			html_raw(h, ", no longer parses as SIP");
		sb = ev_real_in(m, "sent_bytes", 0, 1e9, -1);
		rb = ev_real_in(m, "received_bytes", 0, 1e9, -1);
		if (sb >= 0 && rb >= 0)
			html_rawf(h, " &#183; %.0f bytes sent, %.0f received",
			    sb, rb);
		else if (sb >= 0)
			html_rawf(h, " &#183; %.0f bytes sent", sb);
		html_raw(h, "</li>");
	}
	html_raw(h, "</ul>");
}

static void
sd_direction(struct html_out *h, const json_t *d, const char *title)
{
	const json_t *rw = json_object_get(d, "rewritten");
	const json_t *note = json_object_get(d, "note");
	int delivered = ev_bool(d, "delivered") == 1;

	html_rawf(h, "<div class=\"sd-dir\"><h4>%s ", title);
	if (json_array_size(rw) > 0)
		html_raw(h, "<span class=\"chip chip-fail\">rewritten</span>");
	else if (ev_bool(d, "truncated") == 1)
		html_raw(h, "<span class=\"chip chip-fail\">truncated</span>");
	else if (!delivered)
		html_raw(h, "<span class=\"chip chip-warn\">not delivered"
		    "</span>");
	else
		html_raw(h, "<span class=\"chip chip-pass\">unchanged</span>");
	html_raw(h, "</h4>");
	if (json_is_string(note)) {
		html_raw(h, "<p class=\"plot-note\">");
		html_text(h, json_string_value(note));
		html_raw(h, "</p>");
	}
	if (json_array_size(rw) > 0)
		sd_changes(h, rw);
	sd_messages(h, json_object_get(d, "messages"));
	html_raw(h, "</div>");
}

int
report_plot_sip_diff(struct html_out *h, const struct report_check *c)
{
	const json_t *out = json_object_get(c->evidence, "outbound");
	const json_t *in = json_object_get(c->evidence, "inbound");

	if (!json_is_object(out) && !json_is_object(in))
		return 0;
	html_raw(h, "<figure class=\"plot\"><figcaption>SIP as sent and as "
	    "received</figcaption>");
	if (json_is_object(out))
		sd_direction(h, out, "Outbound, phone to provider");
	if (json_is_object(in))
		sd_direction(h, in, "Inbound, provider to phone");
	html_raw(h, "</figure>");
	return html_status(h);
}
