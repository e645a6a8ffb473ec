/*
 * report_ev.h - the one reader of evidence: typed fields of a JSON object
 * (a check's evidence, an object inside it, a message the browser page
 * sent), each with the value to use when the field is absent, null, of
 * another type or out of bounds.  Every reader of a report's evidence
 * (advice, the text and HTML renderers, the browser's verdicts, pinhole
 * config) reads it through these, never by json_object_get() and a type
 * test of its own.  'o' may be NULL or not an object: every field is then
 * absent.
 */
#ifndef PINHOLE_REPORT_EV_H
#define PINHOLE_REPORT_EV_H

#include <jansson.h>

/* A string, or NULL. */
const char *ev_str(const json_t *o, const char *key);
/* 1 true, 0 false, -1 when not a boolean. */
int ev_bool(const json_t *o, const char *key);
/*
 * An integer; a real is rounded to the nearest, and held within the range
 * of long long.  'dflt' when not a number.
 */
long long ev_int(const json_t *o, const char *key, long long dflt);
/* A finite number, or 'dflt'. */
double ev_real(const json_t *o, const char *key, double dflt);
/* A finite number from 'min' to 'max', or 'dflt' (also when outside). */
double ev_real_in(const json_t *o, const char *key, double min, double max,
    double dflt);
/* An object, or NULL. */
const json_t *ev_obj(const json_t *o, const char *key);
/* An array, or NULL (json_array_foreach() over NULL runs no time). */
const json_t *ev_arr(const json_t *o, const char *key);

#endif
