/* fuzz_pcp.c - a PCP response header from arbitrary bytes. */
#include <stdlib.h>

#include "pcp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pcp_response r;

	if (pcp_response_decode(data, size, &r) == 0 && (r.opcode & 0x80))
		abort();
	return 0;
}
