/*
 * profile_endpoint.c - what the report calls a profile's endpoints, and the
 * words it uses for the devices they serve (pinhole-profile(5), "device").
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

const char *
profile_device(const struct profile *p, const struct profile_endpoint *e)
{
	if (e != NULL && e->device != NULL)
		return e->device;
	if (p != NULL && p->device != NULL)
		return p->device;
	return PROFILE_DEVICE_DEFAULT;
}

int
profile_devices(struct profile *const *pp, size_t n, char *buf, size_t len)
{
	const char *seen[16];
	size_t i, k, nseen = 0;
	int w = 0;

	if (len == 0)
		return -ENAMETOOLONG;
	buf[0] = '\0';
	for (i = 0; i < n && nseen < sizeof(seen) / sizeof(seen[0]); i++) {
		const char *d = profile_device(pp[i], NULL);

		for (k = 0; k < nseen && strcmp(seen[k], d) != 0; k++)
			;
		if (k == nseen)
			seen[nseen++] = d;
	}
	if (nseen == 0)
		seen[nseen++] = PROFILE_DEVICE_DEFAULT;
	for (k = 0; k < nseen && w >= 0 && (size_t)w < len; k++)
		w += snprintf(buf + w, len - (size_t)w, "%s%s",
		    k == 0 ? "" : k + 1 == nseen ? " and " : ", ", seen[k]);
	return w < 0 || (size_t)w >= len ? -ENAMETOOLONG : 0;
}
