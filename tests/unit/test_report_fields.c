/*
 * test_report_fields.c - every field that a report holds is documented in
 * docs/report.md with its type.  Run without arguments, it checks the
 * reports kept from the lab's scenarios in tests/unit/data/reports/ and
 * shows that the check fails on an undocumented field; with report files
 * as arguments (the lab passes each report it makes), it checks those and
 * exits 1 when a field is undocumented.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "report.h"
#include "report_fields.h"

#define DOC SRCDIR "/docs/report.md"
#define REPORTS SRCDIR "/tests/unit/data/reports"

static size_t
check_file(const struct field_doc *d, const char *path)
{
	json_error_t e;
	json_t *o = json_load_file(path, 0, &e);
	size_t bad;

	if (o == NULL) {
		fprintf(stderr, "%s: %s\n", path, e.text);
		return 1;
	}
	bad = field_doc_check(d, o, path, stderr);
	json_decref(o);
	return bad;
}

static void
test_lab_reports(void **state)
{
	struct field_doc d;
	struct dirent *de;
	DIR *dir;
	size_t files = 0, bad = 0;
	char path[1024];

	assert_int_equal(field_doc_load(&d, DOC, stderr), 0);
	assert_true(d.n > 100);
	assert_non_null(dir = opendir(REPORTS));
	while ((de = readdir(dir)) != NULL) {
		size_t n = strlen(de->d_name);

		if (n < 6 || strcmp(de->d_name + n - 5, ".json") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", REPORTS, de->d_name);
		bad += check_file(&d, path);
		files++;
	}
	closedir(dir);
	assert_true(files >= 10);
	assert_int_equal(bad, 0);
	field_doc_free(&d);
}

/* Fields the issue found undocumented: the check must catch such a field. */
static void
test_undocumented_fails(void **state)
{
	struct field_doc d;
	json_t *o;
	FILE *null = fopen("/dev/null", "w");

	assert_int_equal(field_doc_load(&d, DOC, stderr), 0);
	o = json_pack("{s:s, s:[{s:s, s:s, s:s, s:s, s:{s:s, s:s, s:[{s:i, "
	    "s:s}], s:s}}], s:i}", "schema", REPORT_SCHEMA, "checks",
	    "id", "reach.tcp.in.5060", "section", "Reachability",
	    "verdict", "fail", "summary", "x", "evidence",
	    "open", "", "blocked", "5060", "blocked_detail", "port", 5060,
	    "server_says", "refused", "untried", "", "extra_top", 1);
	assert_int_equal(field_doc_check(&d, o, "ok", null), 1);	/* extra_top */
	json_object_del(o, "extra_top");
	assert_int_equal(field_doc_check(&d, o, "ok", null), 0);
	/* untestable is a port list: a number there is the wrong type. */
	json_object_set_new(json_object_get(json_array_get(json_object_get(o,
	    "checks"), 0), "evidence"), "untestable", json_integer(3));
	assert_int_equal(field_doc_check(&d, o, "type", null), 1);
	/* A field nobody documented, deep in the evidence. */
	json_object_set_new(json_array_get(json_object_get(json_object_get(
	    json_array_get(json_object_get(o, "checks"), 0), "evidence"),
	    "blocked_detail"), 0), "server_whispers", json_string("x"));
	assert_int_equal(field_doc_check(&d, o, "deep", null), 2);
	json_decref(o);
	fclose(null);
	field_doc_free(&d);
}

/* A report built by the code, with every top-level field. */
static void
test_built_report(void **state)
{
	struct field_doc d;
	struct report r;
	json_t *o;

	assert_int_equal(field_doc_load(&d, DOC, stderr), 0);
	report_init(&r);
	report_set(&r, &r.server, "203.0.113.10");
	report_add_profile(&r, "ringio-ip-phones");
	report_add(&r, "nat.hairpin", "NAT", VERDICT_WARN, json_pack(
	    "{s:b, s:s, s:s}", "hairpin", 0, "target", "203.0.113.2:4000",
	    "session_lost", "the server closed the connection"), NULL, "x");
	o = report_to_json(&r);
	assert_int_equal(field_doc_check(&d, o, "built", stderr), 0);
	json_decref(o);
	report_free(&r);
	field_doc_free(&d);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lab_reports),
		cmocka_unit_test(test_undocumented_fails),
		cmocka_unit_test(test_built_report),
	};
	struct field_doc d;
	size_t bad = 0;
	int i;

	if (argc > 1) {
		if (field_doc_load(&d, DOC, stderr) < 0)
			return 2;
		for (i = 1; i < argc; i++)
			bad += check_file(&d, argv[i]);
		field_doc_free(&d);
		return bad > 0;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
