/*
 * conn.c - the lifecycle of every accepted TCP connection: deadlines that
 * bytes do not extend, an output high-water mark, caps on connections that
 * have not authenticated, room made in the descriptor budget (conn_fd.c
 * keeps the budget and pauses accepting), and deferred freeing.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/bufferevent_ssl.h>
#include <openssl/ssl.h>

#include "conn.h"

static void conn_rearm(struct conn *c);

static const char *
conn_peer(const struct conn *c, char *buf, size_t len)
{
	return net_ip_str(&c->peer_ip, buf, len);
}

static void
conn_unlink(struct conn **head, struct conn *c)
{
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		*head = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	c->next = c->prev = NULL;
}

static void
conn_push(struct conn **head, struct conn *c)
{
	c->prev = NULL;
	c->next = *head;
	if (*head != NULL)
		(*head)->prev = c;
	*head = c;
}

static void
conn_unauth_join(struct conn *c)
{
	struct server *s = c->srv;

	srv_source(s, &c->peer_ip, &c->unauth.ip);
	ipt_insert(&s->unauth, &c->unauth);
	c->u_prev = s->unauth_new;
	c->u_next = NULL;
	if (s->unauth_new != NULL)
		s->unauth_new->u_next = c;
	else
		s->unauth_old = c;
	s->unauth_new = c;
	s->nunauth++;
}

static void
conn_unauth_leave(struct conn *c)
{
	struct server *s = c->srv;

	if (c->authed)
		return;
	c->authed = 1;
	ipt_remove(&s->unauth, &c->unauth);
	if (c->u_prev != NULL)
		c->u_prev->u_next = c->u_next;
	else
		s->unauth_old = c->u_next;
	if (c->u_next != NULL)
		c->u_next->u_prev = c->u_prev;
	else
		s->unauth_new = c->u_prev;
	c->u_next = c->u_prev = NULL;
	s->nunauth--;
}

static void
conn_destroy(struct conn *c)
{
	struct server *s = c->srv;

	if (c->ops->gone != NULL)
		c->ops->gone(c);
	if (c->bev != NULL)
		bufferevent_free(c->bev);
	else if (c->fd >= 0)
		close(c->fd);
	if (c->timer != NULL)
		event_free(c->timer);
	if (c->peek_ev != NULL)
		event_free(c->peek_ev);
	free(c);
	s->nfds--;
}

static void
conn_reap_h(evutil_socket_t fd, short what, void *arg)
{
	struct server *s = arg;
	struct conn *c;

	(void)fd;
	(void)what;
	/* gone() may abort more connections: they join this same list. */
	while ((c = s->dead) != NULL) {
		conn_unlink(&s->dead, c);
		s->ndead--;
		conn_destroy(c);
	}
	conn_fd_settle(s);
}

void
conn_abort(struct conn *c)
{
	struct server *s = c->srv;

	if (c->state == CONN_DEAD)
		return;
	c->state = CONN_DEAD;
	if (c->bev != NULL) {
		bufferevent_disable(c->bev, EV_READ | EV_WRITE);
		bufferevent_setcb(c->bev, NULL, NULL, NULL, NULL);
	}
	if (c->peek_ev != NULL)
		event_del(c->peek_ev);
	if (c->timer != NULL)
		evtimer_del(c->timer);
	conn_unauth_leave(c);
	if (c->probe) {
		ipt_remove(&s->probes, &c->probe_node);
		c->probe = 0;
	}
	conn_unlink(&s->conns, c);
	conn_push(&s->dead, c);
	s->ndead++;
	event_active(s->reaper, EV_TIMEOUT, 0);
}

int
conn_is_open(const struct conn *c)
{
	return c->state == CONN_OPEN;
}

void
conn_close(struct conn *c)
{
	int i;

	if (c->state == CONN_PEEK) {
		conn_abort(c);
		return;
	}
	if (c->state != CONN_OPEN)
		return;
	c->state = CONN_CLOSING;
	bufferevent_disable(c->bev, EV_READ);
	if (evbuffer_get_length(bufferevent_get_output(c->bev)) == 0) {
		conn_abort(c);
		return;
	}
	for (i = 0; i < CONN_DL_N; i++)
		c->dl[i] = 0;
	conn_deadline(c, CONN_DL_CLOSE, c->srv->conf.close_timeout);
}

int
conn_write(struct conn *c, const void *p, size_t n)
{
	char a[NET_ADDRSTRLEN];
	size_t queued;

	if (c->state != CONN_OPEN)
		return -ENOTCONN;
	queued = evbuffer_get_length(bufferevent_get_output(c->bev));
	if (queued + n > c->srv->conf.output_limit) {
		srv_log_remote(c->srv, "%s connection from %s does not read "
		    "its output (%zu bytes queued): closed", c->ops->name,
		    conn_peer(c, a, sizeof(a)), queued);
		conn_abort(c);
		return -ENOBUFS;
	}
	if (bufferevent_write(c->bev, p, n) < 0)
		return -ENOMEM;
	if (c->resp >= 0)
		c->srv->cnt.resp_stream_out_bytes[c->resp] += n;
	return 0;
}

void
conn_authed(struct conn *c)
{
	conn_unauth_leave(c);
	c->dl[CONN_DL_START] = 0;
	conn_rearm(c);
}

static void
conn_rearm(struct conn *c)
{
	long long at = 0, now = c->srv->now_ms();
	struct timeval tv;
	int i;

	if (c->state == CONN_DEAD)
		return;
	for (i = 0; i < CONN_DL_N; i++)
		if (c->dl[i] != 0 && (at == 0 || c->dl[i] < at))
			at = c->dl[i];
	if (at == 0) {
		evtimer_del(c->timer);
		return;
	}
	at = at > now ? at - now : 0;
	tv.tv_sec = (time_t)(at / 1000);
	tv.tv_usec = (suseconds_t)(at % 1000) * 1000;
	evtimer_add(c->timer, &tv);
}

void
conn_deadline(struct conn *c, enum conn_deadline which, unsigned secs)
{
	c->dl[which] = secs == 0 ? 0 : c->srv->now_ms() + 1000LL * secs;
	conn_rearm(c);
}

static void
conn_timer_h(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;
	long long now = c->srv->now_ms();
	int i, hit = -1;

	(void)fd;
	(void)what;
	if (c->dl[CONN_DL_CLOSE] != 0 && c->dl[CONN_DL_CLOSE] <= now) {
		conn_abort(c);
		return;
	}
	for (i = 0; i < CONN_DL_N && hit < 0; i++)
		if (c->dl[i] != 0 && c->dl[i] <= now)
			hit = i;
	if (hit < 0) {
		conn_rearm(c);
		return;
	}
	c->dl[hit] = 0;
	if (c->ops->expired != NULL && c->state == CONN_OPEN)
		c->ops->expired(c, (enum conn_deadline)hit);
	conn_close(c);
}

static void
conn_read_h(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t n = evbuffer_get_length(in);

	if (c->state != CONN_OPEN || c->ops->read == NULL)
		return;
	c->ops->read(c, in);
	/* The bytes that came since the last read are the responder's that
	 * owns the connection now: the registry hands it over inside
	 * read().  (A connection closed there is freed later, by
	 * conn_reap_h: 'c' and 'in' are still here.) */
	if (c->resp >= 0 && n > c->in_left)
		c->srv->cnt.resp_stream_in_bytes[c->resp] += n - c->in_left;
	c->in_left = evbuffer_get_length(in);
}

static void
conn_write_h(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;

	if (c->state == CONN_CLOSING &&
	    evbuffer_get_length(bufferevent_get_output(bev)) == 0)
		conn_abort(c);
}

static void
conn_event_h(struct bufferevent *bev, short what, void *arg)
{
	struct conn *c = arg;

	if ((what & BEV_EVENT_CONNECTED) && c->ops->connected != NULL &&
	    c->state == CONN_OPEN)
		c->ops->connected(c);
	if ((what & BEV_EVENT_EOF) && c->state == CONN_OPEN &&
	    c->ops->eof != NULL)
		c->ops->eof(c, bufferevent_get_input(bev));
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR | BEV_EVENT_TIMEOUT))
		conn_abort(c);
}

void
conn_handover(struct conn *c, const struct conn_ops *ops, void *arg)
{
	const struct conn_ops *old = c->ops;

	if (old != NULL && old->gone != NULL)
		old->gone(c);
	c->ops = ops;
	c->arg = arg;
}

void
conn_read_max(struct conn *c, size_t read_max)
{
	if (c->bev != NULL)
		bufferevent_setwatermark(c->bev, EV_READ, 0, read_max);
}

int
conn_start(struct conn *c, struct ssl_st *ssl, size_t read_max)
{
	struct server *s = c->srv;

	if (c->state != CONN_PEEK) {
		if (ssl != NULL)
			SSL_free(ssl);
		return -EINVAL;
	}
	if (ssl != NULL)
		c->bev = bufferevent_openssl_socket_new(s->base, c->fd, ssl,
		    BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
	else
		c->bev = bufferevent_socket_new(s->base, c->fd,
		    BEV_OPT_CLOSE_ON_FREE);
	if (c->bev == NULL) {
		if (ssl != NULL)
			SSL_free(ssl);
		conn_abort(c);
		return -ENOMEM;
	}
	c->state = CONN_OPEN;
	bufferevent_setwatermark(c->bev, EV_READ, 0, read_max);
	bufferevent_setcb(c->bev, conn_read_h, conn_write_h, conn_event_h, c);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	return 0;
}

static void
conn_peek_h(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;
	uint8_t first;

	(void)what;
	if (recv(fd, &first, 1, MSG_PEEK) != 1 || c->ops->peek == NULL) {
		conn_abort(c);
		return;
	}
	c->ops->peek(c, first);
	if (c->state == CONN_PEEK)	/* the owner did not decide */
		conn_abort(c);
}

/* A refused connection, before it has a struct: logged, counted, closed. */
static struct conn *
conn_refuse(struct server *s, int fd, const struct net_ip *ip,
    const char *why)
{
	char a[NET_ADDRSTRLEN];

	close(fd);
	s->cnt.refused_conns++;
	srv_log_remote(s, "refused a connection from %s: %s",
	    net_ip_str(ip, a, sizeof(a)), why);
	return NULL;
}

#define conn_of_unauth(n) \
	((struct conn *)(void *)((char *)(n) - offsetof(struct conn, unauth)))

/* Past the cap on all connections that have not authenticated, the
 * oldest of them goes. */
static void
conn_make_room(struct server *s)
{
	if (s->nunauth < s->conf.max_unauth || s->unauth_old == NULL)
		return;
	s->cnt.refused_conns++;
	srv_log_remote(s, "%zu connections have not said HELLO: closing the "
	    "oldest", s->nunauth);
	conn_abort(s->unauth_old);
}

void
conn_admit(struct conn *c)
{
	struct server *s = c->srv;
	struct ipt_node *n, *oldest = NULL;
	char a[NET_ADDRSTRLEN];
	size_t count = 0;

	for (n = ipt_find(&s->unauth, &c->unauth.ip); n != NULL;
	    n = ipt_next(n)) {
		if (n == &c->unauth)
			continue;
		oldest = n;	/* newest first: the last is the oldest */
		count++;
	}
	if (count < s->conf.max_unauth_per_source || oldest == NULL)
		return;
	s->cnt.refused_conns++;
	srv_log_remote(s, "%s has %zu connections that have not said HELLO: "
	    "closing its oldest", net_ip_str(&c->peer_ip, a, sizeof(a)), count);
	conn_abort(conn_of_unauth(oldest));
}

int
conn_probe(struct conn *c, unsigned cap)
{
	struct server *s = c->srv;

	conn_unauth_leave(c);
	if (c->probe)
		return 0;
	if (ipt_count(&s->probes, &c->peer_ip) >= cap)
		return -EUSERS;
	c->probe = 1;
	c->probe_node.ip = c->peer_ip;
	ipt_insert(&s->probes, &c->probe_node);
	return 0;
}

/*
 * Whether one more descriptor may be used.  At the budget, the oldest
 * connection that has not authenticated makes room (its descriptor goes
 * when the reaper runs, so up to half the reserve may be in use until
 * then).  -EAGAIN when descriptors are only waiting for the reaper, which
 * runs before the loop polls again: a listener, still readable, accepts
 * then.  -EMFILE only when every descriptor serves a session.
 */
static int
conn_fd_room(struct server *s)
{
	if (s->nfds < s->fd_budget)
		return 0;
	if (s->unauth_old != NULL &&
	    s->nfds < s->fd_budget + CONN_FD_RESERVE / 2) {
		s->cnt.refused_conns++;
		srv_log_remote(s, "%u connection descriptors in use: closing "
		    "the oldest that has not said HELLO", s->nfds);
		conn_abort(s->unauth_old);
		return 0;
	}
	return s->ndead > 0 ? -EAGAIN : -EMFILE;
}

struct conn *
conn_accept(struct listener *l, const struct conn_ops *ops, void *arg,
    unsigned start_s)
{
	struct server *s = l->srv;
	struct sockaddr_storage peer, local;
	socklen_t plen = sizeof(peer), llen = sizeof(local);
	struct net_ip ip;
	struct conn *c;
	int fd;

	if ((fd = conn_fd_room(s)) < 0) {
		if (fd == -EMFILE)
			conn_fd_pause(s, 0);
		return NULL;
	}
	fd = accept4(l->fd, (struct sockaddr *)&peer, &plen,
	    SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0) {
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
		    errno == ENOMEM)
			conn_fd_pause(s, 1);
		return NULL;
	}
	net_ip_from_sa((struct sockaddr *)&peer, &ip, NULL);
	conn_make_room(s);
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return conn_refuse(s, fd, &ip, "out of memory");
	c->srv = s;
	c->resp = -1;
	conn_handover(c, ops, arg);
	c->fd = fd;
	c->state = CONN_PEEK;
	net_ip_from_sa((struct sockaddr *)&peer, &c->peer_ip, &c->peer_port);
	c->local_port = l->port;
	if (getsockname(fd, (struct sockaddr *)&local, &llen) == 0)
		net_ip_from_sa((struct sockaddr *)&local, &c->local_ip, NULL);
	else
		c->local_ip = l->addr;
	c->timer = evtimer_new(s->base, conn_timer_h, c);
	c->peek_ev = event_new(s->base, fd, EV_READ, conn_peek_h, c);
	if (c->timer == NULL || c->peek_ev == NULL) {
		if (c->timer != NULL)
			event_free(c->timer);
		if (c->peek_ev != NULL)
			event_free(c->peek_ev);
		free(c);
		return conn_refuse(s, fd, &ip, "out of memory");
	}
	s->nfds++;
	conn_unauth_join(c);
	conn_push(&s->conns, c);
	conn_deadline(c, CONN_DL_START, start_s);
	event_add(c->peek_ev, NULL);
	return c;
}

int
conn_fd_take(struct server *s)
{
	if (conn_fd_room(s) < 0)
		return -EMFILE;
	s->nfds++;
	return 0;
}

int
conn_init(struct server *s)
{
	if ((s->reaper = event_new(s->base, -1, 0, conn_reap_h, s)) == NULL)
		return -ENOMEM;
	return conn_fd_init(s);
}

void
conn_free_all(struct server *s)
{
	while (s->conns != NULL)
		conn_abort(s->conns);
	conn_reap_h(-1, 0, s);
}
