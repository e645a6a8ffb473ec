/*
 * fuzz_turn.c - TURN's decoders on arbitrary bytes: a STUN message with
 * TURN's attributes, ChannelData, the stream framer, and the client
 * machine reading them as the answer to its Allocate (the input's
 * transaction id is replaced by the request's, so answers get past the
 * match and into the 401, 438 and success paths).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "turn.h"
#include "turncli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t msg[STUN_MAX_DGRAM];
	const uint8_t *p;
	struct turn_msg m;
	struct turncli t;
	struct dbuf out;
	uint16_t chan;
	size_t dlen;
	long n;
	int r;

	if (turn_msg_decode(data, size, &m) == 0 && !stun_is_stun(data, size))
		abort();	/* accepted what the demux refuses */
	if (turn_chan_decode(data, size, &chan, &p, &dlen) == 0 &&
	    (chan < TURN_CHAN_MIN || chan > TURN_CHAN_MAX ||
	    dlen + TURN_CHAN_HDR > size))
		abort();
	n = turn_frame_len(data, size, STUN_MAX_DGRAM);
	if (n > 0 && (size_t)n > size)
		abort();
	if (size < STUN_HDR_LEN || size > sizeof(msg))
		return 0;
	memcpy(msg, data, size);
	dbuf_init(&out, STUN_MAX_MSG);
	if (turncli_init(&t, "1767225600:alice", "pw") == 0 &&
	    turncli_request(&t, TURNCLI_ALLOCATE, NULL, 0, 0, &out) == 0) {
		/* Twice: a 401 or 438 leads to a second request. */
		memcpy(msg + 8, t.tid, STUN_TID_LEN);
		r = turncli_input(&t, msg, size, &out);
		if (r == TURNCLI_RESEND) {
			memcpy(msg + 8, t.tid, STUN_TID_LEN);
			(void)turncli_input(&t, msg, size, &out);
		}
	}
	turncli_clear(&t);
	dbuf_free(&out);
	return 0;
}
