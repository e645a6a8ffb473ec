/*
 * responder.h - the responder registry: which responder's bytes these
 * are, on a stream of the control port (443 in production: TLS, the
 * control protocol, ICE-TCP, HTTPS) and on a datagram of a SIP or media
 * UDP port (WebRTC, STUN, RTP, SIP), and who takes the connection.
 *
 * The registry (responder.c) is one ordered table; a responder is one
 * file that defines a const struct responder, one line in the table and
 * its place in enum resp_id.
 * On a stream the first responder that claims the first bytes takes the
 * connection through conn_handover(), unless one before it still needs
 * more bytes to decide: the order settles bytes that two could claim
 * ('P' opens the control preamble and an HTTP method).  A datagram goes
 * to the first responder that takes it.
 *
 * Each responder's place in the table is also the index of its counters
 * (pinholed_responder_* in the metrics, named by the responder's name):
 * datagrams and their bytes each way, and the bytes of the streams it
 * owns (inside TLS: the responder's own bytes).
 */
#ifndef PINHOLED_RESPONDER_H
#define PINHOLED_RESPONDER_H

#include <stddef.h>
#include <stdint.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "server.h"

struct conn;

/* The registry's order (responder.c): the first that claims wins. */
enum resp_id { RESP_TLS, RESP_CONTROL, RESP_ICE_TCP, RESP_HTTPS,
    RESP_WEBRTC, RESP_STUN, RESP_MEDIA, RESP_SIP, RESP_N };

struct responder {
	const char *name;
	/*
	 * Whether the first 'n' (at least 1) bytes of a stream, 'p', are
	 * this responder's, in the clear ('tls' 0) or inside TLS: 1, 0, or
	 * -EAGAIN when more bytes decide.  NULL: no stream.
	 */
	int (*stream_is)(const struct server *s, int tls, const uint8_t *p,
	    size_t n);
	/*
	 * Takes connection 'c' over with conn_handover(); 'in' holds the
	 * first bytes, none consumed.  A layer (TLS) is taken over before
	 * any byte is read ('in' NULL, the stream not started): it starts
	 * the stream, and the demultiplexing goes on inside it.
	 */
	void (*stream_take)(struct conn *c, int tls, struct evbuffer *in);
	int layer;
	/*
	 * A datagram received on a SIP or media UDP port: 1 when it was this
	 * responder's (handled, or dropped as its own), 0 for the next.
	 * NULL: no datagrams.
	 */
	int (*datagram)(struct listener *l, const uint8_t *buf, size_t n,
	    const struct srv_dgram *d);
};

/* The responders, each in its own file. */
extern const struct responder ctlsrv_responder;	/* ctlsrv.c */
extern const struct responder websrv_responder;	/* websrv.c */
extern const struct responder wice_responder;	/* webrtcice.c: ICE-TCP */
extern const struct responder webrtc_responder;	/* webrtcice.c: datagrams */
extern const struct responder stunsrv_responder;	/* stunsrv.c */
extern const struct responder mediasrv_responder;	/* mediasrv.c */
extern const struct responder sipsrv_responder;	/* sipsrv.c */

/* The name of responder 'id' (enum resp_id), for its counters. */
const char *responder_name(int id);
/* Accepts connections on the control port; the registry decides whose
 * they are. */
void responder_accept_h(evutil_socket_t fd, short what, void *arg);
/* Reads the datagrams of a SIP or media UDP port, each to its responder. */
void responder_udp_h(evutil_socket_t fd, short what, void *arg);

#endif
