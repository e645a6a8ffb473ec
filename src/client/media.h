/*
 * media.h - RTP streams to and from pinholed, as the phones of several
 * calls send them: the client's side of MEDIA (docs/protocol.md).
 *
 * A run sends every stream of a set at once, each paced by the monotonic
 * clock at its packetization with a phase of its own (calls do not start
 * together), and keeps what arrives with the kernel's receive time and
 * TOS byte.  It runs on a thread of its own, outside the event loop and
 * the check scheduler, so that pacing does not wait for any family; the
 * family that started it waits for media_run_done().
 */
#ifndef PINHOLE_MEDIA_H
#define PINHOLE_MEDIA_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "ctlreq.h"
#include "rtp.h"
#include "rtpside.h"

#define MEDIA_GRACE_MS		1000	/* late packets after the last */

struct media_stream;

/*
 * How a stream's packets travel: a plain UDP socket (media.c), or the
 * channel of a TURN relay (media_relay.c).  recv() hands each packet that
 * is waiting on st->fd to media_take(), without blocking.
 */
struct media_tr {
	int (*send)(struct media_stream *st, const void *p, size_t n);
	void (*recv)(struct media_stream *st, int64_t rt_off);
	void (*close)(struct media_stream *st);	/* NULL: nothing to close */
};

struct media_stream {
	/* Set before the run: the MEDIA request (its req_id the answer's)
	 * and the server's stream, from SENT. */
	struct ctlreq_media q;
	uint32_t req_id;
	uint32_t peer_ssrc;
	uint16_t peer_seq0;
	int fd;				/* what the run polls */
	const struct media_tr *tr;
	void *tr_arg;			/* the transport's own */
	uint16_t local_port;
	/* What the run did. */
	uint32_t nsent;
	int send_errno;			/* the first send error, or 0 */
	uint32_t foreign;		/* datagrams not of this stream */
	struct rtp_rec *recs;
	size_t nrecs, caprecs;
	uint8_t *seen;			/* a bit per packet of the server's */
	uint32_t uniq;			/* of them, how many arrived */
	uint32_t *rtt;
	size_t nrtt;
	uint32_t *pace;			/* |send time - schedule|, us */
	int64_t t0_us;			/* first packet, monotonic */
	int64_t next_us;
	uint32_t echo_sent_us;
	int64_t echo_us;
};

struct media_run {
	struct media_stream **st;
	size_t n;
	const volatile int *stop;	/* set: the run ends early */
	volatile int cancel;		/* the same, set by the caller */
	pthread_t thread;
	int started;
	volatile int done;
	int error;			/* -errno when the run could not run */
};

/*
 * Opens the stream's socket, connected to 'server' (the server's media
 * port), bound to a free port in lo..hi when one can be found (0 0: any),
 * its packets marked with TOS 'tos'.  Allocates what the run keeps for
 * q.packets.  0 or -errno.
 */
int media_stream_open(struct media_stream *st, const struct sockaddr *server,
    socklen_t slen, uint16_t lo, uint16_t hi, uint8_t tos);
/*
 * Allocates what the run keeps for q.packets, for a stream whose
 * transport the caller sets (fd, tr, tr_arg).  0 or -ENOMEM.
 */
int media_stream_alloc(struct media_stream *st);
/*
 * A packet that came in on the stream at 'at' (monotonic us) with TOS
 * 'tos': counted when it is the server's, else as foreign.
 */
void media_take(struct media_stream *st, const uint8_t *buf, size_t len,
    int64_t at, int tos);
/* The monotonic clock the run keeps its times in, us. */
int64_t media_now_us(void);
/* Closes and frees what media_stream_open() and the run allocated. */
void media_stream_close(struct media_stream *st);

/* Starts the run's thread; 0 or -errno. */
int media_run_start(struct media_run *r);
/* For loop_wait(): non-zero once the run has ended. */
int media_run_done(void *arg);
/* Waits for the thread (after media_run_done()). */
void media_run_join(struct media_run *r);

/*
 * What this side received of 'st' and sent, once the run has ended and
 * the server said how many it sent ('peer_sent').  0 or -errno.
 */
int media_stream_side(const struct media_stream *st, uint32_t peer_sent,
    struct rtp_side *out);

#endif
