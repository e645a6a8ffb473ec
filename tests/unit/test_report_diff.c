/*
 * test_report_diff.c - two reports compared by requirement: what got
 * better or worse, the facts of each family, the exit status, the JSON
 * and the text's 80 columns.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "report_diff.h"

static const struct diff_entry *
entry(const struct report_diff *d, const char *id)
{
	size_t i;

	for (i = 0; i < d->nentries; i++)
		if (strcmp(d->entries[i].id, id) == 0)
			return &d->entries[i];
	fail_msg("no entry %s", id);
	return NULL;
}

/* The fact 'what' of entry 'id', "before|after|direction". */
static const char *
fact(const struct report_diff *d, const char *id, const char *what,
    char *buf, size_t len)
{
	const struct diff_entry *e = entry(d, id);
	size_t k;

	for (k = 0; k < e->nfacts; k++)
		if (strcmp(e->facts[k].what, what) == 0) {
			snprintf(buf, len, "%s|%s|%d", e->facts[k].before ?
			    e->facts[k].before : "-", e->facts[k].after ?
			    e->facts[k].after : "-", e->facts[k].direction);
			return buf;
		}
	return "absent";
}

static json_t *
sip_dir(int delivered, const char *e1, const char *e2)
{
	json_t *rw = json_array();

	if (e1 != NULL)
		json_array_append_new(rw, json_pack("{s:s, s:s}",
		    "message", "INVITE", "element", e1));
	if (e2 != NULL)
		json_array_append_new(rw, json_pack("{s:s, s:s}",
		    "message", "REGISTER", "element", e2));
	if (e1 != NULL)		/* the same element again: named once */
		json_array_append_new(rw, json_pack("{s:s, s:s}",
		    "message", "REGISTER", "element", e1));
	return json_pack("{s:b, s:b, s:o}", "delivered", delivered,
	    "truncated", 0, "rewritten", rw);
}

/* A broken router, then the same with its rules fixed. */
static void
before_after(struct report *a, struct report *b)
{
	report_init(a);
	report_init(b);
	report_set(a, &a->started, "2024-01-01T10:00:00Z");
	report_add(a, "sip-alg.udp.5060", "SIP ALG", VERDICT_FAIL,
	    json_pack("{s:o, s:o}", "outbound", sip_dir(1, "Via", "Contact"),
	    "inbound", sip_dir(1, "To", NULL)), NULL, "rewritten");
	report_add(b, "sip-alg.udp.5060", "SIP ALG", VERDICT_PASS,
	    json_pack("{s:o, s:o}", "outbound", sip_dir(1, NULL, NULL),
	    "inbound", sip_dir(1, NULL, NULL)), NULL, "unchanged");
	report_add(a, "udp-timeout", "UDP timeout", VERDICT_FAIL,
	    json_pack("{s:i, s:i, s:i, s:b}", "established_s", 10,
	    "unreplied_s", 10, "limit_s", 45, "inbound_refresh", 1), NULL,
	    "10 s");
	report_add(b, "udp-timeout", "UDP timeout", VERDICT_PASS,
	    json_pack("{s:n, s:i, s:i, s:b}", "established_s",
	    "unreplied_s", 30, "limit_s", 45, "inbound_refresh", 1), NULL,
	    "over 45 s");
	report_add(a, "reach.tcp.out.5060-5066", "Reach", VERDICT_FAIL,
	    json_pack("{s:s, s:s}", "open", "5060-5061, 5063-5066",
	    "blocked", "5062"), NULL, "blocked 5062");
	report_add(b, "reach.tcp.out.5060-5066", "Reach", VERDICT_FAIL,
	    json_pack("{s:s, s:s}", "open", "5060-5062, 5064-5066",
	    "blocked", "5063"), NULL, "blocked 5063");
	report_add(a, "media.rtp", "Media", VERDICT_PASS,
	    json_pack("{s:{s:f, s:f}, s:{s:f, s:f}, s:[i,i]}",
	    "up", "mos", 4.36, "loss_pct", 0.0, "down", "mos", 4.36,
	    "loss_pct", 0.0, "ports_blocked_up", 10002, 10003), NULL, "4.36");
	report_add(b, "media.rtp", "Media", VERDICT_PASS,
	    json_pack("{s:{s:f, s:f}, s:{s:f, s:f}, s:[i]}",
	    "up", "mos", 4.33, "loss_pct", 0.2, "down", "mos", 3.9,
	    "loss_pct", 3.0, "ports_blocked_up", 10003), NULL, "3.9");
	report_add(a, "nat.hairpin", "NAT", VERDICT_PASS,
	    json_pack("{s:b}", "hairpin", 1), NULL, "hairpin");
	report_add(b, "nat.hairpin", "NAT", VERDICT_WARN,
	    json_pack("{s:b}", "hairpin", 0), NULL, "no hairpin");
	report_add(a, "nat.present", "NAT", VERDICT_PASS, NULL, NULL,
	    "NAT 203.0.113.2:1111");
	report_add(b, "nat.present", "NAT", VERDICT_PASS, NULL, NULL,
	    "NAT 203.0.113.2:2222");
	report_add(a, "reach", "Reach", VERDICT_PASS, NULL, NULL, "measured");
	report_add(b, "reach", "Reach", VERDICT_SKIP, NULL, NULL, "skipped");
	report_add(a, "media.capacity", "Media", VERDICT_PASS, NULL, NULL,
	    "only before");
	report_add(b, "qos.dscp", "Media", VERDICT_FAIL, NULL, NULL,
	    "only after");
}

static void
test_classify(void **state)
{
	struct report a, b;
	struct report_diff d;

	(void)state;
	before_after(&a, &b);
	assert_int_equal(report_diff_build(&a, &b, "a.json", "b.json", &d), 0);
	assert_int_equal(entry(&d, "sip-alg.udp.5060")->change, DIFF_BETTER);
	assert_int_equal(entry(&d, "udp-timeout")->change, DIFF_BETTER);
	/* Same verdict, ports moved: changed, not the same. */
	assert_int_equal(entry(&d, "reach.tcp.out.5060-5066")->change,
	    DIFF_CHANGED);
	assert_int_equal(entry(&d, "media.rtp")->change, DIFF_CHANGED);
	assert_int_equal(entry(&d, "nat.hairpin")->change, DIFF_WORSE);
	/* A summary that differs only in a port number is not a change. */
	assert_int_equal(entry(&d, "nat.present")->change, DIFF_SAME);
	assert_int_equal(entry(&d, "reach")->change, DIFF_UNMEASURED);
	assert_int_equal(entry(&d, "media.capacity")->change, DIFF_REMOVED);
	assert_int_equal(entry(&d, "qos.dscp")->change, DIFF_ADDED);
	assert_int_equal(d.counts[DIFF_BETTER], 2);
	assert_int_equal(d.counts[DIFF_WORSE], 1);
	assert_int_equal(d.counts[DIFF_CHANGED], 2);
	assert_int_equal(d.counts[DIFF_SAME], 1);
	assert_int_equal(d.nentries, 9);
	/* The order of the second report, then what only the first has. */
	assert_string_equal(d.entries[8].id, "media.capacity");
	assert_int_equal(report_diff_exit_status(&d), 1);
	report_diff_free(&d);
	/* Backwards, what got better got worse. */
	assert_int_equal(report_diff_build(&b, &a, "b", "a", &d), 0);
	assert_int_equal(entry(&d, "sip-alg.udp.5060")->change, DIFF_WORSE);
	assert_int_equal(d.counts[DIFF_WORSE], 2);
	assert_int_equal(d.counts[DIFF_BETTER], 1);
	report_diff_free(&d);
	/* A report with itself: nothing worse, everything the same. */
	assert_int_equal(report_diff_build(&a, &a, "a", "a", &d), 0);
	assert_int_equal(d.counts[DIFF_SAME], d.nentries);
	assert_int_equal(report_diff_exit_status(&d), 0);
	report_diff_free(&d);
	report_free(&a);
	report_free(&b);
}

static void
test_facts(void **state)
{
	struct report a, b;
	struct report_diff d;
	char buf[256];

	(void)state;
	before_after(&a, &b);
	assert_int_equal(report_diff_build(&a, &b, "a", "b", &d), 0);
	assert_string_equal(fact(&d, "sip-alg.udp.5060",
	    "outbound no longer rewritten", buf, sizeof(buf)),
	    "-|Via, Contact|1");
	assert_string_equal(fact(&d, "sip-alg.udp.5060",
	    "inbound no longer rewritten", buf, sizeof(buf)), "-|To|1");
	assert_string_equal(fact(&d, "sip-alg.udp.5060", "SIP ALG", buf,
	    sizeof(buf)), "on the path|gone|1");
	assert_string_equal(fact(&d, "sip-alg.udp.5060",
	    "outbound messages all arrive", buf, sizeof(buf)), "absent");
	/* null: outlived the measurement's limit */
	assert_string_equal(fact(&d, "udp-timeout", "established timeout",
	    buf, sizeof(buf)), "10 s|over 45 s|1");
	assert_string_equal(fact(&d, "udp-timeout", "unreplied timeout",
	    buf, sizeof(buf)), "10 s|30 s|1");
	assert_string_equal(fact(&d, "udp-timeout",
	    "inbound packets keep a binding", buf, sizeof(buf)), "absent");
	assert_string_equal(fact(&d, "reach.tcp.out.5060-5066",
	    "ports opened", buf, sizeof(buf)), "-|5062|1");
	assert_string_equal(fact(&d, "reach.tcp.out.5060-5066",
	    "ports closed", buf, sizeof(buf)), "-|5063|-1");
	/* 0.03 MOS and 0.2 points of loss are noise; 0.46 and 3 are not */
	assert_string_equal(fact(&d, "media.rtp", "MOS up", buf,
	    sizeof(buf)), "absent");
	assert_string_equal(fact(&d, "media.rtp", "loss up", buf,
	    sizeof(buf)), "absent");
	assert_string_equal(fact(&d, "media.rtp", "MOS down", buf,
	    sizeof(buf)), "4.36|3.9|-1");
	assert_string_equal(fact(&d, "media.rtp", "loss down", buf,
	    sizeof(buf)), "0%|3%|-1");
	assert_string_equal(fact(&d, "media.rtp", "media ports opened up",
	    buf, sizeof(buf)), "-|10002|1");
	assert_string_equal(fact(&d, "media.rtp", "media ports closed up",
	    buf, sizeof(buf)), "absent");
	assert_string_equal(fact(&d, "nat.hairpin", "hairpinning", buf,
	    sizeof(buf)), "yes|no|-1");
	assert_int_equal(entry(&d, "nat.present")->nfacts, 0);
	report_diff_free(&d);
	report_free(&a);
	report_free(&b);
}

static char *
render(const struct report_diff *d, const char *fmt, int flags)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);

	assert_non_null(f);
	assert_int_equal(report_diff_output_find(fmt)->render(d, f, flags), 0);
	fclose(f);
	return s;
}

static void
test_render(void **state)
{
	struct report a, b;
	struct report_diff d;
	json_t *o, *c;
	char *s, *line, *save = NULL;
	size_t i;

	(void)state;
	before_after(&a, &b);
	assert_int_equal(report_diff_build(&a, &b, "before.json",
	    "https://pinhole.example.net/r/abcdefghijklmnopqrstuvwx", &d), 0);
	s = render(&d, "json", 0);
	assert_non_null(o = json_loads(s, 0, NULL));
	assert_string_equal(json_string_value(json_object_get(o, "schema")),
	    "pinhole.diff/1");
	assert_true(json_is_true(json_object_get(o, "worse")));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(o,
	    "counts"), "better")), 2);
	c = json_array_get(json_object_get(o, "checks"), 0);
	assert_string_equal(json_string_value(json_object_get(c, "id")),
	    "sip-alg.udp.5060");
	assert_string_equal(json_string_value(json_object_get(c, "change")),
	    "better");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(c, "facts"), 2), "direction")), "better");
	c = json_array_get(json_object_get(o, "checks"), 8);
	assert_true(json_is_null(json_object_get(c, "after")));
	json_decref(o);
	free(s);

	s = render(&d, "text", 0);
	assert_non_null(strstr(s, "\nWorse\n  pass  -> warn  nat.hairpin\n"
	    "      hairpinning: yes -> no\n"));
	assert_non_null(strstr(s, "      established timeout: 10 s -> over "
	    "45 s\n"));
	assert_null(strstr(s, "nat.present"));		/* the same */
	for (line = strtok_r(s, "\n", &save), i = 0; line != NULL;
	    line = strtok_r(NULL, "\n", &save), i++)
		if (strlen(line) > 80)
			fail_msg("line %zu is %zu long: %s", i, strlen(line),
			    line);
	free(s);

	s = render(&d, "html", 0);
	assert_non_null(strstr(s, "<!DOCTYPE html>"));
	assert_null(strstr(s, "<script"));
	assert_non_null(strstr(s, "ports opened: 5062"));
	free(s);
	report_diff_free(&d);
	report_free(&a);
	report_free(&b);
}

/* Every string of a report reaches the page escaped. */
static void
test_html_escapes(void **state)
{
	struct report a, b;
	struct report_diff d;
	char *s;

	(void)state;
	report_init(&a);
	report_init(&b);
	report_add(&a, "x<script>", "S", VERDICT_PASS, NULL, NULL, "<b>");
	report_add(&b, "x<script>", "S", VERDICT_FAIL, NULL, NULL, "<img>");
	assert_int_equal(report_diff_build(&a, &b, "<a>", "b", &d), 0);
	s = render(&d, "html", 0);
	assert_null(strstr(s, "<script>"));
	assert_null(strstr(s, "<img>"));
	assert_non_null(strstr(s, "&lt;img&gt;"));
	free(s);
	report_diff_free(&d);
	report_free(&a);
	report_free(&b);
}

/* The comparison page within a byte budget: whole when it fits, -EFBIG
 * when it does not (pinholed's /r/ID/diff, store-max-page-bytes). */
static void
test_html_bounded(void **state)
{
	struct report a, b;
	struct report_diff d;
	char *page = NULL;
	size_t len = 0, whole;
	FILE *f;

	(void)state;
	report_init(&a);
	report_init(&b);
	report_add(&a, "reach.tcp.out.80", "S", VERDICT_FAIL, NULL, NULL, "x");
	report_add(&b, "reach.tcp.out.80", "S", VERDICT_PASS, NULL, NULL, "y");
	assert_int_equal(report_diff_build(&a, &b, "a", "b", &d), 0);
	assert_non_null(f = open_memstream(&page, &len));
	assert_int_equal(report_diff_render_html_bounded(&d, f, 0), 0);
	assert_int_equal(fclose(f), 0);
	whole = len;
	free(page);
	assert_non_null(f = open_memstream(&page, &len));
	assert_int_equal(report_diff_render_html_bounded(&d, f, whole), 0);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(len, whole);
	free(page);
	assert_non_null(f = open_memstream(&page, &len));
	assert_int_equal(report_diff_render_html_bounded(&d, f, whole - 1),
	    -EFBIG);
	fclose(f);
	free(page);
	report_diff_free(&d);
	report_free(&a);
	report_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_facts),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_html_escapes),
		cmocka_unit_test(test_html_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
