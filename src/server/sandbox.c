/*
 * sandbox.c - inherited descriptors closed at start; after binding, an
 * empty bounding set, the drop to the configured user, no_new_privs, the
 * root directory as working directory, and a seccomp allowlist.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <seccomp.h>

#include "sandbox.h"
#include "server.h"

int
sandbox_fds_init(void)
{
	struct rlimit rl;
	int fd;

	for (fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		/* The lowest free number, so this is fd itself. */
		if (open("/dev/null", O_RDWR) < 0)
			return -errno;
	}
	if (close_range(3, ~0U, 0) == 0)
		return 0;
	if (errno != ENOSYS && errno != EPERM)
		return -errno;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -errno;
	for (fd = 3; (rlim_t)fd < rl.rlim_cur; fd++)
		(void)close(fd);
	return 0;
}

int
sandbox_user_lookup(const char *user, uid_t *uid, gid_t *gid)
{
	struct passwd *pw;

	if ((pw = getpwnam(user)) == NULL) {
		log_warnx("user '%s' does not exist", user);
		return -ENOENT;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

static unsigned long
sandbox_ports(const uint16_t (*r)[2], size_t n)
{
	unsigned long sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum += (unsigned long)r[i][1] - r[i][0] + 1;
	return sum;
}

unsigned long
sandbox_fd_need(const struct srv_conf *c, int tls)
{
	unsigned long per_addr;

	per_addr = 2 + (c->stun_alt_port != 0) +
	    sandbox_ports(c->sip_udp, c->nsip_udp) +
	    sandbox_ports(c->sip_tcp, c->nsip_tcp) +
	    sandbox_ports(c->http, c->nhttp) +
	    sandbox_ports(c->xmpp, c->nxmpp) +
	    sandbox_ports(c->media, c->nmedia) +
	    (tls ? sandbox_ports(c->tlsp, c->ntlsp) : 0);
	return 3 + per_addr * c->nlisten + c->max_sessions +
	    c->max_page_sessions + SANDBOX_FD_FIXED;
}

int
sandbox_check(const struct srv_conf *c, int tls)
{
	unsigned long need = sandbox_fd_need(c, tls);
	struct rlimit rl;
	uid_t uid;
	gid_t gid;
	int r = 0;

	if (sandbox_user_lookup(c->user, &uid, &gid) < 0)
		r = -ENOENT;
	else if (uid == 0) {
		log_warnx("user '%s' has uid 0: pinholed does not run as root",
		    c->user);
		r = -EPERM;
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -errno;
	/* The soft limit is raised to the hard one at start (conn.c). */
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need) {
		log_warnx("open-file limit %llu is below the %lu descriptors "
		    "this configuration needs (listeners, max-sessions and %d "
		    "more); raise it (ulimit -n, LimitNOFILE) or listen on "
		    "fewer ports", (unsigned long long)rl.rlim_max, need,
		    3 + SANDBOX_FD_FIXED);
		r = -EMFILE;
	}
	return r;
}

int
sandbox_prepare(void)
{
	unsigned char b;

	/* Loads openssl.cnf now rather than on first use. */
	if (OPENSSL_init_ssl(OPENSSL_INIT_LOAD_CONFIG, NULL) != 1 ||
	    RAND_bytes(&b, 1) != 1)
		return -EIO;
	tzset();	/* /etc/localtime, read by syslog's first line */
	return 0;
}

/* Empties the bounding set: no later exec could regain a capability. */
static int
sandbox_bounding_clear(void)
{
	int cap, have;

	for (cap = 0; (have = prctl(PR_CAPBSET_READ, cap, 0, 0, 0)) >= 0;
	    cap++)
		if (have == 1 && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
			return -errno;
	for (cap = 0; (have = prctl(PR_CAPBSET_READ, cap, 0, 0, 0)) >= 0;
	    cap++)
		if (have != 0)
			return -EPERM;
	return 0;
}

/* 0 when the effective, permitted and inheritable sets are all empty. */
static int
sandbox_caps_empty(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	int i;

	if (syscall(SYS_capget, &h, d) < 0)
		return -errno;
	for (i = 0; i < 2; i++)
		if (d[i].effective || d[i].permitted || d[i].inheritable)
			return -EPERM;
	return 0;
}

static int
sandbox_drop_user(const char *user)
{
	uid_t uid, ruid, euid, suid;
	gid_t gid, rgid, egid, sgid, groups[2];
	int r;

	if ((r = sandbox_user_lookup(user, &uid, &gid)) < 0)
		return r;
	if ((r = sandbox_bounding_clear()) < 0) {
		log_warnx("cannot empty the capability bounding set: %s",
		    strerror(-r));
		return r;
	}
	if (setgroups(1, &gid) < 0 || setgid(gid) < 0 || setuid(uid) < 0) {
		log_warn("cannot drop privileges to %s", user);
		return -EPERM;
	}
	if (getresuid(&ruid, &euid, &suid) < 0 ||
	    getresgid(&rgid, &egid, &sgid) < 0 ||
	    ruid != uid || euid != uid || suid != uid ||
	    rgid != gid || egid != gid || sgid != gid ||
	    getgroups(2, groups) != 1 || groups[0] != gid ||
	    setuid(0) == 0 || setgid(0) == 0 || sandbox_caps_empty() < 0) {
		log_warnx("privileges were not dropped to %s", user);
		return -EPERM;
	}
	return 0;
}

/* System calls the running daemon makes (measured: see decisions.md). */
static const int sandbox_allow[] = {
	/* libevent's epoll backend, and its signal pipe */
	SCMP_SYS(epoll_wait), SCMP_SYS(epoll_pwait), SCMP_SYS(epoll_pwait2),
	SCMP_SYS(epoll_ctl),
	/* libevent's precise timers (media pacing) */
	SCMP_SYS(timerfd_settime), SCMP_SYS(timerfd_gettime),
	/* sockets; socket() itself is checked by family below */
	SCMP_SYS(bind), SCMP_SYS(listen), SCMP_SYS(connect),
	SCMP_SYS(accept), SCMP_SYS(accept4), SCMP_SYS(shutdown),
	SCMP_SYS(sendmsg), SCMP_SYS(recvmsg), SCMP_SYS(sendmmsg),
	SCMP_SYS(recvmmsg), SCMP_SYS(sendto), SCMP_SYS(recvfrom),
	SCMP_SYS(setsockopt), SCMP_SYS(getsockopt), SCMP_SYS(getsockname),
	SCMP_SYS(getpeername),
	/* descriptors */
	SCMP_SYS(close), SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(readv),
	SCMP_SYS(writev), SCMP_SYS(fcntl), SCMP_SYS(getrlimit),
	/* metrics: /proc/self/statm, opened before the drop, read again */
	SCMP_SYS(pread64),
	/* time (vDSO first), randomness (OpenSSL), malloc */
	SCMP_SYS(clock_gettime), SCMP_SYS(gettimeofday), SCMP_SYS(getrandom),
	SCMP_SYS(brk), SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(madvise),
	SCMP_SYS(futex),
	/* syslog's LOG_PID and OpenSSL's fork check; signals (libevent
	 * restores the old handlers at shutdown); the end */
	SCMP_SYS(getpid), SCMP_SYS(rt_sigreturn), SCMP_SYS(rt_sigprocmask),
	SCMP_SYS(rt_sigaction),
	SCMP_SYS(restart_syscall), SCMP_SYS(exit_group), SCMP_SYS(exit),
};

/*
 * The store's worker thread (store.c), started before the filter: SQLite
 * reads and writes the descriptors of its files, opened before the drop,
 * locks them with fcntl() and asks their size; libpq waits on its socket.
 */
static const int sandbox_allow_file[] = {
	SCMP_SYS(pread64), SCMP_SYS(pwrite64), SCMP_SYS(lseek),
	SCMP_SYS(fsync), SCMP_SYS(fdatasync), SCMP_SYS(ftruncate),
	SCMP_SYS(fstat),
};
static const int sandbox_allow_net[] = {
	SCMP_SYS(poll), SCMP_SYS(ppoll),
};

static int
sandbox_store_rules(scmp_filter_ctx ctx, const struct sandbox_opts *o)
{
	const int *set = o->store == SANDBOX_STORE_FILE ? sandbox_allow_file :
	    sandbox_allow_net;
	size_t i, n = o->store == SANDBOX_STORE_FILE ?
	    sizeof(sandbox_allow_file) / sizeof(int) :
	    sizeof(sandbox_allow_net) / sizeof(int);
	int r;

	if (o->store == SANDBOX_STORE_NONE)
		return 0;
	for (i = 0; i < n; i++)
		if ((r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, set[i], 0)) < 0)
			return r;
	/* fstat() of a descriptor (glibc: newfstatat(fd, "", AT_EMPTY_PATH)),
	 * never of a path. */
	if (o->store == SANDBOX_STORE_FILE &&
	    (r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(newfstatat), 1,
	    SCMP_A3(SCMP_CMP_MASKED_EQ, AT_EMPTY_PATH, AT_EMPTY_PATH))) < 0)
		return r;
	return 0;
}

/*
 * A sanitizer build only (never a build that is deployed): what the
 * AddressSanitizer runtime calls after the filter, when a thread ends and
 * at exit, where LeakSanitizer stops the threads from a tracer thread of
 * its own to scan them (decisions.md, measured with tests/server/).
 * Detected at compile time: nothing at run time can turn this on.
 */
#if defined(__SANITIZE_ADDRESS__)
#define SANDBOX_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANDBOX_SANITIZER 1
#endif
#endif

#ifdef SANDBOX_SANITIZER
static const int sandbox_allow_sanitizer[] = {
	/* a thread's end: its signal stack and its id */
	SCMP_SYS(sigaltstack), SCMP_SYS(gettid),
	/* the leak check: dumpable, the tracer thread, ptrace of the
	 * others, the thread list read from /proc/PID/task */
	SCMP_SYS(prctl), SCMP_SYS(clone), SCMP_SYS(ptrace), SCMP_SYS(wait4),
	SCMP_SYS(getppid), SCMP_SYS(getdents), SCMP_SYS(getdents64),
	SCMP_SYS(sched_yield), SCMP_SYS(lseek),
};

static int
sandbox_sanitizer_rules(scmp_filter_ctx ctx)
{
	size_t i;
	int r;

	for (i = 0; i < sizeof(sandbox_allow_sanitizer) / sizeof(int); i++)
		if ((r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW,
		    sandbox_allow_sanitizer[i], 0)) < 0)
			return r;
	/* /proc/PID/task, read-only (open() on x86-64, openat() elsewhere) */
	if ((r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(open), 1,
	    SCMP_A1(SCMP_CMP_MASKED_EQ, O_ACCMODE, O_RDONLY))) < 0)
		return r;
	return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(openat), 1,
	    SCMP_A2(SCMP_CMP_MASKED_EQ, O_ACCMODE, O_RDONLY));
}
#endif

static int
sandbox_rules(scmp_filter_ctx ctx, const struct sandbox_opts *o)
{
	/* Rarely used paths fail with an error instead of killing. */
	uint32_t soft = SCMP_ACT_ERRNO(EACCES);
	uint32_t notty = SCMP_ACT_ERRNO(ENOTTY);
	size_t i;
	int r;

	for (i = 0; i < sizeof(sandbox_allow) / sizeof(sandbox_allow[0]); i++)
		if ((r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, sandbox_allow[i],
		    0)) < 0)
			return r;
	/* Internet sockets only; AF_UNIX for syslog's reconnect. */
	if ((r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1,
	    SCMP_A0(SCMP_CMP_EQ, AF_INET))) < 0 ||
	    (r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1,
	    SCMP_A0(SCMP_CMP_EQ, AF_INET6))) < 0 ||
	    (o->use_syslog && (r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW,
	    SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_EQ, AF_UNIX))) < 0))
		return r;
	if ((r = sandbox_store_rules(ctx, o)) < 0)
		return r;
#ifdef SANDBOX_SANITIZER
	if ((r = sandbox_sanitizer_rules(ctx)) < 0)
		return r;
#endif
	/* Memory, never executable. */
	if ((r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
	    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0))) < 0 ||
	    (r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
	    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0))) < 0)
		return r;
	/* Limits may be read, not set. */
	if ((r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prlimit64), 1,
	    SCMP_A2(SCMP_CMP_EQ, 0))) < 0)
		return r;
	/* libevent asks how much a socket holds; no other ioctl. */
	if ((r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
	    SCMP_A1(SCMP_CMP_EQ, FIONREAD))) < 0)
		return r;
	/*
	 * Other ioctls, and files (nothing is opened after binding), fail
	 * with an error.  In log mode the default action already logs them,
	 * and libseccomp refuses a rule that repeats the default.
	 */
	if (o->log_only)
		return 0;
	if ((r = seccomp_rule_add(ctx, notty, SCMP_SYS(ioctl), 1,
	    SCMP_A1(SCMP_CMP_NE, FIONREAD))) < 0 ||
	    (r = seccomp_rule_add(ctx, soft, SCMP_SYS(openat2), 0)) < 0)
		return r;
#ifdef SANDBOX_SANITIZER
	/* Read-only opens are the sanitizer's; the others still fail. */
	if ((r = seccomp_rule_add(ctx, soft, SCMP_SYS(open), 1,
	    SCMP_A1(SCMP_CMP_MASKED_EQ, O_ACCMODE, O_WRONLY))) < 0 ||
	    (r = seccomp_rule_add(ctx, soft, SCMP_SYS(open), 1,
	    SCMP_A1(SCMP_CMP_MASKED_EQ, O_ACCMODE, O_RDWR))) < 0 ||
	    (r = seccomp_rule_add(ctx, soft, SCMP_SYS(openat), 1,
	    SCMP_A2(SCMP_CMP_MASKED_EQ, O_ACCMODE, O_WRONLY))) < 0 ||
	    (r = seccomp_rule_add(ctx, soft, SCMP_SYS(openat), 1,
	    SCMP_A2(SCMP_CMP_MASKED_EQ, O_ACCMODE, O_RDWR))) < 0)
		return r;
#else
	if ((r = seccomp_rule_add(ctx, soft, SCMP_SYS(open), 0)) < 0 ||
	    (r = seccomp_rule_add(ctx, soft, SCMP_SYS(openat), 0)) < 0)
		return r;
#endif
	/* SQLite, closing at shutdown, asks about its -wal file by name and
	 * would delete it: refused, the file stays for the next start.
	 * libpq, reconnecting after the database went away, asks about its
	 * password and certificate files by name: refused, as if absent
	 * (the first connection, before the filter, read what it needed). */
	if (o->store != SANDBOX_STORE_NONE &&
	    (r = seccomp_rule_add(ctx, soft, SCMP_SYS(newfstatat), 1,
	    SCMP_A3(SCMP_CMP_MASKED_EQ, AT_EMPTY_PATH, 0))) < 0)
		return r;
	if (o->store == SANDBOX_STORE_FILE &&
	    ((r = seccomp_rule_add(ctx, soft, SCMP_SYS(unlink), 0)) < 0 ||
	    (r = seccomp_rule_add(ctx, soft, SCMP_SYS(unlinkat), 0)) < 0))
		return r;
	return 0;
}

static int
sandbox_seccomp(const struct sandbox_opts *o)
{
	uint32_t deny = o->log_only ? SCMP_ACT_LOG : SCMP_ACT_KILL_PROCESS;
	scmp_filter_ctx ctx;
	int r;

	if ((ctx = seccomp_init(deny)) == NULL)
		return -ENOMEM;
	if ((r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
	    SCMP_ACT_KILL_PROCESS)) < 0 ||
	    /* every thread: the store's worker runs already */
	    (r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1)) < 0 ||
	    (r = sandbox_rules(ctx, o)) < 0 ||
	    (r = seccomp_load(ctx)) < 0)
		goto out;
	r = 0;
out:
	seccomp_release(ctx);
	return r;
}

int
sandbox_enter(const struct sandbox_opts *opts)
{
	uid_t uid;
	int r;

	if (geteuid() == 0 && (r = sandbox_drop_user(opts->user)) < 0)
		return r;
	if (chdir("/") < 0) {
		log_warn("chdir /");
		return -errno;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		log_warn("no_new_privs");
		return -errno;
	}
	uid = getuid();
	if ((r = sandbox_seccomp(opts)) < 0) {
		log_warnx("cannot load the seccomp filter: %s", strerror(-r));
		return r;
	}
	log_debug("sandbox: uid %u, no_new_privs, seccomp filter %s",
	    (unsigned)uid, opts->log_only ? "logging" : "enforcing");
	return 0;
}
