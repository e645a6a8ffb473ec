/*
 * codec.h - the codecs pinhole's media streams imitate: their RTP
 * payload type and clock, the size of a packet at a packetization, and
 * the E-model factors (Ie, Bpl) of G.113 with where each comes from.
 */
#ifndef PINHOLE_CODEC_H
#define PINHOLE_CODEC_H

#include <stddef.h>
#include <stdint.h>

struct codec {
	const char *name;	/* "G.711", "G.729", "opus" */
	uint8_t pt;		/* RTP payload type (opus: dynamic 111) */
	uint32_t clock_hz;	/* RTP clock */
	uint32_t bitrate;	/* bits/s of payload; opus: the default */
	double ie, bpl;		/* G.113 factors (opus: see 'source') */
	const char *source;	/* where ie and bpl come from */
};

/*
 * Parses "G.711", "PCMU", "PCMA", "G.729", "opus" or "opus/BITRATE"
 * (6000-510000), case-insensitive, into 'out' (bitrate filled in).
 * Returns 0 or -EINVAL.
 */
int codec_parse(const char *s, struct codec *out);
/* Payload bytes of one packet of 'ptime_ms'. */
size_t codec_payload_bytes(const struct codec *c, unsigned ptime_ms);

#endif
