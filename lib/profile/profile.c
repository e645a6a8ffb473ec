/*
 * profile.c - service profiles from INI files (pinhole-profile(5)).
 *
 * inih does the tokenizing; our reader counts lines and notes section
 * headers, so every error names its file and line, and a section with no
 * keys at all is still checked for its required ones.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "profile_parse.h"

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
			profile_perr(st, st->lineno, "[%s]: an endpoint name "
			    "uses lower-case letters, digits and '-'", section);
			return -EINVAL;
		}
		for (i = 0; i < p->nendpoints; i++) {
			if (strcmp(p->endpoints[i].name, name) == 0) {
				profile_perr(st, st->lineno, "[%s]: endpoint "
				    "'%s' is defined twice", section, name);
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
		profile_perr(st, st->lineno, "unknown section [%s] (profile, "
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
		profile_perr(st, st->lineno, "'%s' is outside any section",
		    name);
		return 1;
	}
	if (strcmp(section, st->cur) != 0 &&
	    profile_section_begin(st, section) < 0) {
		if (!st->failed)
			profile_perr(st, st->lineno, "out of memory");
		return 1;
	}
	if (*value == '\0') {
		profile_perr(st, st->lineno, "%s: empty value", name);
		return 1;
	}
	if (strcmp(name, "allow") != 0) {
		for (i = 0; i < st->nseen; i++) {
			if (strcmp(st->seen[i], name) == 0) {
				profile_perr(st, st->lineno, "%s is given "
				    "twice in [%s]", name, section);
				return 1;
			}
		}
		if (st->nseen < 32)
			snprintf(st->seen[st->nseen++], sizeof(st->seen[0]),
			    "%s", name);
	}
	r = profile_key_set(st, name, value);
	if (r == -ENOENT)
		profile_perr(st, st->lineno, "unknown key '%s' in [%s]", name,
		    section);
	else if (r == -ENOMEM)
		profile_perr(st, st->lineno, "out of memory");
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

/*
 * A relay (service = turn or turns) is one of the provider's TURN servers:
 * a host of its own (pinholed is not one), one port, reached outbound, and
 * TLS (turns) only over TCP.
 */
static void
profile_check_relay(struct pstate *st, const struct profile_endpoint *e,
    const char *sect, int line)
{
	int tls;

	if (!profile_endpoint_relay(e, &tls))
		return;
	if (e->host == NULL)
		profile_perr(st, line, "[%s] is a relay (service = %s): it "
		    "needs the relay's host", sect, e->service);
	else if (e->port_lo != e->port_hi)
		profile_perr(st, line, "[%s] is a relay: one port, not a "
		    "range", sect);
	else if (e->dir != PROFILE_OUT)
		profile_perr(st, line, "[%s] is a relay: direction = out",
		    sect);
	else if (tls && e->proto != PROFILE_TCP)
		profile_perr(st, line, "[%s]: service = turns is TURN over "
		    "TLS, proto = tcp", sect);
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
				profile_perr(st, st->sect_line[i], "unknown "
				    "section [%s]", s);
			continue;
		}
		for (name = s + 9; *name == ' '; name++)
			;
		for (j = 0; j < p->nendpoints; j++)
			if (strcmp(p->endpoints[j].name, name) == 0)
				break;
		if (j == p->nendpoints) {
			profile_perr(st, st->sect_line[i], "[%s] needs proto, "
			    "ports and direction", s);
			break;
		}
		p->endpoints[j].line = st->sect_line[i];
		if (p->endpoints[j].proto == 0 || p->endpoints[j].port_lo == 0 ||
		    p->endpoints[j].dir == 0)
			profile_perr(st, st->sect_line[i], "[%s] needs proto, "
			    "ports and direction", s);
		else
			profile_check_relay(st, &p->endpoints[j], s,
			    st->sect_line[i]);
	}
	if (st->failed)
		return;
	if (p->name == NULL || p->title == NULL) {
		pline = profile_section_line(st);
		if (pline == 0)
			profile_perr(st, 0, "no [profile] section: a profile "
			    "needs one with name and title");
		else
			profile_perr(st, pline, "[profile] needs %s", p->name ?
			    "title" : p->title ? "name" : "name and title");
		return;
	}
	if (p->sip_alg_off && !st->has_sip_ports) {
		uint16_t *d = malloc(sizeof(*d));

		if (d == NULL) {
			profile_perr(st, 0, "out of memory");
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
		profile_perr(st, st->name_line, "name '%s' does not match the "
		    "file name %s", p->name, base);
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
		profile_perr(&st, r, "expected 'key = value' or '[section]'");
	else if (r < 0)
		profile_perr(&st, 0, "out of memory");
	profile_finish(&st, path);
	if (!st.failed && path != NULL && (st.p->path = strdup(path)) == NULL)
		profile_perr(&st, 0, "out of memory");
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

int
profile_endpoint_relay(const struct profile_endpoint *e, int *tls)
{
	int t = e->service != NULL && strcmp(e->service, "turns") == 0;

	if (tls != NULL)
		*tls = t;
	return t || (e->service != NULL && strcmp(e->service, "turn") == 0);
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
