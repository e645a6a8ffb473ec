/*
 * profile_endpoint.c - what the report calls a profile's endpoints.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "profile.h"

/* Whether 'a' and 'b' share the proto, the ports and the direction 'dir'. */
static int
pe_same_key(const struct profile_endpoint *a, const struct profile_endpoint *b,
    enum profile_dir dir)
{
	return a->proto == b->proto && a->port_lo == b->port_lo &&
	    a->port_hi == b->port_hi && (a->dir & dir) && (b->dir & dir);
}

int
profile_endpoint_id(const struct profile *p, const struct profile_endpoint *e,
    enum profile_dir dir, int qualify, char *buf, size_t len)
{
	char ports[16];
	size_t i;
	int shared = 0, n;

	if (e->port_lo == e->port_hi)
		snprintf(ports, sizeof(ports), "%u", e->port_lo);
	else
		snprintf(ports, sizeof(ports), "%u-%u", e->port_lo, e->port_hi);
	for (i = 0; i < p->nendpoints; i++)
		shared |= &p->endpoints[i] != e &&
		    pe_same_key(&p->endpoints[i], e, dir);
	n = snprintf(buf, len, "reach.%s.%s.%s%s%s%s%s",
	    profile_proto_name(e->proto), dir == PROFILE_OUT ? "out" : "in",
	    ports, qualify ? "." : "", qualify ? p->name : "",
	    shared || qualify ? "." : "", shared || qualify ? e->name : "");
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int
profile_endpoint_same_target(const struct profile_endpoint *a,
    const struct profile_endpoint *b)
{
	if (a->host == NULL || b->host == NULL)
		return a->host == b->host;
	return strcasecmp(a->host, b->host) == 0;
}
