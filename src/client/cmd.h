/*
 * cmd.h - pinhole's commands: the options they share, their table's
 * entries, and the report output of check and nat.
 */
#ifndef PINHOLE_CMD_H
#define PINHOLE_CMD_H

#include <getopt.h>
#include <stddef.h>

#include "pinhole.h"
#include "report.h"
#include "turn.h"

#define MAX_PROFILES	8
#define MAX_DIRS	8
#define MAX_SKIP	8
#define MAX_TURN	8

struct opts {
	const char *server;
	const char *stun;
	const char *proxy;
	const char *profiles[MAX_PROFILES];
	size_t nprofiles;
	const char *dirs[MAX_DIRS + PINHOLE_PROFILE_DIRS_EXTRA];
	size_t ndirs;
	const char *format;
	const char *html;		/* --html FILE, or NULL */
	unsigned timeout_s;
	unsigned udp_timeout_max;
	unsigned media_seconds;
	unsigned calls;
	const char *skip[MAX_SKIP + 1];
	size_t nskip;
	int color;			/* -1: when stdout is a TTY */
	int tls;
	const char *tls_ca;
	int share;			/* --share: upload the report */
	struct turn_uri turn[MAX_TURN];	/* --turn URI */
	size_t nturn;
	const char *turn_user;		/* --turn-user */
	const char *turn_pass_file;	/* --turn-pass-file */
	const char *turn_ca;		/* --turn-ca */
	int verbose;
	int family;			/* -4, -6: 4 or 6; 0: every family */
};

/* pinhole's long options (config has its own, cmd_config_options()). */
extern const struct option cmd_long_opts[];

/* The --help text, on 'f'. */
void cmd_usage(FILE *f);

/*
 * Parses the options of every command but config into *o (zeroed first,
 * then the defaults).  --help and --version print and exit.  Logs what is
 * wrong and returns -EINVAL, or 0; optind is left at the first operand.
 */
int cmd_opts_parse(int argc, char **argv, struct opts *o);

/* The current time as RFC 3339 UTC into 'buf'. */
void cmd_now_rfc3339(char *buf, size_t len);

struct loop;
/*
 * Writes the report to stdout in --format (and to --html FILE), with
 * duration_s measured from 't0' by the loop's clock unless set, and
 * frees it.  Returns the exit status: report_exit_status(), or 2 when
 * it cannot be written.
 */
int cmd_finish_report(const struct opts *o, struct report *rep,
    const struct loop *loop, long long t0);

/*
 * The commands: each takes the parsed options and its operands (args[0]
 * and on, NULL where not given) and returns the exit status.
 */
int cmd_check(const struct opts *o, char **args);
int cmd_nat(const struct opts *o, char **args);
int cmd_show(const struct opts *o, char **args);
int cmd_profiles(const struct opts *o, char **args);

#endif
