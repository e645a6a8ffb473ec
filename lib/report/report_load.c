/*
 * report_load.c - a report read back from its JSON (pinhole.report/1), so
 * that a stored report renders with the same code as one just measured,
 * and from a file, as pinhole config reads one.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "report.h"
#include "report_ev.h"

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
	double d = ev_real_in(o, "duration_s", 0, REPORT_MAX_DURATION_S, -1);

	*out = 0;
	if (v == NULL || json_is_null(v))
		return 0;
	if (d < 0)
		return -EBADMSG;
	*out = d;
	return 0;
}

/*
 * One check.  With REPORT_LOAD_PARTIAL, a check without an id or a known
 * verdict is left out (0), and its other fields take their defaults: ""
 * for section and summary, 0 s, no evidence.
 */
static int
load_check(struct report *r, const json_t *c, int flags)
{
	const char *id = ev_str(c, "id"), *sec = ev_str(c, "section");
	const char *sum = ev_str(c, "summary");
	json_t *ev = json_object_get(c, "evidence");
	struct report_check *rc;
	enum verdict v;
	double secs;
	int bad;

	if (id == NULL || load_verdict(ev_str(c, "verdict"), &v) < 0)
		return flags & REPORT_LOAD_PARTIAL ? 0 : -EBADMSG;
	bad = sec == NULL || sum == NULL || load_secs(c, &secs) < 0 ||
	    (ev != NULL && !json_is_object(ev));
	if (bad && !(flags & REPORT_LOAD_PARTIAL))
		return -EBADMSG;
	if (bad) {
		sec = sec != NULL ? sec : "";
		sum = sum != NULL ? sum : "";
		if (load_secs(c, &secs) < 0)
			secs = 0;
		ev = json_is_object(ev) ? ev : NULL;
	}
	rc = report_add(r, id, sec, v, ev != NULL ? json_incref(ev) : NULL,
	    ev_str(c, "remedy"), "%s", sum);
	if (rc == NULL)
		return -ENOMEM;
	if (ev_str(c, "requirement") != NULL &&
	    report_set(r, &rc->requirement, ev_str(c, "requirement")) < 0)
		return -ENOMEM;
	rc->duration_s = secs;
	return 0;
}

static int
load_report(const json_t *o, struct report *r, int flags)
{
	const json_t *pub = json_object_get(o, "public_address");
	const json_t *checks = json_object_get(o, "checks");
	const json_t *profiles = json_object_get(o, "profiles");
	const json_t *e;
	size_t i;
	int rc = -EBADMSG;

	report_init(r);
	if (!json_is_object(o) || ev_str(o, "schema") == NULL ||
	    strcmp(ev_str(o, "schema"), REPORT_SCHEMA) != 0 ||
	    !json_is_array(checks))
		goto fail;
	rc = -ENOMEM;
	if (report_set(r, &r->server, ev_str(o, "server")) < 0 ||
	    report_set(r, &r->local_addr, ev_str(o, "local_address")) < 0 ||
	    report_set(r, &r->public_udp, ev_str(pub, "udp")) < 0 ||
	    report_set(r, &r->public_tcp, ev_str(pub, "tcp")) < 0 ||
	    report_set(r, &r->started, ev_str(o, "started")) < 0 ||
	    report_af_from_json(o, r) < 0)
		goto fail;
	rc = -EBADMSG;
	if (load_secs(o, &r->duration_s) < 0 && !(flags & REPORT_LOAD_PARTIAL))
		goto fail;
	rc = -ENOMEM;
	json_array_foreach(profiles, i, e)
		if (json_is_string(e) &&
		    report_add_profile(r, json_string_value(e)) < 0)
			goto fail;
	json_array_foreach(checks, i, e)
		if ((rc = load_check(r, e, flags)) < 0)
			goto fail;
	return 0;
fail:
	report_free(r);
	return rc;
}

int
report_from_json(const json_t *o, struct report *r)
{
	return load_report(o, r, 0);
}

int
report_load_file(const char *path, int flags, struct report *r, char *err,
    size_t errlen)
{
	json_error_t je;
	struct stat sb;
	json_t *o;
	FILE *f;
	int rc;

	report_init(r);
	/* Opened here: jansson reports an unopenable file at line -1. */
	if ((f = fopen(path, "r")) == NULL) {
		rc = -errno;
		snprintf(err, errlen, "%s: cannot open: %s", path,
		    strerror(-rc));
		return rc;
	}
	if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		snprintf(err, errlen, "%s: is a directory, not a report", path);
		fclose(f);
		return -EISDIR;
	}
	o = json_loadf(f, 0, &je);
	fclose(f);
	if (o == NULL) {
		if (je.line > 0)
			snprintf(err, errlen, "%s:%d: %s", path, je.line,
			    je.text);
		else
			snprintf(err, errlen, "%s: %s", path, je.text);
		return -EBADMSG;
	}
	rc = load_report(o, r, flags);
	json_decref(o);
	if (rc == -EBADMSG)
		snprintf(err, errlen, "%s: not a %s report (pinhole check "
		    "--json)", path, REPORT_SCHEMA);
	else if (rc < 0)
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
	return rc;
}
