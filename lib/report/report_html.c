/*
 * report_html.c - the HTML report: one self-contained page (inline CSS,
 * inline SVG, no script, nothing fetched) that can be mailed to support
 * and served by pinholed.  The overall verdict and a summary table come
 * first; then what needs attention (failures, errors, warnings), each with
 * its remedy, its family's plots (report_plot.c) and its full evidence;
 * then the rest, grouped by section.  Every string of
 * the report is escaped (html.h); a Content-Security-Policy forbids
 * scripts and remote loads in case anything slips through.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "report_html.h"

static const char html_css[] =
":root{--pass:#1a7f37;--warn:#9a6700;--fail:#cf222e;--skip:#6e7781;"
"--error:#8250df;--ink:#1f2328;--mute:#59636e;--line:#d1d9e0;"
"--soft:#f6f8fa}"
"*{box-sizing:border-box}"
"body{margin:0;background:#eef1f4;color:var(--ink);font:14px/1.5 "
"-apple-system,'Segoe UI','Helvetica Neue',Arial,'Liberation Sans',"
"sans-serif}"
"main{max-width:1080px;margin:0 auto;padding:24px 20px 40px}"
"header.top{background:#fff;border:1px solid var(--line);border-radius:8px;"
"padding:20px 24px;display:flex;gap:24px;align-items:flex-start;"
"border-top:6px solid var(--v)}"
"header.top h1{margin:0 0 2px;font-size:22px;font-weight:600}"
"header.top .lead{margin:0 0 12px;color:var(--mute)}"
"p.compare{margin:0 0 16px}"
".verdict-big{flex:none;min-width:128px;text-align:center;padding:12px 16px;"
"border-radius:8px;background:var(--v);color:#fff}"
".verdict-big b{display:block;font-size:26px;letter-spacing:.04em}"
".verdict-big span{font-size:12px;opacity:.9}"
"dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;"
"margin:0;font-size:13px}"
"dl.meta dt{color:var(--mute)}dl.meta dd{margin:0;word-break:break-word}"
".counts{margin-top:12px;display:flex;gap:8px;flex-wrap:wrap}"
"section.card,article.check{background:#fff;border:1px solid var(--line);"
"border-radius:8px;margin-top:18px}"
"section.card>h2,.group>h2{font-size:16px;margin:0;padding:12px 18px;"
"border-bottom:1px solid var(--line)}"
"h2.part{font-size:18px;margin:30px 0 0;padding-bottom:6px;"
"border-bottom:2px solid var(--line)}"
".group>h2{border:0;padding:18px 2px 0;color:var(--mute);"
"text-transform:uppercase;letter-spacing:.06em;font-size:13px}"
"table.summary{width:100%;border-collapse:collapse}"
"table.summary td,table.summary th{padding:5px 12px;"
"border-bottom:1px solid var(--line);vertical-align:top;text-align:left}"
"table.summary tr:last-child td{border-bottom:0}"
"table.summary th{font-size:12px;color:var(--mute);font-weight:600;"
"background:var(--soft)}"
"table.summary td.id{white-space:nowrap;font:12px/1.6 ui-monospace,"
"'DejaVu Sans Mono',monospace}"
"table.summary td.id a{color:var(--ink);text-decoration:none}"
".clamp{display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:"
"vertical;overflow:hidden;word-break:break-word}"
".chip{display:inline-block;padding:1px 8px;border-radius:10px;"
"font-size:11px;font-weight:700;letter-spacing:.05em;text-transform:"
"uppercase;color:#fff;background:var(--skip);white-space:nowrap}"
".chip-pass{background:var(--pass)}.chip-warn{background:var(--warn)}"
".chip-fail{background:var(--fail)}.chip-skip{background:var(--skip)}"
".chip-error{background:var(--error)}"
".chip.count{font-size:12px;padding:2px 10px}"
"article.check{border-left:5px solid var(--v)}"
"article.check>header{padding:12px 18px 4px;display:flex;gap:10px;"
"align-items:baseline;flex-wrap:wrap}"
"article.check h3{margin:0;font:600 14px/1.4 ui-monospace,"
"'DejaVu Sans Mono',monospace}"
".req,.sec{color:var(--mute);font-size:12px}"
".dur{margin-left:auto;color:var(--mute);font-size:12px}"
"p.finding{margin:2px 18px 10px;word-break:break-word}"
".remedy{margin:0 18px 12px;padding:10px 14px;background:#fff8c5;"
"border:1px solid #e8d48a;border-radius:6px}"
".remedy b{display:block;font-size:12px;text-transform:uppercase;"
"letter-spacing:.05em;color:#7d4e00}"
"figure.plot{margin:0 18px 14px;padding:10px 12px;border:1px solid "
"var(--line);border-radius:6px;background:#fff}"
"figure.plot figcaption{font-weight:600;margin-bottom:6px}"
".plot-sub{font-weight:400;color:var(--mute)}"
".plot-svg{width:100%;height:auto;display:block}"
".plot-svg text{font:12px -apple-system,'Segoe UI',Arial,sans-serif;"
"fill:var(--ink)}"
".plot-svg .plot-tick,.plot-svg .plot-note{fill:var(--mute);font-size:11px}"
".plot-svg .plot-value{font-weight:600}"
".plot-axis{stroke:#8c959f}.plot-grid{stroke:#eaeef2}"
".ut-alive{fill:#2da44e}.ut-expired{fill:var(--fail)}"
".ut-minimum{stroke:var(--ink);stroke-width:2;stroke-dasharray:6 4}"
".ut-limit{stroke:#8c959f;stroke-dasharray:2 3}"
".pm-open{fill:#1a7f37}.pm-part{fill:#4ac26b}.pm-blocked{fill:#ffcecb}"
".pm-untested{fill:#d0d7de}.pm-none{fill:#fff}"
".plot-svg rect[class^=pm-]{stroke:#fff;stroke-width:.5}"
".plot-svg .pm-port{font-size:11px;font-weight:600}"
".plot-svg .pm-on{fill:#fff}.plot-svg .pm-off{fill:#82071e}"
".plot-legend{margin:8px 0 0;font-size:12px;color:var(--mute)}"
".key{display:inline-block;width:12px;height:12px;border-radius:2px;"
"vertical-align:-2px;margin:0 5px 0 10px;background:#ccc}"
".key:first-child{margin-left:0}"
".key.ut-alive{background:#2da44e}.key.pm-open{background:#1a7f37}"
".key.ut-expired{background:var(--fail)}.key.pm-part{background:#4ac26b}"
".key.pm-blocked{background:#ffcecb}.key.pm-untested{background:#d0d7de}"
".key-line{display:inline-block;width:18px;margin:0 5px 3px 10px;"
"border-top:2px dashed var(--ink)}"
".sd-dir h4{margin:8px 0 6px;font-size:13px}"
"table.sd{width:100%;border-collapse:collapse;table-layout:fixed;"
"font-size:12px}"
"table.sd th,table.sd td{border:1px solid var(--line);padding:4px 8px;"
"text-align:left;vertical-align:top;word-break:break-all}"
"table.sd th{background:var(--soft);font-weight:600}"
"table.sd th:nth-child(1),table.sd th:nth-child(2){width:12%}"
"table.sd code{font:12px/1.5 ui-monospace,'DejaVu Sans Mono',monospace}"
"del{background:#ffcecb;color:#82071e;text-decoration:line-through}"
"ins{background:#aceebb;color:#055d20;text-decoration:none}"
".sd-el{font-weight:600}.sd-absent{color:var(--mute);font-style:italic}"
".sd-msgs{margin:6px 0 4px;padding-left:18px;font-size:12px}"
".sd-bad{color:var(--fail);font-weight:600}"
"details.ev{margin:0 18px 14px}"
"details.ev summary{cursor:pointer;color:var(--mute);font-size:12px}"
"table.ev,table.ev-rec{border-collapse:collapse;font-size:12px;"
"margin:4px 0}"
"table.ev th,table.ev td,table.ev-rec th,table.ev-rec td{border:1px solid "
"var(--line);padding:3px 8px;text-align:left;vertical-align:top;"
"word-break:break-word}"
"table.ev th,table.ev-rec th{background:var(--soft);font-weight:600;"
"font-family:ui-monospace,'DejaVu Sans Mono',monospace}"
".ev-lit{color:var(--mute);font-style:italic}"
"pre.ev-long{margin:0;white-space:pre-wrap;word-break:break-all;"
"max-height:24em;overflow:auto}"
"footer{margin-top:24px;color:var(--mute);font-size:12px;text-align:center}"
"@media (max-width:640px){header.top{flex-direction:column}}"
"@media print{body{background:#fff}main{max-width:none;padding:0}"
"article.check,section.card{break-inside:avoid}}";

static void
html_chip(struct html_out *h, enum verdict v)
{
	html_rawf(h, "<span class=\"chip chip-%s\">%s</span>", verdict_name(v),
	    verdict_name(v));
}

/* An anchor for a check: "check-" and its id, escaped. */
static void
html_anchor(struct html_out *h, const struct report_check *c)
{
	html_raw(h, "check-");
	html_text(h, c->id);
}

/* The verdict's chip, then the check's id linking to its details. */
static void
html_link(struct html_out *h, const struct report_check *c, const char *sep)
{
	html_chip(h, c->verdict);
	html_raw(h, sep);
	html_raw(h, "<a href=\"#");
	html_anchor(h, c);
	html_raw(h, "\">");
	html_text(h, c->id);
	html_raw(h, "</a>");
}

/* The families tested, and why one was not. */
static void
html_families(struct html_out *h, const struct report *r)
{
	int af, any = 0;

	for (af = 0; af < REPORT_AF_N; af++) {
		const struct report_af *a = &r->af[af];

		if (!a->known)
			continue;
		html_raw(h, any++ ? "<br>" : "<dt>Address families</dt><dd>");
		html_rawf(h, "<span data-family=\"%s\" data-tested=\"%s\">"
		    "%s ", report_af_name(af), a->tested ? "yes" : "no",
		    report_af_label(af));
		if (a->tested) {
			html_raw(h, "tested (server ");
			html_text(h, a->server_addr ? a->server_addr :
			    "unknown");
			if (a->local_addr != NULL) {
				html_raw(h, ", from ");
				html_text(h, a->local_addr);
			}
			html_raw(h, ")");
		} else {
			html_raw(h, "not tested: ");
			html_text(h, a->why ? a->why : "unknown");
		}
		html_raw(h, "</span>");
	}
	if (any)
		html_raw(h, "</dd>");
}

static void
html_header(struct html_out *h, const struct report *r, enum verdict all)
{
	static const char *const lead[] = {
		[VERDICT_PASS] = "The network meets every requirement tested.",
		[VERDICT_WARN] = "The network meets the requirements, with "
		    "warnings to read.",
		[VERDICT_FAIL] = "The network breaks requirements: see what "
		    "needs attention below.",
		[VERDICT_SKIP] = "Nothing could be tested.",
		[VERDICT_ERROR] = "Some checks could not finish: their results "
		    "are incomplete.",
	};
	size_t n[VERDICT_ERROR + 1] = { 0 }, i;

	for (i = 0; i < r->nchecks; i++)
		n[r->checks[i].verdict]++;
	html_rawf(h, "<header class=\"top\" style=\"--v:var(--%s)\">"
	    "<div class=\"verdict-big\" data-overall=\"%s\"><b>%s</b>"
	    "<span>overall</span></div><div>", verdict_name(all),
	    verdict_name(all), all == VERDICT_ERROR ? "ERROR" :
	    all == VERDICT_FAIL ? "FAIL" : all == VERDICT_WARN ? "WARN" :
	    "PASS");
	html_rawf(h, "<h1>VoIP network check</h1><p class=\"lead\">%s</p>",
	    lead[all]);
	html_raw(h, "<dl class=\"meta\"><dt>Server</dt><dd>");
	html_text(h, r->server ? r->server : "none");
	html_raw(h, "</dd><dt>Profiles</dt><dd>");
	for (i = 0; i < r->nprofiles; i++) {
		if (i > 0)
			html_raw(h, ", ");
		html_text(h, r->profiles[i]);
	}
	html_raw(h, "</dd><dt>Local address</dt><dd>");
	html_text(h, r->local_addr ? r->local_addr : "unknown");
	html_raw(h, "</dd><dt>Public address</dt><dd>");
	html_text(h, r->public_udp ? r->public_udp : "unknown");
	html_raw(h, " (UDP), ");
	html_text(h, r->public_tcp ? r->public_tcp : "unknown");
	html_raw(h, " (TCP)</dd>");
	html_families(h, r);
	html_raw(h, "<dt>Started</dt><dd>");
	html_text(h, r->started ? r->started : "unknown");
	html_raw(h, "</dd><dt>Took</dt><dd>");
	html_num(h, r->duration_s);
	html_raw(h, " s</dd></dl><div class=\"counts\">");
	for (i = 0; i <= VERDICT_ERROR; i++)
		if (n[i] > 0)
			html_rawf(h, "<span class=\"chip count chip-%s\">%zu "
			    "%s</span>", verdict_name((enum verdict)i), n[i],
			    verdict_name((enum verdict)i));
	html_raw(h, "</div></div></header>");
}

/* The summary with a column per family: one row per requirement. */
static void
html_summary2(struct html_out *h, const struct report *r)
{
	const struct report_check *c[REPORT_AF_N];
	char base[256];
	size_t i;
	int af;

	html_raw(h, "<section class=\"card\"><h2>Summary</h2>"
	    "<table class=\"summary\" data-families=\"ipv4 ipv6\"><thead>"
	    "<tr><th>requirement</th><th>IPv4</th><th>IPv6</th>"
	    "<th>what was found</th></tr></thead><tbody>");
	for (i = 0; i < r->nchecks; i++) {
		if (!report_base_first(r, i))
			continue;
		report_id_base(r->checks[i].id, base, sizeof(base));
		html_raw(h, "<tr data-requirement=\"");
		html_text(h, base);
		html_raw(h, "\"><td class=\"id\">");
		html_text(h, base);
		html_raw(h, "</td>");
		for (af = 0; af < REPORT_AF_N; af++) {
			c[af] = report_af_find(r, base, af);
			html_rawf(h, "<td data-family=\"%s\">",
			    report_af_name(af));
			if (c[af] != NULL) {
				html_rawf(h, "<a href=\"#");
				html_anchor(h, c[af]);
				html_raw(h, "\">");
				html_chip(h, c[af]->verdict);
				html_raw(h, "</a>");
			} else
				html_raw(h, "&#8212;");
			html_raw(h, "</td>");
		}
		html_raw(h, "<td><div class=\"clamp\">");
		for (af = 0; af < REPORT_AF_N; af++) {
			if (c[af] == NULL || (af == REPORT_AF_IPV6 &&
			    c[0] != NULL && strcmp(c[0]->summary,
			    c[af]->summary) == 0))
				continue;
			if (af == REPORT_AF_IPV6)
				html_raw(h, c[0] != NULL ? "<br><b>IPv6:</b> " :
				    "<b>IPv6:</b> ");
			html_text(h, c[af]->summary);
		}
		html_raw(h, "</div></td></tr>");
	}
	html_raw(h, "</tbody></table></section>");
}

static void
html_summary(struct html_out *h, const struct report *r)
{
	size_t i;

	if (report_af_tested(r) == REPORT_AF_N) {
		html_summary2(h, r);
		return;
	}

	html_raw(h, "<section class=\"card\"><h2>Summary</h2>"
	    "<table class=\"summary\"><thead><tr><th>verdict</th>"
	    "<th>requirement</th><th>what was found</th></tr></thead><tbody>");
	for (i = 0; i < r->nchecks; i++) {
		const struct report_check *c = &r->checks[i];

		html_raw(h, "<tr><td>");
		html_link(h, c, "</td><td class=\"id\">");
		html_raw(h, "</td><td><div class=\"clamp\">");
		html_text(h, c->summary);
		html_raw(h, "</div></td></tr>");
	}
	html_raw(h, "</tbody></table></section>");
}

/* Failed, warned or errored: shown first, in detail. */
static int
html_attention(const struct report_check *c)
{
	return c->verdict == VERDICT_FAIL || c->verdict == VERDICT_WARN ||
	    c->verdict == VERDICT_ERROR;
}

static int
html_check(struct html_out *h, const struct report_check *c)
{
	struct report_check copy;
	char base[256];
	int rc;

	html_raw(h, "<article class=\"check\" id=\"");
	html_anchor(h, c);
	html_raw(h, "\" data-check=\"");
	html_text(h, c->id);
	html_rawf(h, "\" data-verdict=\"%s\" style=\"--v:var(--%s)\"><header>",
	    verdict_name(c->verdict), verdict_name(c->verdict));
	html_chip(h, c->verdict);
	html_raw(h, "<h3>");
	html_text(h, c->id);
	html_raw(h, "</h3><span class=\"sec\">");
	html_text(h, c->section);
	html_raw(h, "</span>");
	if (c->requirement != NULL) {
		html_raw(h, "<span class=\"req\">");
		html_text(h, c->requirement);
		html_raw(h, "</span>");
	}
	html_raw(h, "<span class=\"dur\">");
	html_num(h, c->duration_s);
	html_raw(h, " s</span></header><p class=\"finding\">");
	html_text(h, c->summary);
	html_raw(h, "</p>");
	if (c->remedy != NULL && c->verdict != VERDICT_PASS) {
		html_raw(h, "<div class=\"remedy\"><b>What to do</b>");
		html_text(h, c->remedy);
		html_raw(h, "</div>");
	}
	if ((rc = report_plot_render_all(h, report_check_base(c, &copy, base,
	    sizeof(base)))) < 0)
		return rc;
	if (json_object_size(c->evidence) > 0) {
		html_raw(h, "<details class=\"ev\"><summary>All evidence"
		    "</summary>");
		report_html_json(h, c->evidence);
		html_raw(h, "</details>");
	}
	html_raw(h, "</article>");
	return html_status(h);
}

/* What failed, ended in error or warned, in that order, in detail. */
static int
html_findings(struct html_out *h, const struct report *r)
{
	static const enum verdict order[] = {
		VERDICT_FAIL, VERDICT_ERROR, VERDICT_WARN,
	};
	size_t i, k;
	int rc, any = 0;

	for (k = 0; k < sizeof(order) / sizeof(order[0]); k++)
		for (i = 0; i < r->nchecks; i++) {
			if (r->checks[i].verdict != order[k])
				continue;
			if (!any++)
				html_raw(h, "<h2 class=\"part\">Needs attention"
				    "</h2>");
			if ((rc = html_check(h, &r->checks[i])) < 0)
				return rc;
		}
	return html_status(h);
}

/* The other checks, by section in the order sections first appear. */
static int
html_sections(struct html_out *h, const struct report *r)
{
	size_t i, j;
	int rc, seen, any = 0;

	for (i = 0; i < r->nchecks; i++) {
		const char *sec = r->checks[i].section;

		if (html_attention(&r->checks[i]))
			continue;
		for (seen = 0, j = 0; j < i && !seen; j++)
			seen = !html_attention(&r->checks[j]) &&
			    strcmp(r->checks[j].section, sec) == 0;
		if (seen)
			continue;
		if (!any++)
			html_raw(h, "<h2 class=\"part\">Passed and not "
			    "measured</h2>");
		html_raw(h, "<div class=\"group\"><h2>");
		html_text(h, sec);
		html_raw(h, "</h2>");
		for (j = i; j < r->nchecks; j++)
			if (!html_attention(&r->checks[j]) &&
			    strcmp(r->checks[j].section, sec) == 0 &&
			    (rc = html_check(h, &r->checks[j])) < 0)
				return rc;
		html_raw(h, "</div>");
	}
	return html_status(h);
}

int
report_render_html(const struct report *r, FILE *out, int color)
{
	(void)color;
	return report_render_html_bounded(r, out, 0, NULL);
}

int
report_render_html_bounded(const struct report *r, FILE *out,
    size_t max_bytes, const char *compare)
{
	enum verdict all = report_overall(r);
	struct html_out h;
	int rc;

	html_init(&h, out);
	html_budget(&h, max_bytes, REPORT_HTML_MAX_SHAPES);
	html_raw(&h, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
	    "<meta charset=\"utf-8\">"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\"><meta name=\"generator\" content=\"pinhole ");
	html_text(&h, PINHOLE_VERSION);
	html_raw(&h, "\"><title>pinhole: ");
	html_text(&h, verdict_name(all));
	html_raw(&h, ", ");
	html_text(&h, r->server ? r->server : "no server");
	html_raw(&h, "</title><style>");
	html_raw(&h, html_css);
	html_raw(&h, "</style></head><body><main>");
	html_header(&h, r, all);
	if (compare != NULL) {
		html_raw(&h, "<p class=\"compare\"><a href=\"");
		html_text(&h, compare);
		html_raw(&h, "\">What changed since the earlier report from "
		    "this network</a></p>");
	}
	html_summary(&h, r);
	if ((rc = html_findings(&h, r)) < 0 || (rc = html_sections(&h, r)) < 0)
		return rc;
	html_rawf(&h, "<footer>Written by pinhole %s &#183; report schema "
	    "%s</footer>", PINHOLE_VERSION, REPORT_SCHEMA);
	html_raw(&h, "</main></body></html>\n");
	return html_status(&h);
}
