/* test_alg_impact.c - what an ALG's changes do to calls, kind by kind. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "alg_impact.h"

/* Evidence: an outbound INVITE with 'rw' rewritten, 'msg' its messages. */
static json_t *
ev(const char *rw, const char *msg, const char *sym)
{
	char buf[2048];
	json_error_t je;
	json_t *o;

	snprintf(buf, sizeof(buf), "{\"outbound\":{\"rewritten\":[%s],"
	    "\"messages\":[%s]},\"inbound\":{\"rewritten\":[],\"messages\":[]},"
	    "\"symmetric_rtp\":%s}", rw, msg, sym);
	o = json_loads(buf, 0, &je);
	assert_non_null(o);
	return o;
}

#define CONTACT "{\"message\":\"INVITE\",\"element\":\"Contact\"," \
	"\"sent\":\"<sip:u@192.168.1.10:5060>\",\"received\":\"<sip:u@203.0.113.2:5060>\"}"
#define SDPC "{\"message\":\"INVITE\",\"element\":\"sdp.c\"," \
	"\"sent\":\"IN IP4 192.168.1.10\",\"received\":\"IN IP4 203.0.113.2\"}"
#define WHOLE "{\"method\":\"INVITE\",\"delivered\":true,\"truncated\":false,\"length_ok\":true}"

static void
judge(const char *rw, const char *msg, const char *sym, struct alg_impact *im,
    char *text, size_t len)
{
	json_t *o = ev(rw, msg, sym);

	alg_impact_judge(o, im);
	alg_impact_text(im, text, len);
	json_decref(o);
}

/* The Contact alone: the far end decides, and the sentence says so. */
static void
test_contact_only_far_end(void **state)
{
	struct alg_impact im;
	char t[1536];

	(void)state;
	judge(CONTACT, WHOLE, "null", &im, t, sizeof(t));
	assert_int_equal(im.outcome, ALG_CALLS_DEPEND);
	assert_true(im.kinds & ALG_K_SDP_KEPT);
	assert_non_null(strstr(t, "left the SDP's media address 192.168.1.10"));
	assert_non_null(strstr(t, "The profile does not say"));
	judge(CONTACT, WHOLE, "true", &im, t, sizeof(t));
	assert_int_equal(im.outcome, ALG_CALLS_WORK);
	assert_int_equal(im.breaks, 0);
	assert_non_null(strstr(t, "heard both ways"));
	judge(CONTACT, WHOLE, "false", &im, t, sizeof(t));
	assert_int_equal(im.outcome, ALG_CALLS_BREAK);
	assert_int_equal(im.breaks, ALG_B_ONE_WAY);
	assert_non_null(strstr(t, "one-way audio"));
}

/* c= with the signalling: consistent, o= left is harmless. */
static void
test_consistent_origin_kept(void **state)
{
	struct alg_impact im;
	json_t *j;
	char t[1536];

	(void)state;
	judge(CONTACT "," SDPC, WHOLE, "false", &im, t, sizeof(t));
	assert_int_equal(im.outcome, ALG_CALLS_WORK);
	assert_int_equal(im.kinds, ALG_K_ADDRESS | ALG_K_ORIGIN);
	assert_string_equal(im.to, "203.0.113.2");
	assert_non_null(strstr(t, "consistently to 203.0.113.2"));
	j = alg_impact_json(&im);
	assert_string_equal(json_string_value(json_object_get(j, "outcome")), "work");
	assert_int_equal(json_array_size(json_object_get(j, "changes")), 2);
	assert_true(json_is_false(json_object_get(j, "symmetric_rtp")));
	json_decref(j);
}

/* The same over IPv6 (a SIP helper on NAT66): bracketed literals in the
 * URIs and Via, "IN IP6" in the SDP, spelt differently but one address. */
#define CONTACT6 "{\"message\":\"INVITE\",\"element\":\"Contact\"," \
	"\"sent\":\"<sip:u@[fd00:1::10]:5060>\",\"received\":\"<sip:u@[2001:db8:ff::2]:5060>\"}"
#define VIA6 "{\"message\":\"INVITE\",\"element\":\"Via\"," \
	"\"sent\":\"SIP/2.0/UDP [fd00:1::10]:5060;rport\",\"received\":\"SIP/2.0/UDP [2001:DB8:FF:0::2]:5060;rport\"}"
#define SDPC6 "{\"message\":\"INVITE\",\"element\":\"sdp.c\"," \
	"\"sent\":\"IN IP6 fd00:1::10\",\"received\":\"IN IP6 2001:db8:ff::2\"}"

static void
test_ipv6_consistent(void **state)
{
	struct alg_impact im;
	char t[1536];

	(void)state;
	judge(CONTACT6 "," VIA6 "," SDPC6, WHOLE, "false", &im, t, sizeof(t));
	assert_int_equal(im.outcome, ALG_CALLS_WORK);
	assert_int_equal(im.kinds, ALG_K_ADDRESS | ALG_K_ORIGIN);
	assert_string_equal(im.to, "2001:db8:ff::2");
	assert_non_null(strstr(t, "consistently to 2001:db8:ff::2"));
	/* The SDP left: the far end sends media to the ULA address. */
	judge(CONTACT6 "," VIA6, WHOLE, "false", &im, t, sizeof(t));
	assert_int_equal(im.outcome, ALG_CALLS_BREAK);
	assert_non_null(strstr(t, "left the SDP's media address fd00:1::10"));
}

/*
 * A wrong Content-Length: calls depend on whether the receivers hold to
 * RFC 3261 18.3 (a real call through a lenient registrar and far end was
 * set up, heard both ways: tests/lab/scenarios/calls-alg-content-length.sh);
 * a cut or a dropped message breaks them.
 */
static void
test_length_and_cut(void **state)
{
	struct alg_impact im;
	char t[1536];

	(void)state;
	judge(CONTACT "," SDPC, "{\"method\":\"INVITE\",\"delivered\":true,"
	    "\"truncated\":false,\"length_ok\":false}", "true", &im, t, sizeof(t));
	assert_int_equal(im.outcome, ALG_CALLS_DEPEND);
	assert_true(im.kinds & ALG_K_LENGTH);
	assert_int_equal(im.breaks, 0);
	assert_non_null(strstr(t, "rewrote the addresses to 203.0.113.2 (it "
	    "left the SDP's o= line"));
	assert_non_null(strstr(t, "), but the Content-Length of the outbound "
	    "INVITE no longer matches"));
	assert_non_null(strstr(t, "lets that pass"));
	assert_non_null(strstr(t, "RFC 3261 18.3"));
	assert_null(strstr(t, "calls break"));
	assert_null(strstr(t, "cut short"));
	/* ... and with the SDP's address left, on the far end's media too. */
	judge(CONTACT, "{\"method\":\"INVITE\",\"delivered\":true,"
	    "\"truncated\":false,\"length_ok\":false}", "null", &im, t, sizeof(t));
	assert_int_equal(im.outcome, ALG_CALLS_DEPEND);
	assert_non_null(strstr(t, "The profile does not say"));
	assert_non_null(strstr(t, "; and the Content-Length"));
	/* ... and with the SDP's address left to a far end that follows the
	 * SDP, one-way audio whatever the receivers do. */
	judge(CONTACT, "{\"method\":\"INVITE\",\"delivered\":true,"
	    "\"truncated\":false,\"length_ok\":false}", "false", &im, t, sizeof(t));
	assert_int_equal(im.outcome, ALG_CALLS_BREAK);
	assert_int_equal(im.breaks, ALG_B_ONE_WAY);
	assert_non_null(strstr(t, "no longer matches its body too"));
	judge("", "{\"method\":\"REGISTER\",\"delivered\":true,\"truncated\":false,"
	    "\"length_ok\":true},{\"method\":\"INVITE\",\"delivered\":true,"
	    "\"truncated\":true,\"length_ok\":false}", "null", &im, t, sizeof(t));
	assert_int_equal(im.kinds, ALG_K_CUT);
	assert_int_equal(im.breaks, ALG_B_NO_MEDIA);
	assert_non_null(strstr(t, "outbound INVITE cut short"));
	judge("", "{\"method\":\"REGISTER\",\"delivered\":false}", "null", &im,
	    t, sizeof(t));
	assert_int_equal(im.kinds, ALG_K_DROPPED);
	assert_int_equal(im.breaks, ALG_B_MISSED);
}

/* Two addresses one way break; a change it does not judge is unknown. */
static void
test_split_and_unknown(void **state)
{
	struct alg_impact im;
	char t[1536];

	(void)state;
	judge(CONTACT ",{\"message\":\"INVITE\",\"element\":\"sdp.c\",\"sent\":"
	    "\"IN IP4 192.168.1.10\",\"received\":\"IN IP4 198.51.100.7\"}",
	    WHOLE, "null", &im, t, sizeof(t));
	assert_int_equal(im.outcome, ALG_CALLS_BREAK);
	assert_non_null(strstr(t, "203.0.113.2 and 198.51.100.7"));
	judge("{\"message\":\"INVITE\",\"element\":\"sdp.m\",\"sent\":"
	    "\"audio 49170 RTP/AVP 0\",\"received\":\"audio 1026 RTP/AVP 0\"}",
	    WHOLE, "true", &im, t, sizeof(t));
	assert_int_equal(im.outcome, ALG_CALLS_UNKNOWN);
	assert_non_null(strstr(t, "the SDP's media port"));
	assert_null(strstr(t, "calls can work"));
}

/* Methods dropped while the call's own pass: features fail, and each
 * one's loss is named; with a break of the calls too, both are said. */
static void
test_methods_dropped(void **state)
{
	static const char methods[] = "{\"outbound\":{\"rewritten\":[],"
	    "\"messages\":[" WHOLE "],\"methods\":["
	    "{\"method\":\"OPTIONS\",\"delivered\":true},"
	    "{\"method\":\"SUBSCRIBE\",\"delivered\":false},"
	    "{\"method\":\"NOTIFY\",\"delivered\":false},"
	    "{\"method\":\"REFER\",\"delivered\":false},"
	    "{\"method\":\"INFO\",\"delivered\":true}]},"
	    "\"inbound\":{\"rewritten\":[],\"messages\":[]},"
	    "\"symmetric_rtp\":null}";
	struct alg_impact im;
	json_error_t je;
	json_t *o, *j;
	char t[1536];

	(void)state;
	assert_non_null(o = json_loads(methods, 0, &je));
	alg_impact_judge(o, &im);
	alg_impact_text(&im, t, sizeof(t));
	assert_int_equal(im.outcome, ALG_CALLS_FEATURES);
	assert_true(im.kinds & ALG_K_METHODS);
	assert_int_equal(im.breaks, ALG_B_EVENTS | ALG_B_TRANSFER);
	assert_string_equal(im.methods, "SUBSCRIBE, NOTIFY, REFER");
	assert_non_null(strstr(t, "it drops SUBSCRIBE, NOTIFY, REFER: calls "
	    "are set up through it, but these fail: busy lamps"));
	assert_non_null(strstr(t, "call transfers (REFER)"));
	assert_null(strstr(t, "keepalives"));
	j = alg_impact_json(&im);
	assert_string_equal(json_string_value(json_object_get(j, "outcome")),
	    "features");
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(j, "breaks"), 0)), "events");
	json_decref(j);
	json_decref(o);
}

/* The SDP's media port moved: the outcome follows from whether the ALG
 * forwards it (probed) and, when not, from the far end. */
static void
test_media_port(void **state)
{
	static const char *const fwd[] = { "true", "false", "false", "false",
	    NULL };
	static const char *const sym[] = { "false", "false", "null", "true",
	    "false" };
	static const enum alg_outcome want[] = { ALG_CALLS_WORK,
	    ALG_CALLS_BREAK, ALG_CALLS_DEPEND, ALG_CALLS_WORK,
	    ALG_CALLS_UNKNOWN };
	static const char *const says[] = { "forwards 59170 to the phone",
	    "nothing forwards 59170 to the phone, and the profile says",
	    "calls are heard both ways only if the far end sends media back",
	    "but the provider sends media back",
	    "the SDP's media port in a way pinhole does not judge" };
	struct alg_impact im;
	json_error_t je;
	json_t *o;
	char buf[2048], t[1536];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		snprintf(buf, sizeof(buf), "{\"outbound\":{\"rewritten\":["
		    SDPC ",{\"message\":\"INVITE\",\"element\":\"sdp.m\","
		    "\"sent\":\"audio 49170 RTP/AVP 0 8 101\",\"received\":"
		    "\"audio 59170 RTP/AVP 0 8 101\"}],\"messages\":[" WHOLE
		    "]%s%s%s},\"inbound\":{\"rewritten\":[],\"messages\":[]},"
		    "\"symmetric_rtp\":%s}", fwd[i] ? ",\"media_port\":"
		    "{\"forwarded\":" : "", fwd[i] ? fwd[i] : "",
		    fwd[i] ? "}" : "", sym[i]);
		assert_non_null(o = json_loads(buf, 0, &je));
		alg_impact_judge(o, &im);
		alg_impact_text(&im, t, sizeof(t));
		assert_int_equal(im.outcome, want[i]);
		assert_true(im.kinds & ALG_K_PORT);
		assert_int_equal(im.port_sent, 49170);
		assert_int_equal(im.port_seen, 59170);
		assert_non_null(strstr(t, says[i]));
		json_decref(o);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_contact_only_far_end),
		cmocka_unit_test(test_consistent_origin_kept),
		cmocka_unit_test(test_ipv6_consistent),
		cmocka_unit_test(test_length_and_cut),
		cmocka_unit_test(test_split_and_unknown),
		cmocka_unit_test(test_methods_dropped),
		cmocka_unit_test(test_media_port),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
