/*
 * wsmsg.h - parts of the check page's WebSocket messages (wssrv.c) built
 * from a profile or a report alone.
 */
#ifndef PINHOLED_WSMSG_H
#define PINHOLED_WSMSG_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "profile.h"
#include "report.h"

/* The hello's endpoints: each of the profile's, its ports as text. */
json_t *wsmsg_endpoints(const struct profile *p);
/* 't' as RFC 3339 in UTC, "2026-12-07T12:00:00Z". */
void wsmsg_rfc3339(time_t t, char *buf, size_t len);
/*
 * What the page shows of its report: each check that did not pass, with
 * its finding and what to do (the report's own words); NULL without
 * memory.
 */
json_t *wsmsg_advice(const struct report *rep);

#endif
