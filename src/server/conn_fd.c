/*
 * conn_fd.c - the descriptor budget of pinholed's connections (conn.h):
 * what connections may hold, from the open-file limit once at start, and
 * accepting paused while it is spent or the kernel refuses one more,
 * resumed once enough descriptors are free again.  Nothing here touches
 * a connection: conn.c charges the descriptors, and conn_fd_take(), which
 * may close one to make room, is conn.c's.
 */
#include <errno.h>
#include <sys/resource.h>

#include "conn.h"

#define CONN_RESUME_GAP	8	/* free descriptors before accepting again */
#define CONN_RETRY_MS	1000	/* after EMFILE from the kernel */

void
conn_fd_pause(struct server *s, int retry)
{
	struct timeval tv = { CONN_RETRY_MS / 1000, 0 };
	struct listener *l;

	if (retry)
		evtimer_add(s->resume, &tv);
	if (s->accept_paused)
		return;
	for (l = s->listeners; l != NULL; l = l->next)
		if (l->stream)
			event_del(l->ev);
	s->accept_paused = 1;
	log_warnx("%u of %u connection descriptors in use%s: not accepting "
	    "until some close", s->nfds, s->fd_budget,
	    retry ? " and the kernel refused one more" : "");
}

static void
conn_fd_resume(struct server *s)
{
	struct listener *l;

	if (!s->accept_paused)
		return;
	for (l = s->listeners; l != NULL; l = l->next)
		if (l->stream)
			event_add(l->ev, NULL);
	s->accept_paused = 0;
	log_info("accepting connections again (%u descriptors in use)",
	    s->nfds);
}

static void
conn_fd_resume_h(evutil_socket_t fd, short what, void *arg)
{
	struct server *s = arg;

	(void)fd;
	(void)what;
	if (s->nfds < s->fd_budget)
		conn_fd_resume(s);
	else {
		struct timeval tv = { 1, 0 };

		evtimer_add(s->resume, &tv);
	}
}

void
conn_fd_settle(struct server *s)
{
	if (s->accept_paused && s->nfds + CONN_RESUME_GAP <= s->fd_budget)
		conn_fd_resume(s);
}

void
conn_fd_release(struct server *s)
{
	s->nfds--;
	conn_fd_settle(s);
}

int
conn_fd_init(struct server *s)
{
	struct rlimit rl;
	unsigned fixed = listen_count(s) + CONN_FD_RESERVE;

	if ((s->resume = evtimer_new(s->base, conn_fd_resume_h, s)) == NULL)
		return -ENOMEM;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -errno;
	/* A daemon may use what its hard limit allows. */
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > 1u << 20)
		rl.rlim_cur = 1u << 20;
	if (rl.rlim_cur < fixed + 16) {
		log_warnx("the open-file limit (%llu) leaves fewer than 16 "
		    "descriptors for connections beside %u listeners",
		    (unsigned long long)rl.rlim_cur, listen_count(s));
		return -EMFILE;
	}
	s->fd_budget = (unsigned)rl.rlim_cur - fixed;
	return 0;
}
