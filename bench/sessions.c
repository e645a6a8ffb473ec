/*
 * sessions.c - opens idle control sessions to pinholed and keeps them
 * alive, for bench/stun.sh and bench/sessions.sh.
 *
 *   sessions --server ADDR:PORT --source ADDR [--count N] [--per-source M]
 *            [--parallel P] [--ping S] [--seconds S] [--open-timeout S]
 *
 * Each session is a plain TCP connection to the control port that sends
 * the preamble and HELLO and waits for WELCOME (docs/protocol.md).  The
 * sessions come from consecutive source addresses starting at --source,
 * M per address (default 100; the server's max-sessions-per-source must
 * allow that many), in turn, at most P handshakes at a time (default 32).
 * Once every session is open it prints "open N sessions in T s" and then
 * sends each a PING every S seconds (default 10, well within the 30 s idle
 * timeout) and answers the server's PINGs.
 *
 * It ends by itself after --seconds (default 60) or on SIGINT/SIGTERM,
 * saying BYE on every session; exit status 0.  If a session is refused,
 * closed or not open within --open-timeout (default 60 s), it says why
 * and exits 1 at once, so that a benchmark never measures fewer sessions
 * than it claims.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "bench.h"
#include "ctl.h"

enum sess_state { SESS_IDLE, SESS_HELLO, SESS_OPEN, SESS_DONE };

struct sess {
	struct sessions *all;
	struct bufferevent *bev;
	enum sess_state state;
	int have_preamble;
	uint64_t last_ping_ns;
	unsigned idx;
};

struct sessions {
	struct event_base *base;
	struct bench_addr server, source;
	unsigned count, per_source, parallel, ping_s, seconds, open_timeout;
	struct sess *s;
	unsigned next, pending, open;
	uint64_t t0, t_open;
	int status;			/* exit status once the loop ends */
	struct event *tick, *sigint, *sigterm;
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: sessions --server ADDR:PORT --source ADDR "
	    "[--count N] [--per-source M]\n"
	    "                [--parallel P] [--ping S] [--seconds S] "
	    "[--open-timeout S]\n");
}

/* Ends the run: 'status' 1 says something broke. */
static void
sessions_stop(struct sessions *ss, int status)
{
	if (status != 0)
		ss->status = status;
	event_base_loopbreak(ss->base);
}

/* The source address of session 'i': the addresses take turns. */
static int
sessions_source(const struct sessions *ss, unsigned i,
    struct sockaddr_storage *src)
{
	unsigned nsrc = (ss->count + ss->per_source - 1) / ss->per_source;

	return bench_sa_offset(&ss->source.ss, i % nsrc, src);
}

static void
sess_fail(struct sess *x, const char *why, const char *detail)
{
	char a[NET_ADDRSTRLEN];
	struct sockaddr_storage src;

	(void)sessions_source(x->all, x->idx, &src);
	fprintf(stderr, "sessions: session %u from %s %s: %s%s%s (%u open)\n",
	    x->idx, net_sa_str((struct sockaddr *)&src, a, sizeof(a)),
	    x->state == SESS_OPEN ? "lost" : "not opened", why,
	    detail ? ": " : "", detail ? detail : "", x->all->open);
	x->state = SESS_DONE;
	sessions_stop(x->all, 1);
}

/* Appends a frame of 'type' with no attributes. */
static int
sess_frame(struct sess *x, uint16_t type)
{
	uint8_t f[CTL_HDR_LEN] = { (uint8_t)(type >> 8), (uint8_t)type, 0, 0 };

	return bufferevent_write(x->bev, f, sizeof(f)) == 0 ? 0 : -ENOMEM;
}

static void sessions_more(struct sessions *ss);

static void
sess_welcome(struct sess *x)
{
	struct sessions *ss = x->all;

	x->state = SESS_OPEN;
	x->last_ping_ns = bench_now_ns();
	ss->pending--;
	ss->open++;
	if (ss->open == ss->count) {
		ss->t_open = bench_now_ns();
		printf("open %u sessions in %.2f s\n", ss->open,
		    (double)(ss->t_open - ss->t0) / 1e9);
		fflush(stdout);
	}
	sessions_more(ss);
}

/* Handles one whole frame. */
static void
sess_msg(struct sess *x, const uint8_t *p, size_t n)
{
	char reason[128] = "", detail[160];
	struct ctl_msg m;
	uint16_t code = 0;

	if (ctl_msg_decode(p, n, &m) < 0) {
		sess_fail(x, "malformed frame", NULL);
		return;
	}
	switch (m.type) {
	case CTL_WELCOME:
		if (x->state != SESS_HELLO)
			sess_fail(x, "a second WELCOME", NULL);
		else
			sess_welcome(x);
		break;
	case CTL_PING:
		if (sess_frame(x, CTL_PONG) < 0)
			sess_fail(x, "out of memory", NULL);
		break;
	case CTL_ERROR:
		(void)ctl_get_u16(&m, CTL_A_CODE, &code);
		(void)ctl_get_str(&m, CTL_A_REASON, reason, sizeof(reason));
		snprintf(detail, sizeof(detail), "%u %s", code, reason);
		sess_fail(x, "ERROR", detail);
		break;
	case CTL_BYE:
		sess_fail(x, "BYE from the server", NULL);
		break;
	default:	/* PONG, and what an idle session does not ask for */
		break;
	}
}

static void
sess_read_h(struct bufferevent *bev, void *arg)
{
	struct sess *x = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t len, need;
	uint8_t *p;
	int r;

	if (!x->have_preamble) {
		if ((p = evbuffer_pullup(in, CTL_PREAMBLE_LEN)) == NULL)
			return;
		if ((r = ctl_preamble_check(p, CTL_PREAMBLE_LEN)) != CTL_VERSION) {
			sess_fail(x, "bad preamble", r < 0 ? strerror(-r) :
			    "another version");
			return;
		}
		evbuffer_drain(in, CTL_PREAMBLE_LEN);
		x->have_preamble = 1;
	}
	while (x->state != SESS_DONE &&
	    (p = evbuffer_pullup(in, CTL_HDR_LEN)) != NULL) {
		if (ctl_frame_peek(p, CTL_HDR_LEN, &len) == -EMSGSIZE) {
			sess_fail(x, "oversized frame", NULL);
			return;
		}
		need = CTL_HDR_LEN + ((size_t)p[2] << 8 | p[3]);
		if (evbuffer_get_length(in) < need)
			return;		/* the body is on its way */
		if ((p = evbuffer_pullup(in, (ssize_t)need)) == NULL ||
		    ctl_frame_peek(p, need, &len) < 0) {
			sess_fail(x, "cannot read a frame", NULL);
			return;
		}
		sess_msg(x, p, len);
		evbuffer_drain(in, len);
	}
}

static void
sess_event_h(struct bufferevent *bev, short what, void *arg)
{
	struct sess *x = arg;

	(void)bev;
	if (what & BEV_EVENT_CONNECTED)
		return;
	if (x->state == SESS_DONE)
		return;
	sess_fail(x, what & BEV_EVENT_EOF ? "closed by the server" :
	    "connection failed", (what & BEV_EVENT_ERROR) ?
	    strerror(EVUTIL_SOCKET_ERROR()) : NULL);
}

/* Connects session 'i' and queues its preamble and HELLO. */
static int
sess_start(struct sessions *ss, unsigned i)
{
	static const char sw[] = "pinhole bench";
	struct sess *x = &ss->s[i];
	struct sockaddr_storage src;
	uint8_t hello[CTL_PREAMBLE_LEN + 2 * CTL_HDR_LEN + sizeof(sw) - 1];
	int fd, r;

	if ((r = sessions_source(ss, i, &src)) < 0)
		return r;
	x->all = ss;
	x->idx = i;
	fd = socket(src.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&src, ss->source.len) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	x->bev = bufferevent_socket_new(ss->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (x->bev == NULL) {
		close(fd);
		return -ENOMEM;
	}
	ctl_preamble(hello);
	hello[8] = 0;
	hello[9] = CTL_HELLO;
	hello[10] = 0;
	hello[11] = (uint8_t)(CTL_HDR_LEN + sizeof(sw) - 1);
	hello[12] = 0;
	hello[13] = CTL_A_SOFTWARE;
	hello[14] = 0;
	hello[15] = (uint8_t)(sizeof(sw) - 1);
	memcpy(hello + 16, sw, sizeof(sw) - 1);
	bufferevent_setcb(x->bev, sess_read_h, NULL, sess_event_h, x);
	if (bufferevent_enable(x->bev, EV_READ) < 0 ||
	    bufferevent_write(x->bev, hello, sizeof(hello)) < 0 ||
	    bufferevent_socket_connect(x->bev,
	    (struct sockaddr *)&ss->server.ss, (int)ss->server.len) < 0)
		return -ECONNREFUSED;
	x->state = SESS_HELLO;
	ss->pending++;
	return 0;
}

/* Starts handshakes until P are under way or every session has begun. */
static void
sessions_more(struct sessions *ss)
{
	int r;

	while (ss->pending < ss->parallel && ss->next < ss->count) {
		if ((r = sess_start(ss, ss->next)) < 0) {
			fprintf(stderr, "sessions: cannot start session %u: "
			    "%s\n", ss->next, strerror(-r));
			sessions_stop(ss, 1);
			return;
		}
		ss->next++;
	}
}

/* Once a second: keepalives, the deadlines. */
static void
sessions_tick_h(evutil_socket_t fd, short what, void *arg)
{
	struct sessions *ss = arg;
	uint64_t now = bench_now_ns(), every = (uint64_t)ss->ping_s * 1000000000u;
	unsigned i;

	(void)fd;
	(void)what;
	if (ss->open < ss->count &&
	    now - ss->t0 >= (uint64_t)ss->open_timeout * 1000000000u) {
		fprintf(stderr, "sessions: only %u of %u sessions open after "
		    "%u s\n", ss->open, ss->count, ss->open_timeout);
		sessions_stop(ss, 1);
		return;
	}
	if (now - ss->t0 >= (uint64_t)ss->seconds * 1000000000u) {
		sessions_stop(ss, 0);
		return;
	}
	for (i = 0; i < ss->next; i++) {
		struct sess *x = &ss->s[i];

		if (x->state != SESS_OPEN || now - x->last_ping_ns < every)
			continue;
		x->last_ping_ns = now;
		if (sess_frame(x, CTL_PING) < 0) {
			sess_fail(x, "out of memory", NULL);
			return;
		}
	}
}

static void
sessions_sig_h(evutil_socket_t sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	sessions_stop(arg, 0);
}

static int
sessions_opts(struct sessions *ss, int argc, char **argv)
{
	const struct bench_opt opts[] = {
		{ "server", BENCH_ADDR_PORT, &ss->server, 0, 0, NULL },
		{ "source", BENCH_ADDR, &ss->source, 0, 0, NULL },
		{ "count", BENCH_UINT, &ss->count, 1, 100000, NULL },
		{ "per-source", BENCH_UINT, &ss->per_source, 1, 100000, NULL },
		{ "parallel", BENCH_UINT, &ss->parallel, 1, 1024, NULL },
		{ "ping", BENCH_UINT, &ss->ping_s, 1, 3600, NULL },
		{ "seconds", BENCH_UINT, &ss->seconds, 1, 86400, NULL },
		{ "open-timeout", BENCH_UINT, &ss->open_timeout, 1, 3600, NULL },
	};
	int r;

	r = bench_opts_parse(opts, sizeof(opts) / sizeof(opts[0]), argc, argv);
	if (r != 0)
		return r;
	if (ss->server.len == 0 || ss->source.len == 0) {
		fprintf(stderr, "--server and --source are needed\n");
		return -EINVAL;
	}
	if (ss->source.ss.ss_family != ss->server.ss.ss_family) {
		fprintf(stderr, "--source and --server: not the same family\n");
		return -EINVAL;
	}
	net_sa_set_port((struct sockaddr *)&ss->source.ss, 0);
	if (ss->count > ss->per_source &&
	    sessions_source(ss, (ss->count - 1) / ss->per_source,
	    &(struct sockaddr_storage){ 0 }) < 0) {
		fprintf(stderr, "--source: %u addresses from there do not stay "
		    "in 127.0.0.0/8 (IPv4 only)\n",
		    (ss->count + ss->per_source - 1) / ss->per_source);
		return -EINVAL;
	}
	return 0;
}

/* Says BYE on every open session and frees them all. */
static void
sessions_free(struct sessions *ss)
{
	unsigned i;
	int fd;

	for (i = 0; ss->s != NULL && i < ss->next; i++) {
		struct sess *x = &ss->s[i];

		if (x->bev == NULL)
			continue;
		if (x->state == SESS_OPEN && sess_frame(x, CTL_BYE) == 0 &&
		    (fd = bufferevent_getfd(x->bev)) >= 0) {
			struct evbuffer *out = bufferevent_get_output(x->bev);

			/* One write, without waiting: the server may be gone. */
			(void)evbuffer_write(out, fd);
		}
		bufferevent_free(x->bev);
	}
	free(ss->s);
	if (ss->tick != NULL)
		event_free(ss->tick);
	if (ss->sigint != NULL)
		event_free(ss->sigint);
	if (ss->sigterm != NULL)
		event_free(ss->sigterm);
	if (ss->base != NULL)
		event_base_free(ss->base);
}

int
main(int argc, char **argv)
{
	struct sessions ss = { .count = 1, .per_source = 100, .parallel = 32,
	    .ping_s = 10, .seconds = 60, .open_timeout = 60 };
	struct timeval one = { 1, 0 };

	int r;

	if ((r = sessions_opts(&ss, argc, argv)) != 0) {
		usage(r == 1 ? stdout : stderr);
		return r == 1 ? 0 : 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if ((ss.s = calloc(ss.count, sizeof(*ss.s))) == NULL ||
	    (ss.base = event_base_new()) == NULL ||
	    (ss.tick = event_new(ss.base, -1, EV_PERSIST, sessions_tick_h,
	    &ss)) == NULL ||
	    (ss.sigint = evsignal_new(ss.base, SIGINT, sessions_sig_h,
	    &ss)) == NULL ||
	    (ss.sigterm = evsignal_new(ss.base, SIGTERM, sessions_sig_h,
	    &ss)) == NULL) {
		fprintf(stderr, "sessions: out of memory\n");
		sessions_free(&ss);
		return 1;
	}
	event_add(ss.tick, &one);
	evsignal_add(ss.sigint, NULL);
	evsignal_add(ss.sigterm, NULL);
	ss.t0 = bench_now_ns();
	sessions_more(&ss);
	if (ss.status == 0)
		event_base_dispatch(ss.base);
	if (ss.status == 0)
		printf("held %u sessions for %.0f s\n", ss.open,
		    (double)(bench_now_ns() - ss.t_open) / 1e9);
	sessions_free(&ss);
	return ss.status;
}
