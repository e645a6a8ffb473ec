/* fuzz_stun.c - the STUN decoder on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "stun.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stun_msg m;

	if (stun_msg_decode(data, size, &m) != 0)
		return 0;
	if (!stun_is_stun(data, size))
		abort();	/* decode accepted what the demux refuses */
	if (m.present & STUN_HAS_INTEGRITY)
		(void)stun_msg_check_integrity(data, size, &m, "key", 3);
	return 0;
}
