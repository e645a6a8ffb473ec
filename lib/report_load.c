/*
 * report_load.c - a report read back from its JSON (pinhole.report/1), so
 * that a stored report renders with the same code as one just measured.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "report.h"

static int
load_verdict(const char *s, enum verdict *v)
{
	enum verdict i;

	for (i = VERDICT_PASS; i <= VERDICT_ERROR; i++)
		if (s != NULL && strcmp(verdict_name(i), s) == 0) {
			*v = i;
			return 0;
		}
	return -EBADMSG;
}

/*
 * A duration in seconds: absent or null is 0; else a number from 0 to
 * REPORT_MAX_DURATION_S.  Anything else (negative, 1e308, which would
 * overflow once written in milliseconds) is refused: a report is stored
 * whole or not at all.
 */
static int
load_secs(const json_t *o, double *out)
{
	const json_t *v = json_object_get(o, "duration_s");
	double d;

	*out = 0;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_number(v))
		return -EBADMSG;
	d = json_number_value(v);
	if (!isfinite(d) || d < 0 || d > REPORT_MAX_DURATION_S)
		return -EBADMSG;
	*out = d;
	return 0;
}

static const char *
load_str(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int
load_check(struct report *r, const json_t *c)
{
	const char *id = load_str(c, "id"), *sec = load_str(c, "section");
	const char *sum = load_str(c, "summary");
	json_t *ev = json_object_get(c, "evidence");
	struct report_check *rc;
	enum verdict v;

	double secs;

	if (id == NULL || sec == NULL || sum == NULL ||
	    load_secs(c, &secs) < 0 ||
	    load_verdict(load_str(c, "verdict"), &v) < 0 ||
	    (ev != NULL && !json_is_object(ev)))
		return -EBADMSG;
	rc = report_add(r, id, sec, v, ev != NULL ? json_incref(ev) : NULL,
	    load_str(c, "remedy"), "%s", sum);
	if (rc == NULL)
		return -ENOMEM;
	if (load_str(c, "requirement") != NULL &&
	    report_set(r, &rc->requirement, load_str(c, "requirement")) < 0)
		return -ENOMEM;
	rc->duration_s = secs;
	return 0;
}

int
report_from_json(const json_t *o, struct report *r)
{
	const json_t *pub = json_object_get(o, "public_address");
	const json_t *checks = json_object_get(o, "checks");
	const json_t *profiles = json_object_get(o, "profiles");
	const json_t *e;
	size_t i;
	int rc = -EBADMSG;

	report_init(r);
	if (!json_is_object(o) || load_str(o, "schema") == NULL ||
	    strcmp(load_str(o, "schema"), REPORT_SCHEMA) != 0 ||
	    !json_is_array(checks))
		goto fail;
	rc = -ENOMEM;
	if (report_set(r, &r->server, load_str(o, "server")) < 0 ||
	    report_set(r, &r->local_addr, load_str(o, "local_address")) < 0 ||
	    report_set(r, &r->public_udp, load_str(pub, "udp")) < 0 ||
	    report_set(r, &r->public_tcp, load_str(pub, "tcp")) < 0 ||
	    report_set(r, &r->started, load_str(o, "started")) < 0)
		goto fail;
	rc = -EBADMSG;
	if (load_secs(o, &r->duration_s) < 0)
		goto fail;
	rc = -ENOMEM;
	json_array_foreach(profiles, i, e)
		if (json_is_string(e) &&
		    report_add_profile(r, json_string_value(e)) < 0)
			goto fail;
	json_array_foreach(checks, i, e)
		if ((rc = load_check(r, e)) < 0)
			goto fail;
	return 0;
fail:
	report_free(r);
	return rc;
}
