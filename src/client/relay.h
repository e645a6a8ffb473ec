/*
 * relay.h - a TURN allocation on one of the provider's relays, over UDP,
 * TCP or TLS, as a WebRTC phone makes one when direct media fails: the
 * connection, the allocation with its credentials, a permission and a
 * channel toward one peer, and datagrams both ways over the channel.
 *
 * The calls block, each until its deadline, so that a relay check runs on
 * a thread of its own (as media.c does) and never holds the event loop.
 * Every failure names the step it happened in and why, in words a remedy
 * can be chosen from (relay_step_name(), rc->why); credentials never
 * appear in them.
 */
#ifndef PINHOLE_RELAY_H
#define PINHOLE_RELAY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "buf.h"
#include "turncli.h"

#define RELAY_RTO_MS		500	/* RFC 8489 6.2.1: the first RTO */
#define RELAY_FRAME_MAX		4096	/* the largest frame we read */

enum relay_transport {
	RELAY_UDP,		/* turn:HOST:PORT?transport=udp */
	RELAY_TCP,		/* turn:HOST:PORT?transport=tcp */
	RELAY_TLS,		/* turns:HOST:PORT */
};

/* Where a relay failed, in the order a client meets the steps. */
enum relay_step {
	RELAY_S_NONE = 0,
	RELAY_S_CONNECT,	/* TCP: connection refused, unreachable, timed out */
	RELAY_S_TLS,		/* the handshake, or the certificate */
	RELAY_S_ALLOCATE,
	RELAY_S_PERMISSION,
	RELAY_S_CHANNEL,
	RELAY_S_DATA,		/* a datagram over the channel */
};

struct ssl_ctx_st;
struct ssl_st;

struct relay_conn {
	enum relay_transport tr;
	int fd;
	struct ssl_st *ssl;
	struct turncli tc;
	struct dbuf out;		/* the request in flight */
	struct dbuf data;		/* a ChannelData being sent */
	uint8_t in[RELAY_FRAME_MAX];	/* a stream's bytes not yet framed */
	size_t inlen;
	int allocated;			/* an allocation is ours */
	uint16_t chan;			/* bound, or 0 */
	/* What happened. */
	enum relay_step failed;
	char why[256];
	int tls_verify;			/* X509_V_OK (0), or the error */
	char tls_issuer[256];		/* of the relay's certificate */
	long long connect_ms;		/* TCP and TLS: until connected */
	long long allocate_ms;		/* the first request to success */
	int sends;			/* requests sent, retransmissions too */
	uint64_t foreign;		/* frames that were not ours */
};

/*
 * Connects to the relay at 'relay' over 'tr' (TLS: verified against the
 * trust store of 'tls', for the name 'host') and allocates a UDP relay
 * address of family 'peer_af' (that of the peers it will reach: AF_INET
 * or AF_INET6) with 'user' and 'pass', all within 'timeout_ms'.  0, or -1
 * with rc->failed and rc->why set.  rc is always to be closed.
 */
int relay_open(struct relay_conn *rc, enum relay_transport tr,
    const struct sockaddr *relay, socklen_t rlen, struct ssl_ctx_st *tls,
    const char *host, const char *user, const char *pass, int peer_af,
    int timeout_ms);

/*
 * Permits 'peer' and binds channel 'chan' (0x4000-0x4FFF) to it, within
 * 'timeout_ms'.  0, or -1 with rc->failed and rc->why set.
 */
int relay_bind(struct relay_conn *rc, const struct sockaddr *peer,
    uint16_t chan, int timeout_ms);

/* Sends 'n' bytes to the bound peer over the channel.  0 or -errno. */
int relay_send(struct relay_conn *rc, const void *p, size_t n);

/*
 * Waits up to 'timeout_ms' for a datagram from the bound peer (over the
 * channel, or a Data indication) and copies it to 'buf'.  Its length,
 * 0 when none came in time, or -errno when the connection failed.
 */
int relay_recv(struct relay_conn *rc, uint8_t *buf, size_t cap,
    int timeout_ms);

/* Ends the allocation (a Refresh of lifetime 0, not waited for), closes. */
void relay_close(struct relay_conn *rc);

const char *relay_step_name(enum relay_step s);
const char *relay_transport_name(enum relay_transport t);

#endif
