/*
 * ctlcli.h - the client side of a pinholed session: one control
 * connection driven by the program's event loop.
 *
 * Checks are written as sequences: they send, then wait with
 * ctlcli_wait(), which runs the event loop (or lets the scheduler of
 * check_run.c run it) until a condition holds or a deadline passes.  Everything arriving meanwhile (SEEN reports, SENT
 * answers, errors) is queued on the session for the checks to pick up.
 */
#ifndef PINHOLE_CTLCLI_H
#define PINHOLE_CTLCLI_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <event2/event.h>

#include "ctl.h"
#include "ctlmsg.h"
#include "net.h"

/*
 * What a server can make the client hold is bounded
 * (docs/protocol.md, section 7): past any bound the session fails with a
 * message saying which, and no check draws a conclusion from it.
 */
#define CTLCLI_OUT_MAX		(256 * 1024)	/* bytes queued toward the server */
#define CTLCLI_IN_MAX		(4 * (CTL_HDR_LEN + CTL_MAX_BODY))	/* read ahead */
#define CTLCLI_MAX_SEEN		65536	/* SEEN reports kept */
#define CTLCLI_MAX_SEEN_BYTES	(16u << 20)	/* their payload bytes */
#define CTLCLI_MAX_WATCH	4096	/* nonces watched in one session */
#define CTLCLI_MAX_MSTATS	4096	/* MEDIA_STATS kept */

struct ctlcli {
	struct event_base *base;
	struct bufferevent *bev;
	struct sockaddr_storage server;
	socklen_t server_len;
	struct sockaddr_storage local;	/* our end of the control connection */
	int version;			/* the session's; or the server's, refused */

	struct ctl_welcome w;		/* what WELCOME announced */
	long long opened_ms;		/* when WELCOME arrived */

	int state;			/* enum in ctlcli.c */
	int error;			/* -errno once the session failed */
	char errmsg[256];

	/* SEEN reports for nonces we watch; payloads are our copies. */
	struct ctl_seen *seen;
	size_t nseen, seen_cap, seen_bytes;
	uint8_t (*watched)[CTL_NONCE_LEN];
	size_t nwatched, watched_cap;
	/* One answer per request we made, the first that came. */
	struct ctl_answer *results;
	size_t nresults, results_cap;
	/* MEDIA_STATS, one per MEDIA request, the first. */
	struct ctl_media_stats *mstats;
	size_t nmstats, mstats_cap;
	uint64_t dropped;		/* reports and answers nobody asked for */
	uint32_t next_req;
	uint32_t pings, pongs;
	long long last_write_ms;	/* for keepalive PINGs */
	struct ssl_ctx_st *tls;
	const char *tls_host;
	/* Called once when an open session fails (see ctlcli_on_lost()). */
	void (*lost_h)(void *arg);
	void *lost_arg;
	/* Takes over ctlcli_wait() (see ctlcli_on_wait()). */
	int (*wait_h)(void *warg, int (*done)(void *arg), void *arg,
	    int timeout_ms, int *result);
	void *wait_arg;
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

/*
 * Asks the server to report probes carrying 'nonce' (CTL_WATCH); SEEN
 * reports for other nonces are dropped.  -ENOSPC past CTLCLI_MAX_WATCH.
 */
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
 * server address) and its UDP port 'local_port' (0: the server's STUN
 * port).  Returns the request id or -errno; SENT when done.
 */
int ctlcli_sweep(struct ctlcli *c, const uint8_t nonce[CTL_NONCE_LEN],
    const uint16_t (*ranges)[2], size_t n, const struct net_ip *source,
    uint16_t local_port);
/* Asks for a TCP connection to our public address at 'port' (CTL_CONNECT). */
int ctlcli_connect(struct ctlcli *c, const uint8_t nonce[CTL_NONCE_LEN],
    uint16_t port, const struct net_ip *source);

/*
 * Asks the server for an RTP stream both ways on its UDP 'local_port'
 * (CTL_MEDIA) with the parameters of 'q' (its req_id is ignored).
 * Returns the request id or -errno.  SENT carries the server's SSRC and
 * first sequence number; MEDIA_STATS comes when the stream has ended.
 */
struct ctlreq_media;
int ctlcli_media(struct ctlcli *c, const struct ctlreq_media *q);
/* The MEDIA_STATS of request 'req_id', or NULL while none arrived. */
const struct ctl_media_stats *ctlcli_mstats_find(const struct ctlcli *c,
    uint32_t req_id);

/*
 * Sends PING and waits for its PONG: the server handles frames in order,
 * so everything sent before (a WATCH, say) has taken effect on return.
 */
int ctlcli_sync(struct ctlcli *c, int timeout_ms);

/*
 * Sets 'h' to be called once, with 'arg', when the open session fails for
 * any reason (the server closed, a bound was passed, a protocol error);
 * ctlcli_close() does not call it.
 */
void ctlcli_on_lost(struct ctlcli *c, void (*h)(void *arg), void *arg);
/*
 * Sets 'h' to be offered every ctlcli_wait(): when it returns non-zero it
 * has waited itself (a scheduler running several checks on the one loop)
 * and put the wait's result in *result; when it returns 0, ctlcli_wait()
 * runs the loop as usual.  NULL 'h' removes it.
 */
void ctlcli_on_wait(struct ctlcli *c, int (*h)(void *warg,
    int (*done)(void *arg), void *arg, int timeout_ms, int *result),
    void *warg);
/*
 * Keeps the session alive for whoever runs the loop without
 * ctlcli_wait(): sends a PING when nothing was written for a while.
 */
void ctlcli_keepalive(struct ctlcli *c);
/* Whether the session is open (WELCOME came and nothing failed since). */
int ctlcli_is_open(const struct ctlcli *c);

/* The first SEEN report for 'nonce', or NULL. */
const struct ctl_seen *ctlcli_seen_find(const struct ctlcli *c,
    const uint8_t nonce[CTL_NONCE_LEN]);
/* The answer to request 'req_id', or NULL while none arrived. */
const struct ctl_answer *ctlcli_result_find(const struct ctlcli *c, uint32_t req_id);

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
