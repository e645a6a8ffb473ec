/*
 * test_report_text.c - the text report's family renderers, on reports that
 * the lab's scenarios wrote (tests/unit/data/reports/): what each family
 * says of its evidence, the summary table, and that every line fits 80
 * columns without raw JSON.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "report.h"
#include "report_text.h"

#define REPORTS SRCDIR "/tests/unit/data/reports/"

/* The text report of a kept lab report; the caller frees it. */
static char *
render(const char *name, int flags)
{
	struct report r;
	json_error_t e;
	json_t *o;
	char path[512], *buf = NULL;
	size_t len = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s%s.json", REPORTS, name);
	assert_non_null(o = json_load_file(path, 0, &e));
	assert_int_equal(report_from_json(o, &r), 0);
	json_decref(o);
	assert_non_null(f = open_memstream(&buf, &len));
	assert_int_equal(report_render_text(&r, f, flags), 0);
	fclose(f);
	report_free(&r);
	return buf;
}

/* Every line at most 80 characters; no JSON leaks into the default text. */
static void
assert_readable(const char *buf, int verbose)
{
	const char *p = buf, *nl;
	char line[1024];

	while (*p != '\0') {
		nl = strchr(p, '\n');
		assert_non_null(nl);
		snprintf(line, sizeof(line), "%.*s", (int)(nl - p), p);
		if (text_width(line) > 80)
			fail_msg("line of %zu characters: %s", text_width(line),
			    line);
		p = nl + 1;
	}
	if (!verbose) {
		assert_null(strstr(buf, "null"));
		assert_null(strstr(buf, "_s:"));
		assert_null(strstr(buf, "answer_from_other"));
		assert_null(strstr(buf, "received_bytes"));
		assert_null(strstr(buf, "(null)"));
	}
}

static void
test_sipalg(void **state)
{
	char *b = render("nat-alg-udp", 0);

	assert_readable(b, 0);
	assert_memory_equal(b, "verdict: fail (7 pass, 2 warn, 1 fail, 8 skip, "
	    "0 error) in 3.", 52);
	assert_non_null(strstr(b, "\n  FAIL sip-alg.udp.5060         rewritten "
	    "6 out, 2 in (Via, From, Contact,\n"
	    "                                Content-Length, sdp.o, sdp.c, "
	    "Request-URI, To)\n"));
	assert_non_null(strstr(b, "\n  PASS sip-alg.udp.5062         unchanged "
	    "both ways\n"));
	assert_non_null(strstr(b, "  Outbound (to the server), as sent → as "
	    "received:\n    Via, From, Contact, sdp.o, sdp.c (REGISTER, "
	    "INVITE):\n      192.168.1.10 → 203.0.113.2\n    Content-Length "
	    "(INVITE): 212 → 210\n"));
	assert_non_null(strstr(b, "    Request-URI, To (REGISTER, INVITE): "
	    "203.0.113.2 → 192.168.1.10\n"));
	/* The table comes before any detail, passes get no detail. */
	assert_true(strstr(b, "sip-alg.tcp.5062") < strstr(b,
	    "What did not pass"));
	assert_null(strstr(strstr(b, "What did not pass"), "sip-alg.udp.5062"));
	free(b);
}

static void
test_sipsize(void **state)
{
	char *b = render("sip-udp-size", 0);

	assert_readable(b, 0);
	assert_non_null(strstr(b, "\nSIP size\n  WARN sip.udp-size        "
	    "     up to 1472 bytes both ways; fragments dropped\n"));
	assert_non_null(strstr(b, "  Outbound, to the server (bytes): intact "
	    "637, 1200, 1400, 1472; lost 1500,\n      2000, 3000, 4000.\n"));
	assert_non_null(strstr(b, "  Inbound, to our mapping (bytes): intact "
	    "634, 1200, 1400, 1472; lost 1500,\n      2000, 3000, 4000.\n"));
	assert_non_null(strstr(b, "  SIP over UDP larger than 1472 bytes needs "
	    "IP fragments (a 1500-byte MTU\n    assumed, and 28 bytes of IP "
	    "and UDP headers).\n"));
	assert_non_null(strstr(b, "  Remedy: An INVITE with a large SDP"));
	free(b);
	b = render("sip-udp-size", REPORT_VERBOSE);
	assert_readable(b, 1);
	assert_non_null(strstr(b, "largest_ok: 1472"));
	free(b);
}

static void
test_udptimeout(void **state)
{
	char *b = render("udp-timeout-sip-helper", 0);

	assert_readable(b, 0);
	assert_non_null(strstr(b, "  FAIL udp-timeout              established "
	    "15 s, unreplied 8 s; needs 120 s\n"));
	assert_non_null(strstr(b, "\n                    udp/3478 (STUN)     "
	    "udp/5060 (SIP)\n    unreplied       8 s                 more than "
	    "20 s\n    established     15 s                more than 20 s\n"));
	assert_non_null(strstr(b, "  Packets from outside keep a binding "
	    "alive: yes.\n"));
	assert_non_null(strstr(b, "  Measured up to 20 s, to within 1 s, in "
	    "22.8 s.\n"));
	free(b);
}

/* The web phone's four hosts on TCP 443: a line each, with its host and
 * its own verdict, and the blocked one's evidence naming its host. */
static void
test_reach_endpoints(void **state)
{
	char *b = render("reach-endpoints", 0);

	(void)state;
	assert_readable(b, 0);
	assert_non_null(strstr(b, "  PASS reach.tcp.out.443.signaling-gll\n"
	    "                                 chunderw-gll.twilio.com: open 443\n"));
	assert_non_null(strstr(b, "  PASS reach.tcp.out.443.signaling-vpc-gll\n"
	    "                                 chunderw-vpc-gll.twilio.com: open "
	    "443\n"));
	assert_non_null(strstr(b, "  FAIL reach.tcp.out.443.signaling-us1\n"
	    "                                 chunderw-vpc-gll-us1.twilio.com: "
	    "blocked 443;\n"
	    "                                 open none\n"));
	assert_non_null(strstr(b, "  PASS reach.tcp.out.443.insights\n"
	    "                                 eventgw.twilio.com: open 443\n"));
	assert_non_null(strstr(b, "\nFAIL reach.tcp.out.443.signaling-us1\n"
	    "  TLS handshake tcp out to chunderw-vpc-gll-us1.twilio.com: blocked "
	    "443\n  Probed with: TLS handshake, to "
	    "chunderw-vpc-gll-us1.twilio.com.\n"));
	free(b);
}

static void
test_reach(void **state)
{
	char *b = render("reach-blocked", 0);

	assert_readable(b, 0);
	assert_non_null(strstr(b, "  FAIL reach.tcp.out.5060-5066  blocked 5063; "
	    "open 5060-5062, 5064-5066\n"));
	assert_non_null(strstr(b, "  Refused (a reset or ICMP unreachable): "
	    "5063.\n"));
	assert_non_null(strstr(b, "  Blocked: 1-65535.\n"));
	free(b);
	b = render("reach-in-server-cap", 0);
	assert_readable(b, 0);
	assert_non_null(strstr(b, "  The server's connection to 5061-5066: too "
	    "many CONNECTs in flight.\n"));
	assert_non_null(strstr(b, "  Not tried by the server: 5061-5066 (this "
	    "says nothing about the network).\n"));
	free(b);
	b = render("reach-proxy", 0);
	assert_readable(b, 0);
	assert_non_null(strstr(b, "  Dropped (no answer before the timeout): "
	    "80.\n  Port 80: works through the proxy"));
	free(b);
}

static void
test_nat(void **state)
{
	char *b = render("layers-cgnat", 0);

	assert_readable(b, 0);
	assert_non_null(strstr(b, "  FAIL nat.layers               2 NATs (at "
	    "most 1), one a carrier NAT\n"));
	assert_non_null(strstr(b, "\n     1  192.168.1.1      private, "
	    "192.168/16\n     2  100.64.0.1       shared, 100.64/10\n"));
	assert_non_null(strstr(b, "  NAT-PMP: the gateway does not speak "
	    "NAT-PMP.\n"));
	free(b);
	b = render("nat-alg-udp", 0);
	assert_non_null(strstr(b, "  WARN nat.filtering            "
	    "address-and-port-dependent\n"));
	assert_non_null(strstr(b, "  An answer from the server's other address "
	    "and port was kept out.\n"));
	assert_non_null(strstr(b, "  PASS nat.present              NAT: "
	    "192.168.1.10 is seen as 203.0.113.2\n"));
	free(b);
}

/* media.rtp, media.capacity and qos.dscp, from calls on loopback. */
static void
test_media(void **state)
{
	char *b = render("media-loopback", 0);

	assert_readable(b, 0);
	assert_non_null(strstr(b, "\nMedia\n  PASS media.rtp       MOS "
	    "4.37/4.37, loss 0.0%/0.0% (up/down)\n  PASS media.capacity  4 of "
	    "4 calls at once good\n"));
	assert_non_null(strstr(b, "\nQoS\n  PASS qos.dscp        EF 46: up 46 "
	    "(intact), down 46 (intact)\n"));
	assert_null(strstr(b, "What did not pass"));
	free(b);

	/* 2% dropped each way, udp/20000 dropped upstream, DSCP cleared. */
	b = render("media-loopback-impaired", 0);
	assert_readable(b, 0);
	assert_non_null(strstr(b, "  FAIL media.rtp       MOS 4.10/4.19, loss "
	    "2.6%/1.8% (up/down); blocked up 20000\n"));
	assert_non_null(strstr(b, "  FAIL media.capacity  0 of 4 calls at once "
	    "good; at 1: loss 3.5%, MOS 4.00\n"));
	assert_non_null(strstr(b, "  WARN qos.dscp        EF 46: up 0 "
	    "(bleached), down 0 (bleached)\n"));
	assert_non_null(strstr(b, "  No media upstream (to the server) on 1 of "
	    "16 media ports: 20000.\n"));
	assert_non_null(strstr(b, "  The test call, 10 s on udp/14666 (from "
	    "port 17493); round trip 0.037 ms:\n"
	    "           sent  recv  loss%  disc%  jitter  IPDV99 burst     R "
	    "  MOS  limit\n"
	    "    up      500   487    2.6    0.0    0.02    0.05     1  82.2 "
	    " 4.10  loss\n"
	    "    down    500   491    1.8    0.0    0.02    0.05     1  84.7 "
	    " 4.19  loss\n"));
	assert_non_null(strstr(b, "  Upstream: sent 46, arrived as 0 (bleached) "
	    "in 487 of 487 packets.\n"));
	assert_non_null(strstr(b, "    calls  good  poor  refused  loss% up / "
	    "down  MOS up / down\n        1    no     1        0        3.0 / "
	    "3.5    4.06 / 4.00\n"));
	free(b);
}

/* -v: the full evidence of every check, passes too, still in 80 columns. */
static void
test_verbose(void **state)
{
	char *b = render("nat-alg-udp", REPORT_VERBOSE);

	assert_readable(b, 1);
	assert_non_null(strstr(b, "\nFull evidence\n"));
	assert_non_null(strstr(b, "  answer_from_other_address_and_port: "
	    "false\n"));
	assert_non_null(strstr(b, "\nPASS sip-alg.tcp.5062\n"));
	free(b);
}

/* Every kept report renders readably. */
static void
test_all_reports(void **state)
{
	static const char *const names[] = { "nat-alg-udp-tcp",
	    "nat-behavior-symmetric", "nat-behavior-full-cone", "layers-upnp",
	    "layers-double-nat", "reach-in-blocked", "reach-in-forwarded",
	    "reach-middlebox", "reach-dns", "reach-endpoints",
	    "udp-timeout-split",
	    "routed-no-nat", "media-loopback", "media-loopback-impaired" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *b = render(names[i], 0);

		assert_readable(b, 0);
		assert_memory_equal(b, "verdict: ", 9);
		free(b);
		b = render(names[i], REPORT_VERBOSE);
		assert_readable(b, 1);
		free(b);
	}
}

static void
test_helpers(void **state)
{
	struct text_out t = { NULL, 0, 20 };
	json_t *ports = json_pack("[i, i, i, i, i]", 5064, 5060, 5061, 5062,
	    7000);
	char buf[256], *s = NULL;
	size_t len = 0;

	assert_string_equal(text_port_ranges(ports, buf, sizeof(buf)),
	    "5060-5062, 5064, 7000");
	json_decref(ports);
	assert_string_equal(text_num(182.77699999999999, buf, sizeof(buf)),
	    "182.777");
	assert_string_equal(text_num(2.0, buf, sizeof(buf)), "2");
	assert_string_equal(text_secs(22.764, buf, sizeof(buf)), "22.8 s");
	assert_string_equal(text_secs(124.6, buf, sizeof(buf)), "125 s");
	assert_int_equal(text_width("a → b"), 5);
	/* Wrapped at words, continuation indented, long words cut. */
	assert_non_null(t.f = open_memstream(&s, &len));
	text_para(&t, 2, 2, "one two three four five %s", "abcdefghijklmnopqrstuvwxyz");
	fclose(t.f);
	assert_string_equal(s, "  one two three four\n    five\n"
	    "    abcdefghijklmnop\n    qrstuvwxyz\n");
	free(s);
	/* From where the cursor stands, continued under it; empty: a newline. */
	assert_non_null(t.f = open_memstream(&s, &len));
	fputs("ab", t.f);
	text_put_wrapped(&t, 2, 4, "one two three four");
	text_put_wrapped(&t, 0, 4, "");
	fclose(t.f);
	assert_string_equal(s, "ab  one two three\n    four\n\n");
	free(s);
	/* Families by id prefix, the longest first. */
	assert_ptr_equal(report_family_find("nat.layers"),
	    &report_family_layers);
	assert_ptr_equal(report_family_find("nat.hairpin"), &report_family_nat);
	assert_ptr_equal(report_family_find("sip-alg.udp.5060"),
	    &report_family_sipalg);
	assert_ptr_equal(report_family_find("sip.udp-size"),
	    &report_family_sipsize);
	assert_null(report_family_find("sip.udp"));
	assert_null(report_family_find("natx"));
	assert_ptr_equal(report_family_find("qos.dscp"), &report_family_qos);
	assert_ptr_equal(report_family_find("media.capacity"),
	    &report_family_media);
	assert_null(report_family_find("qos.wmm"));
}

/*
 * The summary table wraps what a row says under its column, whole (the
 * key figure and the reason a check was skipped are never cut), and
 * breaks an id too long for the line after a '.' or '-'.
 */
static void
test_table_wraps(void **state)
{
	static const char long_id[] = "reach.tcp.out.443.signaling-vpc-gll-"
	    "us1-and-a-name-longer-than-any-line.example";
	struct report r;
	char *b = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	report_init(&r);
	report_add(&r, "udp-timeout", "UDP timeout", VERDICT_FAIL, NULL, NULL,
	    "udp-timeout established more than 120 s, unreplied more than "
	    "30 s; needs 180 s");
	report_add(&r, "reach.udp.in.1-65535", "Reachability", VERDICT_SKIP,
	    NULL, NULL, "not measured: Operation not permitted (a sweep of "
	    "more than 64 ports is received with a raw socket, so as root or "
	    "with CAP_NET_RAW)");
	report_add(&r, "reach.udp.out.10000-20000", "Reachability",
	    VERDICT_SKIP, NULL, NULL, "not run (--skip reach)");
	report_add(&r, long_id, "Reachability", VERDICT_SKIP, NULL, NULL,
	    "not run");
	assert_non_null(f = open_memstream(&b, &len));
	assert_int_equal(report_render_text(&r, f, 0), 0);
	fclose(f);
	report_free(&r);
	assert_readable(b, 0);
	assert_non_null(strstr(b, "\nUDP timeout\n"
	    "  FAIL udp-timeout               udp-timeout established more "
	    "than 120 s,\n"
	    "                                 unreplied more than 30 s; needs "
	    "180 s\n"));
	assert_non_null(strstr(b, "\nReachability\n"
	    "  SKIP reach.udp.in.1-65535      not measured: Operation not "
	    "permitted (a sweep\n"
	    "                                 of more than 64 ports is "
	    "received with a raw\n"
	    "                                 socket, so as root or with "
	    "CAP_NET_RAW)\n"
	    "  SKIP reach.udp.out.10000-20000\n"
	    "                                 not run (--skip reach)\n"
	    "  SKIP reach.tcp.out.443.signaling-vpc-gll-us1-and-a-name-longer-"
	    "than-any-line.\n"
	    "         example\n"
	    "                                 not run\n"));
	assert_null(strstr(b, "..."));
	free(b);
}

/* The inbound sweep's detail says how many ports it sent to: a sample,
 * when only a sample was tried, never "every port". */
static void
test_inbound_sample(void **state)
{
	struct report r;
	char *b = NULL;
	size_t len = 0;
	json_t *ev;
	FILE *f;
	int sampled;

	(void)state;
	for (sampled = 0; sampled <= 128; sampled += 128) {
		report_init(&r);
		ev = json_pack("{s:s, s:s, s:s, s:i, s:i, s:i, s:s, s:s}",
		    "open", "", "blocked", "1-65535", "source", "203.0.113.10",
		    "sent_from_port", 19333, "passes", 2, "arrived", 0,
		    "receiver", "raw socket", "spoken", "UDP");
		if (sampled > 0)
			json_object_set_new(ev, "sampled",
			    json_integer(sampled));
		report_add(&r, "reach.udp.in.1-65535", "Reachability",
		    VERDICT_FAIL, ev, NULL, "blocked");
		assert_non_null(f = open_memstream(&b, &len));
		assert_int_equal(report_render_text(&r, f, 0), 0);
		fclose(f);
		report_free(&r);
		assert_non_null(strstr(b, sampled > 0 ?
		    "The server sent a datagram to each of 128 sampled ports" :
		    "The server sent a datagram to every port"));
		free(b);
		b = NULL;
	}
}

static void
test_relay(void **state)
{
	char *b = render("relay-tls-intercepted", 0);

	(void)state;
	assert_readable(b, 0);
	assert_non_null(strstr(b, "tls: TLS intercepted at tls"));
	assert_non_null(strstr(b, "Certificate issued by"));
	assert_non_null(strstr(b, "inspecting-firewall"));
	assert_non_null(strstr(b, "udp: MOS "));
	free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sipalg),
		cmocka_unit_test(test_sipsize),
		cmocka_unit_test(test_udptimeout),
		cmocka_unit_test(test_reach),
		cmocka_unit_test(test_reach_endpoints),
		cmocka_unit_test(test_nat),
		cmocka_unit_test(test_media),
		cmocka_unit_test(test_relay),
		cmocka_unit_test(test_verbose),
		cmocka_unit_test(test_all_reports),
		cmocka_unit_test(test_helpers),
		cmocka_unit_test(test_table_wraps),
		cmocka_unit_test(test_inbound_sample),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
