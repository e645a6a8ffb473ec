/* test_sdp.c - WebRTC offers decoded, and the answer built for them. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sdp.h"

/* An aiortc offer (addresses changed to documentation ones). */
static const char aiortc_offer[] =
    "v=0\r\n"
    "o=- 4005117002 4005117002 IN IP4 0.0.0.0\r\n"
    "s=-\r\n"
    "t=0 0\r\n"
    "a=group:BUNDLE 0\r\n"
    "a=msid-semantic:WMS *\r\n"
    "m=audio 35732 UDP/TLS/RTP/SAVPF 96 0 8\r\n"
    "c=IN IP4 192.0.2.2\r\n"
    "a=sendrecv\r\n"
    "a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid\r\n"
    "a=mid:0\r\n"
    "a=rtcp:9 IN IP4 0.0.0.0\r\n"
    "a=rtcp-mux\r\n"
    "a=ssrc:1675876130 cname:02332254-1a0e-44b0-bd9c-9b1f1a29ebcc\r\n"
    "a=rtpmap:96 opus/48000/2\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=candidate:f957a2332b1715da 1 udp 2130706431 192.0.2.2 35732 typ host\r\n"
    "a=end-of-candidates\r\n"
    "a=ice-ufrag:CIk2\r\n"
    "a=ice-pwd:7cQhT1Fi3glkOd5rxGWr2L\r\n"
    "a=fingerprint:sha-256 09:43:69:01:2E:D0:F3:6F:DE:1E:9B:02:12:21:56:D1:"
    "63:F0:08:94:5C:E1:04:A0:76:EF:6B:B5:5B:83:E3:7A\r\n"
    "a=setup:actpass\r\n";

/* A browser's shape: session-level credentials, three sections, LF only. */
static const char browser_offer[] =
    "v=0\n"
    "o=- 1 2 IN IP4 127.0.0.1\n"
    "s=-\n"
    "t=0 0\n"
    "a=group:BUNDLE 0 1 2\n"
    "a=ice-ufrag:abcd\n"
    "a=ice-pwd:0123456789abcdefghijkl\n"
    "a=fingerprint:sha-1 00:11\n"
    "a=fingerprint:sha-256 00:01:02:03:04:05:06:07:08:09:0a:0b:0c:0d:0e:0f:"
    "10:11:12:13:14:15:16:17:18:19:1a:1b:1c:1d:1e:1f\n"
    "a=setup:actpass\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96 97\n"
    "a=mid:1\n"
    "a=rtcp-mux\n"
    "a=rtpmap:96 VP8/90000\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 0\n"
    "a=mid:0\n"
    "a=recvonly\n"
    "a=rtcp-mux\n"
    "a=rtpmap:111 OPUS/48000/2\n"
    "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\n"
    "a=mid:2\n";

static void
test_aiortc(void **state)
{
	static const uint8_t fp0[4] = { 0x09, 0x43, 0x69, 0x01 };
	struct sdp_offer o;

	(void)state;
	assert_int_equal(sdp_offer_decode(aiortc_offer, strlen(aiortc_offer),
	    &o), 0);
	assert_int_equal(o.nmedia, 1);
	assert_int_equal(o.audio, 0);
	assert_string_equal(o.ufrag, "CIk2");
	assert_string_equal(o.pwd, "7cQhT1Fi3glkOd5rxGWr2L");
	assert_true(o.have_fingerprint);
	assert_memory_equal(o.fingerprint, fp0, 4);
	assert_int_equal(o.fingerprint[31], 0x7a);
	assert_int_equal(o.setup, SDP_SETUP_ACTPASS);
	assert_int_equal(o.dir, SDP_SENDRECV);
	assert_int_equal(o.opus_pt, 96);
	assert_true(o.rtcp_mux);
	assert_true(o.bundle);
	assert_string_equal(o.media[0].mid, "0");
}

static void
test_browser(void **state)
{
	struct sdp_offer o;

	(void)state;
	assert_int_equal(sdp_offer_decode(browser_offer, strlen(browser_offer),
	    &o), 0);
	assert_int_equal(o.nmedia, 3);
	assert_int_equal(o.audio, 1);
	assert_string_equal(o.ufrag, "abcd");
	assert_int_equal(o.fingerprint[0], 0);
	assert_int_equal(o.fingerprint[31], 0x1f);
	assert_int_equal(o.opus_pt, 111);
	assert_int_equal(o.dir, SDP_RECVONLY);
	assert_string_equal(o.media[2].type, "application");
	assert_string_equal(o.media[2].fmt, "webrtc-datachannel");
	assert_true(o.bundle);
}

static void
test_answer(void **state)
{
	static const struct sdp_cand cands[3] = {
		{ "192.0.2.1", 10000, 0 }, { "192.0.2.1", 10005, 0 },
		{ "192.0.2.1", 443, 1 } };
	struct sdp_answer_params p;
	struct sdp_offer o, back;
	struct dbuf b;
	char *s;

	(void)state;
	assert_int_equal(sdp_offer_decode(browser_offer, strlen(browser_offer),
	    &o), 0);
	memset(&p, 0, sizeof(p));
	p.sess_id = 42;
	p.ufrag = "ourufrag";
	p.pwd = "0123456789012345678901";
	memset(p.fingerprint, 0xab, sizeof(p.fingerprint));
	p.ssrc = 7;
	p.cands = cands;
	p.ncands = 3;
	dbuf_init(&b, SDP_MAX_LEN);
	assert_int_equal(sdp_answer_build(&o, &p, &b), 0);
	assert_int_equal(dbuf_add(&b, "", 1), 0);
	s = (char *)b.b;
	/* RFC 6544 4.5: a passive ICE-TCP candidate, after the UDP ones. */
	assert_non_null(strstr(s, " 192.0.2.1 10005 typ host\r\na=candidate:3 "
	    "1 tcp "));
	assert_non_null(strstr(s, " 192.0.2.1 443 typ host tcptype passive\r\n"));
	assert_non_null(strstr(s, "v=0\r\n"));
	assert_non_null(strstr(s, "\r\na=ice-lite\r\n"));
	assert_non_null(strstr(s, "\r\na=group:BUNDLE 0\r\n"));
	assert_non_null(strstr(s, "\r\nm=video 0 UDP/TLS/RTP/SAVPF 96\r\n"));
	assert_non_null(strstr(s, "\r\nm=audio 10000 UDP/TLS/RTP/SAVPF 111\r\n"));
	assert_non_null(strstr(s, "\r\nm=application 0 UDP/DTLS/SCTP "
	    "webrtc-datachannel\r\n"));
	assert_true(strstr(s, "m=video") < strstr(s, "m=audio"));
	assert_true(strstr(s, "m=audio") < strstr(s, "m=application"));
	assert_non_null(strstr(s, "\r\na=sendonly\r\n"));	/* recvonly */
	assert_non_null(strstr(s, "\r\na=setup:passive\r\n"));
	assert_non_null(strstr(s, "\r\na=rtcp-mux\r\n"));
	assert_non_null(strstr(s, "\r\na=rtpmap:111 opus/48000/2\r\n"));
	assert_non_null(strstr(s, "\r\na=ice-ufrag:ourufrag\r\n"));
	assert_non_null(strstr(s, "\r\na=fingerprint:sha-256 AB:AB:"));
	assert_non_null(strstr(s, "\r\na=candidate:1 1 udp 2130706431 "
	    "192.0.2.1 10000 typ host\r\n"));
	assert_non_null(strstr(s, "\r\na=candidate:2 1 udp 2130706175 "
	    "192.0.2.1 10005 typ host\r\n"));
	/* The answer is an SDP our own decoder reads (setup aside). */
	assert_int_equal(sdp_offer_decode(s, b.len - 1, &back), -ENOTSUP);
	dbuf_free(&b);
}

static void
test_refused(void **state)
{
	char buf[SDP_MAX_LEN + 2];
	struct sdp_offer o;
	const char *p;
	size_t n;

	(void)state;
	n = strlen(aiortc_offer);
	memcpy(buf, aiortc_offer, n + 1);
	/* passive offerer: we cannot be passive too */
	memcpy(strstr(buf, "setup:actpass"), "setup:passive", 13);
	assert_int_equal(sdp_offer_decode(buf, n, &o), -ENOTSUP);
	/* no opus */
	memcpy(buf, aiortc_offer, n + 1);
	memcpy(strstr(buf, "opus/48000/2"), "opus/48000/1", 12);
	assert_int_equal(sdp_offer_decode(buf, n, &o), -ENOTSUP);
	/* no rtcp-mux */
	memcpy(buf, aiortc_offer, n + 1);
	memcpy(strstr(buf, "a=rtcp-mux"), "a=rtcp-mix", 10);
	assert_int_equal(sdp_offer_decode(buf, n, &o), -ENOTSUP);
	/* a fingerprint cut short, a NUL, a line that is not x=, no v=0 */
	memcpy(buf, aiortc_offer, n + 1);
	memcpy(strstr(buf, ":7A\r\n"), "\r\n\r\n\r\n", 5);
	assert_int_equal(sdp_offer_decode(buf, n, &o), -EBADMSG);
	memcpy(buf, aiortc_offer, n + 1);
	buf[40] = '\0';
	assert_int_equal(sdp_offer_decode(buf, n, &o), -EBADMSG);
	p = "v=0\r\nhello\r\n";
	assert_int_equal(sdp_offer_decode(p, strlen(p), &o), -EBADMSG);
	p = "o=- 1 1 IN IP4 0.0.0.0\r\nv=0\r\n";
	assert_int_equal(sdp_offer_decode(p, strlen(p), &o), -EBADMSG);
	assert_int_equal(sdp_offer_decode("", 0, &o), -EBADMSG);
	/* a short password, an ufrag with a bad character */
	memcpy(buf, aiortc_offer, n + 1);
	memcpy(strstr(buf, "ice-pwd:7cQ"), "ice-pwd:7\r\n", 11);
	assert_int_equal(sdp_offer_decode(buf, n, &o), -EBADMSG);
	memcpy(buf, aiortc_offer, n + 1);
	memcpy(strstr(buf, "ice-ufrag:CIk2"), "ice-ufrag:CI;2", 14);
	assert_int_equal(sdp_offer_decode(buf, n, &o), -EBADMSG);
	/* too long */
	memset(buf, 'a', sizeof(buf));
	assert_int_equal(sdp_offer_decode(buf, sizeof(buf), &o), -EMSGSIZE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aiortc),
		cmocka_unit_test(test_browser),
		cmocka_unit_test(test_answer),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
