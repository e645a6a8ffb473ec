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
#include <sys/socket.h>

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

/* Every field of 'rep' is in docs/report.md with its type. */
static void
assert_documented(const struct report *rep)
{
	struct field_doc d;
	json_t *o = report_to_json(rep);

	assert_int_equal(field_doc_load(&d, SRCDIR "/docs/report.md", stderr),
	    0);
	assert_int_equal(field_doc_check(&d, o, "browser", stderr), 0);
	field_doc_free(&d);
	json_decref(o);
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
	assert_documented(&rep);
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

/* The page's webrtc member as check.js sends it. */
static json_t *
webrtc_msg(int connected)
{
	return json_pack("{s:{s:b, s:b, s:s, s:f, s:f, s:{s:s, s:s, s:s, s:i, "
	    "s:i, s:f}, s:{s:i, s:i, s:f}, s:{s:i}, s:{s:f, s:f, s:f}}}",
	    "webrtc", "run", 1, "connected", connected, "state",
	    connected ? "connected" : "timeout", "connect_ms", 120.0,
	    "media_ms", 8000.0, "pair", "local_type", "host", "remote_type",
	    "host", "protocol", "udp", "local_port", 40000, "remote_port", 10000,
	    "rtt_ms", 1.5, "inbound", "packets_received", 398,
	    "packets_lost", 2, "jitter_ms", 1.2, "outbound", "packets_sent",
	    400, "remote_inbound", "fraction_lost", 0.0, "jitter_ms", 0.8,
	    "rtt_ms", 1.6);
}

/* pinholed's view: ports offered, checks on each, what it received. */
static void
webrtc_srv(struct browser_results *br, uint32_t checks_hi)
{
	struct browser_webrtc_srv *s = &br->wsrv;
	static const uint16_t ports[4] = { 10000, 12666, 15333, 18000 };
	size_t i;

	br->webrtc_available = 1;
	s->offered = 1;
	s->nports = 4;
	for (i = 0; i < 4; i++) {
		s->ports[i] = ports[i];
		s->port_checks[i] = i < 2 ? 5 : checks_hi;
		s->checks += s->port_checks[i];
	}
	s->have_pair = s->dtls = s->have_stats = 1;
	s->pair_port = 10000;
	s->peer_port = 40000;
	s->pair_family = AF_INET;
	s->up.rx.sent = s->up.rx.received = 400;
	s->up.rx.burstr = 1;
	s->up.rx.jitter_ms = 0.5;
	s->up.rtt_us = RTP_UNKNOWN;
}

/* The page's figures and pinholed's view; 'udp' 0: no UDP port got a
 * check. */
static void
webrtc_case(struct browser_results *br, int connected, int udp)
{
	json_t *msg = webrtc_msg(connected);

	memset(br, 0, sizeof(*br));
	assert_int_equal(browser_results_read(msg, br), 0);
	json_decref(msg);
	webrtc_srv(br, udp ? 4 : 0);
	if (!udp) {
		memset(br->wsrv.port_checks, 0, sizeof(br->wsrv.port_checks));
		br->wsrv.checks = 0;
	}
}

/* browser.webrtc of 'br', in 'rep' (freed by the caller). */
static const struct report_check *
webrtc_judge(struct report *rep, const struct browser_results *br)
{
	report_init(rep);
	assert_int_equal(browser_report_add(rep, "web", br), 0);
	return find(rep, "browser.webrtc");
}

static void
test_webrtc(void **state)
{
	struct browser_results br;
	struct report rep;
	const struct report_check *c;
	const json_t *ev;
	json_t *msg;

	/* Open path: MOS both ways, pass, every field documented. */
	webrtc_case(&br, 1, 1);
	assert_non_null(c = webrtc_judge(&rep, &br));
	assert_int_equal(c->verdict, VERDICT_PASS);
	ev = c->evidence;
	assert_true(json_real_value(json_object_get(json_object_get(ev, "up"),
	    "mos")) >= 4.0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(ev,
	    "down"), "lost")), 2);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    ev, "pair"), "protocol")), "udp");
	assert_documented(&rep);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    ev, "pair"), "family")), "ipv4");
	assert_non_null(strstr(c->summary, "s over udp to port 10000)"));
	report_free(&rep);

	/* The page reached pinholed over IPv6: the pair's family is said. */
	webrtc_case(&br, 1, 1);
	br.wsrv.pair_family = AF_INET6;
	assert_non_null(c = webrtc_judge(&rep, &br));
	assert_int_equal(c->verdict, VERDICT_PASS);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    c->evidence, "pair"), "family")), "ipv6");
	assert_non_null(strstr(c->summary, "s over IPv6 udp to port 10000)"));
	report_free(&rep);

	/* Ports above 15000 got no check: fail, naming them. */
	webrtc_srv(&br, 0);
	br.wsrv.checks = 10;
	c = webrtc_judge(&rep, &br);
	assert_int_equal(c->verdict, VERDICT_FAIL);
	assert_non_null(strstr(c->summary, "media passes on UDP 10000, 12666 "
	    "of the offered ports, none on UDP 15333, 18000: MOS"));
	assert_non_null(strstr(c->remedy, "whole media range"));
	report_free(&rep);

	/* UDP blocked, media over ICE-TCP on 443: fail, and it says so. */
	webrtc_case(&br, 1, 0);
	br.wsrv.tcp_port = 443;
	br.wsrv.checks = br.wsrv.tcp_checks = 3;
	br.wsrv.pair_tcp = 1;
	br.wsrv.pair_port = 443;
	c = webrtc_judge(&rep, &br);
	assert_int_equal(c->verdict, VERDICT_FAIL);
	assert_non_null(strstr(c->summary, "media did not pass over UDP (no ICE "
	    "check reached UDP 10000, 12666, 15333, 18000); it passed over TCP "
	    "443 (ICE-TCP): MOS"));
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    c->evidence, "pair"), "protocol")), "tcp");
	report_free(&rep);

	/* The page's audio did not start (no click): nothing concluded. */
	memset(&br, 0, sizeof(br));
	msg = json_pack("{s:{s:b, s:b}}", "webrtc", "run", 1, "audio", 0);
	assert_int_equal(browser_results_read(msg, &br), 0);
	json_decref(msg);
	br.webrtc_available = 1;
	c = webrtc_judge(&rep, &br);
	assert_int_equal(c->verdict, VERDICT_SKIP);
	assert_non_null(strstr(c->summary, "audio did not start"));
	report_free(&rep);

	/* ICE never connected, no check came: media did not pass over UDP. */
	webrtc_case(&br, 0, 0);
	br.wsrv.have_pair = br.wsrv.dtls = 0;
	c = webrtc_judge(&rep, &br);
	assert_int_equal(c->verdict, VERDICT_FAIL);
	assert_non_null(strstr(c->summary, "media did not pass over UDP"));
	assert_non_null(strstr(c->remedy, "UDP 10000, 12666, 15333, 18000"));
	report_free(&rep);
}

/* The page's relay-only connections: one relays media, one got no
 * candidate, one connected nowhere; credentials sent by mistake are not
 * read. */
static void
test_relay(void **state)
{
	struct browser_results br;
	struct report rep;
	const struct report_check *c;
	json_t *msg = webrtc_msg(1), *relay, *o;
	char *dump;

	relay = json_pack("[{s:s, s:s, s:b, s:s, s:s, s:b, s:b, s:s, s:f, "
	    "s:{s:s, s:s, s:s}, s:{s:i, s:i, s:f}, s:{s:i}}, "
	    "{s:s, s:s, s:b, s:i, s:s, s:b, s:b}, "
	    "{s:s, s:s, s:b, s:b, s:b, s:s}, {s:s}]",
	    "transport", "udp", "url", "turn:relay.example.com:3478?transport=udp",
	    "candidate", 1, "credential", "pw-never-in-report", "username",
	    "1:pinhole", "run", 1, "connected", 1, "state", "connected",
	    "media_ms", 8000.0, "pair", "local_type", "relay", "remote_type",
	    "host", "protocol", "udp", "inbound", "packets_received", 400,
	    "packets_lost", 0, "jitter_ms", 1.0, "outbound", "packets_sent", 400,
	    "transport", "tcp", "url", "turn:relay.example.com:3478?transport=tcp",
	    "candidate", 0, "error_code", 701, "error_text", "TURN host lookup "
	    "received error.", "run", 1, "connected", 0,
	    "transport", "tls", "url", "turns:relay.example.com:443?transport=tcp",
	    "candidate", 1, "run", 1, "connected", 0, "state", "failed",
	    "transport", "carrier-pigeon");
	json_object_set_new(msg, "relay", relay);
	memset(&br, 0, sizeof(br));
	assert_int_equal(browser_results_read(msg, &br), 0);
	json_decref(msg);
	webrtc_srv(&br, 4);
	br.relay_offered = 1;
	br.relay[BROWSER_RELAY_UDP].srv = br.wsrv;
	br.relay[BROWSER_RELAY_TLS].srv.offered = 1;
	report_init(&rep);
	assert_int_equal(browser_report_add(&rep, "web", &br), 0);
	assert_non_null(c = find(&rep, "relay.udp"));
	assert_int_equal(c->verdict, VERDICT_PASS);
	assert_non_null(strstr(c->summary, "relays media (TURN over UDP"));
	assert_non_null(c = find(&rep, "relay.tcp"));
	assert_int_equal(c->verdict, VERDICT_FAIL);
	assert_string_equal(json_string_value(json_object_get(c->evidence,
	    "step")), "gather");
	assert_non_null(strstr(c->summary, "error 701 TURN host lookup"));
	assert_non_null(c = find(&rep, "relay.tls"));
	assert_int_equal(c->verdict, VERDICT_FAIL);
	assert_string_equal(json_string_value(json_object_get(c->evidence,
	    "step")), "connect");
	o = report_to_json(&rep);
	dump = json_dumps(o, 0);
	assert_null(strstr(dump, "pw-never-in-report"));
	assert_null(strstr(dump, "1:pinhole"));
	{
		struct field_doc d;

		assert_int_equal(field_doc_load(&d, SRCDIR "/docs/report.md",
		    stderr), 0);
		assert_int_equal(field_doc_check(&d, o, "relay", stderr), 0);
		field_doc_free(&d);
	}
	free(dump);
	json_decref(o);
	report_free(&rep);

	/* pinholed names no relays: no relay entries at all. */
	br.relay_offered = 0;
	report_init(&rep);
	assert_int_equal(browser_report_add(&rep, "web", &br), 0);
	assert_null(find(&rep, "relay.udp"));
	report_free(&rep);
}

/* turns: gives no relay candidate while turn: over TCP to the same host
 * does: TLS refused or intercepted, with the remedy that says so; to
 * another host, or with TCP failing too, a plain gather failure. */
static void
test_relay_tls(void **state)
{
	static const struct {
		const char *tcp_url;
		int tcp_candidate;
		const char *failed;	/* NULL: json null */
	} cases[] = {
		{ "turn:[2001:db8::13]:3478?transport=tcp", 1,
		    "TLS refused or intercepted" },
		{ "turn:[2001:db8::14]:3478?transport=tcp", 1, NULL },
		{ "turn:[2001:db8::13]:3478?transport=tcp", 0, NULL },
	};
	struct browser_results br;
	struct report rep;
	const struct report_check *c;
	json_t *msg, *relay;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		msg = webrtc_msg(1);
		relay = json_pack("[{s:s, s:s, s:b, s:b, s:b}, "
		    "{s:s, s:s, s:b, s:i, s:s, s:b, s:b}]",
		    "transport", "tcp", "url", cases[i].tcp_url, "candidate",
		    cases[i].tcp_candidate, "run", 1, "connected", 0,
		    "transport", "tls", "url", "turns:[2001:db8::13]:443"
		    "?transport=tcp", "candidate", 0, "error_code", 701,
		    "error_text", "TURN server not reachable", "run", 1,
		    "connected", 0);
		json_object_set_new(msg, "relay", relay);
		memset(&br, 0, sizeof(br));
		assert_int_equal(browser_results_read(msg, &br), 0);
		json_decref(msg);
		br.relay_offered = 1;
		report_init(&rep);
		assert_int_equal(browser_report_add(&rep, "web", &br), 0);
		assert_non_null(c = find(&rep, "relay.tls"));
		assert_int_equal(c->verdict, VERDICT_FAIL);
		assert_string_equal(json_string_value(json_object_get(
		    c->evidence, "step")), "gather");
		if (cases[i].failed != NULL) {
			assert_string_equal(json_string_value(json_object_get(
			    c->evidence, "failed")), cases[i].failed);
			assert_true(strncmp(c->summary, cases[i].failed,
			    strlen(cases[i].failed)) == 0);
			assert_non_null(strstr(c->summary, "error 701"));
			assert_non_null(strstr(c->remedy, "TLS inspection"));
		} else {
			assert_true(json_is_null(json_object_get(c->evidence,
			    "failed")));
			assert_null(strstr(c->summary, "TLS refused"));
			assert_non_null(strstr(c->remedy, "Allow TURN over TLS"));
		}
		report_free(&rep);
	}
}

/* The page's results with "candidates" 'cands' (stolen), the call up on
 * UDP 10000; pinholed saw 'chk' checks on each offered port. */
static void
webrtc_cands(struct browser_results *br, json_t *cands, const uint32_t chk[4])
{
	json_t *msg = webrtc_msg(1);
	size_t i;

	json_object_set_new(json_object_get(msg, "webrtc"), "candidates",
	    cands);
	memset(br, 0, sizeof(*br));
	assert_int_equal(browser_results_read(msg, br), 0);
	json_decref(msg);
	webrtc_srv(br, 0);
	br->wsrv.checks = 0;
	for (i = 0; i < 4; i++)
		br->wsrv.checks += br->wsrv.port_checks[i] = chk[i];
}

/* The ports of evidence array 'key' as "10000 12666". */
static const char *
ev_ports(const json_t *ev, const char *key, char *buf, size_t len)
{
	const json_t *v;
	size_t i, off = 0;

	buf[0] = '\0';
	json_array_foreach(json_object_get(ev, key), i, v)
		off += (size_t)snprintf(buf + off, len - off, "%s%lld",
		    i ? " " : "", (long long)json_integer_value(v));
	return buf;
}

static void
test_webrtc_untested(void **state)
{
	static const uint32_t only_first[4] = { 7, 0, 0, 0 };
	static const uint32_t two[4] = { 7, 3, 0, 0 };
	struct browser_results br;
	struct report rep;
	const struct report_check *c;
	const json_t *p1;
	char buf[64];

	/* No NAT on the browser's path: it checked 10000 only, the others
	 * are not tried, never a failure. */
	webrtc_cands(&br, json_pack("[{s:i, s:s, s:i, s:i, s:s}, "
	    "{s:i, s:s, s:i, s:i, s:s}, {s:i, s:s, s:i, s:i}]",
	    "port", 10000, "protocol", "udp", "requests_sent", 7,
	    "responses_received", 7, "state", "succeeded",
	    "port", 12666, "protocol", "udp", "requests_sent", 0,
	    "responses_received", 0, "state", "waiting",
	    "port", 443, "protocol", "tcp", "requests_sent", 0,
	    "responses_received", 0), only_first);
	assert_non_null(c = webrtc_judge(&rep, &br));
	assert_int_equal(c->verdict, VERDICT_PASS);
	assert_non_null(strstr(c->summary, "; not tried by the browser: UDP "
	    "12666, 15333, 18000 (it sent no ICE check there"));
	assert_string_equal(ev_ports(c->evidence, "ports_untested", buf,
	    sizeof(buf)), "12666 15333 18000");
	assert_string_equal(ev_ports(c->evidence, "ports_blocked", buf,
	    sizeof(buf)), "");
	assert_string_equal(ev_ports(c->evidence, "ports_unreached", buf,
	    sizeof(buf)), "12666 15333 18000");
	p1 = json_array_get(json_object_get(c->evidence, "ports"), 1);
	assert_string_equal(json_string_value(json_object_get(p1, "status")),
	    "untested");
	assert_int_equal(json_integer_value(json_object_get(p1,
	    "browser_requests")), 0);
	assert_documented(&rep);
	report_free(&rep);

	/* Checks sent to 15333 came to nothing, and 12666's were never
	 * answered: both blocked, 18000 untested. */
	webrtc_cands(&br, json_pack("[{s:i, s:s, s:i, s:i}, {s:i, s:s, s:i, "
	    "s:i}, {s:i, s:s, s:i, s:i}]", "port", 10000, "protocol", "udp",
	    "requests_sent", 7, "responses_received", 7, "port", 12666,
	    "protocol", "udp", "requests_sent", 3, "responses_received", 0,
	    "port", 15333, "protocol", "udp", "requests_sent", 4,
	    "responses_received", 0), two);
	assert_non_null(c = webrtc_judge(&rep, &br));
	assert_int_equal(c->verdict, VERDICT_FAIL);
	assert_non_null(strstr(c->summary, "media passes on UDP 10000 of the "
	    "offered ports, none on UDP 12666, 15333: MOS"));
	assert_non_null(strstr(c->summary, "not tried by the browser: UDP "
	    "18000 "));
	assert_string_equal(ev_ports(c->evidence, "ports_blocked", buf,
	    sizeof(buf)), "12666 15333");
	assert_string_equal(ev_ports(c->evidence, "ports_reached", buf,
	    sizeof(buf)), "10000 12666");
	report_free(&rep);
}

/* "candidates" as hostile input: what is not a bounded count is dropped. */
static void
test_webrtc_cands_hostile(void **state)
{
	struct browser_webrtc_page pg;
	json_t *w = json_pack("{s:[{s:i, s:s, s:i, s:i}, {s:i, s:s, s:i, s:i}, "
	    "{s:i, s:s, s:f, s:i}, {s:i, s:s, s:s, s:i}, {s:i, s:s, s:i, s:i}, "
	    "{s:i, s:s, s:f, s:i}, {s:i, s:s, s:i, s:i}, {s:i, s:s, s:i, s:i}, "
	    "{s:i, s:s, s:i, s:i}, s]}", "candidates",
	    "port", 70000, "protocol", "udp", "requests_sent", 1,
	    "responses_received", 1,
	    "port", 10000, "protocol", "sctp", "requests_sent", 1,
	    "responses_received", 1,
	    "port", 10000, "protocol", "udp", "requests_sent", 2.5,
	    "responses_received", 1,
	    "port", 10000, "protocol", "udp", "requests_sent", "5",
	    "responses_received", 1,
	    "port", 10000, "protocol", "udp", "requests_sent", -1,
	    "responses_received", 1,
	    "port", 10000, "protocol", "udp", "requests_sent", 1e300,
	    "responses_received", 1,
	    "port", 10000, "protocol", "udp", "requests_sent", 900000,
	    "responses_received", 2,
	    "port", 10000, "protocol", "udp", "requests_sent", 900000,
	    "responses_received", 3,
	    "port", 0, "protocol", "tcp", "requests_sent", 1,
	    "responses_received", 1, "junk");
	json_t *many = json_array();
	int i;

	browser_webrtc_read(w, &pg);
	assert_true(pg.have_cands);
	assert_int_equal(pg.ncands, 1);
	assert_int_equal(pg.cands[0].port, 10000);
	assert_false(pg.cands[0].tcp);
	assert_int_equal(pg.cands[0].requests, BROWSER_WEBRTC_CHECKS);
	assert_int_equal(pg.cands[0].responses, 5);
	json_decref(w);

	/* More ports than it keeps: the first BROWSER_WEBRTC_CANDS. */
	for (i = 0; i < 40; i++)
		json_array_append_new(many, json_pack("{s:i, s:s, s:i, s:i}",
		    "port", 1000 + i, "protocol", i % 2 ? "tcp" : "udp",
		    "requests_sent", 1, "responses_received", 0));
	w = json_pack("{s:o}", "candidates", many);
	browser_webrtc_read(w, &pg);
	assert_int_equal(pg.ncands, BROWSER_WEBRTC_CANDS);
	assert_int_equal(pg.cands[BROWSER_WEBRTC_CANDS - 1].port,
	    1000 + BROWSER_WEBRTC_CANDS - 1);
	json_decref(w);

	/* Not an array: not listed, and the ports are read as before. */
	w = json_pack("{s:s}", "candidates", "all open");
	browser_webrtc_read(w, &pg);
	assert_false(pg.have_cands);
	assert_int_equal(pg.ncands, 0);
	json_decref(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_unreported_and_bad),
		cmocka_unit_test(test_webrtc),
		cmocka_unit_test(test_relay),
		cmocka_unit_test(test_relay_tls),
		cmocka_unit_test(test_webrtc_untested),
		cmocka_unit_test(test_webrtc_cands_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
