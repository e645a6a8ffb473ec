/*
 * fuzz_ws.c - WebSocket frames as pinholed reads a browser's: a stream of
 * frames decoded one after the other stays inside the input, every frame
 * decoded is whole, its unmasked payload masked again is the input, and a
 * close payload parses or is refused.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ws.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ws_frame f;
	size_t off = 0, i;
	uint16_t code;
	uint8_t *out;
	char acc[WS_ACCEPT_LEN + 1];

	(void)ws_accept_key(data, size < WS_KEY_LEN ? size : WS_KEY_LEN, acc);
	while (off < size && ws_frame_decode(data + off, size - off, 65536,
	    &f) == 0) {
		if (f.frame_len > size - off || f.head_len + f.payload_len !=
		    f.frame_len || f.payload != data + off + f.head_len ||
		    f.payload_len > 65536 || !f.masked)
			abort();
		if (f.opcode >= WS_CLOSE && (f.payload_len > WS_CONTROL_MAX ||
		    !f.fin))
			abort();
		if ((out = malloc(f.payload_len + 1)) == NULL)
			return 0;
		ws_frame_unmask(&f, out);
		for (i = 0; i < f.payload_len; i++)
			if ((uint8_t)(out[i] ^ f.mask[i & 3]) != f.payload[i])
				abort();
		if (f.opcode == WS_CLOSE)
			(void)ws_close_parse(out, (size_t)f.payload_len, &code);
		(void)ws_utf8_valid(out, (size_t)f.payload_len);
		free(out);
		off += f.frame_len;
	}
	return 0;
}
