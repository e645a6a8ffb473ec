/*
 * fuzz_answer.c - the reach answer parsers (SIP status line, HTTP echo,
 * BOSH body, XMPP features) on arbitrary answers.  The first byte picks
 * the kind and whether the peer closed; the request is fixed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t req[] = "GET /pinhole/0123456789abcdef HTTP/1.1"
	    "\r\nHost: x\r\n\r\n";
	struct answer a;
	size_t i, n;
	int r;

	if (size < 1)
		return 0;
	r = answer_judge((enum answer_kind)(data[0] & 3), data + 1, size - 1,
	    req, sizeof(req) - 1, (data[0] >> 2) & 1, &a);
	if (r == 0) {
		n = strlen(a.detail);
		if (n >= sizeof(a.detail) || a.verdict < ANSWER_OPEN ||
		    a.verdict > ANSWER_NONE)
			abort();
		for (i = 0; i < n; i++)
			if (a.detail[i] < 0x20 || a.detail[i] > 0x7e)
				abort();
	} else if (r != -EAGAIN) {
		abort();
	}
	/* Whatever was pending must be decided once the peer closed. */
	if (answer_judge((enum answer_kind)(data[0] & 3), data + 1, size - 1,
	    req, sizeof(req) - 1, 1, &a) != 0)
		abort();
	return 0;
}
