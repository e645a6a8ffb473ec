/*
 * sweepsrv.c - inbound reachability, on the session client's request:
 *
 *   SWEEP: one datagram to each port of PORTS at the client's IP (never
 *     another address), "PINHOLE-SWEEP <nonce> <port>", from LOCAL_PORT of
 *     SOURCE, in batches (sendmmsg).  A session's sweeps run one after
 *     another, so the session as a whole is paced at sweep-pps; all of
 *     them are charged against sweep-ports when they are accepted.  SENT
 *     when the last datagram has left.
 *   CONNECT: a TCP connection to PEER's port at the client's IP, from
 *     SOURCE; on success it writes "PINHOLE-CONNECT <nonce>\r\n" and
 *     answers SENT, else ERROR 502 saying refused, unreachable or timed
 *     out.  Counts as a probe; at most session-connects are in flight,
 *     and each socket comes out of the server's descriptor budget.
 *
 * Both end with the session.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conn.h"
#include "ctlreq.h"
#include "session.h"
#include "srvproto.h"

#define SWEEP_TICK_MS		5
#define SWEEP_BATCH		256
#define SWEEP_MAX_RANGES	CTLREQ_MAX_RANGES
#define CONNECT_TIMEOUT_S	3

struct sweep {
	struct session_child ch;
	struct session *ss;
	struct event *ev;
	uint32_t req_id;
	char nonce_hex[2 * CTL_NONCE_LEN + 1];
	int is_connect;
	int running;
	/* SWEEP */
	struct listener *from;
	uint16_t ranges[SWEEP_MAX_RANGES][2];
	size_t nranges, range;
	unsigned next_port;		/* within ranges[range] */
	/* CONNECT */
	int fd;
};

#define sweep_of(chp) ((struct sweep *)(void *)((char *)(chp) - \
	offsetof(struct sweep, ch)))

static void sweep_start(struct sweep *w);

/* Frees a sweep; 'unlink' when the session is still there. */
static void
sweep_destroy(struct sweep *w, int unlink)
{
	struct server *s = w->ss->srv;

	if (unlink)
		session_child_del(w->ss, &w->ch);
	if (w->ev != NULL)
		event_free(w->ev);
	if (w->fd >= 0) {
		close(w->fd);
		conn_fd_release(s);
	}
	if (w->is_connect && unlink)
		session_release(w->ss, SQ_CONNECTS, 1);
	free(w);
}

static void
sweep_session_gone(struct session_child *ch)
{
	sweep_destroy(sweep_of(ch), 0);
}

/* The oldest SWEEP of the session that waits for its turn. */
static struct sweep *
sweep_next_waiting(struct session *ss)
{
	struct session_child *ch;
	struct sweep *w, *oldest = NULL;

	for (ch = ss->children; ch != NULL; ch = ch->next) {
		if (ch->kind != SCH_SWEEP)
			continue;
		w = sweep_of(ch);
		if (!w->is_connect && !w->running)
			oldest = w;	/* children are newest first */
	}
	return oldest;
}

static int
sweep_running(struct session *ss)
{
	struct session_child *ch;

	for (ch = ss->children; ch != NULL; ch = ch->next)
		if (ch->kind == SCH_SWEEP && !sweep_of(ch)->is_connect &&
		    sweep_of(ch)->running)
			return 1;
	return 0;
}

static struct sweep *
sweep_new(struct session *ss, uint32_t req_id, const uint8_t *nonce,
    int is_connect)
{
	struct sweep *w;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	w->ss = ss;
	w->fd = -1;
	w->req_id = req_id;
	w->is_connect = is_connect;
	w->ch.kind = SCH_SWEEP;
	w->ch.gone = sweep_session_gone;
	ctl_nonce_hex(nonce, w->nonce_hex);
	session_child_add(ss, &w->ch);
	return w;
}

/* The client's address: the only one a sweep or connect may go to. */
static int
sweep_target_ok(struct session *ss)
{
	struct server *s = ss->srv;

	return net_ip_sendable(&ss->node.ip, s->conf.allow_loopback) &&
	    !listen_is_own(s, &ss->node.ip);
}

/* A source is one of our addresses (or, on a wildcard, the control's). */
static int
sweep_source_ok(const struct server *s, const struct net_ip *src,
    const struct net_ip *local_ip)
{
	return listen_is_own(s, src) || net_ip_equal(src, local_ip);
}

static int
sweep_bound_to(const struct listener *l, const struct net_ip *src)
{
	return net_ip_equal(&l->addr, src) || net_ip_is_any(&l->addr);
}

static void
sweep_finish(struct sweep *w)
{
	struct session *ss = w->ss;
	struct sweep *next;

	session_sent(ss, w->req_id);
	sweep_destroy(w, 1);
	if ((next = sweep_next_waiting(ss)) != NULL)
		sweep_start(next);
}

static void
sweep_tick_h(evutil_socket_t fd, short what, void *arg)
{
	struct sweep *w = arg;
	struct server *s = w->ss->srv;
	struct mmsghdr mm[SWEEP_BATCH];
	struct iovec iov[SWEEP_BATCH];
	struct sockaddr_storage to[SWEEP_BATCH];
	char pay[SWEEP_BATCH][64];
	unsigned quota, n = 0, i;
	socklen_t tl = 0;
	int sent = 0;

	(void)fd;
	(void)what;
	quota = s->conf.sweep_pps * SWEEP_TICK_MS / 1000;
	if (quota == 0)
		quota = 1;
	while (quota > 0 && w->range < w->nranges) {
		for (n = 0; n < quota && n < SWEEP_BATCH &&
		    w->range < w->nranges; n++) {
			uint16_t port = (uint16_t)w->next_port;
			int len = ctl_sweep_payload(pay[n], sizeof(pay[n]),
			    w->nonce_hex, port);

			tl = net_sa_from_ip(&w->ss->node.ip, port, &to[n]);
			iov[n].iov_base = pay[n];
			iov[n].iov_len = (size_t)len;
			memset(&mm[n], 0, sizeof(mm[n]));
			mm[n].msg_hdr.msg_name = &to[n];
			mm[n].msg_hdr.msg_namelen = tl;
			mm[n].msg_hdr.msg_iov = &iov[n];
			mm[n].msg_hdr.msg_iovlen = 1;
			if (w->next_port++ == w->ranges[w->range][1]) {
				w->range++;
				if (w->range < w->nranges)
					w->next_port = w->ranges[w->range][0];
			}
		}
		/* A full socket buffer drops a datagram, not the sweep. */
		for (i = 0; i < n; i += (unsigned)(sent > 0 ? sent : 1))
			sent = sendmmsg(w->from->fd, mm + i, n - i, MSG_DONTWAIT);
		quota -= n;
	}
	if (w->range >= w->nranges)
		sweep_finish(w);
}

static void
sweep_start(struct sweep *w)
{
	struct timeval tick = { 0, SWEEP_TICK_MS * 1000 };

	w->running = 1;
	event_add(w->ev, &tick);
}

void
sweepsrv_sweep(struct session *ss, const struct ctl_msg *m,
    const struct net_ip *local_ip)
{
	struct server *s = ss->srv;
	struct ctlreq_sweep q;
	struct net_ip src = *local_ip;
	uint16_t lport = s->conf.stun_port;
	struct listener *l;
	struct sweep *w;

	if (ctlreq_sweep_decode(m, &q) < 0) {
		session_fail(ss, CTL_E_BAD_REQUEST, q.req_id, "malformed SWEEP");
		return;
	}
	if (q.has_local_port)
		lport = q.local_port;
	if (q.has_source)
		src = q.source;
	if (!sweep_target_ok(ss) || !sweep_source_ok(s, &src, local_ip)) {
		session_fail(ss, CTL_E_FORBIDDEN, q.req_id, "only to the "
		    "session's client, only from this server's addresses");
		return;
	}
	if ((l = listen_find(s, LST_STUN, lport, &src)) == NULL ||
	    !sweep_bound_to(l, &src))
		l = listen_find(s, LST_SIP_UDP, lport, &src);
	if (l == NULL || !sweep_bound_to(l, &src)) {
		session_fail(ss, CTL_E_NOT_FOUND, q.req_id, "no UDP listener on "
		    "that address and port");
		return;
	}
	/* Charged now, for every datagram: sweeps in flight cannot pass it. */
	if (session_charge(ss, SQ_SWEEP, q.total) < 0) {
		session_fail(ss, CTL_E_LIMIT, q.req_id, "session sweep cap "
		    "reached");
		return;
	}
	if ((w = sweep_new(ss, q.req_id, q.nonce, 0)) == NULL ||
	    (w->ev = event_new(s->base, -1, EV_PERSIST, sweep_tick_h,
	    w)) == NULL) {
		if (w != NULL)
			sweep_destroy(w, 1);
		session_fail(ss, CTL_E_INTERNAL, q.req_id, "out of resources");
		return;
	}
	w->from = l;
	memcpy(w->ranges, q.ranges, q.nranges * sizeof(q.ranges[0]));
	w->nranges = q.nranges;
	w->next_port = q.ranges[0][0];
	if (!sweep_running(ss))
		sweep_start(w);
}

static void
connect_h(evutil_socket_t fd, short what, void *arg)
{
	struct sweep *w = arg;
	char line[64];
	socklen_t elen = sizeof(int);
	int err = 0, n;

	if (what & EV_TIMEOUT) {
		session_fail(w->ss, CTL_E_UNREACHABLE, w->req_id, "timed out");
		sweep_destroy(w, 1);
		return;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0)
		err = errno;
	if (err != 0) {
		session_fail(w->ss, CTL_E_UNREACHABLE, w->req_id,
		    err == ECONNREFUSED ? "refused" : strerror(err));
		sweep_destroy(w, 1);
		return;
	}
	n = snprintf(line, sizeof(line), "PINHOLE-CONNECT %s\r\n", w->nonce_hex);
	(void)send(fd, line, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT);
	session_sent(w->ss, w->req_id);
	sweep_destroy(w, 1);
}

void
sweepsrv_connect(struct session *ss, const struct ctl_msg *m,
    const struct net_ip *local_ip)
{
	struct server *s = ss->srv;
	struct timeval tv = { CONNECT_TIMEOUT_S, 0 };
	struct sockaddr_storage to, from;
	struct net_ip src = *local_ip;
	struct ctlreq_connect q;
	uint32_t id;
	struct sweep *w;
	socklen_t tl;

	if (ctlreq_connect_decode(m, &q) < 0) {
		session_fail(ss, CTL_E_BAD_REQUEST, q.req_id, "malformed "
		    "CONNECT");
		return;
	}
	id = q.req_id;
	if (q.has_source)
		src = q.source;
	if (!net_ip_equal(&q.peer_ip, &ss->node.ip) || !sweep_target_ok(ss) ||
	    !sweep_source_ok(s, &src, local_ip)) {
		session_fail(ss, CTL_E_FORBIDDEN, id, "only to the session's "
		    "client, only from this server's addresses");
		return;
	}
	if (session_charge(ss, SQ_CONNECTS, 1) < 0) {
		session_fail(ss, CTL_E_LIMIT, id, "too many CONNECTs in flight");
		return;
	}
	if (session_charge(ss, SQ_PROBES, 1) < 0) {
		session_release(ss, SQ_CONNECTS, 1);
		session_fail(ss, CTL_E_LIMIT, id, "session probe cap reached");
		return;
	}
	if ((w = sweep_new(ss, id, q.nonce, 1)) == NULL) {
		session_release(ss, SQ_CONNECTS, 1);
		session_fail(ss, CTL_E_INTERNAL, id, "out of resources");
		return;
	}
	if (conn_fd_take(s) < 0) {
		session_fail(ss, CTL_E_LIMIT, id, "the server is out of "
		    "descriptors");
		sweep_destroy(w, 1);
		return;
	}
	tl = net_sa_from_ip(&src, 0, &from);
	w->fd = socket(from.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (w->fd < 0 || bind(w->fd, (struct sockaddr *)&from, tl) < 0) {
		if (w->fd < 0)
			conn_fd_release(s);
		session_fail(ss, CTL_E_INTERNAL, id, strerror(errno));
		sweep_destroy(w, 1);
		return;
	}
	tl = net_sa_from_ip(&q.peer_ip, q.peer_port, &to);
	if (connect(w->fd, (struct sockaddr *)&to, tl) < 0 &&
	    errno != EINPROGRESS) {
		session_fail(ss, CTL_E_UNREACHABLE, id, strerror(errno));
		sweep_destroy(w, 1);
		return;
	}
	if ((w->ev = event_new(s->base, w->fd, EV_WRITE, connect_h,
	    w)) == NULL) {
		session_fail(ss, CTL_E_INTERNAL, id, "out of resources");
		sweep_destroy(w, 1);
		return;
	}
	event_add(w->ev, &tv);
}
