/* test_profile.c - the shipped profiles and every kind of error. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "profile.h"

static void
test_ip_phones(void **state)
{
	struct profile_error err;
	struct profile *p;
	char cidr[64];
	size_t i;

	assert_int_equal(profile_load(SRCDIR "/profiles/ringio-ip-phones.ini",
	    &p, &err), 0);
	assert_string_equal(p->name, "ringio-ip-phones");
	assert_int_equal(p->sip_alg_off, 1);
	assert_int_equal(p->nsip_ports, 2);
	assert_int_equal(p->sip_ports[0], 5060);
	assert_int_equal(p->sip_ports[1], 5062);
	assert_int_equal(p->max_nat, 1);
	assert_int_equal(p->udp_timeout_min, 120);
	assert_int_equal(p->dscp, 46);
	assert_string_equal(p->dscp_name, "EF");
	assert_int_equal(p->nsources, 1);
	assert_string_equal(net_cidr_str(&p->sources[0], cidr, sizeof(cidr)),
	    "199.7.172.0/22");
	assert_int_equal(p->nendpoints, 4);
	assert_string_equal(p->endpoints[0].name, "inbound-udp");
	assert_int_equal(p->endpoints[0].proto, PROFILE_UDP);
	assert_int_equal(p->endpoints[0].port_lo, 1);
	assert_int_equal(p->endpoints[0].port_hi, 65535);
	assert_int_equal(p->endpoints[0].dir, PROFILE_IN);
	for (i = 0; i < p->nendpoints; i++)
		assert_true(p->endpoints[i].line > 0);
	assert_string_equal(p->endpoints[1].service, "sip");
	profile_free(p);
}

static void
test_others(void **state)
{
	static const char *const dirs[] = { SRCDIR "/profiles", NULL };
	struct profile_error err;
	struct profile *p;

	assert_int_equal(profile_find("ringio-desktop", dirs, &p, &err), 0);
	assert_int_equal(p->nendpoints, 4);
	assert_int_equal(p->endpoints[3].dir, PROFILE_BOTH);
	assert_int_equal(p->endpoints[3].port_lo, 5222);
	assert_int_equal(p->sip_alg_off, 0);
	assert_int_equal(p->dscp, -1);
	profile_free(p);
	assert_int_equal(profile_find("ringio-web-phone", dirs, &p, &err), 0);
	assert_int_equal(p->has_media, 1);
	assert_int_equal(p->media_lo, 10000);
	assert_int_equal(p->media_hi, 20000);
	assert_string_equal(p->endpoints[0].host, "chunderw-gll.twilio.com");
	profile_free(p);
	assert_int_equal(profile_find("sip-generic", dirs, &p, &err), 0);
	assert_int_equal(p->udp_timeout_min, 60);
	profile_free(p);
	assert_int_equal(profile_find("no-such-profile", dirs, &p, &err), -ENOENT);
	assert_int_equal(profile_find("Bad_Name", dirs, &p, &err), -EINVAL);
}

static void
expect_error(const char *text, int line, const char *msg)
{
	struct profile_error err;
	struct profile *p = NULL;

	assert_int_equal(profile_load_string(text, "t.ini", &p, &err), -EINVAL);
	assert_null(p);
	assert_string_equal(err.file, "t.ini");
	assert_int_equal(err.line, line);
	if (strstr(err.msg, msg) == NULL)
		fail_msg("'%s' does not contain '%s'", err.msg, msg);
}

#define HEAD "[profile]\nname = t\ntitle = T\n"

static void
test_errors(void **state)
{
	expect_error(HEAD "[bogus]\nx = 1\n", 5, "unknown section");
	expect_error(HEAD "colour = red\n", 4, "unknown key 'colour'");
	expect_error(HEAD "title = again\n", 4, "given twice");
	expect_error("x = 1\n", 1, "outside any section");
	expect_error(HEAD "[requirements]\nsip-alg = on\n", 5, "only requirement");
	expect_error(HEAD "[requirements]\nmax-nat = 0\n", 5, "max-nat");
	expect_error(HEAD "[requirements]\ndscp = XX\n", 5, "dscp");
	expect_error(HEAD "[requirements]\nudp-timeout-min = 1s\n", 5,
	    "udp-timeout-min");
	expect_error(HEAD "[requirements]\nsip-alg-ports = 5060 0\n", 5,
	    "sip-alg-ports");
	expect_error(HEAD "[sources]\nallow = 199.7.173.0/22\n", 5, "host bits");
	expect_error(HEAD "[media]\nudp = 20000-10000\n", 5, "port range");
	expect_error(HEAD "\n[endpoint a]\nproto = udp\nports = 70000\n", 7,
	    "ports");
	expect_error(HEAD "[endpoint a]\nproto = sctp\n", 5, "udp or tcp");
	expect_error(HEAD "[endpoint a]\nproto = udp\nports = 1\n", 4,
	    "needs proto, ports and direction");
	expect_error(HEAD "[endpoint a]\n", 4, "needs proto");
	expect_error(HEAD "[endpoint a]\nproto=udp\nports=1\ndirection=in\n"
	    "[endpoint a]\nproto=udp\n", 9, "defined twice");
	expect_error(HEAD "[endpoint A]\nproto = udp\n", 5, "endpoint name");
	expect_error(HEAD "[endpoint a]\nservice = ftp\n", 5, "service");
	expect_error(HEAD "[endpoint r]\nproto = tcp\nports = 443\n"
	    "direction = out\nservice = turns\n", 4, "needs the relay's host");
	expect_error(HEAD "[endpoint r]\nproto = udp\nports = 443\n"
	    "direction = out\nservice = turns\nhost = r.example\n", 4,
	    "proto = tcp");
	expect_error(HEAD "[endpoint r]\nproto = udp\nports = 3478-3481\n"
	    "direction = out\nservice = turn\nhost = r.example\n", 4,
	    "one port");
	expect_error(HEAD "[endpoint r]\nproto = udp\nports = 3478\n"
	    "direction = both\nservice = turn\nhost = r.example\n", 4,
	    "direction = out");
	expect_error(HEAD "this is not ini\n", 4, "key = value");
	expect_error("[profile]\nname = t\n", 1, "[profile] needs title");
	/* At the [profile] line, not at line 1. */
	expect_error("; a comment\n\n[profile]\ntitle = T\n", 3,
	    "[profile] needs name");
	expect_error("[requirements]\nmax-nat = 1\n", 0, "no [profile] section");
	expect_error(HEAD "[requirements]\nmax-nat =\n", 5, "empty value");
}

/* Relays: turn over UDP or TCP, turns over TLS; the others are not. */
static void
test_relays(void **state)
{
	struct profile_error err;
	struct profile *p = NULL;
	int tls = -1;

	(void)state;
	assert_int_equal(profile_load_string(HEAD
	    "[endpoint r-udp]\nproto = udp\nports = 3478\ndirection = out\n"
	    "service = turn\nhost = relay.example\n"
	    "[endpoint r-tls]\nproto = tcp\nports = 443\ndirection = out\n"
	    "service = turns\nhost = 192.0.2.7\n"
	    "[endpoint sig]\nproto = tcp\nports = 443\ndirection = out\n"
	    "service = tls\n", "t.ini", &p, &err), 0);
	assert_int_equal(p->nendpoints, 3);
	assert_true(profile_endpoint_relay(&p->endpoints[0], &tls));
	assert_int_equal(tls, 0);
	assert_string_equal(p->endpoints[0].host, "relay.example");
	assert_int_equal(p->endpoints[0].port_lo, 3478);
	assert_true(profile_endpoint_relay(&p->endpoints[1], &tls));
	assert_int_equal(tls, 1);
	assert_false(profile_endpoint_relay(&p->endpoints[2], NULL));
	profile_free(p);
}

static void
test_name_and_defaults(void **state)
{
	struct profile_error err;
	struct profile *p;

	assert_int_equal(profile_load_string(HEAD "[requirements]\n"
	    "sip-alg = off\ndscp = af41\n", "t.ini", &p, &err), 0);
	assert_int_equal(p->nsip_ports, 1);		/* default 5060 */
	assert_int_equal(p->sip_ports[0], 5060);
	assert_int_equal(p->dscp, 34);
	assert_string_equal(p->dscp_name, "AF41");
	assert_int_equal(p->max_nat, 0);
	profile_free(p);
	assert_int_equal(profile_dscp_parse("EF"), 46);
	assert_int_equal(profile_dscp_parse("CS3"), 24);
	assert_int_equal(profile_dscp_parse("63"), 63);
	assert_int_equal(profile_dscp_parse("64"), -EINVAL);
	assert_int_equal(profile_dscp_parse("CS8"), -EINVAL);
}

static int found;

/* The id of endpoint 'k' of 'p' is 'want'. */
static void
assert_id(const struct profile *p, size_t k, enum profile_dir dir,
    int qualify, const char *want)
{
	char id[PROFILE_ID_LEN];

	assert_int_equal(profile_endpoint_id(p, &p->endpoints[k], dir, qualify,
	    id, sizeof(id)), 0);
	assert_string_equal(id, want);
}

/* The web phone's four TCP 443 endpoints: one id each, by section name;
 * an endpoint alone on its proto, ports and direction keeps the bare id,
 * in each direction of a "both" endpoint. */
static void
test_endpoint_ids(void **state)
{
	static const char *const want[] = { "reach.tcp.out.443.signaling-gll",
	    "reach.tcp.out.443.signaling-vpc-gll",
	    "reach.tcp.out.443.signaling-us1", "reach.tcp.out.443.insights" };
	struct profile_error err;
	struct profile *p;
	char small[20];
	size_t i;

	(void)state;
	assert_int_equal(profile_load(SRCDIR "/profiles/ringio-web-phone.ini",
	    &p, &err), 0);
	assert_int_equal(p->nendpoints, 5);
	for (i = 0; i < 4; i++)
		assert_id(p, i, PROFILE_OUT, 0, want[i]);
	assert_id(p, 4, PROFILE_OUT, 0, "reach.udp.out.10000-20000");
	assert_id(p, 4, PROFILE_IN, 0, "reach.udp.in.10000-20000");
	assert_id(p, 0, PROFILE_OUT, 1,
	    "reach.tcp.out.443.ringio-web-phone.signaling-gll");
	assert_int_equal(profile_endpoint_id(p, &p->endpoints[0], PROFILE_OUT,
	    0, small, sizeof(small)), -ENAMETOOLONG);
	assert_false(profile_endpoint_same_target(&p->endpoints[0],
	    &p->endpoints[1]));
	assert_true(profile_endpoint_same_target(&p->endpoints[4],
	    &p->endpoints[4]));
	profile_free(p);

	/* Only the endpoints that share the direction are told apart. */
	assert_int_equal(profile_load_string("[profile]\nname = t\n"
	    "title = T\n[endpoint a]\nproto = udp\nports = 5060\n"
	    "direction = both\n[endpoint b]\nproto = udp\nports = 5060\n"
	    "direction = in\n", "t.ini", &p, &err), 0);
	assert_id(p, 0, PROFILE_OUT, 0, "reach.udp.out.5060");
	assert_id(p, 0, PROFILE_IN, 0, "reach.udp.in.5060.a");
	assert_id(p, 1, PROFILE_IN, 0, "reach.udp.in.5060.b");
	profile_free(p);
}

/* device: the endpoint's, else the profile's, else the default; several
 * profiles' devices said once each. */
static void
test_device(void **state)
{
	static const char *const files[] = { "ringio-ip-phones",
	    "ringio-desktop", "ringio-web-phone", "sip-generic" };
	static const char *const want[] = { "the phones",
	    "the computers running the desktop app", "the browsers",
	    "the phones" };
	struct profile_error err;
	struct profile *pp[4];
	char path[256], buf[256];
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/profiles/%s.ini", SRCDIR,
		    files[i]);
		assert_int_equal(profile_load(path, &pp[i], &err), 0);
		assert_string_equal(profile_device(pp[i], NULL), want[i]);
	}
	assert_int_equal(profile_devices(pp, 4, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "the phones, the computers running the "
	    "desktop app and the browsers");
	assert_int_equal(profile_devices(pp + 2, 1, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "the browsers");
	assert_int_equal(profile_devices(pp, 0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, PROFILE_DEVICE_DEFAULT);
	assert_int_equal(profile_devices(pp, 2, buf, 12), -ENAMETOOLONG);
	for (i = 0; i < 4; i++)
		profile_free(pp[i]);

	assert_int_equal(profile_load_string("[profile]\nname = t\n"
	    "title = T\ndevice = the phones\n[endpoint x]\nproto = tcp\n"
	    "ports = 5222\ndirection = both\ndevice = the computers\n"
	    "[endpoint y]\nproto = tcp\nports = 80\ndirection = out\n",
	    "t.ini", &pp[0], &err), 0);
	assert_string_equal(profile_device(pp[0], &pp[0]->endpoints[0]),
	    "the computers");
	assert_string_equal(profile_device(pp[0], &pp[0]->endpoints[1]),
	    "the phones");
	profile_free(pp[0]);
	assert_string_equal(profile_device(NULL, NULL), PROFILE_DEVICE_DEFAULT);

	assert_int_equal(profile_load_string("[profile]\nname = t\n"
	    "title = T\ndevice = the\tphones\n", "t.ini", &pp[0], &err),
	    -EINVAL);
	assert_int_equal(err.line, 4);
	assert_non_null(strstr(err.msg, "device"));
}

static void
list_h(const struct profile *p, void *arg)
{
	found++;
}

static void
test_list(void **state)
{
	static const char *const dirs[] = { SRCDIR "/profiles",
	    SRCDIR "/profiles", NULL };

	found = 0;
	assert_int_equal(profile_list(dirs, list_h, NULL, NULL), 0);
	assert_int_equal(found, 4);		/* the second dir is shadowed */
}

/* Writes 'len' bytes of 'text' to a new temporary .ini file; its path in 'path'. */
static void
write_tmp(char *path, size_t plen, const char *text, size_t len)
{
	FILE *f;
	int fd;

	snprintf(path, plen, "/tmp/test_profile.XXXXXX.ini");
	assert_true((fd = mkstemps(path, 4)) >= 0);
	assert_non_null(f = fdopen(fd, "w"));
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void
test_file_errors(void **state)
{
	static const char binary[] = "[profile]\nname = t\ntitle = \0x\n";
	struct profile_error err;
	struct profile *p = NULL;
	char path[128], dir[64], buf[2048], *big;
	size_t bigsz = 1024 * 1024 + 10;

	/* A directory is said to be one, not an I/O error. */
	snprintf(dir, sizeof(dir), "/tmp/test_profile.XXXXXX");
	assert_non_null(mkdtemp(dir));
	assert_int_equal(profile_load(dir, &p, &err), -EISDIR);
	assert_null(p);
	assert_int_equal(err.line, 0);
	assert_non_null(strstr(err.msg, "is a directory"));
	snprintf(path, sizeof(path), "%s: is a", dir);
	profile_error_str(&err, buf, sizeof(buf));
	assert_int_equal(strncmp(buf, path, strlen(path)), 0);
	assert_int_equal(rmdir(dir), 0);

	/* A NUL byte: the line it is on. */
	write_tmp(path, sizeof(path), binary, sizeof(binary) - 1);
	assert_int_equal(profile_load(path, &p, &err), -EINVAL);
	assert_int_equal(err.line, 3);
	assert_non_null(strstr(err.msg, "not a text file"));
	unlink(path);

	/* Too large: no line, and the limit. */
	assert_non_null(big = malloc(bigsz));
	memset(big, '\n', bigsz);
	write_tmp(path, sizeof(path), big, bigsz);
	free(big);
	assert_int_equal(profile_load(path, &p, &err), -EFBIG);
	assert_int_equal(err.line, 0);
	assert_non_null(strstr(err.msg, "at most 1048576 bytes"));
	profile_error_str(&err, buf, sizeof(buf));
	assert_null(strstr(buf, ":0:"));
	unlink(path);

	/* Missing: the reason, no line. */
	assert_int_equal(profile_load("/nonexistent/x.ini", &p, &err), -ENOENT);
	assert_string_equal(profile_error_str(&err, buf, sizeof(buf)),
	    "/nonexistent/x.ini: cannot open: No such file or directory");
}

static void
test_not_found(void **state)
{
	static const char *const dirs[] = { "/nonexistent",
	    SRCDIR "/profiles", NULL };
	struct profile_error err;
	struct profile *p = NULL;

	/* The directories searched, and the nearest name. */
	assert_int_equal(profile_find("ringio-ip-phone", dirs, &p, &err),
	    -ENOENT);
	assert_null(p);
	assert_string_equal(err.file, "ringio-ip-phone");
	assert_int_equal(err.line, 0);
	assert_string_equal(err.msg, "no such profile in /nonexistent "
	    "(absent), " SRCDIR "/profiles; did you mean ringio-ip-phones?");
	assert_int_equal(profile_find("sip-generik", dirs, &p, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "did you mean sip-generic?"));
	/* Nothing near: no guess. */
	assert_int_equal(profile_find("xyzzy", dirs, &p, &err), -ENOENT);
	assert_null(strstr(err.msg, "did you mean"));
	assert_non_null(strstr(err.msg, SRCDIR "/profiles"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ip_phones),
		cmocka_unit_test(test_others),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_relays),
		cmocka_unit_test(test_name_and_defaults),
		cmocka_unit_test(test_endpoint_ids),
		cmocka_unit_test(test_device),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_file_errors),
		cmocka_unit_test(test_not_found),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
