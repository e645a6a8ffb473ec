/* test_browser.c - the browser check's verdicts from the page's figures. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>

#include "browser.h"
#include "report_fields.h"

static const char prof[] =
    "[profile]\nname = web\ntitle = A web phone\n"
    "[endpoint sig]\nproto = tcp\nports = 443\ndirection = out\n"
    "host = sig.example.com\nservice = tls\n"
    "[endpoint sig-again]\nproto = tcp\nports = 443\ndirection = out\n"
    "host = sig.example.com\nservice = tls\n"
    "[endpoint api]\nproto = tcp\nports = 8443\ndirection = out\n"
    "host = api.example.com\nservice = tls\n"
    "[endpoint web]\nproto = tcp\nports = 80\ndirection = out\n"
    "host = www.example.com\nservice = http\n"
    "[endpoint rtp]\nproto = udp\nports = 10000-20000\ndirection = both\n"
    "service = rtp\n";

static const struct report_check *
find(const struct report *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->nchecks; i++)
		if (strcmp(r->checks[i].id, id) == 0)
			return &r->checks[i];
	return NULL;
}

static void
test_targets(void **state)
{
	struct profile *p;
	struct profile_error err;
	struct browser_results br;

	memset(&br, 0, sizeof(br));
	if (profile_load_string(prof, "web", &p, &err) < 0)
		fprintf(stderr, "%d: %s\n", err.line, err.msg);
	assert_non_null(p);
	/* https:// only, each host and port once. */
	assert_int_equal(browser_targets(p, &br), 2);
	assert_string_equal(br.targets[0].host, "sig.example.com");
	assert_string_equal(br.targets[0].endpoint, "sig");
	assert_int_equal(br.targets[1].port, 8443);
	profile_free(p);
}

static void
test_verdicts(void **state)
{
	struct profile *p;
	struct profile_error err;
	struct browser_results br;
	struct report rep;
	const struct report_check *c;
	json_t *msg;

	memset(&br, 0, sizeof(br));
	assert_int_equal(profile_load_string(prof, "web", &p, &err), 0);
	browser_targets(p, &br);
	br.ws_port = 443;
	snprintf(br.tls_version, sizeof(br.tls_version), "TLSv1.3");
	msg = json_pack("{s:s, s:{s:f}, s:[{s:s, s:i, s:b, s:f}, "
	    "{s:s, s:i, s:b, s:b, s:f, s:s}, {s:s, s:b}], s:s}",
	    "type", "results", "ws", "hello_rtt_ms", 12.34,
	    "fetch", "host", "sig.example.com", "port", 443, "ok", 1, "ms", 40.0,
	    "host", "api.example.com", "port", 8443, "ok", 0, "timed_out", 1,
	    "ms", 5000.0, "error", "timed\nout",
	    "host", "other.example", "ok", 1,
	    "user_agent", "test");
	assert_int_equal(browser_results_read(msg, &br), 0);
	json_decref(msg);
	report_init(&rep);
	assert_int_equal(browser_report_add(&rep, "web", &br), 0);
	assert_int_equal(rep.nchecks, 4);
	assert_non_null(c = find(&rep, "browser.tls-ws.443"));
	assert_int_equal(c->verdict, VERDICT_PASS);
	assert_non_null(c = find(&rep, "browser.fetch.sig.example.com"));
	assert_int_equal(c->verdict, VERDICT_PASS);
	assert_null(c->remedy);
	assert_non_null(c = find(&rep, "browser.fetch.api.example.com:8443"));
	assert_int_equal(c->verdict, VERDICT_FAIL);
	assert_non_null(c->remedy);
	assert_non_null(strstr(c->remedy, "endpoint api"));
	/* Control characters of the browser's text are not kept. */
	assert_string_equal(json_string_value(json_object_get(c->evidence,
	    "error")), "timed out");
	assert_non_null(c = find(&rep, "browser.webrtc"));
	assert_int_equal(c->verdict, VERDICT_SKIP);
	assert_int_equal(report_overall(&rep), VERDICT_FAIL);
	/* Every field is in docs/report.md's tables, with its type. */
	{
		struct field_doc d;
		json_t *o = report_to_json(&rep);

		assert_int_equal(field_doc_load(&d, SRCDIR "/docs/report.md",
		    stderr), 0);
		assert_int_equal(field_doc_check(&d, o, "browser", stderr), 0);
		field_doc_free(&d);
		json_decref(o);
	}
	report_free(&rep);
	profile_free(p);
}

static void
test_unreported_and_bad(void **state)
{
	struct profile *p;
	struct profile_error err;
	struct browser_results br;
	struct report rep;
	json_t *msg;

	memset(&br, 0, sizeof(br));
	assert_int_equal(profile_load_string(prof, "web", &p, &err), 0);
	browser_targets(p, &br);
	msg = json_pack("{s:s}", "fetch", "not an array");
	assert_int_equal(browser_results_read(msg, &br), -EBADMSG);
	json_decref(msg);
	msg = json_pack("{s:[{s:s, s:b, s:f}]}", "fetch", "host",
	    "sig.example.com", "ok", 1, "ms", -3.0);
	assert_int_equal(browser_results_read(msg, &br), 0);
	json_decref(msg);
	assert_true(br.hello_rtt_ms < 0);
	assert_true(br.targets[0].ms < 0);	/* a negative time is unknown */
	report_init(&rep);
	assert_int_equal(browser_report_add(&rep, "web", &br), 0);
	assert_int_equal(find(&rep, "browser.fetch.api.example.com:8443")->verdict,
	    VERDICT_SKIP);
	report_free(&rep);
	profile_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_unreported_and_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
