/*
 * turncli.h - the client side of a TURN allocation (RFC 8656) as a pure
 * state machine: it builds each request into a buffer and reads each
 * answer handed to it; the caller owns the socket, the clock and the
 * retransmissions.  One transaction is in flight at a time.
 *
 * Authentication follows RFC 8489 9.2: the first request goes without
 * credentials; a 401 with REALM and NONCE gives the key and the request
 * goes again with USERNAME, REALM, NONCE and MESSAGE-INTEGRITY; a 438
 * (stale nonce) takes the new nonce and goes again, twice at most; a 401
 * to a request that carried credentials means they were refused.  Every
 * success answer to a request with credentials must carry a MESSAGE-
 * INTEGRITY made with the same key: one that does not was not written by
 * a server that knows the credentials (an interceptor, or the wrong
 * server), and is an error, never a success.
 */
#ifndef PINHOLE_TURNCLI_H
#define PINHOLE_TURNCLI_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "buf.h"
#include "turn.h"

#define TURNCLI_USER_MAX	256
#define TURNCLI_PASS_MAX	256
#define TURNCLI_REALM_MAX	764	/* RFC 8489 14.9: < 763 bytes */
#define TURNCLI_NONCE_MAX	764	/* RFC 8489 14.10 */
#define TURNCLI_STALE_MAX	2	/* 438s answered in one transaction */
#define TURNCLI_SOFTWARE	"pinhole"

/* The operations, each one transaction. */
enum turncli_op {
	TURNCLI_ALLOCATE = 1,
	TURNCLI_REFRESH,
	TURNCLI_PERMISSION,
	TURNCLI_CHANNEL,
};

/* What turncli_input() made of a datagram or frame. */
enum turncli_res {
	TURNCLI_NOT_MINE = 0,	/* not an answer to the transaction */
	TURNCLI_RESEND,		/* 401 or 438 taken: send 'out' now */
	TURNCLI_OK,		/* the operation succeeded */
	TURNCLI_FAILED,		/* it failed: see turncli.fail and .error */
};

/* Why an operation failed, beyond the error code. */
enum turncli_fail {
	TURNCLI_F_NONE = 0,
	TURNCLI_F_ERROR,	/* an error answer: .error, .reason */
	TURNCLI_F_CRED,		/* 401 to our credentials */
	TURNCLI_F_NO_CHALLENGE,	/* 401 without REALM or NONCE */
	TURNCLI_F_STALE,	/* 438 more than TURNCLI_STALE_MAX times */
	TURNCLI_F_INTEGRITY,	/* a success without our MESSAGE-INTEGRITY */
	TURNCLI_F_ALG,		/* no password algorithm we know offered */
	TURNCLI_F_MALFORMED,	/* a success that lacks what it must carry */
};

struct turncli {
	char user[TURNCLI_USER_MAX];
	char pass[TURNCLI_PASS_MAX];
	char realm[TURNCLI_REALM_MAX];
	size_t realm_len;
	char nonce[TURNCLI_NONCE_MAX];
	size_t nonce_len;
	uint16_t algs[TURN_MAX_ALGS];	/* PASSWORD-ALGORITHMS, echoed */
	size_t nalgs;
	uint16_t alg;			/* the one chosen, 0: none offered */
	uint8_t key[TURN_KEY_MAX];
	int keylen;			/* 0 until a 401 gave a realm */

	/* The transaction in flight. */
	enum turncli_op op;
	uint8_t tid[STUN_TID_LEN];
	int with_cred;			/* it carries credentials */
	int stale;			/* 438s answered in it */
	struct sockaddr_storage op_peer;
	uint16_t op_chan;
	uint32_t op_lifetime;
	/* The family of the relayed address ALLOCATE asks for: AF_INET6
	 * sends REQUESTED-ADDRESS-FAMILY IPv6 (RFC 8656 18.8), anything else
	 * leaves the server's default, IPv4.  Set it before ALLOCATE. */
	int relay_af;

	/* What the server said. */
	struct sockaddr_storage relayed;	/* after ALLOCATE */
	struct sockaddr_storage mapped;		/* our address as it saw it */
	int has_mapped;
	uint32_t lifetime;			/* seconds, after ALLOCATE/REFRESH */
	enum turncli_fail fail;
	uint16_t error;				/* the error code, 0 if none */
	char reason[128];			/* its reason phrase, printable */
	int auth_rounds;			/* 401s and 438s answered, all */
};

/*
 * Starts with the credentials 'user' and 'pass'; -ENAMETOOLONG when one
 * does not fit.  They stay in the struct: never log or report it whole.
 */
int turncli_init(struct turncli *t, const char *user, const char *pass);
/* Forgets the credentials (the bytes are cleared). */
void turncli_clear(struct turncli *t);

/*
 * Builds the request of 'op' into 'out' (reset first) with a new
 * transaction id: ALLOCATE asks for a UDP relay (and 'lifetime' seconds
 * when non-zero), REFRESH for 'lifetime' (0 ends the allocation),
 * PERMISSION for 'peer''s address, CHANNEL binds 'chan' to 'peer'.
 */
int turncli_request(struct turncli *t, enum turncli_op op,
    const struct sockaddr *peer, uint16_t chan, uint32_t lifetime,
    struct dbuf *out);

/*
 * Reads one STUN message that arrived from the server.  Returns a
 * turncli_res, or -EBADMSG for bytes that are not a STUN message (the
 * caller counts them and goes on).  On TURNCLI_RESEND 'out' holds the
 * request to send in place of the last one.
 */
int turncli_input(struct turncli *t, const uint8_t *buf, size_t len,
    struct dbuf *out);

/* A short name of the operation, for evidence ("allocate", ...). */
const char *turncli_op_name(enum turncli_op op);
/* A short name of the failure ("credentials refused", ...). */
const char *turncli_fail_name(enum turncli_fail f);

#endif
