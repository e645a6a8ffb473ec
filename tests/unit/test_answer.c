/* test_answer.c - judging the answers to outbound reachability probes. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "answer.h"

static int
judge(enum answer_kind k, const char *resp, const char *req, int eof,
    struct answer *a)
{
	return answer_judge(k, (const uint8_t *)resp, strlen(resp),
	    (const uint8_t *)req, req ? strlen(req) : 0, eof, a);
}

static void
test_sip(void **state)
{
	struct answer a;

	(void)state;
	assert_int_equal(judge(ANSWER_SIP, "SIP/2.0 200 OK\r\n", NULL, 0, &a), 0);
	assert_int_equal(a.verdict, ANSWER_OPEN);
	assert_string_equal(a.detail, "SIP/2.0 200");
	assert_int_equal(judge(ANSWER_SIP, "SIP/2.0", NULL, 0, &a), -EAGAIN);
	/* A status that is not three digits is not SIP (nor printed). */
	assert_int_equal(judge(ANSWER_SIP, "SIP/2.0 \x1b[H OK\r\n", NULL, 1,
	    &a), 0);
	assert_int_equal(a.verdict, ANSWER_ODD);
	assert_int_equal(judge(ANSWER_SIP, "", NULL, 1, &a), 0);
	assert_int_equal(a.verdict, ANSWER_NONE);
}

static void
test_http(void **state)
{
	static const char req[] = "GET /pinhole/x HTTP/1.1\r\n\r\n";
	char resp[256];
	struct answer a;

	(void)state;
	snprintf(resp, sizeof(resp), "HTTP/1.1 200 OK\r\nServer: pinholed\r\n"
	    "\r\n%s", req);
	/* The echo is judged only once the server closed. */
	assert_int_equal(judge(ANSWER_HTTP, resp, req, 0, &a), -EAGAIN);
	assert_int_equal(judge(ANSWER_HTTP, resp, req, 1, &a), 0);
	assert_int_equal(a.verdict, ANSWER_OPEN);
	assert_string_equal(a.detail, "HTTP 200, the request arrived unchanged");
	snprintf(resp, sizeof(resp), "HTTP/1.1 200 OK\r\nServer: pinholed\r\n"
	    "\r\nGET /pinhole/x HTTP/1.1\r\nVia: proxy\r\n\r\n");
	assert_int_equal(judge(ANSWER_HTTP, resp, req, 1, &a), 0);
	assert_int_equal(a.verdict, ANSWER_ODD);
	assert_non_null(strstr(a.detail, "transparent proxy"));
	assert_int_equal(judge(ANSWER_HTTP, "HTTP/1.1 403 Forbidden\r\n\r\n",
	    req, 1, &a), 0);
	assert_string_equal(a.detail, "HTTP 403 from another responder: a "
	    "proxy answered");
	assert_int_equal(judge(ANSWER_HTTP, "HTTP/1.", req, 1, &a), 0);
	assert_int_equal(a.verdict, ANSWER_ODD);
}

static void
test_bosh_xmpp(void **state)
{
	struct answer a;

	(void)state;
	assert_int_equal(judge(ANSWER_BOSH, "HTTP/1.1 200 OK\r\n\r\n<body "
	    "xmlns='http://jabber.org/protocol/httpbind'/>", NULL, 0, &a), 0);
	assert_int_equal(a.verdict, ANSWER_OPEN);
	assert_int_equal(judge(ANSWER_BOSH, "HTTP/1.1 200 OK\r\n\r\n<html>",
	    NULL, 0, &a), -EAGAIN);
	assert_int_equal(judge(ANSWER_BOSH, "HTTP/1.1 200 OK\r\n\r\n<html>",
	    NULL, 1, &a), 0);
	assert_string_equal(a.detail, "HTTP 200 without a BOSH body");
	assert_int_equal(judge(ANSWER_XMPP, "<stream:stream><stream:features>"
	    "<starttls/></stream:features>", NULL, 0, &a), 0);
	assert_string_equal(a.detail, "stream features, STARTTLS offered");
	assert_int_equal(judge(ANSWER_XMPP, "<stream:stream>", NULL, 0, &a),
	    -EAGAIN);
	assert_int_equal(judge(ANSWER_XMPP, "<html>", NULL, 1, &a), 0);
	assert_int_equal(a.verdict, ANSWER_ODD);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sip),
		cmocka_unit_test(test_http),
		cmocka_unit_test(test_bosh_xmpp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
