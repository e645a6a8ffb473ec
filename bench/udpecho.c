/*
 * udpecho.c - the plain UDP echo that bench/stun.sh measures pinholed
 * against: one socket, one thread, recvmmsg and sendmmsg in batches, every
 * datagram sent back unchanged to where it came from.  This is the floor
 * of what any UDP responder costs on this machine, so it is a blocking
 * loop with no event library in the way.
 *
 *   udpecho --listen ADDR:PORT [--seconds S]
 *
 * It answers loopback sources only and exits by itself after S seconds
 * (default 600), or on SIGINT/SIGTERM; then it prints how many datagrams
 * it echoed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"

#define ECHO_BATCH	64
#define ECHO_DGRAM	4096

struct echo {
	int fd;
	uint64_t deadline_ns;
	unsigned long long echoed, refused;
	struct mmsghdr msgs[ECHO_BATCH];
	struct iovec iov[ECHO_BATCH];
	struct sockaddr_storage from[ECHO_BATCH];
	uint8_t buf[ECHO_BATCH][ECHO_DGRAM];
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: udpecho --listen ADDR:PORT [--seconds S]\n");
}

static int
echo_open(struct echo *e, const struct sockaddr_storage *ss, socklen_t len)
{
	struct timeval tv = { 0, 200000 };	/* to look at the clock */
	int one = 1;

	e->fd = socket(ss->ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (e->fd < 0)
		return -errno;
	(void)setsockopt(e->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (setsockopt(e->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    bind(e->fd, (const struct sockaddr *)ss, len) < 0) {
		int err = errno;

		close(e->fd);
		e->fd = -1;
		return -err;
	}
	return 0;
}

/* Receives one batch and sends it back; -errno only for real failures. */
static int
echo_batch(struct echo *e)
{
	int i, n, k, out;

	for (i = 0; i < ECHO_BATCH; i++) {
		e->iov[i].iov_base = e->buf[i];
		e->iov[i].iov_len = ECHO_DGRAM;
		memset(&e->msgs[i].msg_hdr, 0, sizeof(e->msgs[i].msg_hdr));
		e->msgs[i].msg_hdr.msg_iov = &e->iov[i];
		e->msgs[i].msg_hdr.msg_iovlen = 1;
		e->msgs[i].msg_hdr.msg_name = &e->from[i];
		e->msgs[i].msg_hdr.msg_namelen = sizeof(e->from[i]);
	}
	n = recvmmsg(e->fd, e->msgs, ECHO_BATCH, MSG_WAITFORONE, NULL);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ||
		    errno == ECONNREFUSED ? 0 : -errno;
	/* Keep the loopback sources, in order, and answer them in one call. */
	for (i = 0, k = 0; i < n; i++) {
		if (!bench_sa_is_loopback((struct sockaddr *)&e->from[i])) {
			e->refused++;
			continue;
		}
		e->iov[i].iov_len = e->msgs[i].msg_len;
		if (k != i) {
			e->msgs[k] = e->msgs[i];
			e->iov[k] = e->iov[i];
			e->msgs[k].msg_hdr.msg_iov = &e->iov[k];
		}
		k++;
	}
	for (i = 0; i < k; i += out) {
		out = sendmmsg(e->fd, e->msgs + i, (unsigned)(k - i), 0);
		if (out <= 0)
			break;	/* a full buffer drops the rest, as UDP may */
		e->echoed += (unsigned long long)out;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static struct echo e;	/* 256 KiB of buffers: not on the stack */
	struct bench_addr listen = { .len = 0 };
	unsigned seconds = 600;
	const struct bench_opt opts[] = {
		{ "listen", BENCH_ADDR_PORT, &listen, 0, 0, NULL },
		{ "seconds", BENCH_UINT, &seconds, 1, 86400, NULL },
	};
	int r;

	r = bench_opts_parse(opts, sizeof(opts) / sizeof(opts[0]), argc, argv);
	if (r != 0 || listen.len == 0) {
		usage(r == 1 ? stdout : stderr);
		return r == 1 ? 0 : 2;
	}
	if ((r = bench_signals()) < 0 || (r = echo_open(&e, &listen.ss, listen.len)) < 0) {
		fprintf(stderr, "udpecho: cannot listen: %s\n", strerror(-r));
		return 1;
	}
	e.deadline_ns = bench_now_ns() + (uint64_t)seconds * 1000000000u;
	while (!bench_stopping() && bench_now_ns() < e.deadline_ns) {
		if ((r = echo_batch(&e)) < 0) {
			fprintf(stderr, "udpecho: %s\n", strerror(-r));
			close(e.fd);
			return 1;
		}
	}
	close(e.fd);
	printf("udpecho: echoed %llu datagrams, refused %llu from "
	    "non-loopback sources\n", e.echoed, e.refused);
	return 0;
}
