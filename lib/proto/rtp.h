/*
 * rtp.h - the RTP packets of pinhole's media streams (docs/protocol.md,
 * MEDIA); what a side reports of what it received is in rtpside.h.
 *
 * A packet is an RTP header (RFC 3550: version 2, no padding, extension
 * or CSRC) and a payload of the codec's size whose first 16 bytes are
 * pinhole's own, big-endian:
 *
 *     u32 key | u32 sent_us | u32 echo_sent_us | u32 echo_hold_us
 *
 * 'key' ties the packet to its stream with the SSRC (64 bits together,
 * chosen by the client).  'sent_us' is when the sender sent it, in us
 * since its first packet of the stream.  'echo_sent_us' is the sent_us of
 * the latest packet the sender received from the other side (or
 * RTP_NO_ECHO), and 'echo_hold_us' how long ago that one arrived: so the
 * other side, which knows when it sent that packet, has a round trip
 * measured on the media path itself, as RTCP's LSR and DLSR give one.
 * The rest of the payload is filler.
 */
#ifndef PINHOLE_RTP_H
#define PINHOLE_RTP_H

#include <stddef.h>
#include <stdint.h>

#define RTP_HDR_LEN		12
#define RTP_MEDIA_HDR_LEN	16
#define RTP_MIN_PAYLOAD		RTP_MEDIA_HDR_LEN
#define RTP_MAX_PAYLOAD		1280	/* opus at 510 kbit/s, 20 ms */
#define RTP_NO_ECHO		UINT32_MAX
#define RTP_UNKNOWN		UINT32_MAX	/* a figure not measured */

struct rtp_pkt {
	uint8_t pt;
	uint16_t seq;
	uint32_t ts;
	uint32_t ssrc;
	uint32_t key;
	uint32_t sent_us;
	uint32_t echo_sent_us;
	uint32_t echo_hold_us;
};

/* True when 'buf' could be one of our RTP packets (version 2, no CSRC,
 * long enough): the demultiplexing test on a shared UDP port. */
int rtp_looks_like(const uint8_t *buf, size_t n);
/* Writes a packet of RTP_HDR_LEN + 'payload_len' bytes into 'out';
 * returns its length, or 0 when 'cap' is too small or 'payload_len' is
 * outside RTP_MIN_PAYLOAD..RTP_MAX_PAYLOAD. */
size_t rtp_build(uint8_t *out, size_t cap, const struct rtp_pkt *p,
    size_t payload_len);
/* Reads a packet; 0 or -EBADMSG. */
int rtp_parse(const uint8_t *buf, size_t n, struct rtp_pkt *p);

/*
 * An RTP packet's header as a plain RTP peer (a browser) sends it, with
 * CSRCs, an extension and padding (RFC 3550), as received.
 */
struct rtp_hdr {
	uint8_t pt;			/* payload type, marker cleared */
	uint8_t marker;
	uint16_t seq;
	uint32_t ts;
	uint32_t ssrc;
	size_t payload_off;		/* after CSRCs and the extension */
	size_t payload_len;		/* less the padding */
};

/*
 * Decodes an RTP packet of 'n' bytes (version 2; CSRCs, the header
 * extension and padding within 'n').  0, or -EBADMSG when it is not one.
 */
int rtp_hdr_decode(const uint8_t *b, size_t n, struct rtp_hdr *h);

/*
 * The 12-byte fixed header of 'h' (no CSRC, extension or padding) into
 * 'b' of 'cap' bytes; the length, 0 when it does not fit.
 */
size_t rtp_hdr_build(uint8_t *b, size_t cap, const struct rtp_hdr *h);

/*
 * A round trip from a packet received at 'arrived_us' (the receiver's
 * stream clock) that echoes one of the receiver's own packets; -1 when
 * it echoes nothing or the figures do not add up.
 */
int64_t rtp_rtt_us(const struct rtp_pkt *p, int64_t arrived_us);

/*
 * Median, 99th percentile (nearest rank) and largest of 'n' values,
 * sorted in place; all RTP_UNKNOWN when n is 0.
 */
void rtp_quantiles(uint32_t *v, size_t n, uint32_t *p50, uint32_t *p99,
    uint32_t *max);

#endif
