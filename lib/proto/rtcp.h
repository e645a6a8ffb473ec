/*
 * rtcp.h - RTCP as a plain RTP peer (a browser) puts it on the wire, once
 * SRTP has decrypted it (RFC 3550): a compound RTCP packet's sender info
 * and the report block on one of our streams; and the sender report
 * pinholed's WebRTC peer sends; RFC 4571's framing over TCP.  Such a
 * peer's RTP header is read by rtp_hdr_decode() (rtp.h).  Pure: decoders
 * over untrusted bytes, read through bounds checks, with a fuzz target
 * (fuzz_rtcp).
 */
#ifndef PINHOLE_RTCP_H
#define PINHOLE_RTCP_H

#include <stddef.h>
#include <stdint.h>

#define RTCP_SR		200
#define RTCP_RR		201
#define RTCP_SDES	202

/* What a compound RTCP packet says that a peer uses. */
struct rtcp_info {
	int have_sr;			/* a sender report came */
	uint32_t sr_ssrc;
	uint32_t sr_ntp_mid;		/* the middle 32 bits of its NTP time
					 * (the LSR of our next report) */
	int have_rb;			/* a report block on 'ssrc' came */
	uint8_t rb_fraction;		/* its fraction lost, /256 */
	uint32_t rb_lost;		/* cumulative lost (24 bits) */
	uint32_t rb_jitter;		/* timestamp units */
	uint32_t rb_lsr, rb_dlsr;	/* for the round trip */
};

/*
 * Decodes a compound RTCP packet of 'n' bytes: each SR or RR (version 2,
 * its length within 'n'; others are skipped) gives its sender info and,
 * for the report block whose SSRC is 'ssrc', that block (the last one
 * wins).  0 with what the packets up to the first malformed one said;
 * -EBADMSG when not even the first is a packet.
 */
int rtcp_decode(const uint8_t *b, size_t n, uint32_t ssrc,
    struct rtcp_info *out);

/*
 * The round trip, in us, of a report block received at the NTP time
 * whose middle 32 bits are 'now_mid' (RFC 3550 6.4.1: now - LSR - DLSR);
 * -1 when the block has no LSR or the figures do not add up.
 */
int64_t rtcp_rtt_us(uint32_t now_mid, uint32_t lsr, uint32_t dlsr);

/* The NTP time (64 bits, RFC 3550 4) of 'real_us', Unix time in us. */
uint64_t rtcp_ntp(int64_t real_us);

/* What our sender report says. */
struct rtcp_sr {
	uint32_t ssrc;
	uint64_t ntp;			/* the NTP time it is sent */
	uint32_t rtp_ts;		/* the same instant in RTP units */
	uint32_t packets, octets;	/* sent so far */
	int have_rb;			/* a report block on their stream */
	uint32_t rb_ssrc;
	uint8_t rb_fraction;
	uint32_t rb_lost;		/* 24 bits: capped */
	uint32_t rb_ext_seq;		/* extended highest sequence number */
	uint32_t rb_jitter;
	uint32_t rb_lsr, rb_dlsr;
	const char *cname;		/* at most 255 bytes */
};

/*
 * An SR (with its report block when have_rb) and an SDES with the CNAME,
 * padded to a word, into 'b' of 'cap' bytes.  Returns the length, 0 when
 * it does not fit.
 */
size_t rtcp_sr_build(uint8_t *b, size_t cap, const struct rtcp_sr *sr);

/*
 * RFC 4571 framing (RTP and ICE over TCP, RFC 6544): whether 'n' bytes
 * start with a whole frame, a 2-byte length and that many bytes.  0 with
 * *len the frame's payload length (from b + 2); -EAGAIN when more bytes
 * are needed; -EMSGSIZE when the length is 0 or above 'max'.
 */
int rfc4571_frame_peek(const uint8_t *b, size_t n, size_t max, size_t *len);

#endif
