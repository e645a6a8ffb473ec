/*
 * answer.h - what came back to an outbound reachability probe, judged
 * from the bytes alone: a SIP status line, an HTTP echo of our request, a
 * BOSH session body, XMPP stream features.
 *
 * A pure function over the answer buffer, so that anything a middlebox or
 * a fake server sends can be fuzzed; the check keeps the sockets.
 */
#ifndef PINHOLE_ANSWER_H
#define PINHOLE_ANSWER_H

#include <stddef.h>
#include <stdint.h>

enum answer_kind {
	ANSWER_SIP,		/* to an OPTIONS */
	ANSWER_HTTP,		/* to a GET that pinholed echoes */
	ANSWER_BOSH,		/* to a BOSH session request */
	ANSWER_XMPP,		/* to a stream open */
};

enum answer_verdict {
	ANSWER_OPEN = 1,	/* the service answered as it should */
	ANSWER_ODD,		/* something answered, not as it should */
	ANSWER_NONE,		/* closed without an answer */
};

struct answer {
	enum answer_verdict verdict;
	char detail[128];	/* for people; only printable ASCII */
};

/*
 * Judges the 'len' bytes of 'resp' answering a probe of 'kind' whose
 * request was 'req' ('reqlen' bytes; the HTTP echo is compared with it).
 * 'eof' says that no more will come (the peer closed, the buffer is full,
 * or a datagram is the whole answer).  Returns 0 with *out filled once
 * there is enough to judge, -EAGAIN when more bytes are needed, -EINVAL
 * for an unknown kind.
 */
int answer_judge(enum answer_kind kind, const uint8_t *resp, size_t len,
    const uint8_t *req, size_t reqlen, int eof, struct answer *out);

#endif
