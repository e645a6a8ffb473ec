/*
 * rtpside.h - what one side of a media stream reports of what it
 * received, as the control protocol carries it: the RTP_STATS and
 * TOS_COUNTS attributes (docs/protocol.md, MEDIA_STATS).
 */
#ifndef PINHOLE_RTPSIDE_H
#define PINHOLE_RTPSIDE_H

#include <stdint.h>

#include "buf.h"
#include "ctl.h"
#include "rtp.h"
#include "rtpstat.h"

/* What one side of a stream reports. */
struct rtp_side {
	struct rtp_dir_stats rx;	/* what it received (rx.sent: what
					 * the other side sent) */
	uint32_t sent;			/* packets it sent */
	uint32_t rtt_us;		/* median round trip, or RTP_UNKNOWN */
	uint32_t rtt_samples;
	uint32_t pace_p50_us;		/* its send times against the
					 * schedule: median, 99th, largest */
	uint32_t pace_p99_us;
	uint32_t pace_max_us;
};

/* Appends RTP_STATS and TOS_COUNTS attributes for 'side'. */
int rtp_side_put(struct dbuf *b, const struct rtp_side *side);
/* Reads them back; fields a shorter list lacks are RTP_UNKNOWN or 0.
 * -ENOENT when RTP_STATS is absent, -EBADMSG when malformed. */
int rtp_side_get(const struct ctl_msg *m, struct rtp_side *side);

#endif
