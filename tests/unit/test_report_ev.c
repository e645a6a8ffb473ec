/*
 * test_report_ev.c - the one reader of evidence (report_ev.h): defaults for
 * absent fields and wrong types, bounds, non-finite and huge numbers; and
 * the report file loader (report_load_file()), strict and partial.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "report.h"
#include "report_ev.h"

static json_t *
ev_fixture(void)
{
	json_t *o = json_loads("{\"s\": \"text\", \"i\": 42, \"neg\": -7, "
	    "\"r\": 2.5, \"r2\": -2.5, \"big\": 1e300, \"small\": -1e300, "
	    "\"t\": true, \"f\": false, \"n\": null, \"o\": {\"k\": 1}, "
	    "\"a\": [1, 2]}", 0, NULL);

	assert_non_null(o);
	return o;
}

static void
test_ev_str_bool(void **state)
{
	json_t *o = ev_fixture();

	(void)state;
	assert_string_equal(ev_str(o, "s"), "text");
	assert_null(ev_str(o, "i"));
	assert_null(ev_str(o, "n"));
	assert_null(ev_str(o, "missing"));
	assert_null(ev_str(NULL, "s"));
	assert_null(ev_str(json_object_get(o, "a"), "s"));
	assert_int_equal(ev_bool(o, "t"), 1);
	assert_int_equal(ev_bool(o, "f"), 0);
	assert_int_equal(ev_bool(o, "n"), -1);
	assert_int_equal(ev_bool(o, "i"), -1);
	assert_int_equal(ev_bool(o, "missing"), -1);
	assert_int_equal(ev_bool(NULL, "t"), -1);
	json_decref(o);
}

static void
test_ev_int(void **state)
{
	json_t *o = ev_fixture();

	(void)state;
	assert_int_equal(ev_int(o, "i", -1), 42);
	assert_int_equal(ev_int(o, "neg", 0), -7);
	/* A real is rounded to the nearest, halves away from zero. */
	assert_int_equal(ev_int(o, "r", -1), 3);
	assert_int_equal(ev_int(o, "r2", 0), -3);
	/* Past long long: held at its ends, never undefined. */
	assert_true(ev_int(o, "big", 0) == LLONG_MAX);
	assert_true(ev_int(o, "small", 0) == LLONG_MIN);
	assert_int_equal(ev_int(o, "s", -9), -9);
	assert_int_equal(ev_int(o, "t", -9), -9);
	assert_int_equal(ev_int(o, "n", -9), -9);
	assert_int_equal(ev_int(o, "missing", -9), -9);
	assert_int_equal(ev_int(NULL, "i", -9), -9);
	json_decref(o);
}

static void
test_ev_real(void **state)
{
	json_t *o = ev_fixture();

	(void)state;
	assert_true(ev_real(o, "r", 0) == 2.5);
	assert_true(ev_real(o, "i", 0) == 42.0);
	assert_true(ev_real(o, "s", -1) == -1);
	assert_true(ev_real(o, "n", -1) == -1);
	assert_true(ev_real(o, "missing", -1) == -1);
	assert_true(isnan(ev_real(o, "o", NAN)));
	/* Bounds are inclusive; outside them is the default, not clamped. */
	assert_true(ev_real_in(o, "i", 0, 42, -1) == 42);
	assert_true(ev_real_in(o, "i", 43, 100, -1) == -1);
	assert_true(ev_real_in(o, "neg", 0, 100, -1) == -1);
	assert_true(ev_real_in(o, "neg", -7, 0, 1) == -7);
	assert_true(ev_real_in(o, "big", 0, 1e9, -1) == -1);
	assert_true(ev_real_in(o, "small", -INFINITY, 0, 1) == -1e300);
	assert_true(ev_real_in(o, "t", 0, 1, -1) == -1);
	json_decref(o);
}

/*
 * A non-finite number never reaches the reader: jansson refuses to hold
 * one, and its parser refuses one that overflows.  The reader checks all
 * the same (report_ev.c), for a value built by other means.
 */
static void
test_ev_nonfinite(void **state)
{
	json_error_t je;
	json_t *o;

	(void)state;
	assert_null(json_real(INFINITY));
	assert_null(json_real(NAN));
	o = json_real(1);
	assert_int_equal(json_real_set(o, -INFINITY), -1);
	assert_true(json_real_value(o) == 1);
	json_decref(o);
	assert_null(json_loads("{\"x\": 1e400}", 0, &je));
	assert_null(json_loads("{\"x\": NaN}", 0, &je));
	o = json_loads("{\"x\": -1e308}", 0, NULL);
	assert_true(ev_int(o, "x", 0) == LLONG_MIN);
	assert_true(ev_real_in(o, "x", 0, 1e9, -1) == -1);
	json_decref(o);
}

static void
test_ev_obj_arr(void **state)
{
	json_t *o = ev_fixture();

	(void)state;
	assert_ptr_equal(ev_obj(o, "o"), json_object_get(o, "o"));
	assert_null(ev_obj(o, "a"));
	assert_null(ev_obj(o, "n"));
	assert_ptr_equal(ev_arr(o, "a"), json_object_get(o, "a"));
	assert_null(ev_arr(o, "o"));
	assert_null(ev_arr(o, "missing"));
	/* Fields of what is not there are absent, down any depth. */
	assert_int_equal(ev_int(ev_obj(o, "a"), "k", 5), 5);
	assert_int_equal(ev_int(ev_obj(o, "o"), "k", 5), 1);
	json_decref(o);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
test_load_file(void **state)
{
	char path[] = "/tmp/pinhole-test-ev-XXXXXX", err[256];
	struct report r;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	close(fd);
	/* A check with no section: refused whole, kept when partial. */
	write_file(path, "{\"schema\": \"" REPORT_SCHEMA "\", \"checks\": ["
	    "{\"id\": \"nat.layers\", \"verdict\": \"fail\", \"evidence\": "
	    "{\"count\": 2}}, {\"id\": \"x\", \"verdict\": \"maybe\"}, "
	    "{\"verdict\": \"pass\"}], \"duration_s\": -1}");
	assert_int_equal(report_load_file(path, 0, &r, err, sizeof(err)),
	    -EBADMSG);
	assert_non_null(strstr(err, "not a " REPORT_SCHEMA " report"));
	assert_int_equal(r.nchecks, 0);
	assert_int_equal(report_load_file(path, REPORT_LOAD_PARTIAL, &r, err,
	    sizeof(err)), 0);
	assert_int_equal(r.nchecks, 1);
	assert_string_equal(r.checks[0].id, "nat.layers");
	assert_string_equal(r.checks[0].section, "");
	assert_int_equal(r.checks[0].verdict, VERDICT_FAIL);
	assert_int_equal(ev_int(r.checks[0].evidence, "count", -1), 2);
	assert_true(r.duration_s == 0);
	report_free(&r);
	/* Another schema, partial or not, is no report. */
	write_file(path, "{\"schema\": \"other/1\", \"checks\": []}");
	assert_int_equal(report_load_file(path, REPORT_LOAD_PARTIAL, &r, err,
	    sizeof(err)), -EBADMSG);
	write_file(path, "{\"schema\": ");
	assert_int_equal(report_load_file(path, 0, &r, err, sizeof(err)),
	    -EBADMSG);
	assert_true(strncmp(err, path, strlen(path)) == 0);
	unlink(path);
	assert_int_equal(report_load_file(path, 0, &r, err, sizeof(err)),
	    -ENOENT);
	assert_non_null(strstr(err, ": cannot open: "));
	assert_int_equal(report_load_file("/", 0, &r, err, sizeof(err)),
	    -EISDIR);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ev_str_bool),
		cmocka_unit_test(test_ev_int),
		cmocka_unit_test(test_ev_real),
		cmocka_unit_test(test_ev_nonfinite),
		cmocka_unit_test(test_ev_obj_arr),
		cmocka_unit_test(test_load_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
