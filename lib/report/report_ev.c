/*
 * report_ev.c - typed fields of evidence, with defaults and bounds
 * (report_ev.h).
 */
#include <limits.h>
#include <math.h>

#include "report_ev.h"

const char *
ev_str(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

int
ev_bool(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_boolean(v) ? json_is_true(v) : -1;
}

long long
ev_int(const json_t *o, const char *key, long long dflt)
{
	const json_t *v = json_object_get(o, key);
	double d;

	if (json_is_integer(v))
		return json_integer_value(v);
	if (!json_is_real(v) || !isfinite(d = json_real_value(v)))
		return dflt;
	/* llround() of a value past long long is unspecified: bound first. */
	if (d >= 0x1p63)
		return LLONG_MAX;
	if (d <= -0x1p63)
		return LLONG_MIN;
	return llround(d);
}

double
ev_real(const json_t *o, const char *key, double dflt)
{
	const json_t *v = json_object_get(o, key);
	double d;

	if (!json_is_number(v))
		return dflt;
	d = json_number_value(v);
	return isfinite(d) ? d : dflt;
}

double
ev_real_in(const json_t *o, const char *key, double min, double max,
    double dflt)
{
	double d = ev_real(o, key, NAN);

	return d >= min && d <= max ? d : dflt;
}

const json_t *
ev_obj(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_object(v) ? v : NULL;
}

const json_t *
ev_arr(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_array(v) ? v : NULL;
}
