/*
 * profile_parse.h - the state of one profile being read, shared between
 * the reader (profile.c: lines, sections, required keys) and the keys of
 * each section (profile_keys.c).  Private to lib/profile.
 */
#ifndef PINHOLE_PROFILE_PARSE_H
#define PINHOLE_PROFILE_PARSE_H

#include <stddef.h>

#include "profile.h"

#define PROFILE_MAX_SECTIONS	64

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

/*
 * Records the error at 'line' (0: none) in st->err and marks the parse
 * failed; only the first error is kept, the one to fix.
 */
void profile_perr(struct pstate *st, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Takes key 'k' = 'v' of the section st->kind (st->ep for an endpoint).
 * Returns 0, -ENOENT for a key the section does not have, -ENOMEM, or
 * -EINVAL with the error recorded.
 */
int profile_key_set(struct pstate *st, const char *k, const char *v);

#endif
