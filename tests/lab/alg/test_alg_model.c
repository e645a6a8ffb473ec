/* test_alg_model.c - pinhole-alg's rewriting, message by message. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "alg_model.h"

#define PRIV	"192.168.1.10"
#define PUB	"203.0.113.2"

static const char sdp[] =
    "v=0\r\n"
    "o=pinhole 1 1 IN IP4 192.168.1.10\r\n"
    "s=pinhole\r\n"
    "c=IN IP4 192.168.1.10\r\n"
    "t=0 0\r\n"
    "m=audio 49170 RTP/AVP 0\r\n"
    "c=IN IP4 192.168.1.10\r\n";

/* An INVITE from the LAN host with the SDP above. */
static size_t
invite(char *buf, size_t len)
{
	int n = snprintf(buf, len,
	    "INVITE sip:u@203.0.113.10:5060 SIP/2.0\r\n"
	    "Via: SIP/2.0/UDP 192.168.1.10:40000;branch=z9hG4bK-1;rport\r\n"
	    "f: <sip:u@192.168.1.10:40000>;tag=1\r\n"
	    "To: <sip:u@203.0.113.10:5060>\r\n"
	    "Call-ID: abc@192.168.1.10\r\n"
	    "Record-Route: <sip:192.168.1.100;lr>\r\n"
	    "Contact: <sip:u@192.168.1.10:40000>\r\n"
	    "Content-Type: application/sdp\r\n"
	    "Content-Length: %zu\r\n\r\n%s", strlen(sdp), sdp);

	assert_true(n > 0 && (size_t)n < len);
	return (size_t)n;
}

static char out[8192];

static int
run(const char *name, int outbound, const char *in, size_t n, size_t *olen,
    unsigned *changed, int *cut)
{
	const struct alg_behavior *b = alg_behavior_find(name);

	assert_non_null(b);
	memset(out, 0, sizeof(out));
	return alg_rewrite(b, outbound, PRIV, PUB, (const uint8_t *)in, n,
	    (uint8_t *)out, sizeof(out) - 1, olen, changed, cut);
}

/* The Content-Length a message says, and its body's real length. */
static void
lengths(const char *m, size_t n, long *said, size_t *body)
{
	const char *cl = strstr(m, "Content-Length:"), *b = strstr(m, "\r\n\r\n");

	assert_non_null(cl);
	assert_non_null(b);
	*said = strtol(cl + 15, NULL, 10);
	*body = n - (size_t)(b + 4 - m);
}

static void
test_asa_cline(void **state)
{
	char in[2048];
	size_t n = invite(in, sizeof(in)), olen, body;
	unsigned ch;
	long said;
	int cut;

	(void)state;
	assert_int_equal(run("asa-cline", 1, in, n, &olen, &ch, &cut), 0);
	assert_int_equal(ch, ALG_E_VIA | ALG_E_CONTACT | ALG_E_FROM |
	    ALG_E_SDP_C);
	assert_false(cut);
	assert_non_null(strstr(out, "c=IN IP4 203.0.113.2\r\nt=0"));
	assert_non_null(strstr(out, "o=pinhole 1 1 IN IP4 192.168.1.10\r\n"));
	assert_non_null(strstr(out, "m=audio 49170 RTP/AVP 0\r\nc=IN IP4 203.0.113.2\r\n"));
	assert_non_null(strstr(out, "Call-ID: abc@192.168.1.10\r\n"));
	/* A longer address that starts like ours is another address. */
	assert_non_null(strstr(out, "Record-Route: <sip:192.168.1.100;lr>"));
	assert_non_null(strstr(out, "f: <sip:u@203.0.113.2:40000>;tag=1"));
	lengths(out, olen, &said, &body);
	assert_int_equal(said, body);
	assert_int_equal(body, strlen(sdp) - 2);
}

static void
test_contact_only(void **state)
{
	char in[2048];
	size_t n = invite(in, sizeof(in)), olen;
	unsigned ch;
	int cut;

	(void)state;
	assert_int_equal(run("contact-only", 1, in, n, &olen, &ch, &cut), 0);
	assert_int_equal(ch, ALG_E_CONTACT);
	assert_int_equal(olen, n - 1);
	assert_non_null(strstr(out, "Contact: <sip:u@203.0.113.2:40000>"));
	assert_non_null(strstr(out, "Via: SIP/2.0/UDP 192.168.1.10:40000"));
	assert_string_equal(out + olen - strlen(sdp), sdp);
	/* Inbound it does nothing. */
	assert_int_equal(run("contact-only", 0, in, n, &olen, &ch, &cut), 0);
	assert_int_equal(ch, 0);
	assert_int_equal(olen, n);
	assert_memory_equal(out, in, n);
}

static void
test_callid_both_ways(void **state)
{
	char in[2048];
	size_t n = invite(in, sizeof(in)), olen;
	unsigned ch;
	int cut;

	(void)state;
	assert_int_equal(run("callid", 1, in, n, &olen, &ch, &cut), 0);
	assert_true(ch & ALG_E_CALLID);
	assert_true(ch & ALG_E_SDP_O);
	assert_non_null(strstr(out, "Call-ID: abc@203.0.113.2\r\n"));
	/* An answer coming back gets the phone's Call-ID again. */
	memcpy(in, out, olen);
	n = olen;
	assert_int_equal(run("callid", 0, in, n, &olen, &ch, &cut), 0);
	assert_true(ch & ALG_E_CALLID);
	assert_non_null(strstr(out, "Call-ID: abc@192.168.1.10\r\n"));
}

static void
test_content_length_left(void **state)
{
	char in[2048];
	size_t n = invite(in, sizeof(in)), olen, body;
	unsigned ch;
	long said;
	int cut;

	(void)state;
	assert_int_equal(run("content-length", 1, in, n, &olen, &ch, &cut), 0);
	lengths(out, olen, &said, &body);
	assert_int_equal(said, (long)strlen(sdp));
	assert_int_equal(body, strlen(sdp) - 3);
}

static void
test_cut_body(void **state)
{
	char in[2048];
	size_t n = invite(in, sizeof(in)), olen, i;
	unsigned ch;
	int cut;

	(void)state;
	assert_true(n < 512);
	assert_int_equal(run("cut-body", 1, in, n, &olen, &ch, &cut), 0);
	assert_false(cut);
	assert_int_equal(olen, n);
	/* SDP lines enough to pass 512 bytes: cut there, nothing else. */
	for (i = 0; i < 10; i++)
		n += (size_t)snprintf(in + n, sizeof(in) - n,
		    "a=x-fill:%zu\r\n", i);
	assert_true(n > 512);
	assert_int_equal(run("cut-body", 1, in, n, &olen, &ch, &cut), 0);
	assert_true(cut);
	assert_int_equal(olen, 512);
	assert_int_equal(ch, 0);
	assert_memory_equal(out, in, 512);
}

static void
test_not_sip(void **state)
{
	static const char *const bad[] = {
		"",
		"\x80\x00\x12\x34 rtp",
		"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
		"INVITE sip:x SIP/2.0\r\nVia: SIP/2.0/UDP 192.168.1.10\r\n",
		"SIP/2.0 200 OK\r\nVia: a\0b\r\n\r\n",
	};
	size_t i, olen;
	unsigned ch;
	int cut;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(run("asa-cline", 1, bad[i], i == 4 ? 25 :
		    strlen(bad[i]), &olen, &ch, &cut), -EBADMSG);
}

static void
test_bounded(void **state)
{
	const struct alg_behavior *b = alg_behavior_find("asa-cline");
	char in[2048];
	uint8_t small[100];
	size_t n = invite(in, sizeof(in)), olen;
	unsigned ch;
	int cut;

	(void)state;
	assert_int_equal(alg_rewrite(b, 1, PRIV, PUB, (const uint8_t *)in, n,
	    small, sizeof(small), &olen, &ch, &cut), -EMSGSIZE);
	/* LF-only line ends and a folded Via are still translated. */
	snprintf(in, sizeof(in), "SIP/2.0 200 OK\nVia: SIP/2.0/UDP x,\n"
	    " SIP/2.0/UDP 192.168.1.10:5060\nContent-Length: 0\n\n");
	assert_int_equal(run("asa-cline", 1, in, strlen(in), &olen, &ch, &cut), 0);
	assert_int_equal(ch, ALG_E_VIA);
	assert_non_null(strstr(out, " SIP/2.0/UDP 203.0.113.2:5060\n"));
	assert_null(alg_behavior_find("linux"));
}

/* drop-methods: RFC 3261's six pass, every other request and no
 * response is dropped. */
static void
test_drop_methods(void **state)
{
	static const char *const pass[] = { "INVITE sip:a@b SIP/2.0\r\n\r\n",
	    "ACK sip:a@b SIP/2.0\r\n\r\n", "BYE sip:a@b SIP/2.0\r\n\r\n",
	    "CANCEL sip:a@b SIP/2.0\r\n\r\n",
	    "REGISTER sip:b SIP/2.0\r\n\r\n",
	    "OPTIONS sip:a@b SIP/2.0\r\n\r\n",
	    "SIP/2.0 200 OK\r\n\r\n", "not SIP at all" };
	static const char *const drop[] = {
	    "SUBSCRIBE sip:a@b SIP/2.0\r\n\r\n",
	    "NOTIFY sip:a@b SIP/2.0\r\n\r\n", "INFO sip:a@b SIP/2.0\r\n\r\n",
	    "UPDATE sip:a@b SIP/2.0\r\n\r\n", "REFER sip:a@b SIP/2.0\r\n\r\n",
	    "MESSAGE sip:a@b SIP/2.0\r\n\r\n",
	    "INVITEX sip:a@b SIP/2.0\r\n\r\n" };
	const struct alg_behavior *b = alg_behavior_find("drop-methods");
	const struct alg_behavior *other = alg_behavior_find("asa-cline");
	size_t i;

	(void)state;
	assert_non_null(b);
	for (i = 0; i < sizeof(pass) / sizeof(pass[0]); i++)
		assert_int_equal(alg_drops(b, (const uint8_t *)pass[i],
		    strlen(pass[i])), 0);
	for (i = 0; i < sizeof(drop) / sizeof(drop[0]); i++) {
		assert_int_equal(alg_drops(b, (const uint8_t *)drop[i],
		    strlen(drop[i])), 1);
		assert_int_equal(alg_drops(other, (const uint8_t *)drop[i],
		    strlen(drop[i])), 0);
	}
}

/* port-shift: outbound the m= port moves by 10000 (its Content-Length
 * still right), the addresses translated; inbound no port moves. */
static void
test_port_shift(void **state)
{
	char in[2048];
	size_t n = invite(in, sizeof(in)), olen, body;
	unsigned changed;
	long said;
	int cut;

	(void)state;
	assert_int_equal(run("port-shift", 1, in, n, &olen, &changed, &cut), 0);
	assert_non_null(strstr(out, "m=audio 59170 RTP/AVP 0\r\n"));
	assert_null(strstr(out, "49170"));
	assert_non_null(strstr(out, "c=IN IP4 203.0.113.2"));
	assert_true(changed & ALG_E_SDP_M);
	lengths(out, olen, &said, &body);
	assert_int_equal((size_t)said, body);
	assert_int_equal(run("port-shift", 0, in, n, &olen, &changed, &cut), 0);
	assert_non_null(strstr(out, "m=audio 49170 RTP/AVP 0\r\n"));
	assert_false(changed & ALG_E_SDP_M);
	/* No other behaviour moves a port. */
	assert_int_equal(run("asa-cline", 1, in, n, &olen, &changed, &cut), 0);
	assert_non_null(strstr(out, "m=audio 49170"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_asa_cline),
		cmocka_unit_test(test_contact_only),
		cmocka_unit_test(test_callid_both_ways),
		cmocka_unit_test(test_content_length_left),
		cmocka_unit_test(test_cut_body),
		cmocka_unit_test(test_not_sip),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_drop_methods),
		cmocka_unit_test(test_port_shift),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
