/*
 * test_report_html.c - the HTML report: escaping of hostile strings, the
 * plots drawn from evidence, the renderer in the registry.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>

#include "html.h"
#include "report.h"

/* Renders with the registry's html renderer; the caller frees. */
static char *
render(const struct report *r)
{
	const struct report_output *o = report_output_find("html");
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	assert_non_null(o);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(o->render(r, f, 0), 0);
	fclose(f);
	return buf;
}

static char *
escape(const char *s, size_t n)
{
	struct html_out h;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	html_init(&h, f);
	html_textn(&h, s, n);
	assert_int_equal(html_status(&h), 0);
	fclose(f);
	return buf;
}

static void
test_escape(void **state)
{
	static const char in[] = "<b a='1'>\"x\" & y</b>\x1b[31m\xff"
	    "caf\xc3\xa9 \xe2\x80\xae" "evil\xc0\xaf";
	char *s = escape(in, sizeof(in) - 1);

	assert_string_equal(s, "&lt;b a=&#39;1&#39;&gt;&quot;x&quot; &amp; "
	    "y&lt;/b&gt;\\x1b[31m\\xff" "caf\xc3\xa9 \\u202eevil\\xc0\\xaf");
	free(s);
	s = escape("a\0b", 3);		/* a NUL inside a counted string */
	assert_string_equal(s, "a\\x00b");
	free(s);
	assert_int_equal(html_utf8_len("\xed\xa0\x80", 3), 0);	/* surrogate */
	assert_int_equal(html_utf8_len("\xf0\x9f\x98\x80", 4), 4);
	assert_int_equal(html_utf8_len("\xf0\x9f\x98", 3), 0);	/* cut short */
}

/* Hostile strings in every place a report carries one. */
static void
test_hostile(void **state)
{
	static const char evil[] = "<script>alert(\"x\")</script>&'";
	struct report r;
	char *s, *p;
	json_t *ev;

	report_init(&r);
	report_set(&r, &r.server, "<img src=x onerror=alert(1)>");
	report_set(&r, &r.local_addr, evil);
	report_add_profile(&r, evil);
	ev = json_pack("{s:s, s:i, s:{s:b, s:[{s:s, s:s, s:s, s:s}], "
	    "s:[{s:s, s:b}]}, s:s}", "transport", "udp", "port", 5060,
	    "outbound", "delivered", 1, "rewritten", "message", evil,
	    "element", evil, "sent", "SIP/2.0 200 <script>OK</script>",
	    "received", "SIP/2.0 200 \"><script>alert(1)</script>",
	    "messages", "method", evil, "delivered", 0,
	    "<script>key</script>", evil);
	report_add(&r, "sip-alg.udp.5060\"><script>", "<script>sec",
	    VERDICT_FAIL, ev, evil, "%s", evil);
	report_add(&r, "reach.udp.in.1-65535", "Reachability", VERDICT_WARN,
	    json_pack("{s:s, s:s}", "open", "<script>", "blocked", evil),
	    NULL, "x");
	s = render(&r);
	for (p = s; (p = strchr(p, '<')) != NULL; p++) {
		assert_true(strncasecmp(p, "<script", 7) != 0);
		assert_true(strncasecmp(p, "<img", 4) != 0);
	}
	assert_non_null(strstr(s, "&lt;script&gt;alert(&quot;x&quot;)"
	    "&lt;/script&gt;&amp;&#39;"));
	assert_non_null(strstr(s, "data-check=\"sip-alg.udp.5060&quot;&gt;"
	    "&lt;script&gt;\""));
	assert_non_null(strstr(s, "&lt;img src=x onerror=alert(1)&gt;"));
	/* Scripts are refused even if one slipped through. */
	assert_non_null(strstr(s, "default-src 'none'"));
	/* A port list that is not one draws no map. */
	assert_null(strstr(s, "class=\"pm-"));
	free(s);
	report_free(&r);
}

static void
test_udp_timeline(void **state)
{
	struct report r;
	char *s;

	report_init(&r);
	report_add(&r, "udp-timeout", "UDP timeout", VERDICT_FAIL,
	    json_pack("{s:i, s:i, s:i, s:b, s:[{s:i, s:i, s:i}, "
	    "{s:i, s:n, s:n}]}", "minimum_s", 120, "limit_s", 50,
	    "resolution_s", 1, "inbound_refresh", 0, "ports",
	    "port", 3478, "unreplied_s", 12, "established_s", 40,
	    "port", 5060, "unreplied_s", "established_s"),
	    "raise it", "short");
	s = render(&r);
	assert_non_null(strstr(s, "udp/3478 &#183; unreplied"));
	assert_non_null(strstr(s, "udp/5060 &#183; established"));
	assert_non_null(strstr(s, "<title>alive for 40 s idle</title>"));
	assert_non_null(strstr(s, "<title>expired after 12 s (within 1 s)"));
	assert_non_null(strstr(s, "&gt; 50 s (outlived the limit)"));
	assert_non_null(strstr(s, "required 120 s"));
	assert_non_null(strstr(s, "do <strong>not</strong> keep"));
	free(s);
	report_free(&r);
}

static void
test_port_map(void **state)
{
	struct report r;
	char *s;

	report_init(&r);
	report_add(&r, "reach.udp.in.1-65535", "Reachability", VERDICT_FAIL,
	    json_pack("{s:s, s:s}", "open", "33723, 40000",
	    "blocked", "1-33722, 33724-39999, 40001-65535"), NULL, "x");
	report_add(&r, "reach.tcp.in.5060-5066", "Reachability", VERDICT_FAIL,
	    json_pack("{s:s, s:s, s:s}", "open", "5062", "blocked",
	    "5060-5061, 5063-5065", "untried", "5066"), NULL, "x");
	s = render(&r);
	/* 65535 ports in 1024 cells of 64, rows of 4096: 33723 sits in
	   33665-33728. */
	assert_non_null(strstr(s, "Ports 1-65535: what got through"));
	assert_non_null(strstr(s, "(each cell 64 ports)"));
	assert_non_null(strstr(s, "<title>ports 33665-33728: 1 open</title>"));
	assert_non_null(strstr(s, "<title>ports 1-4096: blocked</title>"));
	assert_non_null(strstr(s, "&#8212; 2 open, 65533 blocked"));
	/* A small range: a cell per port, named. */
	assert_non_null(strstr(s, "<title>port 5062: open</title>"));
	assert_non_null(strstr(s, "<title>port 5066: not tested</title>"));
	assert_non_null(strstr(s, "<title>port 5064: blocked</title>"));
	assert_non_null(strstr(s, "\">5066</text>"));
	assert_non_null(strstr(s, "5 blocked, 1 not tested"));
	free(s);
	report_free(&r);
}

/* media.rtp and qos.dscp: both directions in one table, every port in one. */
/* No field of media.rtp's or qos.dscp's directions (docs/report.md) is
 * shown by its raw name. */
static void
test_media_labels(void **state)
{
	static const char *const media[] = { "sent", "received", "lost",
		"loss_pct", "discarded", "discard_pct", "duplicates",
		"reordered", "jitter_ms", "jitter_max_ms", "ipdv_p50_ms",
		"ipdv_p99_ms", "burst_max", "bursts", "burst_density_pct",
		"gap_density_pct", "burstr", "ppl_pct", "delay_ms", "r", "mos",
		"limit", NULL };
	static const char *const qos[] = { "sent", "received", "packets",
		"packets_with_received", "result", "seen", NULL };
	const char *const *keys[] = { media, qos };
	const char *ids[] = { "media.rtp", "qos.dscp" };
	char raw[64];
	size_t f, i;
	struct report r;
	json_t *up;
	char *s;

	(void)state;
	for (f = 0; f < 2; f++) {
		report_init(&r);
		up = json_object();
		for (i = 0; keys[f][i] != NULL; i++)
			json_object_set_new(up, keys[f][i], json_integer(1));
		report_add(&r, ids[f], "S", VERDICT_PASS, json_pack("{s:o, s:O}",
		    "up", up, "down", up), NULL, "x");
		s = render(&r);
		for (i = 0; keys[f][i] != NULL; i++) {
			snprintf(raw, sizeof(raw), "\">%s</th>", keys[f][i]);
			if (strstr(s, raw) != NULL)
				fail_msg("%s: %s shown by its name", ids[f],
				    keys[f][i]);
		}
		free(s);
		report_free(&r);
	}
}

static void
test_media_dirs(void **state)
{
	struct report r;
	char *s;

	report_init(&r);
	report_add(&r, "media.rtp", "Media", VERDICT_FAIL, json_pack(
	    "{s:{s:i, s:f, s:s}, s:{s:i, s:f, s:s, s:s}, s:[{s:i, s:i, "
	    "s:{s:i, s:i}, s:{s:i, s:i}}, {s:i, s:i, s:i, s:s}]}",
	    "up", "sent", 500, "mos", 4.103, "limit", "loss",
	    "down", "sent", 500, "mos", 4.25, "limit", "<b>", "x<y", "z",
	    "ports", "port", 10000, "client_port", 16868, "up", "sent", 50,
	    "received", 49, "down", "sent", 50, "received", 0,
	    "port", 20000, "client_port", 10531, "refused", 429,
	    "reason", "cap & \"more\""), NULL, "x");
	report_add(&r, "qos.dscp", "QoS", VERDICT_WARN, json_pack(
	    "{s:{s:i, s:[{s:i, s:i, s:i}, {s:i, s:i, s:i}]}, s:{s:n}}",
	    "up", "sent", 46, "seen", "dscp", 0, "ecn", 0, "packets", 480,
	    "dscp", 46, "ecn", 1, "packets", 7, "down", "sent"), NULL, "x");
	s = render(&r);
	/* Each field by its meaning and unit, its name in the title; a
	 * field without a label by its name. */
	assert_non_null(strstr(s, "<tr><th title=\"sent\">packets sent</th>"
	    "<td>500</td><td>500</td></tr><tr><th title=\"mos\">MOS (1-5)"
	    "</th><td>4.103</td><td>4.25</td></tr><tr><th title=\"limit\">"
	    "what costs the most of R</th><td>loss</td><td>&lt;b&gt;</td>"
	    "</tr><tr><th title=\"x&lt;y\">x&lt;y</th><td></td><td>z</td>"
	    "</tr>"));
	assert_non_null(strstr(s, "<tr><td>10000</td><td>16868</td><td>50</td>"
	    "<td>49</td><td>50</td><td>0</td><td></td></tr>"));
	assert_non_null(strstr(s, "<tr><td>20000</td><td>10531</td><td></td>"
	    "<td></td><td></td><td></td><td>429 cap &amp; &quot;more&quot;"
	    "</td></tr>"));
	assert_non_null(strstr(s, "<tr><th title=\"sent\">DSCP sent</th><td>"
	    "46</td>"));
	assert_non_null(strstr(s, "<tr><th title=\"seen\">DSCP seen (in "
	    "packets)</th><td>0 in 480, 46 ECN 1 in 7</td><td><span "
	    "class=\"ev-lit\">none</span></td></tr>"));
	assert_null(strstr(s, "<td><b>"));
	free(s);
	report_free(&r);
}

static void
test_sip_diff(void **state)
{
	struct report r;
	char *s;

	report_init(&r);
	report_add(&r, "sip-alg.udp.5060", "SIP ALG", VERDICT_FAIL,
	    json_pack("{s:{s:b, s:[{s:s, s:s, s:s, s:s}, {s:s, s:s, s:n, "
	    "s:s}]}, s:{s:b, s:[]}}", "outbound", "delivered", 1,
	    "rewritten", "message", "REGISTER", "element", "Via",
	    "sent", "SIP/2.0/UDP 192.168.1.10:5060;rport",
	    "received", "SIP/2.0/UDP 203.0.113.2:5060;rport",
	    "message", "INVITE", "element", "Record-Route", "sent",
	    "received", "<sip:alg.example>", "inbound", "delivered", 1,
	    "rewritten"), NULL, "x");
	s = render(&r);
	assert_non_null(strstr(s, "<code>SIP/2.0/UDP <del>192.168.1.10</del>"
	    ":5060;rport</code>"));
	assert_non_null(strstr(s, "<code>SIP/2.0/UDP <ins>203.0.113.2</ins>"
	    ":5060;rport</code>"));
	assert_non_null(strstr(s, "(not sent: added on the way)"));
	assert_non_null(strstr(s, "<ins>&lt;sip:alg.example&gt;</ins>"));
	assert_non_null(strstr(s, "Inbound, provider to phone <span "
	    "class=\"chip chip-pass\">unchanged</span>"));
	free(s);
	report_free(&r);
}

static void
test_page(void **state)
{
	struct report r;
	char *s;

	report_init(&r);
	report_add(&r, "nat.present", "NAT", VERDICT_PASS, NULL, NULL, "ok");
	report_add(&r, "udp-timeout", "UDP timeout", VERDICT_FAIL, NULL,
	    "Raise the timeout.", "short");
	s = render(&r);
	assert_non_null(strstr(s, "data-overall=\"fail\""));
	assert_non_null(strstr(s, "data-check=\"nat.present\" "
	    "data-verdict=\"pass\""));
	assert_non_null(strstr(s, "data-check=\"udp-timeout\" "
	    "data-verdict=\"fail\""));
	assert_non_null(strstr(s, "<b>What to do</b>Raise the timeout."));
	/* The summary table comes before the sections. */
	assert_true(strstr(s, "<h2>Summary</h2>") < strstr(s, "<h2>NAT</h2>"));
	/* What needs attention comes before what passed. */
	assert_true(strstr(s, "data-check=\"udp-timeout\"") <
	    strstr(s, "data-check=\"nat.present\""));
	assert_non_null(strstr(s, "<h2 class=\"part\">Needs attention</h2>"));
	assert_null(strstr(s, "http://"));	/* nothing to fetch */
	assert_null(strstr(s, "https://"));
	free(s);
	report_free(&r);
}

/* The web phone's four hosts on TCP 443, as the lab reported them: a
 * check each, its host in its summary, its own verdict. */
static void
test_endpoints(void **state)
{
	static const char *const ids[] = { "signaling-gll", "signaling-vpc-gll",
	    "signaling-us1", "insights" };
	static const char *const hosts[] = { "chunderw-gll.twilio.com",
	    "chunderw-vpc-gll.twilio.com", "chunderw-vpc-gll-us1.twilio.com",
	    "eventgw.twilio.com" };
	char path[512], want[256];
	json_error_t je;
	struct report r;
	json_t *o;
	char *s;
	size_t i;

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/unit/data/reports/"
	    "reach-endpoints.json", SRCDIR);
	assert_non_null(o = json_load_file(path, 0, &je));
	assert_int_equal(report_from_json(o, &r), 0);
	json_decref(o);
	s = render(&r);
	for (i = 0; i < 4; i++) {
		snprintf(want, sizeof(want), "data-check=\"reach.tcp.out.443.%s\" "
		    "data-verdict=\"%s\"", ids[i], i == 2 ? "fail" : "pass");
		assert_non_null(strstr(s, want));
		snprintf(want, sizeof(want), "TLS handshake tcp out to %s: ",
		    hosts[i]);
		assert_non_null(strstr(s, want));
	}
	free(s);
	report_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_udp_timeline),
		cmocka_unit_test(test_port_map),
		cmocka_unit_test(test_sip_diff),
		cmocka_unit_test(test_media_dirs),
		cmocka_unit_test(test_media_labels),
		cmocka_unit_test(test_page),
		cmocka_unit_test(test_endpoints),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
