/*
 * profile_keys.c - the keys of each section of a profile
 * (pinhole-profile(5)): each value checked and stored, or an error that
 * names the line and says what is wanted.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "codec.h"
#include "parse.h"
#include "profile_parse.h"

#define PROFILE_MAX_SIP_PORTS	16

void
profile_perr(struct pstate *st, int line, const char *fmt, ...)
{
	va_list ap;

	if (st->failed)
		return;		/* the first error is the one to fix */
	st->failed = 1;
	st->err->line = line;
	va_start(ap, fmt);
	vsnprintf(st->err->msg, sizeof(st->err->msg), fmt, ap);
	va_end(ap);
}

int
profile_name_valid(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    *s != '-')
			return 0;
	return 1;
}

int
profile_dscp_parse(const char *s)
{
	static const struct { const char *n; int v; } names[] = {
		{ "EF", 46 }, { "VA", 44 },
		{ "AF11", 10 }, { "AF12", 12 }, { "AF13", 14 },
		{ "AF21", 18 }, { "AF22", 20 }, { "AF23", 22 },
		{ "AF31", 26 }, { "AF32", 28 }, { "AF33", 30 },
		{ "AF41", 34 }, { "AF42", 36 }, { "AF43", 38 },
	};
	unsigned v;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(s, names[i].n) == 0)
			return names[i].v;
	if ((s[0] == 'C' || s[0] == 'c') && (s[1] == 'S' || s[1] == 's') &&
	    s[2] >= '0' && s[2] <= '7' && s[3] == '\0')
		return (s[2] - '0') * 8;
	if (parse_uint(s, 0, 63, &v) == 0)
		return (int)v;
	return -EINVAL;
}

static int
sip_ports_parse(struct pstate *st, const char *v)
{
	char buf[256], *tok, *save = NULL;
	struct profile *p = st->p;
	uint16_t port;

	if (strlen(v) >= sizeof(buf))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%s", v);
	free(p->sip_ports);
	p->sip_ports = NULL;
	p->nsip_ports = 0;
	for (tok = strtok_r(buf, " ,", &save); tok;
	    tok = strtok_r(NULL, " ,", &save)) {
		uint16_t *np;

		if (parse_port(tok, &port) < 0 ||
		    p->nsip_ports == PROFILE_MAX_SIP_PORTS)
			return -EINVAL;
		np = realloc(p->sip_ports, (p->nsip_ports + 1) * sizeof(*np));
		if (np == NULL)
			return -ENOMEM;
		p->sip_ports = np;
		p->sip_ports[p->nsip_ports++] = port;
	}
	return p->nsip_ports ? 0 : -EINVAL;
}

static int
strset(char **dst, const char *v)
{
	free(*dst);
	return (*dst = strdup(v)) ? 0 : -ENOMEM;
}

/* Whether 's' can be a device: 1 to PROFILE_DEVICE_MAX bytes, no control
 * characters. */
static int
profile_device_valid(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > PROFILE_DEVICE_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

/* device = the phones (in [profile] or an [endpoint]). */
static int
key_device(struct pstate *st, char **dst, const char *v)
{
	if (!profile_device_valid(v)) {
		profile_perr(st, st->lineno, "device: want the devices as "
		    "remedies name them, such as 'the phones', in at most %d "
		    "characters", PROFILE_DEVICE_MAX);
		return -EINVAL;
	}
	return strset(dst, v);
}

/* Returns 0, -ENOENT for an unknown key, or -EINVAL with st->err set. */
static int
key_profile(struct pstate *st, const char *k, const char *v)
{
	if (strcmp(k, "name") == 0) {
		if (!profile_name_valid(v)) {
			profile_perr(st, st->lineno, "name '%s': use "
			    "lower-case letters, digits and '-'", v);
			return -EINVAL;
		}
		st->name_line = st->lineno;
		return strset(&st->p->name, v);
	}
	if (strcmp(k, "title") == 0)
		return strset(&st->p->title, v);
	if (strcmp(k, "description") == 0)
		return strset(&st->p->description, v);
	if (strcmp(k, "device") == 0)
		return key_device(st, &st->p->device, v);
	return -ENOENT;
}

static int
key_req(struct pstate *st, const char *k, const char *v)
{
	struct profile *p = st->p;
	unsigned u;
	int d;

	if (strcmp(k, "sip-alg") == 0) {
		if (strcasecmp(v, "off") != 0) {
			profile_perr(st, st->lineno, "sip-alg: the only "
			    "requirement is 'off', not '%s'", v);
			return -EINVAL;
		}
		p->sip_alg_off = 1;
		return 0;
	}
	if (strcmp(k, "sip-alg-ports") == 0) {
		st->has_sip_ports = 1;
		if (sip_ports_parse(st, v) < 0) {
			profile_perr(st, st->lineno, "sip-alg-ports: want "
			    "ports 1-65535 separated by spaces, not '%s'", v);
			return -EINVAL;
		}
		return 0;
	}
	if (strcmp(k, "max-nat") == 0) {
		if (parse_uint(v, 1, 4, &p->max_nat) < 0) {
			profile_perr(st, st->lineno, "max-nat: want 1 to 4, "
			    "not '%s'", v);
			return -EINVAL;
		}
		return 0;
	}
	if (strcmp(k, "udp-timeout-min") == 0) {
		if (parse_uint(v, 1, 86400, &u) < 0) {
			profile_perr(st, st->lineno, "udp-timeout-min: want "
			    "seconds from 1 to 86400, not '%s'", v);
			return -EINVAL;
		}
		p->udp_timeout_min = u;
		return 0;
	}
	if (strcmp(k, "dscp") == 0) {
		if ((d = profile_dscp_parse(v)) < 0) {
			profile_perr(st, st->lineno, "dscp: want EF, AFxy, CSn "
			    "or 0-63, not '%s'", v);
			return -EINVAL;
		}
		p->dscp = d;
		if (strset(&p->dscp_name, v) < 0)
			return -ENOMEM;
		for (char *c = p->dscp_name; *c; c++)
			*c = (char)toupper((unsigned char)*c);
		return 0;
	}
	return -ENOENT;
}

static int
key_sources(struct pstate *st, const char *k, const char *v)
{
	struct profile *p = st->p;
	struct net_cidr c, *nc;

	if (strcmp(k, "allow") != 0)
		return -ENOENT;
	if (net_cidr_parse(v, &c) < 0) {
		profile_perr(st, st->lineno, "allow: '%s' is not an address "
		    "prefix such as 192.0.2.0/24 (host bits must be zero)", v);
		return -EINVAL;
	}
	if ((nc = realloc(p->sources, (p->nsources + 1) * sizeof(*nc))) == NULL)
		return -ENOMEM;
	p->sources = nc;
	p->sources[p->nsources++] = c;
	return 0;
}

static int
key_media(struct pstate *st, const char *k, const char *v)
{
	struct profile *p = st->p;
	struct codec c;
	unsigned long n;
	char *end;

	if (strcmp(k, "codec") == 0) {
		if (codec_parse(v, &c) < 0) {
			profile_perr(st, st->lineno, "codec: want G.711, "
			    "G.729, opus or opus/BITRATE (6000-510000), not "
			    "'%s'", v);
			return -EINVAL;
		}
		return strset(&p->codec, v);
	}
	if (strcmp(k, "ptime") == 0 || strcmp(k, "jitter-buffer") == 0 ||
	    strcmp(k, "calls") == 0) {
		int pt = k[0] == 'p', jb = k[0] == 'j';

		errno = 0;
		n = strtoul(v, &end, 10);
		if (errno != 0 || end == v || *end != '\0' || (pt && (n < 10 ||
		    n > 120 || n % 10 != 0)) || (jb && (n < 1 || n > 1000)) ||
		    (!pt && !jb && (n < 1 || n > 256))) {
			profile_perr(st, st->lineno, "%s: want %s, not '%s'", k,
			    pt ? "10 to 120 ms, a multiple of 10" : jb ?
			    "1 to 1000 ms" : "1 to 256 calls", v);
			return -EINVAL;
		}
		if (pt)
			p->ptime = (unsigned)n;
		else if (jb)
			p->jitter_buffer = (unsigned)n;
		else
			p->calls = (unsigned)n;
		return 0;
	}
	if (strcmp(k, "symmetric-rtp") == 0) {
		if (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0) {
			profile_perr(st, st->lineno, "symmetric-rtp: want yes "
			    "or no, not '%s'", v);
			return -EINVAL;
		}
		p->symmetric_rtp = strcmp(v, "yes") == 0;
		return 0;
	}
	if (strcmp(k, "udp") != 0)
		return -ENOENT;
	if (parse_port_range(v, &p->media_lo, &p->media_hi) < 0) {
		profile_perr(st, st->lineno, "udp: want a port range such as "
		    "10000-20000, not '%s'", v);
		return -EINVAL;
	}
	p->has_media = 1;
	return 0;
}

static int
key_endpoint(struct pstate *st, const char *k, const char *v)
{
	static const char *services[] = { "sip", "tls", "http", "xmpp",
	    "bosh", "stun", "rtp", "turn", "turns" };
	struct profile_endpoint *e = st->ep;
	size_t i;

	if (strcmp(k, "proto") == 0) {
		if (strcmp(v, "udp") == 0)
			e->proto = PROFILE_UDP;
		else if (strcmp(v, "tcp") == 0)
			e->proto = PROFILE_TCP;
		else {
			profile_perr(st, st->lineno, "proto: want udp or tcp, "
			    "not '%s'", v);
			return -EINVAL;
		}
		return 0;
	}
	if (strcmp(k, "ports") == 0) {
		if (parse_port_range(v, &e->port_lo, &e->port_hi) < 0) {
			profile_perr(st, st->lineno, "ports: want a port or an "
			    "ordered range within 1-65535, not '%s'", v);
			return -EINVAL;
		}
		return 0;
	}
	if (strcmp(k, "direction") == 0) {
		if (strcmp(v, "out") == 0)
			e->dir = PROFILE_OUT;
		else if (strcmp(v, "in") == 0)
			e->dir = PROFILE_IN;
		else if (strcmp(v, "both") == 0)
			e->dir = PROFILE_BOTH;
		else {
			profile_perr(st, st->lineno, "direction: want out, in "
			    "or both, not '%s'", v);
			return -EINVAL;
		}
		return 0;
	}
	if (strcmp(k, "service") == 0) {
		for (i = 0; i < sizeof(services) / sizeof(services[0]); i++)
			if (strcmp(v, services[i]) == 0)
				return strset(&e->service, v);
		profile_perr(st, st->lineno, "service: want sip, tls, http, "
		    "xmpp, bosh, stun, rtp, turn or turns, not '%s'", v);
		return -EINVAL;
	}
	if (strcmp(k, "host") == 0)
		return strset(&e->host, v);
	if (strcmp(k, "description") == 0)
		return strset(&e->description, v);
	if (strcmp(k, "device") == 0)
		return key_device(st, &e->device, v);
	return -ENOENT;
}

int
profile_key_set(struct pstate *st, const char *k, const char *v)
{
	switch (st->kind) {
	case S_PROFILE: return key_profile(st, k, v);
	case S_REQ: return key_req(st, k, v);
	case S_SOURCES: return key_sources(st, k, v);
	case S_MEDIA: return key_media(st, k, v);
	case S_ENDPOINT: return key_endpoint(st, k, v);
	default: return -ENOENT;
	}
}
