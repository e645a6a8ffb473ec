/*
 * profile.c - service profiles from INI files (pinhole-profile(5)).
 *
 * inih does the tokenizing; our reader counts lines and notes section
 * headers, so every error names its file and line, and a section with no
 * keys at all is still checked for its required ones.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ini.h>

#include "parse.h"
#include "codec.h"
#include "profile.h"

#define PROFILE_MAX_SECTIONS	64
#define PROFILE_MAX_SIP_PORTS	16

enum sect { S_NONE, S_PROFILE, S_REQ, S_SOURCES, S_MEDIA, S_ENDPOINT };

struct pstate {
	struct profile *p;
	struct profile_error *err;
	const char *text;		/* remaining input */
	int lineno;
	int failed;
	/* Section headers as the reader saw them. */
	char *sect_name[PROFILE_MAX_SECTIONS];
	int sect_line[PROFILE_MAX_SECTIONS];
	size_t nsect;
	/* The section inih is in, and the keys seen there. */
	char cur[128];
	enum sect kind;
	struct profile_endpoint *ep;
	char seen[32][32];
	size_t nseen;
	int has_sip_ports;
	int name_line;			/* where name = was given */
};

static void
perr(struct pstate *st, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
perr(struct pstate *st, int line, const char *fmt, ...)
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

static char *
profile_reader(char *buf, int size, void *arg)
{
	struct pstate *st = arg;
	const char *nl, *p;
	size_t n;

	if (*st->text == '\0')
		return NULL;
	nl = strchr(st->text, '\n');
	n = nl ? (size_t)(nl - st->text) + 1 : strlen(st->text);
	if (n >= (size_t)size)
		n = (size_t)size - 1;	/* inih reports the rest as junk */
	memcpy(buf, st->text, n);
	buf[n] = '\0';
	st->text += n;
	st->lineno++;
	for (p = buf; *p == ' ' || *p == '\t'; p++)
		;
	if (*p == '[' && st->nsect < PROFILE_MAX_SECTIONS) {
		const char *e = strchr(p, ']');

		if (e != NULL) {
			st->sect_name[st->nsect] = strndup(p + 1,
			    (size_t)(e - p - 1));
			st->sect_line[st->nsect++] = st->lineno;
			st->cur[0] = '\0';	/* a new section, even if named alike */
		}
	}
	return buf;
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
		perr(st, st->lineno, "device: want the devices as remedies "
		    "name them, such as 'the phones', in at most %d "
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
			perr(st, st->lineno, "name '%s': use lower-case "
			    "letters, digits and '-'", v);
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
			perr(st, st->lineno, "sip-alg: the only requirement "
			    "is 'off', not '%s'", v);
			return -EINVAL;
		}
		p->sip_alg_off = 1;
		return 0;
	}
	if (strcmp(k, "sip-alg-ports") == 0) {
		st->has_sip_ports = 1;
		if (sip_ports_parse(st, v) < 0) {
			perr(st, st->lineno, "sip-alg-ports: want ports "
			    "1-65535 separated by spaces, not '%s'", v);
			return -EINVAL;
		}
		return 0;
	}
	if (strcmp(k, "max-nat") == 0) {
		if (parse_uint(v, 1, 4, &p->max_nat) < 0) {
			perr(st, st->lineno, "max-nat: want 1 to 4, not '%s'", v);
			return -EINVAL;
		}
		return 0;
	}
	if (strcmp(k, "udp-timeout-min") == 0) {
		if (parse_uint(v, 1, 86400, &u) < 0) {
			perr(st, st->lineno, "udp-timeout-min: want seconds "
			    "from 1 to 86400, not '%s'", v);
			return -EINVAL;
		}
		p->udp_timeout_min = u;
		return 0;
	}
	if (strcmp(k, "dscp") == 0) {
		if ((d = profile_dscp_parse(v)) < 0) {
			perr(st, st->lineno, "dscp: want EF, AFxy, CSn or "
			    "0-63, not '%s'", v);
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
		perr(st, st->lineno, "allow: '%s' is not an address prefix "
		    "such as 192.0.2.0/24 (host bits must be zero)", v);
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
			perr(st, st->lineno, "codec: want G.711, G.729, opus "
			    "or opus/BITRATE (6000-510000), not '%s'", v);
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
			perr(st, st->lineno, "%s: want %s, not '%s'", k, pt ?
			    "10 to 120 ms, a multiple of 10" : jb ?
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
			perr(st, st->lineno, "symmetric-rtp: want yes or no, "
			    "not '%s'", v);
			return -EINVAL;
		}
		p->symmetric_rtp = strcmp(v, "yes") == 0;
		return 0;
	}
	if (strcmp(k, "udp") != 0)
		return -ENOENT;
	if (parse_port_range(v, &p->media_lo, &p->media_hi) < 0) {
		perr(st, st->lineno, "udp: want a port range such as "
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
	    "bosh", "stun", "rtp" };
	struct profile_endpoint *e = st->ep;
	size_t i;

	if (strcmp(k, "proto") == 0) {
		if (strcmp(v, "udp") == 0)
			e->proto = PROFILE_UDP;
		else if (strcmp(v, "tcp") == 0)
			e->proto = PROFILE_TCP;
		else {
			perr(st, st->lineno, "proto: want udp or tcp, not "
			    "'%s'", v);
			return -EINVAL;
		}
		return 0;
	}
	if (strcmp(k, "ports") == 0) {
		if (parse_port_range(v, &e->port_lo, &e->port_hi) < 0) {
			perr(st, st->lineno, "ports: want a port or an "
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
			perr(st, st->lineno, "direction: want out, in or "
			    "both, not '%s'", v);
			return -EINVAL;
		}
		return 0;
	}
	if (strcmp(k, "service") == 0) {
		for (i = 0; i < sizeof(services) / sizeof(services[0]); i++)
			if (strcmp(v, services[i]) == 0)
				return strset(&e->service, v);
		perr(st, st->lineno, "service: want sip, tls, http, xmpp, "
		    "bosh, stun or rtp, not '%s'", v);
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

static int
profile_section_begin(struct pstate *st, const char *section)
{
	struct profile *p = st->p;
	struct profile_endpoint *ne;
	const char *name;
	size_t i;

	snprintf(st->cur, sizeof(st->cur), "%s", section);
	st->nseen = 0;
	st->ep = NULL;
	if (strcmp(section, "profile") == 0)
		st->kind = S_PROFILE;
	else if (strcmp(section, "requirements") == 0)
		st->kind = S_REQ;
	else if (strcmp(section, "sources") == 0)
		st->kind = S_SOURCES;
	else if (strcmp(section, "media") == 0)
		st->kind = S_MEDIA;
	else if (strncmp(section, "endpoint ", 9) == 0) {
		st->kind = S_ENDPOINT;
		for (name = section + 9; *name == ' '; name++)
			;
		if (!profile_name_valid(name)) {
			perr(st, st->lineno, "[%s]: an endpoint name uses "
			    "lower-case letters, digits and '-'", section);
			return -EINVAL;
		}
		for (i = 0; i < p->nendpoints; i++) {
			if (strcmp(p->endpoints[i].name, name) == 0) {
				perr(st, st->lineno, "[%s]: endpoint '%s' is "
				    "defined twice", section, name);
				return -EINVAL;
			}
		}
		ne = realloc(p->endpoints, (p->nendpoints + 1) * sizeof(*ne));
		if (ne == NULL)
			return -ENOMEM;
		p->endpoints = ne;
		st->ep = &p->endpoints[p->nendpoints++];
		memset(st->ep, 0, sizeof(*st->ep));
		st->ep->line = st->lineno;
		if ((st->ep->name = strdup(name)) == NULL)
			return -ENOMEM;
	} else {
		perr(st, st->lineno, "unknown section [%s] (profile, "
		    "requirements, sources, media, endpoint NAME)", section);
		return -EINVAL;
	}
	return 0;
}

static int
profile_h(void *user, const char *section, const char *name, const char *value)
{
	struct pstate *st = user;
	size_t i;
	int r;

	if (st->failed)
		return 1;
	if (*section == '\0') {
		perr(st, st->lineno, "'%s' is outside any section", name);
		return 1;
	}
	if (strcmp(section, st->cur) != 0 &&
	    profile_section_begin(st, section) < 0) {
		if (!st->failed)
			perr(st, st->lineno, "out of memory");
		return 1;
	}
	if (*value == '\0') {
		perr(st, st->lineno, "%s: empty value", name);
		return 1;
	}
	if (strcmp(name, "allow") != 0) {
		for (i = 0; i < st->nseen; i++) {
			if (strcmp(st->seen[i], name) == 0) {
				perr(st, st->lineno, "%s is given twice in "
				    "[%s]", name, section);
				return 1;
			}
		}
		if (st->nseen < 32)
			snprintf(st->seen[st->nseen++], sizeof(st->seen[0]),
			    "%s", name);
	}
	switch (st->kind) {
	case S_PROFILE: r = key_profile(st, name, value); break;
	case S_REQ: r = key_req(st, name, value); break;
	case S_SOURCES: r = key_sources(st, name, value); break;
	case S_MEDIA: r = key_media(st, name, value); break;
	case S_ENDPOINT: r = key_endpoint(st, name, value); break;
	default: r = -ENOENT; break;
	}
	if (r == -ENOENT)
		perr(st, st->lineno, "unknown key '%s' in [%s]", name, section);
	else if (r == -ENOMEM)
		perr(st, st->lineno, "out of memory");
	return 1;
}

/* The line of the first [profile] header, 0 when there is none. */
static int
profile_section_line(const struct pstate *st)
{
	size_t i;

	for (i = 0; i < st->nsect; i++)
		if (strcmp(st->sect_name[i], "profile") == 0)
			return st->sect_line[i];
	return 0;
}

/* Required keys, checked once everything is read. */
static void
profile_finish(struct pstate *st, const char *file)
{
	struct profile *p = st->p;
	const char *base, *dot, *name;
	size_t i, j;
	int pline;

	for (i = 0; i < st->nsect && !st->failed; i++) {
		const char *s = st->sect_name[i];

		if (strncmp(s, "endpoint ", 9) != 0) {
			if (strcmp(s, "profile") && strcmp(s, "requirements") &&
			    strcmp(s, "sources") && strcmp(s, "media"))
				perr(st, st->sect_line[i], "unknown section "
				    "[%s]", s);
			continue;
		}
		for (name = s + 9; *name == ' '; name++)
			;
		for (j = 0; j < p->nendpoints; j++)
			if (strcmp(p->endpoints[j].name, name) == 0)
				break;
		if (j == p->nendpoints) {
			perr(st, st->sect_line[i], "[%s] needs proto, ports "
			    "and direction", s);
			break;
		}
		p->endpoints[j].line = st->sect_line[i];
		if (p->endpoints[j].proto == 0 || p->endpoints[j].port_lo == 0 ||
		    p->endpoints[j].dir == 0)
			perr(st, st->sect_line[i], "[%s] needs proto, ports "
			    "and direction", s);
	}
	if (st->failed)
		return;
	if (p->name == NULL || p->title == NULL) {
		pline = profile_section_line(st);
		if (pline == 0)
			perr(st, 0, "no [profile] section: a profile needs one "
			    "with name and title");
		else
			perr(st, pline, "[profile] needs %s", p->name ? "title" :
			    p->title ? "name" : "name and title");
		return;
	}
	if (p->sip_alg_off && !st->has_sip_ports) {
		uint16_t *d = malloc(sizeof(*d));

		if (d == NULL) {
			perr(st, 0, "out of memory");
			return;
		}
		d[0] = 5060;
		p->sip_ports = d;
		p->nsip_ports = 1;
	}
	if (file == NULL)
		return;
	base = strrchr(file, '/');
	base = base ? base + 1 : file;
	dot = strrchr(base, '.');
	if (dot != NULL && strcmp(dot, ".ini") == 0 &&
	    (strlen(p->name) != (size_t)(dot - base) ||
	    strncmp(p->name, base, (size_t)(dot - base)) != 0))
		perr(st, st->name_line, "name '%s' does not match the file "
		    "name %s", p->name, base);
}

static int
profile_parse(const char *text, const char *name, const char *path,
    struct profile **pp, struct profile_error *err)
{
	struct pstate st;
	size_t i;
	int r;

	memset(&st, 0, sizeof(st));
	memset(err, 0, sizeof(*err));
	snprintf(err->file, sizeof(err->file), "%s", name);
	st.err = err;
	st.text = text;
	if ((st.p = calloc(1, sizeof(*st.p))) == NULL)
		return -ENOMEM;
	st.p->dscp = -1;
	st.p->symmetric_rtp = -1;
	r = ini_parse_stream(profile_reader, &st, profile_h, &st);
	if (r > 0)
		perr(&st, r, "expected 'key = value' or '[section]'");
	else if (r < 0)
		perr(&st, 0, "out of memory");
	profile_finish(&st, path);
	if (!st.failed && path != NULL && (st.p->path = strdup(path)) == NULL)
		perr(&st, 0, "out of memory");
	for (i = 0; i < st.nsect; i++)
		free(st.sect_name[i]);
	if (st.failed) {
		profile_free(st.p);
		return -EINVAL;
	}
	*pp = st.p;
	return 0;
}

int
profile_load_text(const char *text, const char *path, struct profile **pp,
    struct profile_error *err)
{
	return profile_parse(text, path, path, pp, err);
}

int
profile_load_string(const char *text, const char *name, struct profile **pp,
    struct profile_error *err)
{
	return profile_parse(text, name, NULL, pp, err);
}

const char *
profile_error_str(const struct profile_error *err, char *buf, size_t len)
{
	if (err->line > 0)
		snprintf(buf, len, "%s:%d: %s", err->file, err->line, err->msg);
	else
		snprintf(buf, len, "%s: %s", err->file, err->msg);
	return buf;
}

void
profile_free(struct profile *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nendpoints; i++) {
		free(p->endpoints[i].name);
		free(p->endpoints[i].host);
		free(p->endpoints[i].service);
		free(p->endpoints[i].description);
		free(p->endpoints[i].device);
	}
	free(p->endpoints);
	free(p->sources);
	free(p->sip_ports);
	free(p->name);
	free(p->title);
	free(p->description);
	free(p->device);
	free(p->path);
	free(p->dscp_name);
	free(p->codec);
	free(p);
}

const char *
profile_proto_name(enum profile_proto p)
{
	return p == PROFILE_UDP ? "udp" : "tcp";
}

const char *
profile_dir_name(enum profile_dir d)
{
	return d == PROFILE_OUT ? "out" : d == PROFILE_IN ? "in" : "both";
}
