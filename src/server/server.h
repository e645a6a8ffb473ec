/*
 * server.h - pinholed's shared state: configuration, listeners, and the
 * struct server that owns every table.  Modules keep no state of their
 * own: whatever outlives a call lives here, or in a session or connection.
 */
#ifndef PINHOLED_SERVER_H
#define PINHOLED_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <netinet/in.h>

#include <event2/event.h>

#include "buf.h"
#include "ctl.h"
#include "iptab.h"
#include "log.h"
#include "metrics.h"
#include "net.h"
#include "ratelimit.h"

#define SRV_MAX_LISTEN	8
#define LISTEN_BATCH	64		/* datagrams per recvmmsg/sendmmsg */
#define LISTEN_DGRAM_MAX 8192		/* bytes read of a datagram: SIP_MAX_MSG */
#define SRV_MAX_RANGES	16
#define SRV_RELAY_SECRET_MAX 512	/* bytes of a TURN shared secret */
#define SRV_RELAY_URLS	8	/* [relay] urls, at most */
#define SRV_RELAY_URL_MAX 128	/* bytes of one, with its NUL */

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
	char store[512];		/* "" (no store), sqlite:PATH, postgresql:... */
	char support_token[128];	/* "": the listing is off */
	char page_dir[512];		/* the check page's files */
	int page_dir_set;		/* given in the file: it must load */
	char page_profile[256];		/* the profile the page checks */
	/* [limits] */
	unsigned store_retention_days;
	unsigned store_max_bytes;	/* of a report's JSON */
	unsigned store_max_page_bytes;	/* of its page, rendered at upload */
	unsigned store_uploads_per_source;	/* an hour */
	unsigned store_uploads_per_session;
	unsigned store_max_rows;	/* 0: no cap */
	unsigned http_rate;		/* HTTPS requests/s per source */
	/* [limits] */
	unsigned max_sessions;
	unsigned max_sessions_per_source;
	unsigned max_page_sessions;	/* the check page's, apart */
	unsigned session_seconds;
	unsigned session_probes;
	unsigned session_bytes;
	unsigned hello_timeout;
	unsigned idle_timeout;
	unsigned close_timeout;		/* s to flush output when closing */
	unsigned output_limit;		/* bytes queued for a peer, at most */
	unsigned conn_rate;
	unsigned max_tcp_per_source;
	unsigned max_unauth;		/* connections before HELLO, in all */
	unsigned max_unauth_per_source;
	unsigned sweep_ports;		/* datagrams per session, all sweeps */
	unsigned sweep_pps;		/* datagrams per second of a session */
	unsigned session_connects;	/* CONNECTs in flight per session */
	unsigned stun_rate;		/* answers/s to a source without session */
	unsigned session_stun_rate;	/* answers/s larger than the request */
	unsigned media_streams;		/* MEDIA streams at once, in all */
	unsigned session_media_streams;	/* the same, per session */
	unsigned session_media_seconds;	/* stream-seconds per session */
	unsigned session_media_kbps;	/* a session's streams, at once */
	unsigned webrtc_peers;		/* WebRTC peers at once, in all */
	unsigned source_prefix6;	/* bits of an IPv6 source, per source */
	/* [relay]: the secret shared with the provider's TURN servers,
	 * read from secret-file at start; credential-seconds */
	uint8_t relay_secret[SRV_RELAY_SECRET_MAX];
	size_t relay_secret_len;	/* 0: no relay credentials */
	unsigned relay_seconds;
	/* relay-from: where the relays send media from (MEDIA via relay) */
	struct net_cidr relay_from[SRV_MAX_RANGES];
	size_t nrelay_from;
	/* urls: the relays as the check page's RTCPeerConnection names
	 * them (turn:HOST:PORT?transport=udp, turns:...) */
	char relay_urls[SRV_RELAY_URLS][SRV_RELAY_URL_MAX];
	size_t nrelay_urls;
	/* metrics-listen: the operators' listener (metricsrv.c) */
	int metrics_on;
	struct sockaddr_storage metrics_addr;
	socklen_t metrics_len;
};

enum lst_kind { LST_CONTROL, LST_SIP_UDP, LST_SIP_TCP, LST_STUN, LST_HTTP,
    LST_XMPP, LST_TLS, LST_NKINDS };

struct server;

struct listener {
	struct server *srv;
	enum lst_kind kind;
	int fd;
	int stream;			/* TCP: accepting can be paused */
	struct net_ip addr;
	uint16_t port;
	struct sockaddr_storage local;	/* as bound (port included) */
	struct event *ev;
	struct listener *next;
};

struct conn;
struct session;
struct store;
struct page;

struct server {
	struct srv_conf conf;
	struct event_base *base;
	long long (*now_ms)(void);	/* CLOCK_MONOTONIC; tests inject one */
	uint8_t hash_key[HASH_KEY_LEN];	/* random at start */
	struct listener *listeners;
	/* session.c */
	struct ipt sessions;		/* by client address */
	struct ipt session_src;		/* the same, by source (srv_source) */
	size_t nsessions;		/* the control protocol's */
	size_t npage_sessions;		/* the check page's */
	/* conn.c */
	struct conn *conns;		/* every open connection */
	struct conn *dead;		/* closed, freed by the reaper */
	struct event *reaper;
	struct event *resume;		/* accepting again after EMFILE */
	struct ipt unauth;		/* connections before HELLO, by source */
	struct conn *unauth_old, *unauth_new;	/* the same, by age */
	struct ipt probes;		/* probe connections of sessions' clients */
	size_t nunauth;
	unsigned nfds, fd_budget;	/* descriptors of connections */
	unsigned ndead;			/* of them, on the dead list */
	int accept_paused;
	struct rate_table conn_rate;
	struct rate_table stun_rate;
	struct listen_rx *rx;		/* one receive batch for every listener */
	struct dbuf stun_out[LISTEN_BATCH];	/* STUN answers of one batch */
	struct log_limit log_remote;
	struct srv_counters cnt;	/* metrics.h */
	struct metricsrv *metricsrv;	/* NULL: no metrics-listen */
	int statm_fd;			/* /proc/self/statm, for metrics */
	int64_t start_real_us;		/* CLOCK_REALTIME at start */
	struct mediasrv *media;		/* mediasrv.c */
	struct webrtcsrv *webrtc;	/* webrtc.h: NULL when it failed */
	struct ssl_ctx_st *tls;		/* NULL: TLS connections are closed */
	uint8_t cert_sha256[32];	/* of the certificate, when tls */
	struct store *store;		/* store.c; NULL without a store */
	struct rate_table upload_rate;	/* store uploads, per source */
	struct rate_table http_rate;	/* HTTPS requests, per source */
	struct rate_table token_fail;	/* wrong support tokens, per source */
	struct page *page;		/* page.c; NULL: no check page */
};

/* conf.c */
void conf_defaults(struct srv_conf *c);
/* Reads the file; errors are logged as FILE:LINE: message.  0 or -EINVAL. */
int conf_load(struct srv_conf *c, const char *path);

/* Whether a store is configured ("store =" set): a question of the
 * configuration alone, asked by store.c and metrics.c, answered here so
 * that neither calls back into conf.c, which calls store.c. */
static inline int
store_enabled(const struct server *s)
{
	return s->conf.store[0] != '\0';
}

/* server.c: what every module of the server shares. */
/* CLOCK_MONOTONIC in milliseconds. */
long long srv_clock_ms(void);
/* Clock 'id' (CLOCK_MONOTONIC, CLOCK_REALTIME) in microseconds. */
int64_t srv_clock_us(clockid_t id);
/* The source 'ip' counts as in per-source limits: an IPv6 address cut
 * to source-prefix6 bits, an IPv4 address whole. */
void srv_source(const struct server *s, const struct net_ip *ip,
    struct net_ip *src);
/* Logs a line a remote peer can trigger, through the rate limiter. */
void srv_log_remote(struct server *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* listen.c: sockets, bound before the privilege drop. */
/* The handler of a listener's socket, per kind (the registry in main.c). */
typedef void (*lst_handler_fn)(evutil_socket_t, short, void *);
/* Binds every configured listener; handlers[kind] serves each. */
int listen_all(struct server *s, const lst_handler_fn handlers[LST_NKINDS]);
/* Descriptors the listeners hold (for the open-file budget). */
unsigned listen_count(const struct server *s);
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
	int64_t rx_ns;			/* kernel receive time (CLOCK_REALTIME),
					 * 0 when the kernel did not say */
};

/*
 * Sends one datagram from a listener's socket for responder 'resp' (enum
 * resp_id, responder.h: whose counters it joins); 'src', when the
 * listener is bound to a wildcard, is the local address to leave from.
 * 0 or -errno.
 */
int listen_send(const struct listener *from, int resp,
    const struct sockaddr *src, const struct sockaddr *to, socklen_t to_len,
    const void *p, size_t n);
/* The same, with the TOS byte (IPv6: traffic class) set to 'tos' (-1:
 * the socket's). */
int listen_send_tos(const struct listener *from, int resp,
    const struct sockaddr *src, const struct sockaddr *to, socklen_t to_len,
    const void *p, size_t n, int tos);


/* A batch of received datagrams, reused across calls. */
struct listen_rx {
	uint8_t buf[LISTEN_BATCH][LISTEN_DGRAM_MAX];
	struct srv_dgram d[LISTEN_BATCH];
	size_t len[LISTEN_BATCH];
	uint8_t cbuf[LISTEN_BATCH][128];
	struct mmsghdr mm[LISTEN_BATCH];
	struct iovec iov[LISTEN_BATCH];
};

/*
 * Receives up to LISTEN_BATCH datagrams of at most 'cap' bytes (<= LISTEN_DGRAM_MAX)
 * from listener 'l' without blocking, with their addresses and TOS.
 * Returns how many (0 when nothing was there).
 */
size_t listen_recv_batch(const struct listener *l, struct listen_rx *rx,
    size_t cap);

union listen_cbuf {
	struct cmsghdr h;
	uint8_t b[CMSG_SPACE(sizeof(struct in_pktinfo)) + CMSG_SPACE(sizeof(int))];
};

/* A batch of datagrams to send from one listener (sendmmsg). */
struct listen_tx {
	struct mmsghdr mm[LISTEN_BATCH];
	struct iovec iov[LISTEN_BATCH];
	struct sockaddr_storage to[LISTEN_BATCH];
	union listen_cbuf cb[LISTEN_BATCH];
	size_t n;
};

/* Adds a datagram to the batch (ignored when full); 'p' must stay valid
 * until listen_tx_flush().  'src' as for listen_send(). */
void listen_tx_add(const struct listener *from, struct listen_tx *tx,
    const struct sockaddr *src, const struct sockaddr *to, socklen_t to_len,
    const void *p, size_t n);
/* Sends the batch for responder 'resp' (as listen_send()) and empties it;
 * returns how many were handed over. */
size_t listen_tx_flush(const struct listener *from, int resp,
    struct listen_tx *tx);

#endif
