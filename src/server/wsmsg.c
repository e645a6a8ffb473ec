/*
 * wsmsg.c - what the check page's WebSocket messages carry that is built
 * from a profile or a report alone (wsmsg.h): no connection, no session.
 */
#include <stdio.h>
#include <time.h>

#include "wsmsg.h"

json_t *
wsmsg_endpoints(const struct profile *p)
{
	const struct profile_endpoint *e;
	json_t *a = json_array();
	char ports[16];
	size_t i;

	for (i = 0; a != NULL && i < p->nendpoints; i++) {
		e = &p->endpoints[i];
		if (e->port_lo == e->port_hi)
			snprintf(ports, sizeof(ports), "%u", e->port_lo);
		else
			snprintf(ports, sizeof(ports), "%u-%u", e->port_lo,
			    e->port_hi);
		json_array_append_new(a, json_pack("{s:s, s:s*, s:s, s:s, s:s, "
		    "s:s*}", "name", e->name, "host", e->host, "proto",
		    profile_proto_name(e->proto), "ports", ports, "direction",
		    profile_dir_name(e->dir), "service", e->service));
	}
	return a;
}

void
wsmsg_rfc3339(time_t t, char *buf, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* What the page shows of its report: each check that did not pass, with
 * its finding and what to do (the report's own words). */
json_t *
wsmsg_advice(const struct report *rep)
{
	const struct report_check *c;
	json_t *a = json_array();
	size_t i;

	for (i = 0; a != NULL && rep != NULL && i < rep->nchecks; i++) {
		c = &rep->checks[i];
		if (c->verdict == VERDICT_PASS || c->verdict == VERDICT_SKIP)
			continue;
		if (json_array_append_new(a, json_pack("{s:s, s:s, s:s?, s:s?}",
		    "id", c->id, "verdict", verdict_name(c->verdict), "summary",
		    c->summary, "remedy", c->remedy)) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}
