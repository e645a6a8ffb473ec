/*
 * sipalg.h - state of the SIP ALG probes, shared between the probing
 * (check_sipalg.c) and the verdicts and evidence (sipalg_verdict.c).
 */
#ifndef PINHOLE_SIPALG_H
#define PINHOLE_SIPALG_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "check.h"
#include "ctl.h"
#include "net.h"
#include "sip.h"

#define SIPALG_NMSG 2		/* REGISTER, INVITE */
/* The methods beyond REGISTER and INVITE, OPTIONS to MESSAGE, sent
 * outbound over UDP to learn whether something drops what it does not
 * know (sipalg_methods.c). */
#define SIPALG_NEXTRA (SIP_NMETHODS - SIP_OPTIONS)

/* One message in one direction. */
struct sipalg_msg {
	enum sip_method method;
	uint8_t nonce[CTL_NONCE_LEN];
	char nonce_hex[2 * CTL_NONCE_LEN + 1];
	struct dbuf sent;
	uint8_t *recv;			/* NULL when not delivered */
	size_t rlen;
	int delivered;
	int truncated;			/* the receiver saw it cut short */
	struct sip_diff diff;
};

struct sipalg_dir {
	int tried;
	struct sipalg_msg msg[SIPALG_NMSG];
	int extra_tried;		/* the other methods were sent */
	struct sipalg_msg extra[SIPALG_NEXTRA];
	/* The INVITE's media port, moved by the ALG: whether what the far
	 * end sends to the new one reaches ours (sipalg_media.c). */
	int media_tried;
	unsigned media_sent, media_seen;
	int media_forwarded;
	char media_note[96];
	char note[192];			/* why something could not be tested */
};

/* One transport and port. */
struct sipalg_probe {
	int transport;			/* CTL_UDP or CTL_TCP */
	uint16_t port;
	int listening;			/* the server has a listener there */
	int have_peer;			/* our mapping, as the server saw it */
	struct net_ip peer_ip;
	uint16_t peer_port;
	struct sipalg_dir out, in;
	double seconds;			/* how long the probes took */
};

/* Summary of one direction. */
struct sipalg_dir_sum {
	int all_delivered;
	int any_delivered;
	int truncated;
	size_t rewritten;
};

void sipalg_dir_summarize(const struct sipalg_dir *d, struct sipalg_dir_sum *s);

/*
 * Adds the report entries for all probes: verdicts compare ports of one
 * transport with each other (a drop on 5060 that 5062 does not see is an
 * ALG's doing, a drop everywhere is a closed port).
 */
int sipalg_report(struct check_ctx *ctx, struct sipalg_probe *pr, size_t n);

/*
 * Sends OPTIONS, SUBSCRIBE, NOTIFY, INFO, UPDATE, REFER and MESSAGE from
 * our UDP socket 'fd' (local address 'lip', port 'lport') to the server's
 * SIP port, all at once and again twice for those not yet seen, and
 * marks in pr->out.extra which arrived.  0 or -errno.
 */
int sipalg_methods_probe(struct check_ctx *ctx, struct sipalg_probe *pr,
    int fd, const char *lip, uint16_t lport, const char *sip);
/*
 * When the outbound INVITE arrived with its SDP's media port changed:
 * the server sends a datagram to our public address at the new port,
 * and we listen on the port we wrote ('lip', 'rtp_port'), to learn
 * whether the ALG forwards it.  0 or -errno; the result in pr->out.
 */
int sipalg_media_probe(struct check_ctx *ctx, struct sipalg_probe *pr,
    const char *lip, uint16_t rtp_port);

/* How many of the other methods were sent and not delivered. */
size_t sipalg_extra_dropped(const struct sipalg_dir *d);

void sipalg_probe_free(struct sipalg_probe *pr);

#endif
