/*
 * fuzz_errqueue.c - the ICMP error-queue parsing: arbitrary control data
 * as recvmsg(MSG_ERRQUEUE) could fill it, in a buffer aligned as the
 * kernel's.
 */
#include <stdlib.h>
#include <string.h>

#include "errqueue.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static long long cbuf[128];	/* aligned like a cmsg buffer */
	struct errqueue_icmp e;

	if (size > sizeof(cbuf))
		size = sizeof(cbuf);
	memcpy(cbuf, data, size);
	if (errqueue_decode((const uint8_t *)cbuf, size, &e) == 0 &&
	    e.have_offender && e.offender.family == 0)
		abort();
	(void)errqueue_is_hop(&e);
	(void)errqueue_is_refusal(&e);
	return 0;
}
