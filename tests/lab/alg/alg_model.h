/*
 * alg_model.h - the SIP rewriting of pinhole-alg, free of queues and
 * sockets: one UDP payload in, the payload a vendor's SIP ALG would let
 * through out.  Each behaviour is a row of a table (alg_model.c): which
 * elements it translates each way, whether it corrects Content-Length,
 * and where it cuts a message.
 */
#ifndef PINHOLE_ALG_MODEL_H
#define PINHOLE_ALG_MODEL_H

#include <stddef.h>
#include <stdint.h>

/* Elements a behaviour translates (the address inside them). */
#define ALG_E_RURI	0x001	/* a request's Request-URI */
#define ALG_E_VIA	0x002
#define ALG_E_CONTACT	0x004
#define ALG_E_FROM	0x008
#define ALG_E_TO	0x010
#define ALG_E_CALLID	0x020
#define ALG_E_RROUTE	0x040	/* Record-Route */
#define ALG_E_SDP_C	0x080	/* every c= line */
#define ALG_E_SDP_O	0x100	/* the o= line */
#define ALG_E_SDP_M	0x200	/* an m= line's port */

struct alg_behavior {
	const char *name;
	unsigned out, in;	/* ALG_E_* translated outbound, inbound */
	int fix_length;		/* Content-Length set to the new body */
	size_t cut;		/* messages cut to this many bytes; 0 never */
	int drop_unknown;	/* requests of methods beyond RFC 3261's six
				   dropped, both ways */
	unsigned media_shift;	/* outbound, every m= port moved by this
				   much (as an ALG that maps media to ports
				   of its own); 0 never */
};

/* The behaviour called 'name', or NULL. */
const struct alg_behavior *alg_behavior_find(const char *name);
/* The table, for usage lines: entries until one with a NULL name. */
extern const struct alg_behavior alg_behaviors[];

/*
 * Rewrites one UDP payload 'in' of 'n' bytes as behaviour 'b' would:
 * outbound (LAN to internet) it writes 'pub' for 'priv' in the elements
 * of b->out, inbound 'priv' for 'pub' in those of b->in.  An address
 * matches only whole (not "192.168.1.100" for "192.168.1.10").  The
 * result goes to 'out' (at most 'cap' bytes), its length to *outlen,
 * and a bit per element changed to *changed (ALG_E_*; 0 when nothing
 * changed).  *cut is set when the message was cut short.  Returns 0, or
 * -EBADMSG when 'in' is not a SIP message (the caller passes it
 * unchanged), -EMSGSIZE when the result would exceed 'cap'.
 */
int alg_rewrite(const struct alg_behavior *b, int outbound, const char *priv,
    const char *pub, const uint8_t *in, size_t n, uint8_t *out, size_t cap,
    size_t *outlen, unsigned *changed, int *cut);

/*
 * Whether behaviour 'b' drops the UDP payload 'in' of 'n' bytes: a request
 * whose method is none of RFC 3261's (INVITE, ACK, BYE, CANCEL, REGISTER,
 * OPTIONS), when the behaviour drops what it does not know.
 */
int alg_drops(const struct alg_behavior *b, const uint8_t *in, size_t n);

#endif
