/*
 * fuzz_rtcp.c - lib/rtcp.c's decoders on arbitrary bytes, as a WebRTC
 * peer gets them once SRTP has decrypted them: an RTP header accepted
 * lies within the input, and rebuilt it reads back the same; a compound
 * RTCP packet's report block is one the input holds; an RFC 4571 frame
 * lies within the input and within its bound.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rtcp.h"
#include "rtp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtp_hdr h, h2;
	struct rtcp_info ri;
	uint8_t b[12];
	size_t flen;
	int r;
	uint32_t ssrc = size >= 32 ? (uint32_t)data[28] << 24 |
	    (uint32_t)data[29] << 16 | (uint32_t)data[30] << 8 | data[31] : 0;

	if (rtp_hdr_decode(data, size, &h) == 0) {
		if (h.payload_off < 12 || h.payload_off > size ||
		    h.payload_len > size - h.payload_off || h.pt > 127)
			abort();
		if (rtp_hdr_build(b, sizeof(b), &h) != 12 ||
		    rtp_hdr_decode(b, sizeof(b), &h2) != 0 || h2.seq != h.seq ||
		    h2.ts != h.ts || h2.ssrc != h.ssrc || h2.pt != h.pt ||
		    h2.marker != h.marker || h2.payload_len != 0)
			abort();
	}
	if (rtcp_decode(data, size, ssrc, &ri) == 0) {
		if (size < 8 || (ri.rb_lost >> 24) != 0)
			abort();
		(void)rtcp_rtt_us(ri.sr_ntp_mid, ri.rb_lsr, ri.rb_dlsr);
	} else if (size >= 8 && (data[0] >> 6) == 2 &&
	    4 * ((size_t)(data[2] << 8 | data[3]) + 1) <= size &&
	    data[1] != 200)
		abort();	/* a first packet that fits is a packet */
	r = rfc4571_frame_peek(data, size, 1500, &flen);
	if (r == 0 && (flen == 0 || flen > 1500 || 2 + flen > size))
		abort();
	if (r != 0 && r != -EAGAIN && r != -EMSGSIZE)
		abort();
	return 0;
}
