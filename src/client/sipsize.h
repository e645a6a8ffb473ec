/*
 * sipsize.h - state of the SIP size probes, shared between the probing
 * (check_sipsize.c) and the verdict and evidence (sipsize_verdict.c).
 */
#ifndef PINHOLE_SIPSIZE_H
#define PINHOLE_SIPSIZE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "check.h"
#include "ctl.h"
#include "net.h"

#define SIPSIZE_ID	"sip.udp-size"
#define SIPSIZE_SECTION	"SIP size"
#define SIPSIZE_MTU	1500		/* the path MTU assumed (Ethernet) */
#define SIPSIZE_NSIZES	8		/* as it comes, then 7 sizes */

/* The sizes padded to, after the first message (as it comes). */
extern const size_t sipsize_sizes[SIPSIZE_NSIZES - 1];

enum sipsize_result {
	SIPSIZE_LOST = 0,
	SIPSIZE_INTACT,			/* byte for byte */
	SIPSIZE_REWRITTEN,		/* whole, but changed (an ALG) */
	SIPSIZE_CUT,			/* short of what was sent */
};

/* One size in one direction. */
struct sipsize_msg {
	size_t size;
	uint8_t nonce[CTL_NONCE_LEN];
	char nonce_hex[2 * CTL_NONCE_LEN + 1];
	struct dbuf sent;
	int sends;			/* times sent (or asked for) */
	int refused;			/* the server would not send it */
	enum sipsize_result result;
	size_t rlen;			/* received bytes, when it arrived */
};

struct sipsize_dir {
	int tried;
	struct sipsize_msg msg[SIPSIZE_NSIZES];
	size_t n;
	char note[224];			/* why something could not be tested */
};

struct sipsize_probe {
	uint16_t port;
	int fd;
	size_t overhead;		/* IP and UDP headers: 28, or 48 */
	struct sipsize_dir out, in;
	struct net_ip peer_ip;		/* our mapping, from a SEEN */
	uint16_t peer_port;
	int have_peer;
};

/*
 * Adds the sip.udp-size entry for what 'pr' found; 'profiles' (a JSON
 * array of the names of the profiles asking) is referenced, not taken.
 */
void sipsize_report(struct check_ctx *ctx, const struct sipsize_probe *pr,
    json_t *profiles);

#endif
