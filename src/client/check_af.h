/*
 * check_af.h - the address families 'pinhole check' runs in (check_af.c).
 */
#ifndef PINHOLE_CHECK_AF_H
#define PINHOLE_CHECK_AF_H

#include <stddef.h>

#include "report.h"

/* One family: whether the check runs in it, and why not. */
struct check_af_plan {
	int run;
	char why[96];		/* not run: "no global IPv6 address", ... */
};

/*
 * Decides, for server 'host' (a name or a literal, without brackets) and
 * 'port', which families to run: 'only' is 4 or 6 (-4, -6), or 0 for
 * every family both sides have.  A name that does not resolve runs in
 * IPv4 (or the family asked for), where the session says why.  Returns
 * 0, or -ENOENT when no family is left (each plan says why).
 */
int check_af_plan(const char *host, const char *port, int only,
    struct check_af_plan plan[REPORT_AF_N]);

/* AF_INET or AF_INET6 for a report family. */
int check_af_sys(enum report_af_id af);

#endif
