/*
 * alg_impact.h - what a SIP ALG's changes do to calls.
 *
 * From the evidence of one sip-alg check (what each direction delivered,
 * cut, and rewrote, element by element) and from what the profile says
 * of the far end's media (symmetric RTP or not), every kind of change is
 * named and the outcome for calls follows from all of them together: the
 * calls work, they depend on something the profile does not say, they
 * break (and how), or pinhole cannot tell.  Pure functions over JSON.
 */
#ifndef PINHOLE_ALG_IMPACT_H
#define PINHOLE_ALG_IMPACT_H

#include <stddef.h>

#include <jansson.h>

/* Kinds of change. */
#define ALG_K_ADDRESS	0x001	/* addresses translated, all to one */
#define ALG_K_SPLIT	0x002	/* ... to two different addresses */
#define ALG_K_SDP_KEPT	0x004	/* signalling translated, the SDP's media
				   address left as sent */
#define ALG_K_ORIGIN	0x008	/* c= translated, o= left: harmless */
#define ALG_K_CALLID	0x010	/* the Call-ID changed */
#define ALG_K_LENGTH	0x020	/* Content-Length no longer the body's */
#define ALG_K_CUT	0x040	/* a message cut short */
#define ALG_K_DROPPED	0x080	/* a message not delivered */
#define ALG_K_OTHER	0x100	/* another change, not judged */
#define ALG_K_METHODS	0x200	/* requests of some methods dropped while
				   REGISTER and INVITE pass */
#define ALG_K_PORT	0x400	/* the SDP's media port rewritten, and
				   forwarded to the phone (or not) */

/* What breaks. */
#define ALG_B_ONE_WAY	0x1	/* one-way audio: the phones hear nothing */
#define ALG_B_NO_MEDIA	0x2	/* no media negotiated: calls not set up */
#define ALG_B_MISSED	0x4	/* incoming calls missed */
/* What fails when methods are dropped (the calls themselves set up). */
#define ALG_B_KEEPALIVE	0x8	/* OPTIONS: keepalives, reachability checks */
#define ALG_B_EVENTS	0x10	/* SUBSCRIBE, NOTIFY: busy lamps, voicemail */
#define ALG_B_INFO	0x20	/* INFO: DTMF sent as SIP INFO */
#define ALG_B_REFRESH	0x40	/* UPDATE: session refresh */
#define ALG_B_TRANSFER	0x80	/* REFER: call transfer */
#define ALG_B_MESSAGES	0x100	/* MESSAGE: text messages */
#define ALG_B_CALLS	(ALG_B_ONE_WAY | ALG_B_NO_MEDIA | ALG_B_MISSED)

enum alg_outcome {
	ALG_CALLS_WORK,
	ALG_CALLS_DEPEND,	/* on what the profile does not settle: the far
				   end's media, or receivers that let a
				   wrong Content-Length pass */
	ALG_CALLS_BREAK,
	ALG_CALLS_UNKNOWN,	/* a change pinhole does not judge */
	ALG_CALLS_FEATURES,	/* calls set up, but features fail: the
				   methods they need are dropped */
};

struct alg_impact {
	unsigned kinds, breaks;
	enum alg_outcome outcome;
	int symmetric_rtp;		/* the profile's: 1, 0, -1 not said */
	char to[48];			/* the address it translated to,
					   outbound (else inbound) */
	char other[100];		/* "A and B" (SPLIT) */
	char kept[48];			/* the SDP address left (SDP_KEPT) */
	char length[160];		/* where Content-Length went wrong */
	char cut[160];			/* which messages were cut, dropped */
	char unjudged[48];		/* the first element of ALG_K_OTHER */
	char methods[96];		/* the methods dropped (ALG_K_METHODS) */
	unsigned port_sent, port_seen;	/* the media port, as sent, as the
					   far end reads it (ALG_K_PORT) */
	int port_forwarded;		/* 1 it reaches the phone, 0 not, -1
					   not known */
};

/*
 * Judges the evidence object of one sip-alg check, with its
 * "symmetric_rtp" (true, false, or absent/null: not said).  Fills *im;
 * never fails (what the evidence lacks is not judged).
 */
void alg_impact_judge(const json_t *evidence, struct alg_impact *im);

/*
 * The sentence on calls appended to the check's summary: what it did,
 * and whether calls work, on what that depends, or what breaks.
 * Writes at most 'len' bytes; returns 'buf'.
 */
const char *alg_impact_text(const struct alg_impact *im, char *buf,
    size_t len);

/*
 * The evidence object "calls": {outcome, breaks[], changes[],
 * symmetric_rtp}, documented in docs/report.md; NULL without memory.
 */
json_t *alg_impact_json(const struct alg_impact *im);

#endif
