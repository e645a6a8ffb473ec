/*
 * stunans.h - the answer to a STUN Binding request, as RFC 5389 and
 * RFC 5780 want it and as the amplification rule allows it.  A pure
 * function: the server decides where the answer leaves from and goes to,
 * and passes the addresses in.
 */
#ifndef PINHOLE_STUNANS_H
#define PINHOLE_STUNANS_H

#include <stddef.h>
#include <sys/socket.h>

#include "buf.h"
#include "stun.h"

/* What the server knows of a request it is answering. */
struct stun_answer {
	const struct sockaddr *peer;	/* the request's source: XOR-MAPPED */
	const struct sockaddr *origin;	/* where the answer leaves, or NULL */
	const struct sockaddr *other;	/* OTHER-ADDRESS, or NULL */
	int change_refused;		/* CHANGE-REQUEST cannot be honoured */
	const char *software;		/* SOFTWARE, or NULL */
	/*
	 * Asked at most once, when even the fullest answer would be larger
	 * than the request: returns 1 to allow it (the server charges the
	 * session), 0 to keep to the request's size.  NULL: never allowed.
	 */
	int (*may_grow)(void *arg);
	void *arg;
};

enum { STUN_ANSWER_SUCCESS = 0, STUN_ANSWER_ERROR = 1 };

/*
 * Builds into 'out' (emptied first) the answer to the Binding request
 * 'req', which was 'in_len' bytes on the wire:
 *   - 420 with UNKNOWN-ATTRIBUTES for comprehension-required attributes we
 *     do not know, or for a CHANGE-REQUEST the server cannot honour;
 *   - 400 for PADDING together with RESPONSE-PORT (RFC 5780 6.1), or a
 *     RESPONSE-PORT of 0;
 *   - else a success with XOR-MAPPED-ADDRESS, then OTHER-ADDRESS and
 *     RESPONSE-ORIGIN, SOFTWARE and FINGERPRINT (when the request had
 *     one), dropped in reverse order until the answer is no larger than
 *     the request, unless may_grow() allows more; PADDING asked for makes
 *     the answer as long as the request, never longer, at most
 *     STUN_MAX_MSG.
 * Returns STUN_ANSWER_SUCCESS or STUN_ANSWER_ERROR (an error answer goes
 * back to the request's source, from where it arrived, whatever the
 * request asked); -EMSGSIZE when no answer may be sent; -errno otherwise.
 * Without may_grow() allowing it, out->len never exceeds in_len.
 */
int stun_answer_build(const struct stun_msg *req, size_t in_len,
    const struct stun_answer *a, struct dbuf *out);

/*
 * ICE (RFC 8445 7.3, as an ICE-lite agent answers): checks the Binding
 * request 'req' ('buf', 'in_len' bytes) whose USERNAME must be
 * "<ufrag>:<anything>", with MESSAGE-INTEGRITY under 'pwd' (our ice-pwd,
 * the short-term key) and a correct FINGERPRINT, and builds into 'out'
 * the success answer: XOR-MAPPED-ADDRESS of 'peer', MESSAGE-INTEGRITY,
 * FINGERPRINT.  Returns 0 with the answer built (never larger than the
 * request), -EPERM when the USERNAME is not ours, -EACCES when the
 * integrity or fingerprint is wrong or missing, -EMSGSIZE when the answer
 * would be larger than the request, -errno otherwise.  Nothing is to be
 * sent on error.
 */
int stun_ice_answer_build(const uint8_t *buf, size_t in_len,
    const struct stun_msg *req, const char *ufrag, const char *pwd,
    const struct sockaddr *peer, struct dbuf *out);

#endif
