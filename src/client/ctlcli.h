/*
 * ctlcli.h - the client side of a pinholed session: one control
 * connection driven by the program's event loop.
 *
 * Checks are written as sequences: they send, then wait with loop_wait()
 * (loop.h) until a condition holds or a deadline passes.  Everything
 * arriving meanwhile (SEEN reports, SENT answers, errors) is kept on the
 * session (ctlstore.h) for the checks to find through the functions
 * below; the session's struct is its own.
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
 * message saying which, and no check draws a conclusion from it.  The
 * bounds of what is kept for the checks are in ctlstore.h.
 */
#define CTLCLI_OUT_MAX		(256 * 1024)	/* bytes queued toward the server */
#define CTLCLI_IN_MAX		(4 * (CTL_HDR_LEN + CTL_MAX_BODY))	/* read ahead */

/* A session; its fields are ctlcli.c's (ctlcli_priv.h). */
struct ctlcli;
struct loop;
struct ssl_ctx_st;

/*
 * A closed session that will run on 'l' (its event loop and clock), or
 * NULL without memory.  Free it with ctlcli_free().
 */
struct ctlcli *ctlcli_new(struct loop *l);
/* Closes the session when open (ctlcli_close()) and frees it. */
void ctlcli_free(struct ctlcli *c);

/*
 * Connects to the server at 'server' (address and control port), sends
 * the preamble and HELLO, and waits for WELCOME for up to 'timeout_ms'.
 * On failure returns -errno and leaves a message (ctlcli_errmsg()).
 * Once open, a failure of the session fails its loop (loop_fail()), which
 * ends every wait with the session's error.
 */
int ctlcli_open(struct ctlcli *c, const struct sockaddr *server,
    socklen_t slen, int timeout_ms);

/*
 * Makes the next ctlcli_open() speak TLS: the server's certificate must
 * chain to the trust store of 'tls' and name 'host' (a DNS name or an
 * address).  NULL 'tls' goes back to the clear.
 */
void ctlcli_use_tls(struct ctlcli *c, struct ssl_ctx_st *tls, const char *host);
/*
 * Sends BYE when connected, and frees everything the session holds; it
 * may be opened again.
 */
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
/*
 * RELAY: asks for credentials for the provider's TURN relays.  Returns
 * the request id (> 0), whose answer is RELAY_CREDS (ctlcli_relay_creds())
 * or an ERROR (ctlcli_result_find()), or -errno.
 */
int ctlcli_relay(struct ctlcli *c);
/*
 * The credentials that answered request 'req_id', or NULL before they
 * came.  The session owns them; the password goes to the relay alone,
 * never to a log or a report.
 */
const struct ctl_relay_creds *ctlcli_relay_creds(const struct ctlcli *c,
    uint32_t req_id);
const struct ctl_media_stats *ctlcli_mstats_find(const struct ctlcli *c,
    uint32_t req_id);

/*
 * Sends PING and waits for its PONG: the server handles frames in order,
 * so everything sent before (a WATCH, say) has taken effect on return.
 */
int ctlcli_sync(struct ctlcli *c, int timeout_ms);

/* Whether the session is open (WELCOME came and nothing failed since). */
int ctlcli_is_open(const struct ctlcli *c);

/* The first SEEN report for 'nonce', or NULL. */
const struct ctl_seen *ctlcli_seen_find(const struct ctlcli *c,
    const uint8_t nonce[CTL_NONCE_LEN]);
/* The answer to request 'req_id', or NULL while none arrived. */
const struct ctl_answer *ctlcli_result_find(const struct ctlcli *c, uint32_t req_id);

/* What WELCOME announced: the server's ports, our address as it sees it. */
const struct ctl_welcome *ctlcli_welcome(const struct ctlcli *c);
/* The server's address and control port. */
const struct sockaddr *ctlcli_server(const struct ctlcli *c);
/* Our end of the control connection. */
const struct sockaddr *ctlcli_local(const struct ctlcli *c);
/* When WELCOME came, by the loop's clock. */
long long ctlcli_opened_ms(const struct ctlcli *c);
/* Why the session failed or could not open, or "". */
const char *ctlcli_errmsg(const struct ctlcli *c);

/*
 * The SEEN reports kept, in the order they came: ctlcli_nseen() of them,
 * the i-th by ctlcli_seen_at() (a check reads those after a position it
 * keeps).
 */
size_t ctlcli_nseen(const struct ctlcli *c);
const struct ctl_seen *ctlcli_seen_at(const struct ctlcli *c, size_t i);

#endif
