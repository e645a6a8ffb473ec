/*
 * fuzz_sip.c - the SIP diff, stream framing and the OPTIONS answer on
 * arbitrary input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dbuf sent;
	static int ready;
	struct sip_diff d;
	struct dbuf ans;
	size_t len;

	if (!ready) {
		struct sip_probe p = {
			.method = SIP_INVITE, .from_ip = "192.168.1.10",
			.from_port = 5060, .to_ip = "203.0.113.10",
			.to_port = 5060, .user = "pinhole",
			.nonce = "0123456789abcdef", .rtp_port = 49170, .cseq = 1,
		};

		sip_global_init();
		dbuf_init(&sent, SIP_MAX_MSG);
		if (sip_probe_build(&p, &sent) < 0)
			abort();
		ready = 1;
	}
	if (sip_frame_len(data, size, &len) == 0 && (len > size || len == 0))
		abort();
	/* The answer copies header lines: never more than request + 128. */
	dbuf_init(&ans, SIP_MAX_MSG);
	if (sip_options_answer(data, size, &ans) == 0 && ans.len > size + 128)
		abort();
	dbuf_free(&ans);
	if (sip_diff(sent.b, sent.len, data, size, &d) == 0) {
		if (size == sent.len && memcmp(data, sent.b, size) == 0 &&
		    d.nchanges != 0)
			abort();
		sip_diff_free(&d);
	}
	return 0;
}
