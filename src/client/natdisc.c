/*
 * natdisc.c - NAT behaviour discovery, RFC 5780 section 4, in parallel.
 *
 * Sockets and what each is for:
 *   map   Binding to the primary (test I), then to the alternate address
 *         on the primary port and on the alternate port (tests II, III);
 *         also the target of the hairpin request.
 *   fboth a request asking for the answer from the other address and port
 *   fport a request asking for the answer from the other port only
 *   pp1/2 plain Bindings: more samples for port preservation
 *   hair  sends a Binding request to map's public address
 * Every socket is fresh and unconnected; answers are matched by
 * transaction id and by the socket they arrive on.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "log.h"
#include "natdisc.h"
#include "net.h"
#include "stun.h"

enum { S_MAP, S_FBOTH, S_FPORT, S_PP1, S_PP2, S_HAIR, S_COUNT };
enum { T_MAP1, T_FBOTH, T_FPORT, T_PP1, T_PP2, T_MAP2, T_MAP3, T_HAIR,
    T_COUNT };

/* Retransmissions after the first send, in ms since it (RFC 5389 7.2.1,
 * shortened); then every ND_RTO_LAST ms until the wait is over. */
static const int nd_rto_ms[] = { 250, 750, 1500 };
#define ND_RTO_LAST	750
#define ND_TICK_MS	25
#define ND_PAD		64	/* PADDING: the request outweighs the answer */

struct nd_run;

struct nd_sock {
	struct nd_run *run;
	int fd;
	struct event *ev;
	struct sockaddr_storage local;
};

struct nd_tx {
	int used;
	struct nd_sock *sock;		/* sends */
	struct nd_sock *target;		/* hairpin: where the request lands */
	struct sockaddr_storage to;
	socklen_t to_len;
	uint8_t tid[STUN_TID_LEN];
	uint8_t req[STUN_MAX_MSG];
	size_t req_len;
	long long start_ms;
	unsigned sends;
	int done;			/* answered (or landed) */
	uint16_t error;			/* error response code, 0 success */
	int has_mapped, has_other;
	struct sockaddr_storage mapped, other;
	char software[64];
};

struct nd_run {
	struct natdisc *nd;
	struct nd_sock s[S_COUNT];
	struct nd_tx t[T_COUNT];
	struct event *tick;
	int waiting_for;		/* a tx index, or -1 for all */
};

static int
sa_equal(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	struct net_ip ia, ib;
	uint16_t pa, pb;

	net_ip_from_sa((const struct sockaddr *)a, &ia, &pa);
	net_ip_from_sa((const struct sockaddr *)b, &ib, &pb);
	return pa == pb && net_ip_equal(&ia, &ib);
}

static uint16_t
sa_port(const struct sockaddr_storage *ss)
{
	struct net_ip ip;
	uint16_t port;

	net_ip_from_sa((const struct sockaddr *)ss, &ip, &port);
	return port;
}

static long long
nd_elapsed(const struct nd_tx *t)
{
	return loop_now_ms(t->sock->run->nd->loop) - t->start_ms;
}

/*
 * Once the primary answered, its round trip sizes the wait for the
 * answers that a filtering NAT never lets in (check_neg_wait_ms()).
 */
static int
nd_finished(const struct nd_run *run, const struct nd_tx *t)
{
	int wait = run->nd->wait_ms;

	if (run->nd->reached && t != &run->t[T_MAP1])
		wait = check_neg_wait_ms(run->nd->rtt_ms, wait);
	return !t->used || t->done || nd_elapsed(t) >= wait;
}

static void
nd_send(struct nd_tx *t)
{
	char a[NET_ADDRSTRLEN];

	log_debug("stun: binding request to %s (send %u)",
	    net_sa_str((struct sockaddr *)&t->to, a, sizeof(a)), t->sends + 1);
	(void)sendto(t->sock->fd, t->req, t->req_len, 0,
	    (struct sockaddr *)&t->to, t->to_len);
	t->sends++;
}

/* Sends each unanswered request when its retransmission falls due. */
static void
nd_tick_h(evutil_socket_t fd, short what, void *arg)
{
	struct nd_run *run = arg;
	struct nd_tx *t;
	long long due;
	size_t i;

	(void)fd;
	(void)what;
	for (i = 0; i < T_COUNT; i++) {
		t = &run->t[i];
		if (nd_finished(run, t))
			continue;
		if (t->sends <= sizeof(nd_rto_ms) / sizeof(nd_rto_ms[0]))
			due = t->sends == 0 ? 0 : nd_rto_ms[t->sends - 1];
		else
			due = nd_rto_ms[sizeof(nd_rto_ms) / sizeof(nd_rto_ms[0]) -
			    1] + (long long)(t->sends - 3) * ND_RTO_LAST;
		if (nd_elapsed(t) >= due)
			nd_send(t);
	}
}

static void
nd_answer(struct nd_tx *t, const struct stun_msg *m)
{
	t->done = 1;
	if (m->type == STUN_BINDING_ERROR) {
		t->error = m->error_code ? m->error_code : 400;
		return;
	}
	if (m->present & STUN_HAS_XOR_MAPPED) {
		t->mapped = m->xor_mapped;
		t->has_mapped = 1;
	} else if (m->present & STUN_HAS_MAPPED) {
		t->mapped = m->mapped;
		t->has_mapped = 1;
	}
	if (m->present & STUN_HAS_OTHER_ADDRESS) {
		t->other = m->other_address;
		t->has_other = 1;
	}
	if (m->present & STUN_HAS_SOFTWARE) {
		size_t n = m->software_len < sizeof(t->software) - 1 ?
		    m->software_len : sizeof(t->software) - 1;

		memcpy(t->software, m->software, n);
		t->software[n] = '\0';
	}
}

static void
nd_read_h(evutil_socket_t fd, short what, void *arg)
{
	struct nd_sock *s = arg;
	struct nd_run *run = s->run;
	uint8_t buf[STUN_MAX_DGRAM];
	struct stun_msg m;
	struct nd_tx *t;
	ssize_t n;
	size_t i;

	(void)what;
	for (;;) {
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			continue;	/* ICMP errors: keep reading */
		}
		if (!stun_is_stun(buf, (size_t)n) ||
		    stun_msg_decode(buf, (size_t)n, &m) < 0)
			continue;
		for (i = 0; i < T_COUNT; i++) {
			t = &run->t[i];
			if (!t->used || t->done ||
			    memcmp(t->tid, m.tid, STUN_TID_LEN) != 0)
				continue;
			if (t->target != NULL) {
				if (s == t->target &&
				    m.type == STUN_BINDING_REQUEST)
					t->done = 1;
			} else if (s == t->sock &&
			    (m.type == STUN_BINDING_SUCCESS ||
			    m.type == STUN_BINDING_ERROR)) {
				log_debug("stun: binding %s after %lld ms",
				    m.type == STUN_BINDING_SUCCESS ?
				    "answer" : "error answer",
				    nd_elapsed(t));
				nd_answer(t, &m);
			}
		}
	}
}

/*
 * The local address the kernel would use toward 'srv': sockets stay
 * unbound to any address so that answers from elsewhere still arrive.
 */
static void
nd_route_local(const struct sockaddr *srv, socklen_t len, struct net_ip *ip)
{
	struct sockaddr_storage ls;
	socklen_t ll = sizeof(ls);
	int fd;

	memset(ip, 0, sizeof(*ip));
	ip->family = srv->sa_family;
	if ((fd = socket(srv->sa_family, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return;
	if (connect(fd, srv, len) == 0 &&
	    getsockname(fd, (struct sockaddr *)&ls, &ll) == 0)
		net_ip_from_sa((struct sockaddr *)&ls, ip, NULL);
	close(fd);
}

static int
nd_sock_open(struct nd_run *run, struct nd_sock *s, int family,
    const struct net_ip *route)
{
	socklen_t len = sizeof(s->local);
	struct sockaddr_storage any;
	struct net_ip ip;
	uint16_t port;

	s->run = run;
	memset(&any, 0, sizeof(any));
	any.ss_family = (sa_family_t)family;
	s->fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0)
		return -errno;
	if (bind(s->fd, (struct sockaddr *)&any, family == AF_INET ?
	    sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6)) < 0 ||
	    getsockname(s->fd, (struct sockaddr *)&s->local, &len) < 0)
		return -errno;
	net_ip_from_sa((struct sockaddr *)&s->local, &ip, &port);
	net_sa_from_ip(route, port, &s->local);
	s->ev = event_new(run->nd->loop->base, s->fd, EV_READ | EV_PERSIST,
	    nd_read_h, s);
	if (s->ev == NULL)
		return -ENOMEM;
	event_add(s->ev, NULL);
	return 0;
}

/* Prepares and starts one request from socket 'from' to 'to'. */
static int
nd_tx_start(struct nd_run *run, int idx, int from, const struct sockaddr *to,
    uint32_t change, int pad, struct nd_sock *target)
{
	struct nd_tx *t = &run->t[idx];
	struct dbuf b;
	int r;

	memset(t, 0, sizeof(*t));
	t->sock = &run->s[from];
	t->target = target;
	t->to_len = to->sa_family == AF_INET ? sizeof(struct sockaddr_in) :
	    sizeof(struct sockaddr_in6);
	memcpy(&t->to, to, t->to_len);
	dbuf_init(&b, sizeof(t->req));
	if ((r = stun_tid_random(t->tid)) < 0 ||
	    (r = stun_enc_begin(&b, STUN_BINDING_REQUEST, t->tid)) < 0 ||
	    (change != 0 &&
	    (r = stun_enc_u32(&b, STUN_A_CHANGE_REQUEST, change)) < 0) ||
	    (pad && (r = stun_enc_padding(&b, ND_PAD)) < 0) ||
	    (r = stun_enc_finish(&b, NULL, 0, 1)) < 0) {
		dbuf_free(&b);
		return r;
	}
	memcpy(t->req, b.b, b.len);
	t->req_len = b.len;
	dbuf_free(&b);
	t->used = 1;
	t->start_ms = loop_now_ms(run->nd->loop);
	nd_send(t);
	return 0;
}

static int
nd_done_h(void *arg)
{
	struct nd_run *run = arg;
	size_t i;

	if (run->waiting_for >= 0)
		return nd_finished(run, &run->t[run->waiting_for]);
	for (i = 0; i < T_COUNT; i++)
		if (!nd_finished(run, &run->t[i]))
			return 0;
	return 1;
}

static int
nd_wait(struct nd_run *run, int which)
{
	int r;

	run->waiting_for = which;
	r = loop_wait(run->nd->loop, nd_done_h, run,
	    run->nd->wait_ms + 500);
	return r == -ETIMEDOUT ? 0 : r;	/* finished, answered or not */
}

static void
nd_conclude(struct natdisc *nd, struct nd_run *run)
{
	const struct nd_tx *m1 = &run->t[T_MAP1], *m2 = &run->t[T_MAP2];
	const struct nd_tx *m3 = &run->t[T_MAP3];
	const struct nd_tx *fb = &run->t[T_FBOTH], *fp = &run->t[T_FPORT];
	size_t i;

	nd->local = run->s[S_MAP].local;
	nd->mapped = m1->mapped;
	nd->has_other = m1->has_other;
	nd->other = m1->other;
	snprintf(nd->software, sizeof(nd->software), "%s", m1->software);

	/* Mapping: tests II and III (RFC 5780 4.3). */
	nd->have_ap2 = m2->used && m2->done && m2->has_mapped;
	nd->have_pp2 = m3->used && m3->done && m3->has_mapped;
	if (nd->have_ap2)
		nd->mapped_ap2 = m2->mapped;
	if (nd->have_pp2)
		nd->mapped_pp2 = m3->mapped;
	if (nd->have_ap2 && sa_equal(&m1->mapped, &m2->mapped))
		nd->mapping = NAT_B_EI;
	else if (nd->have_ap2 && nd->have_pp2)
		nd->mapping = sa_equal(&m2->mapped, &m3->mapped) ? NAT_B_AD :
		    NAT_B_APD;

	/* Filtering (4.4): an answer from elsewhere passed, or did not. */
	nd->got_change_both = fb->done && fb->error == 0;
	nd->got_change_port = fp->done && fp->error == 0;
	nd->change_refused = (fb->done && fb->error != 0) ||
	    (fp->done && fp->error != 0);
	if (nd->change_refused || !nd->has_other)
		nd->filtering = NAT_B_UNKNOWN;
	else if (nd->got_change_both)
		nd->filtering = NAT_B_EI;
	else if (nd->got_change_port)
		nd->filtering = NAT_B_AD;
	else
		nd->filtering = NAT_B_APD;

	/* Port preservation: each socket whose mapping we learned. */
	for (i = 0; i < T_COUNT; i++) {
		const struct nd_tx *t = &run->t[i];

		if (i != T_MAP1 && i != T_PP1 && i != T_PP2)
			continue;
		if (!t->done || !t->has_mapped)
			continue;
		nd->pp_samples++;
		if (sa_port(&t->mapped) == sa_port(&t->sock->local))
			nd->pp_preserved++;
	}
	if (run->t[T_HAIR].used)
		nd->hairpin = run->t[T_HAIR].done;
}

int
natdisc_run(struct natdisc *nd)
{
	struct nd_run run;
	struct sockaddr_storage ap2;
	struct timeval tick = { 0, ND_TICK_MS * 1000 };
	struct net_ip lip, mip;
	const struct sockaddr *srv = (struct sockaddr *)&nd->server;
	size_t i;
	int r = 0;
	long long t0 = loop_now_ms(nd->loop);

	nd->hairpin = -1;
	nd->mapping = nd->filtering = NAT_B_UNKNOWN;
	memset(&run, 0, sizeof(run));
	run.nd = nd;
	for (i = 0; i < S_COUNT; i++)
		run.s[i].fd = -1;
	nd_route_local(srv, nd->server_len, &lip);
	for (i = 0; i < S_COUNT; i++)
		if ((r = nd_sock_open(&run, &run.s[i], srv->sa_family,
		    &lip)) < 0)
			goto out;
	if ((run.tick = event_new(nd->loop->base, -1, EV_PERSIST, nd_tick_h,
	    &run)) == NULL) {
		r = -ENOMEM;
		goto out;
	}
	event_add(run.tick, &tick);

	/* Everything that needs nothing from test I starts with it. */
	if ((r = nd_tx_start(&run, T_MAP1, S_MAP, srv, 0, 1, NULL)) < 0 ||
	    (r = nd_tx_start(&run, T_FBOTH, S_FBOTH, srv,
	    STUN_CHANGE_IP | STUN_CHANGE_PORT, 1, NULL)) < 0 ||
	    (r = nd_tx_start(&run, T_FPORT, S_FPORT, srv, STUN_CHANGE_PORT, 1,
	    NULL)) < 0 ||
	    (r = nd_tx_start(&run, T_PP1, S_PP1, srv, 0, 1, NULL)) < 0 ||
	    (r = nd_tx_start(&run, T_PP2, S_PP2, srv, 0, 1, NULL)) < 0)
		goto out;
	if ((r = nd_wait(&run, T_MAP1)) < 0)
		goto out;
	if (!run.t[T_MAP1].done || run.t[T_MAP1].error != 0 ||
	    !run.t[T_MAP1].has_mapped) {
		r = run.t[T_MAP1].done ? -EPROTO : -ETIMEDOUT;
		goto out;
	}
	nd->reached = 1;
	nd->rtt_ms = (int)(loop_now_ms(nd->loop) - t0);

	/* Tests II and III, to the alternate address. */
	if (run.t[T_MAP1].has_other) {
		struct net_ip oip;
		uint16_t oport, pport;

		net_ip_from_sa((struct sockaddr *)&run.t[T_MAP1].other, &oip,
		    &oport);
		net_ip_from_sa(srv, &mip, &pport);
		net_sa_from_ip(&oip, pport, &ap2);
		if ((r = nd_tx_start(&run, T_MAP2, S_MAP,
		    (struct sockaddr *)&ap2, 0, 1, NULL)) < 0 ||
		    (r = nd_tx_start(&run, T_MAP3, S_MAP,
		    (struct sockaddr *)&run.t[T_MAP1].other, 0, 1, NULL)) < 0)
			goto out;
	}
	/* Hairpin: only meaningful when there is a mapping to loop through. */
	net_ip_from_sa((struct sockaddr *)&run.s[S_MAP].local, &lip, NULL);
	net_ip_from_sa((struct sockaddr *)&run.t[T_MAP1].mapped, &mip, NULL);
	if (!net_ip_equal(&lip, &mip) &&
	    (r = nd_tx_start(&run, T_HAIR, S_HAIR,
	    (struct sockaddr *)&run.t[T_MAP1].mapped, 0, 0,
	    &run.s[S_MAP])) < 0)
		goto out;
	if ((r = nd_wait(&run, -1)) < 0)
		goto out;
	nd_conclude(nd, &run);
out:
	if (run.tick != NULL)
		event_free(run.tick);
	for (i = 0; i < S_COUNT; i++) {
		if (run.s[i].ev != NULL)
			event_free(run.s[i].ev);
		if (run.s[i].fd >= 0)
			close(run.s[i].fd);
	}
	return r;
}
