/* test_http.c - HTTP request heads as the responders read them. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>

#include "http.h"

/* What curl 7.88 sends for "curl http://example.com/". */
static const char curl_get[] =
    "GET / HTTP/1.1\r\n"
    "Host: example.com\r\n"
    "User-Agent: curl/7.88.1\r\n"
    "Accept: */*\r\n"
    "\r\n";

/* A BOSH session creation request as Strophe.js (Converse) sends it. */
static const char bosh_body[] =
    "<body rid='2913837401' xmlns='http://jabber.org/protocol/httpbind' "
    "to='example.com' xml:lang='en' wait='60' hold='1' "
    "content='text/xml; charset=utf-8' ver='1.6' xmpp:version='1.0' "
    "xmlns:xmpp='urn:xmpp:xbosh'/>";

static int
parse(const char *s, struct http_req *req)
{
	return http_req_parse((const uint8_t *)s, strlen(s), HTTP_MAX_HEAD,
	    HTTP_MAX_BODY, req);
}

/* A POST head with 'fields' between the request line and the blank line. */
static int
parse_post(const char *fields, struct http_req *req)
{
	char buf[1024];

	snprintf(buf, sizeof(buf), "POST /http-bind HTTP/1.1\r\n"
	    "Host: example.com\r\n%s\r\n", fields);
	return parse(buf, req);
}

static void
test_curl_get(void **state)
{
	struct http_req req;

	assert_int_equal(parse(curl_get, &req), 0);
	assert_int_equal(req.method, HTTP_GET);
	assert_int_equal(req.minor, 1);
	assert_int_equal(req.target_len, 1);
	assert_memory_equal(req.target, "/", 1);
	assert_int_equal(req.head_len, strlen(curl_get));
	assert_int_equal(req.has_length, 0);
	assert_int_equal(req.body_len, 0);
	assert_int_equal(http_req_complete(&req, req.head_len), 0);
	assert_string_equal(http_method_name(req.method), "GET");
}

/* The head is complete at its last byte and at no byte before. */
static void
test_split_every_byte(void **state)
{
	const uint8_t *p = (const uint8_t *)curl_get;
	size_t n = strlen(curl_get), k;
	struct http_req req;

	for (k = 0; k < n; k++)
		assert_int_equal(http_req_parse(p, k, HTTP_MAX_HEAD,
		    HTTP_MAX_BODY, &req), -EAGAIN);
	assert_int_equal(http_req_parse(p, n, HTTP_MAX_HEAD, HTTP_MAX_BODY,
	    &req), 0);
	assert_int_equal(req.head_len, n);
}

static void
test_bosh_post(void **state)
{
	char buf[2048];
	const uint8_t *p = (const uint8_t *)buf;
	struct http_req req;
	size_t head, n, k;

	snprintf(buf, sizeof(buf),
	    "POST /http-bind HTTP/1.1\r\n"
	    "Host: example.com:5280\r\n"
	    "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:115.0) "
	    "Gecko/20100101 Firefox/115.0\r\n"
	    "Accept: */*\r\n"
	    "Accept-Language: en-US,en;q=0.5\r\n"
	    "Accept-Encoding: gzip, deflate, br\r\n"
	    "Content-Type: text/xml; charset=utf-8\r\n"
	    "Content-Length: %zu\r\n"
	    "Origin: https://example.com\r\n"
	    "Connection: keep-alive\r\n"
	    "\r\n%s", strlen(bosh_body), bosh_body);
	n = strlen(buf);
	head = n - strlen(bosh_body);
	assert_int_equal(parse(buf, &req), 0);
	assert_int_equal(req.method, HTTP_POST);
	assert_int_equal(req.head_len, head);
	assert_int_equal(req.target_len, strlen("/http-bind"));
	assert_memory_equal(req.target, "/http-bind", req.target_len);
	assert_int_equal(req.has_length, 1);
	assert_int_equal(req.body_len, strlen(bosh_body));
	/* Body complete exactly when every body byte is in. */
	for (k = 0; k < n; k++) {
		int r = http_req_parse(p, k, HTTP_MAX_HEAD, HTTP_MAX_BODY, &req);

		if (k < head) {
			assert_int_equal(r, -EAGAIN);
			continue;
		}
		assert_int_equal(r, 0);
		assert_int_equal(http_req_complete(&req, k), -EAGAIN);
	}
	assert_int_equal(http_req_complete(&req, n), 0);
	assert_int_equal(http_req_complete(&req, n + 10), 0);
}

/* curl through a proxy: absolute form, lower-case names, HTTP/1.0. */
static void
test_proxy_forms(void **state)
{
	struct http_req req;

	assert_int_equal(parse("POST http://198.51.100.1:5280/http-bind "
	    "HTTP/1.1\r\nHost: 198.51.100.1:5280\r\nproxy-connection: "
	    "Keep-Alive\r\ncontent-length: 87\r\ncontent-type: application/"
	    "x-www-form-urlencoded\r\n\r\n", &req), 0);
	assert_int_equal(req.method, HTTP_POST);
	assert_int_equal(req.body_len, 87);
	assert_int_equal(req.target_len,
	    strlen("http://198.51.100.1:5280/http-bind"));
	assert_int_equal(parse("GET /x HTTP/1.0\r\n\r\n", &req), 0);
	assert_int_equal(req.minor, 0);
	assert_int_equal(parse("HEAD / HTTP/1.1\r\n\r\n", &req), 0);
	assert_int_equal(req.method, HTTP_OTHER);
	assert_int_equal(parse("get / HTTP/1.1\r\n\r\n", &req), 0);
	assert_int_equal(req.method, HTTP_OTHER);
	assert_int_equal(parse("OPTIONS * HTTP/1.1\r\n\r\n", &req), 0);
	assert_int_equal(req.target_len, 1);
	/* obs-text and empty values are allowed. */
	assert_int_equal(parse("GET / HTTP/1.1\r\nX-A: caf\xc3\xa9\r\n"
	    "X-Empty:\r\n\r\n", &req), 0);
}

static void
test_path(void **state)
{
	struct http_req req;

	assert_int_equal(parse("POST /http-bind HTTP/1.1\r\n\r\n", &req), 0);
	assert_true(http_req_path_is(&req, "/http-bind"));
	assert_false(http_req_path_is(&req, "/http-bin"));
	assert_false(http_req_path_is(&req, "/http-bind/"));
	assert_int_equal(parse("POST /http-bind?x=1 HTTP/1.1\r\n\r\n", &req),
	    0);
	assert_true(http_req_path_is(&req, "/http-bind"));
	assert_int_equal(parse("POST HTTP://198.51.100.1:5280/http-bind "
	    "HTTP/1.1\r\n\r\n", &req), 0);
	assert_true(http_req_path_is(&req, "/http-bind"));
	assert_int_equal(parse("POST http://example.com?/http-bind HTTP/1.1"
	    "\r\n\r\n", &req), 0);
	assert_false(http_req_path_is(&req, "/http-bind"));
	assert_true(http_req_path_is(&req, ""));
	assert_int_equal(parse("POST /HTTP-BIND HTTP/1.1\r\n\r\n", &req), 0);
	assert_false(http_req_path_is(&req, "/http-bind"));
	assert_int_equal(parse("POST https://example.com/http-bind HTTP/1.1"
	    "\r\n\r\n", &req), 0);
	assert_false(http_req_path_is(&req, "/http-bind"));
}

static void
test_content_length(void **state)
{
	struct http_req req;

	assert_int_equal(parse_post("Content-Length: 4096\r\n", &req), 0);
	assert_int_equal(req.body_len, 4096);
	assert_int_equal(parse_post("CONTENT-LENGTH:0\r\n", &req), 0);
	assert_int_equal(req.has_length, 1);
	assert_int_equal(req.body_len, 0);
	assert_int_equal(parse_post("content-length: \t 00012 \t\r\n", &req),
	    0);
	assert_int_equal(req.body_len, 12);
	assert_int_equal(parse_post("Content-Length: 4097\r\n", &req),
	    -EMSGSIZE);
	assert_int_equal(parse_post("Content-Length: "
	    "18446744073709551616\r\n", &req), -EMSGSIZE);
	assert_int_equal(parse_post("Content-Length: "
	    "99999999999999999999999999999999\r\n", &req), -EMSGSIZE);
	assert_int_equal(parse_post("Content-Length: -1\r\n", &req), -EBADMSG);
	assert_int_equal(parse_post("Content-Length: +5\r\n", &req), -EBADMSG);
	assert_int_equal(parse_post("Content-Length: 0x10\r\n", &req),
	    -EBADMSG);
	assert_int_equal(parse_post("Content-Length: 5 5\r\n", &req),
	    -EBADMSG);
	assert_int_equal(parse_post("Content-Length: 5, 5\r\n", &req),
	    -EBADMSG);
	assert_int_equal(parse_post("Content-Length:\r\n", &req), -EBADMSG);
	assert_int_equal(parse_post("Content-Length : 5\r\n", &req), -EBADMSG);
	/* Two of them: refused, equal or not, whatever the spelling. */
	assert_int_equal(parse_post("Content-Length: 5\r\nContent-Length: 5"
	    "\r\n", &req), -EBADMSG);
	assert_int_equal(parse_post("Content-Length: 5\r\ncontent-length: 7"
	    "\r\n", &req), -EBADMSG);
	/* Names that only start alike are other fields. */
	assert_int_equal(parse_post("Content-Lengths: x\r\nX-Content-Length:"
	    " y\r\n", &req), 0);
	assert_int_equal(req.has_length, 0);
	/* A smaller maximum of the caller's. */
	assert_int_equal(http_req_parse((const uint8_t *)"POST / HTTP/1.1\r\n"
	    "Content-Length: 11\r\n\r\n", 39, HTTP_MAX_HEAD, 10, &req),
	    -EMSGSIZE);
}

static void
test_transfer_encoding(void **state)
{
	struct http_req req;

	assert_int_equal(parse_post("Transfer-Encoding: chunked\r\n", &req),
	    -ENOTSUP);
	assert_int_equal(parse_post("Content-Length: 5\r\ntransfer-encoding: "
	    "identity\r\n", &req), -ENOTSUP);
}

static void
test_line_ends(void **state)
{
	struct http_req req;

	/* Missing CR: refused at the first bare LF, not after a timeout. */
	assert_int_equal(parse("GET / HTTP/1.1\n", &req), -EBADMSG);
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: a\n", &req),
	    -EBADMSG);
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: a\r\n\n", &req),
	    -EBADMSG);
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n", &req),
	    -EBADMSG);
	assert_int_equal(parse("GET / HTTP/1.1\r\n\rx", &req), -EBADMSG);
	/* Missing blank line: only more bytes can tell. */
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: a\r\n", &req),
	    -EAGAIN);
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: a\r", &req), -EAGAIN);
	/* obs-fold and a space before the first field. */
	assert_int_equal(parse("GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n", &req),
	    -EBADMSG);
	assert_int_equal(parse("GET / HTTP/1.1\r\n\tX: a\r\n\r\n", &req),
	    -EBADMSG);
	/* Leading empty lines are not skipped. */
	assert_int_equal(parse("\r\nGET / HTTP/1.1\r\n\r\n", &req), -EBADMSG);
}

static void
test_junk(void **state)
{
	static const uint8_t tls[] = { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01 };
	static const uint8_t nul[] = "GET / HTTP/1.1\r\nX: a\0b\r\n\r\n";
	struct http_req req;

	assert_int_equal(http_req_parse(tls, sizeof(tls), HTTP_MAX_HEAD,
	    HTTP_MAX_BODY, &req), -EBADMSG);
	assert_int_equal(http_req_parse(tls, 1, HTTP_MAX_HEAD, HTTP_MAX_BODY,
	    &req), -EBADMSG);
	assert_int_equal(http_req_parse(nul, sizeof(nul) - 1, HTTP_MAX_HEAD,
	    HTTP_MAX_BODY, &req), -EBADMSG);
	assert_int_equal(parse("", &req), -EAGAIN);
	assert_int_equal(parse("PINHOLE\x01", &req), -EBADMSG);
	assert_int_equal(parse("SSH-2.0-OpenSSH_9.2\r\n", &req), -EBADMSG);
	assert_int_equal(parse("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", &req),
	    -EBADMSG);
	assert_int_equal(parse("<stream:stream>", &req), -EBADMSG);
	assert_int_equal(parse("GET  / HTTP/1.1\r\n\r\n", &req), -EBADMSG);
	assert_int_equal(parse("GET / HTTP/1.1 \r\n\r\n", &req), -EBADMSG);
	assert_int_equal(parse("GET / HTTP/1.x\r\n\r\n", &req), -EBADMSG);
	assert_int_equal(parse("GET /\x7f HTTP/1.1\r\n\r\n", &req), -EBADMSG);
	assert_int_equal(parse("GET / HTTP/1.1\r\n: v\r\n\r\n", &req),
	    -EBADMSG);
	assert_int_equal(parse("GET / HTTP/1.1\r\nX(y): v\r\n\r\n", &req),
	    -EBADMSG);
	assert_int_equal(parse("GET / HTTP/1.1\r\nno-colon\r\n\r\n", &req),
	    -EBADMSG);
}

static void
test_oversize(void **state)
{
	size_t n = HTTP_MAX_HEAD + 100, fill, k;
	struct http_req req;
	uint8_t *b;

	assert_non_null(b = malloc(n));
	memcpy(b, "GET / HTTP/1.1\r\nX-Pad: ", 23);
	memset(b + 23, 'a', n - 23);
	/* Need more up to the maximum, too large from it on. */
	for (k = HTTP_MAX_HEAD - 3; k < HTTP_MAX_HEAD + 3; k++)
		assert_int_equal(http_req_parse(b, k, HTTP_MAX_HEAD,
		    HTTP_MAX_BODY, &req), k < HTTP_MAX_HEAD ? -EAGAIN :
		    -EMSGSIZE);
	/* A head of exactly the maximum is accepted, one more byte is not. */
	fill = HTTP_MAX_HEAD - 23 - 4;
	memcpy(b + 23 + fill, "\r\n\r\n", 4);
	assert_int_equal(http_req_parse(b, n, HTTP_MAX_HEAD, HTTP_MAX_BODY,
	    &req), 0);
	assert_int_equal(req.head_len, HTTP_MAX_HEAD);
	assert_int_equal(http_req_parse(b, n, HTTP_MAX_HEAD - 1, HTTP_MAX_BODY,
	    &req), -EMSGSIZE);
	free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_curl_get),
		cmocka_unit_test(test_split_every_byte),
		cmocka_unit_test(test_bosh_post),
		cmocka_unit_test(test_proxy_forms),
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_content_length),
		cmocka_unit_test(test_transfer_encoding),
		cmocka_unit_test(test_line_ends),
		cmocka_unit_test(test_junk),
		cmocka_unit_test(test_oversize),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
