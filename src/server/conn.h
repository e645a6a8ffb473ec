/*
 * conn.h - the one lifecycle of every TCP connection pinholed accepts.
 *
 * A connection has absolute deadlines, set when it is accepted or by its
 * owner, that no byte from the peer pushes back: START (the peer must have
 * authenticated itself: a HELLO, or a probe tied to a session), IDLE (moved
 * only by the owner, when a complete message arrived), TOTAL and CLOSE (the
 * time a closing connection has to flush its output).  Output has a
 * high-water mark: a peer that does not read is cut off.  Connections that
 * have not authenticated are capped in all and per source; descriptors are
 * budgeted, and accepting pauses (and says so once) when they run out,
 * instead of spinning on EMFILE.
 *
 * A connection is never freed inside one of its own callbacks: conn_abort()
 * marks it dead, and the reaper frees it from the event loop, calling the
 * owner's gone() first.  Every connection has a path to being freed: its
 * own timer.
 *
 * A connection has one owner at a time, and changes owner only through
 * conn_handover(), which tells the old owner first (its gone()): whatever
 * keeps a pointer to a connection hears of its end, or of its handover,
 * through that one callback.  No other code writes c->ops.
 */
#ifndef PINHOLED_CONN_H
#define PINHOLED_CONN_H

#include <stddef.h>
#include <stdint.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>

#include "server.h"

enum conn_deadline { CONN_DL_START, CONN_DL_IDLE, CONN_DL_TOTAL,
    CONN_DL_CLOSE, CONN_DL_N };

enum conn_state { CONN_PEEK, CONN_OPEN, CONN_CLOSING, CONN_DEAD };

struct conn;
struct ssl_st;

/* What an owner does with its connections; every member may be NULL. */
struct conn_ops {
	const char *name;		/* "control", "sip", "http", ... */
	/* The first byte is in (CONN_PEEK): call conn_start() or close. */
	void (*peek)(struct conn *c, uint8_t first);
	/* Bytes are in; the owner drains what it consumed. */
	void (*read)(struct conn *c, struct evbuffer *in);
	/* The peer closed its side; 'in' holds what was not consumed. */
	void (*eof)(struct conn *c, struct evbuffer *in);
	/* A TLS handshake completed. */
	void (*connected)(struct conn *c);
	/* A deadline passed (not CLOSE): the owner may queue a last frame;
	 * the connection closes right after. */
	void (*expired)(struct conn *c, enum conn_deadline which);
	/* The connection is being freed, or handed to another owner
	 * (conn_handover()): drop every reference to it, free the state. */
	void (*gone)(struct conn *c);
};

struct conn {
	struct server *srv;
	const struct conn_ops *ops;
	void *arg;			/* the owner's state */
	int resp;			/* its responder (enum resp_id), for
					 * the counters; -1 while none */
	size_t in_left;			/* input left unread by the last read */
	int fd;
	struct bufferevent *bev;
	struct net_ip peer_ip;
	uint16_t peer_port;
	struct net_ip local_ip;
	uint16_t local_port;
	enum conn_state state;
	int authed;			/* out of the pre-HELLO counts */
	long long dl[CONN_DL_N];	/* absolute ms, 0 when unset */
	struct event *timer;
	struct event *peek_ev;
	struct ipt_node unauth;		/* in srv->unauth until authed */
	struct conn *u_next, *u_prev;	/* srv->unauth_old..new, by age */
	int probe;			/* in srv->probes */
	struct ipt_node probe_node;
	struct conn *next, *prev;	/* srv->conns, then srv->dead */
};

/*
 * Accepts one connection from the listener 'l', for 'ops', with the
 * owner's 'arg'.  The START deadline is 'start_s' seconds from now.  The
 * connection waits for its first byte and then calls ops->peek, which
 * decides: conn_start() (in the clear or TLS) or conn_close().  Returns
 * NULL when nothing was accepted or it was refused (descriptor budget):
 * the reason is logged, rate limited, and ops->gone is never called for
 * it.  A new connection counts as unauthenticated; when the cap on all of
 * those is reached, the oldest is closed to make room: a peer that
 * completes its HELLO in one round trip always gets in, however many
 * connections trickle.
 */
struct conn *conn_accept(struct listener *l, const struct conn_ops *ops,
    void *arg, unsigned start_s);

/*
 * Applies the per-source cap on unauthenticated connections to a new
 * one: past it, the oldest of that source is closed (not this one).
 */
void conn_admit(struct conn *c);

/*
 * The connection is a probe from a session's client (reachability, SIP
 * over TCP): it leaves the unauthenticated counts and counts against the
 * per-source cap 'cap' of probe connections instead.  0, or -EUSERS when
 * the source already holds 'cap' of them (the caller closes this one).
 */
int conn_probe(struct conn *c, unsigned cap);

/*
 * Gives connection 'c' to the owner 'ops' with its state 'arg': the old
 * owner's gone() runs first, so that it drops its pointers to 'c' and
 * frees its state, then 'c' is the new owner's.  The one place where a
 * connection's owner is set (conn_accept() sets the first).  A caller
 * inside the old owner's callback must not touch its freed state after.
 */
void conn_handover(struct conn *c, const struct conn_ops *ops, void *arg);

/* Sets how many bytes are read ahead of the owner (the new owner's
 * frames may be larger than its predecessor's). */
void conn_read_max(struct conn *c, size_t read_max);

/* Creates the buffered stream, with TLS when 'ssl' is not NULL (the
 * connection then owns it), reading at most 'read_max' bytes ahead.
 * 0, or -ENOMEM (the connection is aborted). */
int conn_start(struct conn *c, struct ssl_st *ssl, size_t read_max);

/* Sets deadline 'which' to 'secs' seconds from now (0: clears it). */
void conn_deadline(struct conn *c, enum conn_deadline which, unsigned secs);

/* The peer authenticated: it leaves the unauthenticated counts, and its
 * START deadline goes. */
void conn_authed(struct conn *c);

/*
 * Queues 'n' bytes.  0; -ENOTCONN when the connection is closing or dead;
 * -ENOBUFS when the output would pass the server's output-limit, in which
 * case the connection is aborted.
 */
int conn_write(struct conn *c, const void *p, size_t n);

/* Stops reading and closes once the output is out (CLOSE deadline). */
void conn_close(struct conn *c);

/* Closes at once; freed from the loop, never inside the caller. */
void conn_abort(struct conn *c);

/* Whether the connection still takes writes. */
int conn_is_open(const struct conn *c);

/*
 * Descriptors outside connections (CONNECT's sockets) are budgeted with
 * them: conn_fd_take() returns 0, closing the oldest connection that has
 * not authenticated when the budget is spent, as accepting does, or
 * -EMFILE when every descriptor serves a session; conn_fd_release() gives
 * one back.
 */
int conn_fd_take(struct server *s);
void conn_fd_release(struct server *s);

/* Sets up the reaper and the descriptor budget; 0 or -errno. */
int conn_init(struct server *s);
/* Frees every connection (at shutdown). */
void conn_free_all(struct server *s);

/* conn_fd.c: the descriptor budget, for conn.c. */
#define CONN_FD_RESERVE	32	/* stdio, the loop, syslog, files, CONNECT */
/* Stops accepting; 'retry': the kernel refused a descriptor, so try again
 * in a second even if none is freed. */
void conn_fd_pause(struct server *s, int retry);
/* Accepts again when enough descriptors are free. */
void conn_fd_settle(struct server *s);
/* The budget, from the open-file limit; its retry timer.  0 or -errno. */
int conn_fd_init(struct server *s);

#endif
