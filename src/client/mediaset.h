/*
 * mediaset.h - what the media checks share: the plan (which profile asks
 * what, the codec, the server's media ports in the range) and a set of
 * streams run at once through pinholed with both sides' figures
 * (mediaset.c); the checks themselves are in check_media.c.
 */
#ifndef PINHOLE_MEDIASET_H
#define PINHOLE_MEDIASET_H

#include "check.h"
#include "codec.h"
#include "mediaq.h"
#include "media.h"

struct relay_conn;

#define MEDIA_SECONDS		10	/* the test call */
#define MEDIA_SWEEP_MS		1000	/* each port of the range */
#define MEDIA_STEP_MS		4000	/* each step of the capacity ramp */
#define MEDIA_PTIME		20
#define MEDIA_JB_MS		CTLREQ_MEDIA_JB_MS
#define MEDIA_MAX_PORTS		64
#define MEDIA_MAX_SET		256	/* streams at once */
#define MEDIA_STATS_WAIT_MS	9000	/* MEDIA_STATS after our last packet */

struct mplan {
	const struct profile *pm;	/* where the codec and range come from */
	const struct profile *pd;	/* where the DSCP comes from */
	struct codec codec;
	char codec_name[32];
	unsigned ptime, jb, seconds, calls;
	uint16_t lo, hi;		/* the media range (0 0: none said) */
	uint16_t ports[MEDIA_MAX_PORTS];/* the server's ports within it */
	size_t nports;
	int dscp;			/* -1: none asked */
	struct sockaddr_storage srv;
	socklen_t srv_len;
	/* Set: the set's one stream goes through this relay's channel,
	 * already bound to the server's media port (MEDIA with VIA_RELAY). */
	struct relay_conn *relay;
};

/* One stream of a set, and what became of it. */
struct mres {
	struct media_stream st;
	uint16_t server_port;
	int req;			/* > 0 once asked */
	int code;			/* the server's ERROR code, or 0 */
	char reason[CTLMSG_REASON_LEN];
	int ran;
	int have_stats;
	int latched;
	struct rtp_side up, down;	/* the server's view, ours */
};

/* Which profile asks what, and the server's ports within the range: 1,
 * 0 when no profile asks for media or DSCP (unless 'always': then the
 * first profile's, G.711 by default), or -errno. */
int mplan_make(struct check_ctx *ctx, struct mplan *pl, int always);

/*
 * Runs 'n' streams at once, stream i to ports[i % nports], each of
 * 'packets' packets, marked 'tos' both ways.  Fills r[0..n).  0, or
 * -errno when the set could not run at all (the session, an interrupt).
 */
int mset_run(struct check_ctx *ctx, const struct mplan *pl, struct mres *r,
    size_t n, const uint16_t *ports, size_t nports, uint32_t packets,
    uint8_t tos);

/* The media path's round trip of a stream (ours, else the server's), ms;
 * -1 when neither measured one. */
double mres_rtt_ms(const struct mres *m);
/* The E-model for each direction of a stream. */
void mres_quality(const struct mplan *pl, const struct mres *m,
    struct mediaq_dir *up, struct mediaq_dir *down);

#endif
