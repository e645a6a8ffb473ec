/* labq.c - the NFQUEUE plumbing shared by the lab's userspace routers. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netfilter.h>

#include "labq.h"
#include "log.h"

#define LABQ_RCVBUF	(16u << 20)

void
labq_open(struct labq *q, unsigned queue, unsigned maxlen, unsigned copy,
    nfq_callback *cb, void *arg)
{
	memset(q, 0, sizeof(*q));
	if ((q->h = nfq_open()) == NULL)
		fatal("nfq_open");
	if (nfq_bind_pf(q->h, AF_INET) < 0)
		log_debug("nfq_bind_pf (not needed on this kernel)");
	if ((q->qh = nfq_create_queue(q->h, (uint16_t)queue, cb, arg)) == NULL)
		fatal("queue %u", queue);
	if (nfq_set_mode(q->qh, NFQNL_COPY_PACKET, copy) < 0)
		fatal("nfq_set_mode");
	if (nfq_set_queue_maxlen(q->qh, maxlen) < 0)
		fatal("nfq_set_queue_maxlen %u", maxlen);
	if (nfq_set_queue_flags(q->qh, NFQA_CFG_F_FAIL_OPEN,
	    NFQA_CFG_F_FAIL_OPEN) < 0)
		log_warnx("this kernel has no fail-open queues");
	nfnl_rcvbufsiz(nfq_nfnlh(q->h), LABQ_RCVBUF);
	q->fd = nfq_fd(q->h);
}

void
labq_read(struct labq *q)
{
	char buf[65536] __attribute__((aligned));
	ssize_t n;

	for (;;) {
		n = recv(q->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			if (errno == ENOBUFS) {
				q->overruns++;
				continue;
			}
			fatal("recv");
		}
		nfq_handle_packet(q->h, buf, (int)n);
	}
}

void
labq_close(struct labq *q)
{
	if (q->qh != NULL)
		nfq_destroy_queue(q->qh);
	if (q->h != NULL)
		nfq_close(q->h);
	q->qh = NULL;
	q->h = NULL;
}

void
labq_signals(void (*h)(int), sigset_t *old)
{
	struct sigaction sa = { .sa_handler = h };
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, old);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
}

FILE *
labq_stats_begin(const char *path, char *tmp, size_t len)
{
	FILE *f;

	if ((size_t)snprintf(tmp, len, "%s.tmp", path) >= len ||
	    (f = fopen(tmp, "w")) == NULL) {
		log_warn("stats %s", path);
		return NULL;
	}
	return f;
}

void
labq_stats_end(FILE *f, const char *tmp, const char *path)
{
	if (fclose(f) != 0 || rename(tmp, path) < 0)
		log_warn("stats %s", path);
}
