/*
 * rtpstat.h - what one direction of an RTP stream did, from the packets
 * its receiver kept.  Pure: the same code computes the upstream figures
 * in pinholed and the downstream ones in pinhole, so both directions are
 * measured by one definition (see docs/report.md, media.rtp).
 */
#ifndef PINHOLE_RTPSTAT_H
#define PINHOLE_RTPSTAT_H

#include <stddef.h>
#include <stdint.h>

#define RTPSTAT_GMIN		16	/* RFC 3611 4.7.2: gap threshold */
#define RTPSTAT_MAX_TOS		8	/* distinct TOS bytes counted */

/* One datagram as its receiver saw it, in arrival order. */
struct rtp_rec {
	uint16_t seq;		/* RTP sequence number as received */
	uint8_t tos;		/* TOS / traffic class byte it arrived with */
	uint8_t pad;
	uint32_t sent_us;	/* sender's clock (from the packet): us since
				 * the sender's first packet of the stream */
	int64_t arrived_us;	/* receiver's clock (kernel timestamp), us */
};

struct rtp_tos_count {
	uint8_t tos;
	uint32_t count;
};

struct rtp_dir_stats {
	uint32_t sent;		/* packets the sender sent (it says so) */
	uint32_t received;	/* distinct packets that arrived */
	uint32_t lost;		/* sent - received (never negative) */
	uint32_t duplicates;	/* copies of a packet already received */
	uint32_t reordered;	/* arrived after a later-sent packet */
	uint32_t late;		/* arrived after its playout time in a fixed
				 * jitter buffer of jb_ms: discarded */
	double loss_pct;	/* 100 * lost / sent */
	double discard_pct;	/* 100 * late / sent */
	double jitter_ms;	/* RFC 3550 6.4.1 interarrival jitter, last */
	double jitter_max_ms;	/* its largest value during the stream */
	double ipdv_p50_ms;	/* one-way delay minus the smallest one-way
				 * delay of the stream (clock offset cancels):
				 * median, 99th percentile, largest */
	double ipdv_p99_ms;
	double ipdv_max_ms;
	uint32_t burst_max;	/* longest run of consecutive lost packets
				 * (network loss only) */
	/* RFC 3611 4.7.2, Gmin 16, over network loss plus discards. */
	double burst_density;	/* percent of packets lost or discarded
				 * within bursts */
	double gap_density;	/* the same within gaps */
	double burst_ms;	/* mean burst duration */
	double gap_ms;		/* mean gap duration */
	uint32_t bursts;	/* number of bursts */
	/* The two-state (Gilbert) model of the loss sequence, network loss
	 * plus discards: p = P(lost | previous received), q = P(received |
	 * previous lost); BurstR = 1 / (p + q), 1 for random loss, above 1
	 * for bursty loss (G.107 7.4).  1 when nothing was lost. */
	double burstr;
	/* TOS bytes seen, most frequent first. */
	struct rtp_tos_count tos[RTPSTAT_MAX_TOS];
	size_t ntos;
	uint32_t tos_other;	/* packets whose TOS did not fit in 'tos' */
};

/*
 * Computes the figures of one direction.  'recs' ('n' of them, arrival
 * order, duplicates included) are what the receiver kept; 'sent' is how
 * many packets the sender sent, 'first_seq' the sequence number of its
 * first; sequence numbers are extended across wraps as RFC 3550 A.1
 * does, each into the 65536-cycle nearest the highest index so far.
 * 'ptime_ms' is the packetization (for the jitter's definition the RTP
 * timestamps are index * ptime, so the jitter, in ms, needs no clock
 * rate), and 'jb_ms' the fixed jitter buffer: packet k plays out at
 * t0 + k * ptime + jb, t0 being the arrival of the first packet received
 * less its own k * ptime.
 *
 * Only the first copy of a packet counts for reordering, jitter, the
 * jitter buffer and the delays; IPDV percentiles are nearest-rank.  A
 * record whose index falls outside 0 .. sent - 1 (a stray or forged
 * number, or any record when 'sent' is 0) counts as neither received
 * nor lost and does not move the reference for the next ones; the TOS
 * counts include every record.  With nothing received, every packet
 * sent is lost.  Memory is O(n) and time O(n log n) whatever 'sent' is.
 * Returns 0, -EINVAL when 'ptime_ms' is 0, or -ENOMEM ('out' is then
 * incomplete).
 */
int rtp_dir_stats(const struct rtp_rec *recs, size_t n, uint32_t sent,
    uint16_t first_seq, unsigned ptime_ms, unsigned jb_ms,
    struct rtp_dir_stats *out);

/*
 * For a sender that does not put its send time in its packets (a
 * browser): the nominal send time of a packet with RTP timestamp 'ts',
 * in us since the one with 'ts0', at 'clock_hz' (48000 for Opus), for
 * rtp_rec.sent_us.  Timestamps wrap as RTP's do; so does the result.
 */
uint32_t rtp_ts_sent_us(uint32_t ts, uint32_t ts0, uint32_t clock_hz);

#endif
