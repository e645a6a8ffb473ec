/*
 * mediaq.h - what one direction of a call sounds like, from what its
 * receiver measured (lib/media/rtpstat.c): the E-model's R and MOS, what
 * limits them, whether the DSCP marks arrived, and the evidence a report
 * carries.  Pure: 'pinhole check' and pinholed's browser page conclude
 * with the same code (thresholds in docs/report.md, media.rtp).
 */
#ifndef PINHOLE_MEDIAQ_H
#define PINHOLE_MEDIAQ_H

#include <jansson.h>

#include "codec.h"
#include "emodel.h"
#include "report.h"
#include "rtpstat.h"

#define MEDIAQ_MOS_GOOD		4.0	/* pass at or above, both ways */
#define MEDIAQ_MOS_POOR		3.6	/* fail below */
#define MEDIAQ_LOSS_GOOD	1.0	/* percent lost or late: pass at or below */

struct mediaq_dir {
	int measured;		/* packets were sent this way */
	double ppl;		/* network loss plus jitter-buffer discards, % */
	double delay_ms;	/* one-way mouth-to-ear: rtt/2 + jb + ptime */
	int rtt_known;
	struct emodel_out e;
	/* "loss", "discards" (jitter), "delay", "codec" or "none". */
	const char *limit;
};

/*
 * The E-model for one direction: Ppl from loss and discards, BurstR
 * from the loss sequence, Ta = T = rtt/2 + jb + ptime, Tr = 2 Ta, the
 * codec's Ie and Bpl.  'rtt_ms' < 0: unknown (the delay then leaves the
 * round trip out, and rtt_known says so).
 */
void mediaq_dir(const struct rtp_dir_stats *rx, double rtt_ms,
    const struct codec *c, unsigned ptime_ms, unsigned jb_ms,
    struct mediaq_dir *out);

/*
 * Whether a direction is good: MOS at or above MEDIAQ_MOS_GOOD, and what
 * the listener misses (network loss plus packets too late for the jitter
 * buffer) at or below MEDIAQ_LOSS_GOOD.
 */
int mediaq_good(const struct rtp_dir_stats *rx, const struct mediaq_dir *q);

/*
 * media.rtp's verdict on a call whose RTP passed both ways: fail when
 * MOS is below MEDIAQ_MOS_POOR either way, warn when a direction is not
 * good (mediaq_good()), else pass.
 */
enum verdict mediaq_verdict(const struct rtp_dir_stats *up_rx,
    const struct mediaq_dir *up, const struct rtp_dir_stats *down_rx,
    const struct mediaq_dir *down);

/*
 * The remedy for a call that is not good: the worse direction (by R)
 * and what limits it, delay, late packets or loss, with what to change.
 * Into 'buf' of 'len' bytes.
 */
void mediaq_remedy(const struct mediaq_dir *up, const struct mediaq_dir *down,
    char *buf, size_t len);

/* The evidence of one direction (a new object). */
json_t *mediaq_dir_json(const struct rtp_dir_stats *rx,
    const struct mediaq_dir *q);

/* RFC 9435's names for what happened to a DSCP on the way. */
enum mediaq_dscp {
	MQ_DSCP_INTACT,			/* arrived as sent */
	MQ_DSCP_BLEACHED,		/* to 0 */
	MQ_DSCP_PRECEDENCE,		/* ToS precedence bleaching: the
					 * top three bits cleared (46 to 6) */
	MQ_DSCP_REMARKED,		/* another codepoint (46 to 40) */
	MQ_DSCP_NONE,			/* nothing arrived */
};

/* The codepoint most packets arrived with (-1: none), and how many. */
int mediaq_dscp_received(const struct rtp_dir_stats *rx, uint32_t *count);
enum mediaq_dscp mediaq_dscp_classify(int sent, int received);
/* "intact", "bleached", "precedence-bleached", "remarked", "none". */
const char *mediaq_dscp_name(enum mediaq_dscp d);
/* The evidence of one direction's marks (a new object). */
json_t *mediaq_dscp_json(int sent, const struct rtp_dir_stats *rx);

#endif
