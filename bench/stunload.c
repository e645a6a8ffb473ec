/*
 * stunload.c - the STUN load generator of bench/stun.sh.
 *
 *   stunload --server ADDR:PORT [--bind ADDR] [--sockets N] [--window W]
 *            [--seconds S] [--warmup S] [--size BYTES] [--expect stun|echo]
 *            [--timeout MS]
 *
 * N connected UDP sockets (default 4) each keep W Binding requests in
 * flight (default 32).  Every request is the same Binding request padded
 * with a PADDING attribute to BYTES (default 100), with its own
 * transaction id.  A response counts when its transaction id is the one
 * outstanding in its slot and it is a Binding success response with an
 * XOR-MAPPED-ADDRESS (--expect stun), or the request's exact bytes
 * (--expect echo); the slot then sends its next request at once.  A slot
 * whose answer has not come within the timeout (default 200 ms) sends a
 * new request and counts one as lost.
 *
 * Responses are counted for S seconds (default 5) after a warm-up
 * (default 1 s); then it prints one line of key=value figures and exits:
 * 0 when at least one valid response came, 1 when none did, 2 on usage.
 *
 * The client is one thread polling its sockets, with sendmmsg and
 * recvmmsg, so that it costs the least it can beside the server measured.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"
#include "buf.h"
#include "stun.h"

#define LOAD_MAX_SOCKETS	64
#define LOAD_MAX_WINDOW		1024
#define LOAD_BATCH		64

enum load_expect { EXPECT_STUN, EXPECT_ECHO };

/* One request in flight: its sequence number and when it left. */
struct load_slot {
	uint32_t seq;
	uint64_t sent_ns;
	uint8_t *req;			/* this slot's copy of the request */
};

struct load_sock {
	int fd;
	struct load_slot *slot;
};

struct load {
	struct bench_addr server, bind;
	unsigned nsock, window, seconds, warmup, size, timeout_ms;
	enum load_expect expect;
	uint8_t key[4];			/* this run's first tid bytes */
	struct load_sock sock[LOAD_MAX_SOCKETS];
	uint64_t t_start, t_end;	/* the counting window */
	unsigned long long valid, bytes, lost, invalid, late, sent, senderr;
	/* per batch */
	struct mmsghdr msgs[LOAD_BATCH];
	struct iovec iov[LOAD_BATCH];
	uint8_t rbuf[LOAD_BATCH][STUN_MAX_DGRAM];
	unsigned resend[LOAD_BATCH];
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: stunload --server ADDR:PORT [--bind ADDR] "
	    "[--sockets N] [--window W]\n"
	    "                [--seconds S] [--warmup S] [--size BYTES] "
	    "[--expect stun|echo]\n"
	    "                [--timeout MS]\n");
}

/*
 * The padded Binding request: header, PADDING to 'size' bytes in all.
 * The transaction id is rewritten per slot.
 */
static int
load_request(size_t size, uint8_t *out)
{
	uint8_t tid[STUN_TID_LEN] = { 0 };
	struct dbuf b;
	int r;

	dbuf_init(&b, STUN_MAX_MSG);
	if ((r = stun_enc_begin(&b, STUN_BINDING_REQUEST, tid)) == 0 &&
	    (r = stun_enc_padding(&b, size - STUN_HDR_LEN - 4)) == 0 &&
	    (r = stun_enc_finish(&b, NULL, 0, 0)) == 0) {
		if (b.len != size)
			r = -EINVAL;
		else
			memcpy(out, b.b, size);
	}
	dbuf_free(&b);
	return r;
}

/* tid: key[4] | u16 socket | u16 slot | u32 seq. */
static void
load_tid_write(const struct load *ld, uint8_t *msg, unsigned s, unsigned k,
    uint32_t seq)
{
	uint8_t *t = msg + 8;

	memcpy(t, ld->key, 4);
	t[4] = (uint8_t)(s >> 8);
	t[5] = (uint8_t)s;
	t[6] = (uint8_t)(k >> 8);
	t[7] = (uint8_t)k;
	buf_put_be32(t + 8, seq);
}

static int
load_open(struct load *ld)
{
	uint8_t tmpl[STUN_MAX_MSG], tid[STUN_TID_LEN];
	unsigned s, k;
	int r, buf = 1 << 20;

	if ((r = load_request(ld->size, tmpl)) < 0 ||
	    (r = stun_tid_random(tid)) < 0)
		return r;
	memcpy(ld->key, tid, sizeof(ld->key));
	for (s = 0; s < ld->nsock; s++) {
		struct load_sock *ls = &ld->sock[s];

		ls->fd = socket(ld->server.ss.ss_family,
		    SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (ls->fd < 0)
			return -errno;
		(void)setsockopt(ls->fd, SOL_SOCKET, SO_RCVBUF, &buf,
		    sizeof(buf));
		(void)setsockopt(ls->fd, SOL_SOCKET, SO_SNDBUF, &buf,
		    sizeof(buf));
		if ((ld->bind.len > 0 && bind(ls->fd,
		    (struct sockaddr *)&ld->bind.ss, ld->bind.len) < 0) ||
		    connect(ls->fd, (struct sockaddr *)&ld->server.ss,
		    ld->server.len) < 0)
			return -errno;
		if ((ls->slot = calloc(ld->window, sizeof(*ls->slot))) == NULL)
			return -ENOMEM;
		for (k = 0; k < ld->window; k++) {
			if ((ls->slot[k].req = malloc(ld->size)) == NULL)
				return -ENOMEM;
			memcpy(ls->slot[k].req, tmpl, ld->size);
		}
	}
	return 0;
}

static void
load_close(struct load *ld)
{
	unsigned s, k;

	for (s = 0; s < ld->nsock; s++) {
		if (ld->sock[s].fd >= 0)
			close(ld->sock[s].fd);
		if (ld->sock[s].slot == NULL)
			continue;
		for (k = 0; k < ld->window; k++)
			free(ld->sock[s].slot[k].req);
		free(ld->sock[s].slot);
	}
}

/* Sends the next request of each of 'n' slots of socket 's'. */
static void
load_send(struct load *ld, unsigned s, const unsigned *slots, unsigned n,
    uint64_t now)
{
	struct load_sock *ls = &ld->sock[s];
	unsigned i;
	int out;

	for (i = 0; i < n; i++) {
		struct load_slot *sl = &ls->slot[slots[i]];

		sl->seq++;
		sl->sent_ns = now;
		load_tid_write(ld, sl->req, s, slots[i], sl->seq);
		ld->iov[i].iov_base = sl->req;
		ld->iov[i].iov_len = ld->size;
		memset(&ld->msgs[i].msg_hdr, 0, sizeof(ld->msgs[i].msg_hdr));
		ld->msgs[i].msg_hdr.msg_iov = &ld->iov[i];
		ld->msgs[i].msg_hdr.msg_iovlen = 1;
	}
	for (i = 0; i < n; i += (unsigned)out) {
		out = sendmmsg(ls->fd, ld->msgs + i, n - i, 0);
		if (out <= 0) {
			/* Those slots wait for their timeout. */
			ld->senderr += n - i;
			break;
		}
		ld->sent += (unsigned)out;
	}
}

/*
 * Checks one datagram received on socket 's'.  Returns the slot it
 * answers, or -1 (late, foreign or invalid).
 */
static int
load_check(struct load *ld, unsigned s, const uint8_t *p, size_t n)
{
	const uint8_t *t = p + 8;
	struct load_slot *sl;
	struct stun_msg m;
	unsigned ts, k;
	uint32_t seq;

	if (n < STUN_HDR_LEN || memcmp(t, ld->key, 4) != 0) {
		ld->invalid++;
		return -1;
	}
	ts = (unsigned)t[4] << 8 | t[5];
	k = (unsigned)t[6] << 8 | t[7];
	seq = (uint32_t)t[8] << 24 | (uint32_t)t[9] << 16 |
	    (uint32_t)t[10] << 8 | t[11];
	if (ts != s || k >= ld->window) {
		ld->invalid++;
		return -1;
	}
	sl = &ld->sock[s].slot[k];
	if (seq != sl->seq) {
		ld->late++;	/* answers a request already given up */
		return -1;
	}
	if (ld->expect == EXPECT_ECHO ? n != ld->size ||
	    memcmp(p, sl->req, n) != 0 :
	    stun_msg_decode(p, n, &m) < 0 || m.type != STUN_BINDING_SUCCESS ||
	    !(m.present & STUN_HAS_XOR_MAPPED)) {
		ld->invalid++;
		return -1;
	}
	return (int)k;
}

/* Reads what socket 's' has, answers it in one batch. */
static void
load_recv(struct load *ld, unsigned s)
{
	unsigned i, nresend;
	uint64_t now;
	int n, k;

	for (;;) {
		for (i = 0; i < LOAD_BATCH; i++) {
			ld->iov[i].iov_base = ld->rbuf[i];
			ld->iov[i].iov_len = sizeof(ld->rbuf[i]);
			memset(&ld->msgs[i].msg_hdr, 0,
			    sizeof(ld->msgs[i].msg_hdr));
			ld->msgs[i].msg_hdr.msg_iov = &ld->iov[i];
			ld->msgs[i].msg_hdr.msg_iovlen = 1;
		}
		n = recvmmsg(ld->sock[s].fd, ld->msgs, LOAD_BATCH,
		    MSG_DONTWAIT, NULL);
		if (n <= 0)
			return;	/* EAGAIN, or ECONNREFUSED: nothing there */
		now = bench_now_ns();
		nresend = 0;
		for (i = 0; i < (unsigned)n; i++) {
			k = load_check(ld, s, ld->rbuf[i], ld->msgs[i].msg_len);
			if (k < 0)
				continue;
			if (now >= ld->t_start && now < ld->t_end) {
				ld->valid++;
				ld->bytes += ld->msgs[i].msg_len;
			}
			ld->resend[nresend++] = (unsigned)k;
		}
		if (now < ld->t_end && nresend > 0)
			load_send(ld, s, ld->resend, nresend, now);
		if (n < LOAD_BATCH)
			return;
	}
}

/* Gives up on the requests older than the timeout and sends new ones. */
static void
load_expire(struct load *ld, uint64_t now)
{
	uint64_t limit = (uint64_t)ld->timeout_ms * 1000000u;
	unsigned s, k, n;

	for (s = 0; s < ld->nsock; s++) {
		for (k = 0, n = 0; k < ld->window; k++) {
			if (now - ld->sock[s].slot[k].sent_ns < limit)
				continue;
			if (now >= ld->t_start && now < ld->t_end)
				ld->lost++;
			ld->resend[n++] = k;
			if (n == LOAD_BATCH) {
				load_send(ld, s, ld->resend, n, now);
				n = 0;
			}
		}
		if (n > 0)
			load_send(ld, s, ld->resend, n, now);
	}
}

static int
load_run(struct load *ld)
{
	struct pollfd pfd[LOAD_MAX_SOCKETS];
	uint64_t now, next_expire;
	unsigned s, k, n;

	now = bench_now_ns();
	ld->t_start = now + (uint64_t)ld->warmup * 1000000000u;
	ld->t_end = ld->t_start + (uint64_t)ld->seconds * 1000000000u;
	for (s = 0; s < ld->nsock; s++) {
		pfd[s].fd = ld->sock[s].fd;
		pfd[s].events = POLLIN;
		for (k = 0; k < ld->window; k += n) {
			n = ld->window - k < LOAD_BATCH ? ld->window - k :
			    LOAD_BATCH;
			for (unsigned i = 0; i < n; i++)
				ld->resend[i] = k + i;
			load_send(ld, s, ld->resend, n, now);
		}
	}
	next_expire = now + 20000000u;
	while ((now = bench_now_ns()) < ld->t_end && !bench_stopping()) {
		if (poll(pfd, ld->nsock, 10) < 0 && errno != EINTR)
			return -errno;
		for (s = 0; s < ld->nsock; s++)
			if (pfd[s].revents & (POLLIN | POLLERR))
				load_recv(ld, s);
		if ((now = bench_now_ns()) >= next_expire && now < ld->t_end) {
			load_expire(ld, now);
			next_expire = now + 20000000u;
		}
	}
	if (now < ld->t_end)
		ld->t_end = now;	/* stopped early: count what ran */
	return 0;
}

static int
load_opts(struct load *ld, int argc, char **argv)
{
	static const char *const expect[] = { "stun", "echo", NULL };
	unsigned ex = EXPECT_STUN;
	const struct bench_opt opts[] = {
		{ "server", BENCH_ADDR_PORT, &ld->server, 0, 0, NULL },
		{ "bind", BENCH_ADDR, &ld->bind, 0, 0, NULL },
		{ "sockets", BENCH_UINT, &ld->nsock, 1, LOAD_MAX_SOCKETS, NULL },
		{ "window", BENCH_UINT, &ld->window, 1, LOAD_MAX_WINDOW, NULL },
		{ "seconds", BENCH_UINT, &ld->seconds, 1, 600, NULL },
		{ "warmup", BENCH_UINT, &ld->warmup, 0, 60, NULL },
		{ "size", BENCH_UINT, &ld->size, STUN_HDR_LEN + 4, STUN_MAX_MSG,
		    NULL },
		{ "expect", BENCH_CHOICE, &ex, 0, 0, expect },
		{ "timeout", BENCH_UINT, &ld->timeout_ms, 1, 10000, NULL },
	};
	int r;

	r = bench_opts_parse(opts, sizeof(opts) / sizeof(opts[0]), argc, argv);
	if (r != 0)
		return r;
	if (ld->server.len == 0) {
		fprintf(stderr, "--server is needed\n");
		return -EINVAL;
	}
	if (ld->size % 4 != 0) {
		fprintf(stderr, "--size: a STUN message is a multiple of 4 "
		    "bytes\n");
		return -EINVAL;
	}
	if (ld->bind.len > 0 &&
	    ld->bind.ss.ss_family != ld->server.ss.ss_family) {
		fprintf(stderr, "--bind and --server: not the same family\n");
		return -EINVAL;
	}
	ld->expect = (enum load_expect)ex;
	return 0;
}

int
main(int argc, char **argv)
{
	static struct load ld;	/* 256 KiB of receive buffers */
	char a[NET_ADDRSTRLEN];
	double secs;
	unsigned s;
	int r;

	ld.nsock = 4;
	ld.window = 32;
	ld.seconds = 5;
	ld.warmup = 1;
	ld.size = 100;
	ld.timeout_ms = 200;
	ld.expect = EXPECT_STUN;
	for (s = 0; s < LOAD_MAX_SOCKETS; s++)
		ld.sock[s].fd = -1;
	if ((r = load_opts(&ld, argc, argv)) != 0) {
		usage(r == 1 ? stdout : stderr);
		return r == 1 ? 0 : 2;
	}
	if ((r = bench_signals()) < 0 || (r = load_open(&ld)) < 0 ||
	    (r = load_run(&ld)) < 0) {
		fprintf(stderr, "stunload: %s\n", strerror(-r));
		load_close(&ld);
		return 1;
	}
	load_close(&ld);
	secs = ld.t_end > ld.t_start ?
	    (double)(ld.t_end - ld.t_start) / 1e9 : 0;
	printf("server=%s expect=%s sockets=%u window=%u size=%u "
	    "seconds=%.2f responses=%llu rate=%.0f answer_bytes=%.0f "
	    "lost=%llu late=%llu invalid=%llu senderr=%llu\n",
	    net_sa_str((struct sockaddr *)&ld.server.ss, a, sizeof(a)),
	    ld.expect == EXPECT_ECHO ? "echo" : "stun", ld.nsock, ld.window,
	    ld.size, secs, ld.valid, secs > 0 ? (double)ld.valid / secs : 0,
	    ld.valid ? (double)ld.bytes / (double)ld.valid : 0, ld.lost,
	    ld.late, ld.invalid, ld.senderr);
	return ld.valid > 0 ? 0 : 1;
}
