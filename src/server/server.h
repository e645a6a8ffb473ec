/*
 * server.h - pinholed's shared state: configuration, listeners, sessions.
 */
#ifndef PINHOLED_SERVER_H
#define PINHOLED_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <event2/event.h>

#include "buf.h"
#include "ctl.h"
#include "ratelimit.h"
#include "log.h"
#include "net.h"

#define SRV_MAX_LISTEN	8
#define SRV_MAX_RANGES	16
#define SRV_MAX_WATCH	64

struct srv_conf {
	struct net_ip listen[SRV_MAX_LISTEN];
	size_t nlisten;
	uint16_t control_port;
	uint16_t sip_udp[SRV_MAX_RANGES][2];
	size_t nsip_udp;
	uint16_t sip_tcp[SRV_MAX_RANGES][2];
	size_t nsip_tcp;
	uint16_t http[SRV_MAX_RANGES][2];	/* reachability responders */
	size_t nhttp;
	uint16_t xmpp[SRV_MAX_RANGES][2];
	size_t nxmpp;
	uint16_t tlsp[SRV_MAX_RANGES][2];
	size_t ntlsp;
	uint16_t media[SRV_MAX_RANGES][2];	/* UDP, heard like SIP ports */
	size_t nmedia;
	uint16_t stun_port;
	uint16_t stun_alt_port;		/* RFC 5780 other port; 0: none */
	char user[64];
	int allow_loopback;
	int use_syslog;
	char tls_cert[256];		/* PEM files; TLS on the control port */
	char tls_key[256];
	/* [limits] */
	unsigned max_sessions;
	unsigned max_sessions_per_source;
	unsigned session_seconds;
	unsigned session_probes;
	unsigned session_bytes;
	unsigned hello_timeout;
	unsigned idle_timeout;
	unsigned conn_rate;
	unsigned max_tcp_per_source;
	unsigned sweep_ports;		/* datagrams per session, all sweeps */
	unsigned sweep_pps;		/* datagrams per second of a sweep */
};

enum lst_kind { LST_CONTROL, LST_SIP_UDP, LST_SIP_TCP, LST_STUN, LST_HTTP,
    LST_XMPP, LST_TLS };

struct server;

struct listener {
	struct server *srv;
	enum lst_kind kind;
	int fd;
	struct net_ip addr;
	uint16_t port;
	struct event *ev;
	struct listener *next;
};

struct sipconn;
struct ctlconn;
struct sweep;

struct session {
	struct server *srv;
	struct session *next;
	struct ctlconn *cc;
	uint8_t token[CTL_TOKEN_LEN];
	struct net_ip client_ip;
	uint8_t watch[SRV_MAX_WATCH][CTL_NONCE_LEN];
	char watch_hex[SRV_MAX_WATCH][2 * CTL_NONCE_LEN + 1];
	size_t nwatch, watch_next;
	uint32_t probes;
	uint64_t bytes;
	struct event *expire;
	struct sipconn *conns;		/* TCP probe connections */
	struct sweep *sweeps;		/* SWEEPs and CONNECTs under way */
	uint32_t swept;			/* datagrams sent by SWEEPs */
};

struct srv_counters {
	uint64_t unval_in_bytes, unval_out_bytes;
	uint64_t unval_in_pkts, unval_out_pkts;
	uint64_t dropped;
};

struct server {
	struct srv_conf conf;
	struct event_base *base;
	struct listener *listeners;
	struct session *sessions;
	size_t nsessions;
	struct rate_table conn_rate;
	struct rate_table stun_rate;
	struct log_limit log_remote;
	struct srv_counters cnt;
	struct ssl_ctx_st *tls;		/* NULL: TLS connections are closed */
	uint8_t cert_sha256[32];	/* of the certificate, when tls */
};

/* conf.c */
void conf_defaults(struct srv_conf *c);
/* Reads the file; errors are logged as FILE:LINE: message.  0 or -EINVAL. */
int conf_load(struct srv_conf *c, const char *path);

/* listen.c: binds every listener (before the privilege drop). */
int listen_all(struct server *s);
/* The UDP listener socket of 'kind' on 'port', preferring address 'pref'. */
struct listener *listen_find(struct server *s, enum lst_kind kind,
    uint16_t port, const struct net_ip *pref);
int listen_is_own(const struct server *s, const struct net_ip *ip);

/* One received datagram's addresses and TOS byte. */
struct srv_dgram {
	struct sockaddr_storage peer;
	socklen_t peer_len;
	struct net_ip peer_ip;
	struct sockaddr_storage local;	/* where it arrived */
	int have_local;
	int tos;			/* -1 when the kernel did not say */
	int truncated;
};

/*
 * Sends one datagram from a listener's socket; 'src', when the listener is
 * bound to a wildcard, is the local address to leave from.  0 or -errno.
 */
int listen_send(const struct listener *from, const struct sockaddr *src,
    const struct sockaddr *to, socklen_t to_len, const void *p, size_t n);

/* recvmsg() without blocking; -1 when nothing is there. */
ssize_t listen_recv(int fd, uint8_t *buf, size_t cap, struct srv_dgram *d);

/* ctlsrv.c: control connections and sessions. */
void ctlsrv_accept_h(evutil_socket_t fd, short what, void *arg);
/* The session whose client is at 'ip' and watches a nonce found in buf. */
struct session *session_match(struct server *s, const struct net_ip *ip,
    const uint8_t *buf, size_t len, const uint8_t **nonce);
/* True when some session's client is at 'ip' (a validated source). */
int session_validated(const struct server *s, const struct net_ip *ip);
/* Sends a SEEN report on the session's control connection. */
int session_report_seen(struct session *ss, const uint8_t *nonce,
    int transport, uint16_t local_port, const struct sockaddr *peer,
    int tos, uint32_t flags, const uint8_t *payload, size_t len);
/* Queues a finished frame on the session's control connection. */
int session_write(struct session *ss, const struct dbuf *b);
/* SENT, or ERROR without closing, for request 'req_id'. */
void session_sent(struct session *ss, uint32_t req_id);
void session_fail(struct session *ss, uint16_t code, uint32_t req_id,
    const char *reason);

/* sweepsrv.c: SWEEP (datagrams across a port range) and CONNECT. */
void sweepsrv_sweep(struct session *ss, const struct ctl_msg *m,
    const struct net_ip *local_ip);
void sweepsrv_connect(struct session *ss, const struct ctl_msg *m,
    const struct net_ip *local_ip);
void sweepsrv_session_gone(struct session *ss);

/* sipsrv.c */
void sipsrv_udp_h(evutil_socket_t fd, short what, void *arg);
void sipsrv_accept_h(evutil_socket_t fd, short what, void *arg);
/* Writes on the session's TCP probe connection from peer_port to local_port. */
int sipsrv_tcp_send(struct session *ss, uint16_t peer_port,
    uint16_t local_port, const uint8_t *p, size_t n);
void sipsrv_session_gone(struct session *ss);

/* reachsrv.c: HTTP, BOSH, XMPP and TLS responders. */
void reachsrv_accept_h(evutil_socket_t fd, short what, void *arg);
/* A TLS handshake on an accepted connection (a SIP/TCP port saw one). */
void reachsrv_tls_fd(struct server *s, int fd);

/* stunsrv.c */
void stunsrv_h(evutil_socket_t fd, short what, void *arg);
/* One STUN datagram received on listener 'l' (STUN or SIP UDP). */
void stunsrv_handle(struct listener *l, const uint8_t *buf, size_t n,
    const struct srv_dgram *d);

long long srv_now_ms(void);
/* Logs a line a remote peer can trigger, through the rate limiter. */
void srv_log_remote(struct server *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
