/*
 * sandbox.h - what pinholed gives up before it serves anyone: inherited
 * descriptors at start; after binding, the capability bounding set, root,
 * the working directory, the right to gain privileges, and every system
 * call outside an allowlist.  pinholed(8), SANDBOX, says the same.
 */
#ifndef PINHOLED_SANDBOX_H
#define PINHOLED_SANDBOX_H

#include <sys/types.h>

struct srv_conf;

/* Descriptors pinholed holds besides its listeners and connections. */
#define SANDBOX_FD_FIXED	16

struct sandbox_opts {
	const char *user;	/* run as this user when started as root */
	int use_syslog;		/* syslog may have to reconnect to /dev/log */
	int log_only;		/* filter logs disallowed calls, kills nothing */
	enum { SANDBOX_STORE_NONE, SANDBOX_STORE_FILE, SANDBOX_STORE_NET }
	    store;		/* what the report store's worker needs */
};

/*
 * Closes every descriptor above 2 that pinholed inherited, and opens
 * /dev/null on whichever of 0, 1 and 2 is closed, so that no later socket
 * takes their place.  Call first thing in main().  0 or -errno.
 */
int sandbox_fds_init(void);

/*
 * Looks up 'user' in the password database; its uid and gid go to *uid and
 * *gid.  0, or -ENOENT when there is no such user (logged, with the name).
 */
int sandbox_user_lookup(const char *user, uid_t *uid, gid_t *gid);

/*
 * The descriptors that configuration 'c' needs at least: stdio, one per
 * listening socket, one per session's control connection and
 * SANDBOX_FD_FIXED more.  Counts what listen_all() opens.
 */
unsigned long sandbox_fd_need(const struct srv_conf *c, int tls);

/*
 * Refuses a configuration that pinholed could not start with: an unknown
 * user (-ENOENT), a user with uid 0 (-EPERM), or an open-file limit
 * (RLIMIT_NOFILE, hard: the soft one is raised to it) below sandbox_fd_need() (-EMFILE).  Each reason
 * is logged; the last one found is returned.  Run by both the start and
 * -n, before binding.  0 or -errno.
 */
int sandbox_check(const struct srv_conf *c, int tls);

/*
 * Readies what the libraries would otherwise load lazily from files once
 * the filter is on: OpenSSL's configuration and random generator, and the
 * time zone syslog stamps lines with.  Call before sandbox_enter().
 * 0 or -EIO.
 */
int sandbox_prepare(void);

/*
 * Enters the sandbox, after binding: empties the capability bounding set
 * and drops to opts->user (setgroups, setgid, setuid, then verifies that
 * neither uid 0 nor any capability can be had back) when started as root;
 * then changes to the root directory, sets no_new_privs, and loads the
 * seccomp allowlist, which kills the process on any other system call (or
 * only logs it with opts->log_only).  Nothing is undone on failure: the
 * caller must exit.  0 or -errno, logged.
 */
int sandbox_enter(const struct sandbox_opts *opts);

#endif
