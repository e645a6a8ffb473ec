/*
 * stunsrv.c - STUN Binding responder: RFC 5389, and the RFC 5780 NAT
 * behaviour discovery attributes (CHANGE-REQUEST, RESPONSE-PORT,
 * RESPONSE-ORIGIN, OTHER-ADDRESS, PADDING).
 *
 * The RFC 5780 address pair is the first two 'listen' addresses of the
 * request's family (IPv4 and IPv6 each have theirs) with stun-port and
 * stun-alt-port; with one address or one port, pinholed serves what it
 * can and answers 420 to a CHANGE-REQUEST it cannot honour.
 * The SIP UDP listeners answer STUN too (as SIP keepalives are answered),
 * with the other address but no other port.
 *
 * Under the amplification rule a source that is not a session's client
 * never gets more bytes back than it sent, nor more than one datagram per
 * datagram, nor more than stun-rate answers a second.  A session's client
 * gets full answers, but those larger than their request are charged to
 * the session (session-stun-rate), so that spoofing a validated address
 * amplifies nothing beyond that rate.  Datagrams are read and answered in
 * batches (recvmmsg, sendmmsg); the address each arrived on is known from
 * the bind or from IP_PKTINFO, never asked per packet.  A Binding Indication carrying a session's nonce is reported
 * on the control connection and never answered, which lets a client learn
 * the mapping of a flow that has had no reply (udp-timeout).
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "config.h"
#include "responder.h"
#include "session.h"
#include "srvproto.h"
#include "stun.h"
#include "stunans.h"

/* Where an answer goes, and from which listener. */
struct stun_route {
	struct listener *from;
	struct sockaddr_storage to;
	socklen_t to_len;
	int change;			/* STUN_CHANGE_* honoured */
};

/*
 * The other address of the RFC 5780 pair of ip's family: the first two
 * 'listen' addresses of that family (a dual-stack server has a pair in
 * each).  -1 when the family has no pair or ip is not in it.
 */
static int
stunsrv_other_ip(const struct server *s, const struct net_ip *ip,
    struct net_ip *other)
{
	const struct srv_conf *c = &s->conf;
	const struct net_ip *pair[2];
	size_t i, n = 0;

	for (i = 0; i < c->nlisten && n < 2; i++)
		if (c->listen[i].family == ip->family &&
		    !net_ip_is_any(&c->listen[i]))
			pair[n++] = &c->listen[i];
	if (n < 2)
		return -1;
	if (net_ip_equal(ip, pair[0]))
		*other = *pair[1];
	else if (net_ip_equal(ip, pair[1]))
		*other = *pair[0];
	else
		return -1;
	return 0;
}

/* The other port: only the STUN listeners have one. */
static int
stunsrv_other_port(const struct server *s, const struct listener *l,
    uint16_t *port)
{
	const struct srv_conf *c = &s->conf;

	if (l->kind != LST_STUN || c->stun_alt_port == 0)
		return -1;
	*port = l->port == c->stun_port ? c->stun_alt_port : c->stun_port;
	return 0;
}

/*
 * The listener that answers a request that arrived on 'l' at 'local' with
 * CHANGE-REQUEST 'flags'.  NULL when the server has no such address.
 */
static struct listener *
stunsrv_changed(struct server *s, struct listener *l,
    const struct net_ip *local, uint32_t flags)
{
	struct net_ip ip = *local;
	uint16_t port = l->port;
	struct listener *x;

	if ((flags & STUN_CHANGE_IP) && stunsrv_other_ip(s, local, &ip) < 0)
		return NULL;
	if ((flags & STUN_CHANGE_PORT) && stunsrv_other_port(s, l, &port) < 0)
		return NULL;
	if (!(flags & (STUN_CHANGE_IP | STUN_CHANGE_PORT)))
		return l;
	for (x = s->listeners; x != NULL; x = x->next)
		if (x->kind == l->kind && x->port == port &&
		    (net_ip_equal(&x->addr, &ip) || net_ip_is_any(&x->addr)))
			return x;
	return NULL;
}

/* A session's client may get an answer larger than its request, charged. */
static int
stunsrv_may_grow(void *arg)
{
	return session_charge(arg, SQ_STUN, 1) == 0;
}

/*
 * Answers a Binding request that arrived on 'l' (the message itself is
 * built by lib/stunans.c).  Fills 'b' and 'rt', or returns -1 when nothing
 * may be sent.
 */
static int
stunsrv_answer(struct server *s, struct listener *l, const struct stun_msg *req,
    size_t in_len, const struct srv_dgram *d, struct session *ss,
    struct dbuf *b, struct stun_route *rt)
{
	static const char software[] = "pinholed " PINHOLE_VERSION;
	struct sockaddr_storage origin, other;
	struct net_ip local_ip, other_ip;
	struct listener *from = l;
	struct stun_answer a;
	uint16_t other_port;
	int change = 0, r;

	if (d->have_local)
		net_ip_from_sa((const struct sockaddr *)&d->local, &local_ip,
		    NULL);
	else
		local_ip = l->addr;
	rt->from = l;
	rt->change = 0;
	memcpy(&rt->to, &d->peer, d->peer_len);
	rt->to_len = d->peer_len;
	memset(&a, 0, sizeof(a));
	if (req->present & STUN_HAS_CHANGE_REQ) {
		change = (int)(req->change_request &
		    (STUN_CHANGE_IP | STUN_CHANGE_PORT));
		if ((from = stunsrv_changed(s, l, &local_ip,
		    (uint32_t)change)) == NULL) {
			a.change_refused = 1;
			from = l;
			change = 0;
		}
	}
	/* RESPONSE-ORIGIN: where the answer really leaves from. */
	net_sa_from_ip((change & STUN_CHANGE_IP) &&
	    stunsrv_other_ip(s, &local_ip, &other_ip) == 0 ? &other_ip :
	    &local_ip, from->port, &origin);
	/* OTHER-ADDRESS: the diagonal of the pair, only on the STUN ports. */
	if (l->kind == LST_STUN &&
	    stunsrv_other_ip(s, &local_ip, &other_ip) == 0 &&
	    stunsrv_other_port(s, l, &other_port) == 0) {
		net_sa_from_ip(&other_ip, other_port, &other);
		a.other = (const struct sockaddr *)&other;
	}
	a.peer = (const struct sockaddr *)&d->peer;
	a.origin = (const struct sockaddr *)&origin;
	a.software = software;
	a.may_grow = ss != NULL ? stunsrv_may_grow : NULL;
	a.arg = ss;
	if ((r = stun_answer_build(req, in_len, &a, b)) < 0)
		return -1;
	if (r == STUN_ANSWER_ERROR)
		return 0;	/* back to the source, from where it came */
	rt->from = from;
	rt->change = change;
	/* The port changes, never the address (DESIGN). */
	if (req->present & STUN_HAS_RESPONSE_PORT)
		net_sa_set_port((struct sockaddr *)&rt->to, req->response_port);
	return 0;
}

/* A Binding Indication with a session's nonce: reported, never answered. */
static void
stunsrv_indication(struct server *s, struct listener *l, const uint8_t *buf,
    size_t n, const struct srv_dgram *d)
{
	const uint8_t *nonce;
	struct session *ss;

	if ((ss = session_match(s, &d->peer_ip, buf, n, &nonce)) == NULL) {
		s->cnt.dropped++;
		return;
	}
	(void)session_report_seen(ss, nonce, CTL_UDP, l->port,
	    (const struct sockaddr *)&d->peer, d->tos,
	    d->truncated ? CTL_F_TRUNCATED : 0, buf, n);
}

/*
 * The answer to one datagram that looks like STUN, into 'b' and 'rt'.
 * Returns 1 when there is one to send.
 */
static int
stunsrv_reply(struct listener *l, const uint8_t *buf, size_t n,
    const struct srv_dgram *d, struct dbuf *b, struct stun_route *rt)
{
	struct server *s = l->srv;
	struct session *ss;
	struct stun_msg req;

	/* A Binding request names no session: the source's pays. */
	ss = session_source_payer(s, &d->peer_ip);
	if (ss == NULL) {
		s->cnt.unval_in_bytes += (uint64_t)n;
		s->cnt.unval_in_pkts++;
	}
	if (stun_msg_decode(buf, n, &req) < 0)
		return 0;
	if (req.type == STUN_BINDING_INDICATION) {
		stunsrv_indication(s, l, buf, n, d);
		return 0;
	}
	if (req.type != STUN_BINDING_REQUEST)
		return 0;
	if (ss == NULL && !rate_take(&s->stun_rate, &d->peer_ip, s->now_ms()))
		return 0;
	dbuf_reset(b);
	if (stunsrv_answer(s, l, &req, n, d, ss, b, rt) < 0)
		return 0;
	if (ss == NULL) {
		if (b->len > n)		/* cannot happen: the last guard */
			return 0;
		s->cnt.unval_out_bytes += b->len;
		s->cnt.unval_out_pkts++;
	}
	return 1;
}

/* The address an answer leaves from, when the listener is a wildcard. */
static const struct sockaddr *
stunsrv_src(const struct srv_dgram *d, const struct stun_route *rt)
{
	return d->have_local && !(rt->change & STUN_CHANGE_IP) ?
	    (const struct sockaddr *)&d->local : NULL;
}

void
stunsrv_handle(struct listener *l, const uint8_t *buf, size_t n,
    const struct srv_dgram *d)
{
	struct dbuf *b = &l->srv->stun_out[0];
	struct stun_route rt;

	if (stunsrv_reply(l, buf, n, d, b, &rt))
		(void)listen_send(rt.from, RESP_STUN, stunsrv_src(d, &rt),
		    (struct sockaddr *)&rt.to, rt.to_len, b->b, b->len);
}

void
stunsrv_h(evutil_socket_t fd, short what, void *arg)
{
	struct listener *l = arg;
	struct server *s = l->srv;
	struct listen_rx *rx = s->rx;
	struct listen_tx tx;
	struct stun_route rt;
	size_t i, n;
	int round;

	(void)fd;
	(void)what;
	/* Bounded work per wakeup; while datagrams keep coming, reading
	 * again is cheaper than going back to the loop for them. */
	for (round = 0; round < 8; round++) {
		n = listen_recv_batch(l, rx, STUN_MAX_DGRAM);
		tx.n = 0;
		for (i = 0; i < n; i++) {
			struct dbuf *b = &s->stun_out[i];

			if (!stun_is_stun(rx->buf[i], rx->len[i])) {
				if (!session_validated(s, &rx->d[i].peer_ip)) {
					s->cnt.unval_in_bytes += rx->len[i];
					s->cnt.unval_in_pkts++;
				}
				continue;
			}
			s->cnt.resp_dgram_in[RESP_STUN]++;
			s->cnt.resp_dgram_in_bytes[RESP_STUN] += rx->len[i];
			if (!stunsrv_reply(l, rx->buf[i], rx->len[i], &rx->d[i],
			    b, &rt))
				continue;
			if (rt.from == l)
				listen_tx_add(l, &tx, stunsrv_src(&rx->d[i], &rt),
				    (struct sockaddr *)&rt.to, rt.to_len, b->b,
				    b->len);
			else	/* CHANGE-REQUEST: another socket answers */
				(void)listen_send(rt.from, RESP_STUN,
				    stunsrv_src(&rx->d[i], &rt),
				    (struct sockaddr *)&rt.to, rt.to_len, b->b,
				    b->len);
		}
		if (tx.n > 0)
			(void)listen_tx_flush(l, RESP_STUN, &tx);
		if (n == 0)
			return;
	}
}

/* On the SIP and media UDP ports: keepalives (RFC 5626), and the STUN
 * that is not a WebRTC peer's. */
static int
stunsrv_datagram(struct listener *l, const uint8_t *buf, size_t n,
    const struct srv_dgram *d)
{
	if (!stun_is_stun(buf, n))
		return 0;
	stunsrv_handle(l, buf, n, d);
	return 1;
}

const struct responder stunsrv_responder = {
	.name = "stun",
	.datagram = stunsrv_datagram,
};
