/*
 * ctlcli.h - the client side of a pinholed session: one control
 * connection driven by the program's event loop.
 *
 * Checks are written as sequences: they send, then wait with
 * ctlcli_wait(), which runs the event loop until a condition holds or a
 * deadline passes.  Everything arriving meanwhile (SEEN reports, SENT
 * answers, errors) is queued on the session for the checks to pick up.
 */
#ifndef PINHOLE_CTLCLI_H
#define PINHOLE_CTLCLI_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <event2/event.h>

#include "ctl.h"
#include "net.h"

#define CTLCLI_MAX_RANGES 32
#define CTLCLI_MAX_ADDRS 8

/* A SIP probe the server saw, as reported by CTL_SEEN. */
struct ctl_seen {
	uint8_t nonce[CTL_NONCE_LEN];
	int transport;			/* CTL_UDP or CTL_TCP */
	uint16_t local_port;
	struct net_ip peer_ip;
	uint16_t peer_port;
	int tos;			/* -1 when not known */
	uint32_t flags;			/* CTL_F_* */
	uint8_t *payload;
	size_t len;
};

/* The answer to one CTL_SEND. */
struct ctl_result {
	uint32_t req_id;
	int code;			/* 0: SENT; else the ERROR code */
	char reason[128];
};

struct ctlcli {
	struct event_base *base;
	struct bufferevent *bev;
	struct sockaddr_storage server;
	socklen_t server_len;
	struct sockaddr_storage local;	/* our end of the control connection */
	int version;

	/* From WELCOME. */
	uint8_t token[CTL_TOKEN_LEN];
	struct net_ip observed_ip;	/* our public address over TCP */
	uint16_t observed_port;
	struct net_ip server_addrs[CTLCLI_MAX_ADDRS];
	size_t nserver_addrs;
	uint16_t udp_ports[CTLCLI_MAX_RANGES][2];
	size_t nudp_ports;
	uint16_t tcp_ports[CTLCLI_MAX_RANGES][2];
	size_t ntcp_ports;
	uint16_t stun_port;
	uint16_t http_ports[CTLCLI_MAX_RANGES][2];	/* reach responders */
	size_t nhttp_ports;
	uint16_t xmpp_ports[CTLCLI_MAX_RANGES][2];
	size_t nxmpp_ports;
	uint16_t tls_ports[CTLCLI_MAX_RANGES][2];
	size_t ntls_ports;
	uint16_t media_ports[CTLCLI_MAX_RANGES][2];	/* UDP, heard */
	size_t nmedia_ports;
	uint8_t cert_sha256[32];
	int have_cert;
	uint32_t max_probes;
	uint32_t max_seconds;		/* 0: not announced */
	long long opened_ms;		/* when WELCOME arrived */

	int state;			/* enum in ctlcli.c */
	int error;			/* -errno once the session failed */
	char errmsg[160];

	struct ctl_seen *seen;
	size_t nseen, seen_cap;
	struct ctl_result *results;
	size_t nresults, results_cap;
	uint32_t next_req;
	uint32_t pings, pongs;
	long long last_write_ms;	/* for keepalive PINGs */
	struct ssl_ctx_st *tls;
	const char *tls_host;
};

/*
 * Connects to the server at 'server' (address and control port), sends
 * the preamble and HELLO, and waits for WELCOME for up to 'timeout_ms'.
 * On failure returns -errno and leaves a message in c->errmsg.
 */
int ctlcli_open(struct ctlcli *c, struct event_base *base,
    const struct sockaddr *server, socklen_t slen, int timeout_ms);

/*
 * Makes the next ctlcli_open() speak TLS: the server's certificate must
 * chain to the trust store of 'tls' and name 'host' (a DNS name or an
 * address).  NULL 'tls' goes back to the clear.
 */
void ctlcli_use_tls(struct ctlcli *c, struct ssl_ctx_st *tls, const char *host);
/* Sends BYE when connected, and frees everything the session holds. */
void ctlcli_close(struct ctlcli *c);

/* Whether the server listens for SIP probes on this transport and port. */
int ctlcli_has_port(const struct ctlcli *c, int transport, uint16_t port);
/* Whether 'port' is in one of 'n' ranges. */
int ctlcli_in_ranges(const uint16_t (*r)[2], size_t n, uint16_t port);

/* Asks the server to report probes carrying 'nonce' (CTL_WATCH). */
int ctlcli_watch(struct ctlcli *c, const uint8_t nonce[CTL_NONCE_LEN]);

/*
 * Asks the server to send 'payload' from its 'local_port' to our address
 * at 'peer_port' (CTL_SEND).  Returns the request id (> 0) or -errno.
 */
int ctlcli_send(struct ctlcli *c, int transport, uint16_t local_port,
    uint16_t peer_port, const void *payload, size_t len);

/*
 * Asks the server for one datagram to each port of 'ranges' at our public
 * address (CTL_SWEEP), from 'source' (NULL: the control connection's
 * server address).  Returns the request id or -errno; SENT when done.
 */
int ctlcli_sweep(struct ctlcli *c, const uint8_t nonce[CTL_NONCE_LEN],
    const uint16_t (*ranges)[2], size_t n, const struct net_ip *source);
/* Asks for a TCP connection to our public address at 'port' (CTL_CONNECT). */
int ctlcli_connect(struct ctlcli *c, const uint8_t nonce[CTL_NONCE_LEN],
    uint16_t port, const struct net_ip *source);

/*
 * Sends PING and waits for its PONG: the server handles frames in order,
 * so everything sent before (a WATCH, say) has taken effect on return.
 */
int ctlcli_sync(struct ctlcli *c, int timeout_ms);

/* The first SEEN report for 'nonce', or NULL. */
const struct ctl_seen *ctlcli_seen_find(const struct ctlcli *c,
    const uint8_t nonce[CTL_NONCE_LEN]);
/* The answer to request 'req_id', or NULL while none arrived. */
const struct ctl_result *ctlcli_result_find(const struct ctlcli *c, uint32_t req_id);

/*
 * Runs the event loop until done(arg) returns non-zero, the session
 * fails, or 'timeout_ms' passes.  Returns 0 when done, -ETIMEDOUT, or the
 * session's error.
 */
int ctlcli_wait(struct ctlcli *c, int (*done)(void *arg), void *arg,
    int timeout_ms);

/* Monotonic milliseconds. */
long long ctlcli_now_ms(void);

#endif
