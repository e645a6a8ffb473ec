/*
 * srvproto.h - the entry points of pinholed's protocol servers.  Each is
 * one file; they depend on the session table (session.h) and the
 * connection lifecycle (conn.h), never on each other in a loop: the
 * responder registry (responder.c) calls the responders it lists, the
 * control protocol (ctlsrv.c) calls the SIP, sweep and media servers, the
 * SIP server calls the reachability responders, and nothing calls back
 * into the registry or the control protocol.
 */
#ifndef PINHOLED_SRVPROTO_H
#define PINHOLED_SRVPROTO_H

#include <stddef.h>
#include <stdint.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <jansson.h>

#include "ctl.h"
#include "server.h"

struct conn;
struct session;

/* sweepsrv.c: SWEEP (datagrams across a port range) and CONNECT, for a
 * session whose control connection arrived at 'local_ip'. */
void sweepsrv_sweep(struct session *ss, const struct ctl_msg *m,
    const struct net_ip *local_ip);
void sweepsrv_connect(struct session *ss, const struct ctl_msg *m,
    const struct net_ip *local_ip);

/* sipsrv.c: the SIP probe listeners (their datagrams: responder.c). */
void sipsrv_accept_h(evutil_socket_t fd, short what, void *arg);
/* Writes on the session's TCP probe connection from peer_port to
 * local_port; 0, or -ENOENT when there is none. */
int sipsrv_tcp_send(struct session *ss, uint16_t peer_port,
    uint16_t local_port, const uint8_t *p, size_t n);

/* reachsrv.c: HTTP, BOSH, XMPP and TLS responders. */
void reachsrv_accept_h(evutil_socket_t fd, short what, void *arg);
/* Takes over a connection whose first byte was a TLS handshake (a SIP/TCP
 * port saw one): the handshake is answered, then it closes. */
void reachsrv_tls_take(struct conn *c);

/* websrv.c: HTTPS on the control port (the report store), a responder
 * of the registry (responder.h). */
/* wssrv.c: the check page's WebSocket.  Takes over connection 'c' whose
 * request 'req' (for the page at 'host') is a WebSocket Upgrade: 0 once
 * 101 is queued and the connection is the WebSocket's; else -errno and
 * *why, for the 400 (-EBADMSG), 426 (-EPROTONOSUPPORT) or 403 (-EPERM:
 * an Origin other than https://HOST) that the caller answers. */
struct http_req;
int wssrv_take(struct conn *c, const struct http_req *req, const char *host,
    const char **why);
/* mediareq.c: the MEDIA request, its caps charged. */
void mediasrv_request(struct session *ss, const struct ctl_msg *m);
/* mediasrv.c: RTP streams both ways on the UDP ports.  Whether stream
 * 'q' may start: 0, -EEXIST (its SSRC and key in use), -EBUSY
 * (media-streams reached) or -ENOMEM. */
struct ctlreq_media;
int mediasrv_stream_check(struct server *s, const struct ctlreq_media *q);
/* Starts it, waiting for its first packet, its caps ('bps' among them)
 * charged to session 'ss' already: 0, our SSRC and first sequence number
 * in *ssrc and *seq0; or -ENOMEM. */
int mediasrv_stream_new(struct session *ss, struct listener *l,
    const struct ctlreq_media *q, uint64_t bps, uint32_t *ssrc,
    uint16_t *seq0);
/* One RTP datagram received on a UDP listener. */
void mediasrv_handle(struct listener *l, const uint8_t *buf, size_t n,
    const struct srv_dgram *d);
/* Frees what is left once every session has ended. */
void mediasrv_free(struct server *s);

/* relaysrv.c: RELAY, short-lived credentials for the TURN relays. */
void relaysrv_request(struct session *ss, const struct ctl_msg *m);
/*
 * Short-lived credentials for the relays, for session 'ss' (RELAY and the
 * check page's relay message): charged to its probe cap.  0 with the
 * username and password in 'user' and 'pass' (the caller cleanses
 * 'pass'); -ENOENT without a [relay] secret, -EDQUOT past the probe cap,
 * -EIO.
 */
int relaysrv_creds(struct session *ss, char *user, size_t ulen, char *pass,
    size_t plen);
/*
 * The check page's relay answer for session 'ss': {"type": "relay",
 * "urls", "username", "credential", "lifetime"} (a new reference; the
 * caller sends it and cleanses its text), charged as RELAY is.  NULL with
 * the reason in '*why' without a secret or urls, past the probe cap, or
 * without memory.
 */
json_t *relaysrv_page(struct session *ss, const char **why);

/* stunsrv.c */
void stunsrv_h(evutil_socket_t fd, short what, void *arg);
/* One STUN datagram received on listener 'l' (STUN or SIP UDP). */
void stunsrv_handle(struct listener *l, const uint8_t *buf, size_t n,
    const struct srv_dgram *d);

#endif
