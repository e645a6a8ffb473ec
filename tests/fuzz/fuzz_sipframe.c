/*
 * fuzz_sipframe.c - SIP over TCP reassembly (sip_frame_len) on a stream
 * that arrives cut into pieces.
 *
 * The first 4 input bytes seed the cuts, the rest is the stream.  The
 * stream is fed to a reassembler shaped like pinholed's SIP/TCP reader:
 * append a piece, take whole messages off the front while there are any,
 * stop at the first error.  Checked at every step: a message length is
 * never 0, never more than the bytes given, never past SIP_MAX_MSG; a
 * buffer that holds a message gives the same length with every byte that
 * follows appended; an error stays an error when bytes are appended; and
 * the messages taken off are the same, wherever the cuts fall, as those
 * found in the whole stream at once.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FRAMES	256

static int
frame(const uint8_t *p, size_t n, size_t *len)
{
	int r = sip_frame_len(p, n, len);

	if (r == 0 && (*len == 0 || *len > n || *len > SIP_MAX_MSG))
		abort();
	if (r != 0 && r != -EAGAIN && r != -EMSGSIZE && r != -EBADMSG)
		abort();
	return r;
}

/* Messages of the whole stream 's' at once; the result that ended it. */
static int
frames_whole(const uint8_t *s, size_t n, size_t *lens, size_t *nf)
{
	size_t off = 0, len;
	int r;

	for (*nf = 0; *nf < MAX_FRAMES; off += len) {
		if ((r = frame(s + off, n - off, &len)) < 0)
			return r;
		lens[(*nf)++] = len;
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t want[MAX_FRAMES], nwant, got = 0, start = 0, have = 0, len, len2;
	const uint8_t *s;
	uint32_t seed;
	size_t n;
	int r = -EAGAIN, rw, err = 0;

	if (size < 4)
		return 0;
	memcpy(&seed, data, 4);
	s = data + 4;
	n = size - 4;
	rw = frames_whole(s, n, want, &nwant);
	if (nwant == MAX_FRAMES)
		return 0;
	/* 'start' is the front of the reassembly buffer, 'have' its end. */
	while (have < n) {
		seed = seed * 1103515245u + 12345u;
		have += (seed >> 16) % 32 == 0 ? (seed >> 8) % 4096 + 1 :
		    (seed >> 16) % 64 + 1;
		if (have > n)
			have = n;
		while ((r = frame(s + start, have - start, &len)) == 0) {
			if (err != 0 || got == nwant || len != want[got])
				abort();
			/* More bytes never change a message found. */
			if (frame(s + start, n - start, &len2) != 0 ||
			    len2 != len)
				abort();
			start += len;
			got++;
		}
		/* An error is final, and stays the same error. */
		if ((err != 0 && r != err) || (r != -EAGAIN && got != nwant))
			abort();
		if (r != -EAGAIN)
			err = r;
	}
	/* The same messages as in the whole stream at once, the same end. */
	if (got != nwant || (n > 0 && r != rw))
		abort();
	/* Cuts that random pieces rarely hit: around the size limit. */
	for (have = SIP_MAX_MSG - 1; have <= SIP_MAX_MSG + 1; have++)
		if (start + have < n &&
		    (r = frame(s + start, have, &len)) != -EAGAIN && r != rw)
			abort();
	return 0;
}
