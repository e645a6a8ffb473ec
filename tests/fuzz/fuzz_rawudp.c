/* fuzz_rawudp.c - the raw sweep receiver's IPv4/UDP parsing. */
#include <stdlib.h>

#include "rawudp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rawudp d;

	if (rawudp_decode(data, size, &d) == 0) {
		if (d.payload < data || d.len > size ||
		    d.payload + d.len > data + size)
			abort();
		if (d.len > 0 && (d.payload[0] == 0xff ||
		    d.payload[d.len - 1] == 0xff))
			d.tos = 0;	/* touch both ends for ASan */
	}
	return 0;
}
