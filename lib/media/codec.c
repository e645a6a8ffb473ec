/* codec.c - the codecs pinhole's media streams imitate. */
#include <errno.h>
#include <strings.h>

#include "codec.h"
#include "parse.h"

#define OPUS_MIN	6000	/* RFC 6716 2: 6 kbit/s to 510 kbit/s */
#define OPUS_MAX	510000
#define OPUS_WIDE	9000	/* libopus codes wideband or more from here */

static const struct codec codec_g711 = {
	"G.711", 0, 8000, 64000, 0, 25.1,
	"G.113 Appendix I: G.711 with packet loss concealment "
	"(G.711 Appendix I), Ie 0, Bpl 25.1 for random loss",
};

static const struct codec codec_g729 = {
	"G.729", 18, 8000, 8000, 11, 19,
	"G.113 Appendix I: G.729A with VAD, 2 frames of 10 ms per packet, "
	"Ie 11, Bpl 19",
};

/* No ITU-T values exist for Opus; see docs/decisions.md. */
static const struct codec codec_opus = {
	"opus", 111, 48000, 32000, 0, 20,
	"estimate, no ITU-T value: Ie 0 (from 9 kbit/s libopus codes "
	"wideband or more, which G.107's narrowband scale cannot rate "
	"below G.711), "
	"Bpl 20 (its concealment, without in-band FEC, taken between "
	"G.729A's 19 and G.711 with PLC's 25.1)",
};

static const char codec_opus_nb[] =
	"estimate, no ITU-T value: Ie 11 (below 9 kbit/s libopus codes "
	"narrowband, rated as G.729A at 8 kbit/s), Bpl 20 (its concealment, "
	"without in-band FEC, taken between G.729A's 19 and G.711 with "
	"PLC's 25.1)";

int
codec_parse(const char *s, struct codec *out)
{
	unsigned rate;

	if (s == NULL)
		return -EINVAL;
	if (strcasecmp(s, "G.711") == 0 || strcasecmp(s, "PCMU") == 0) {
		*out = codec_g711;
		return 0;
	}
	if (strcasecmp(s, "PCMA") == 0) {
		*out = codec_g711;
		out->pt = 8;
		return 0;
	}
	if (strcasecmp(s, "G.729") == 0) {
		*out = codec_g729;
		return 0;
	}
	if (strcasecmp(s, "opus") == 0) {
		*out = codec_opus;
		return 0;
	}
	if (strncasecmp(s, "opus/", 5) != 0 ||
	    parse_uint(s + 5, OPUS_MIN, OPUS_MAX, &rate) < 0)
		return -EINVAL;
	*out = codec_opus;
	out->bitrate = rate;
	if (rate < OPUS_WIDE) {
		out->ie = 11;
		out->source = codec_opus_nb;
	}
	return 0;
}

size_t
codec_payload_bytes(const struct codec *c, unsigned ptime_ms)
{
	return (size_t)((uint64_t)c->bitrate * ptime_ms / 8000);
}
