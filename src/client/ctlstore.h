/*
 * ctlstore.h - what a pinholed session has reported to the client and is
 * kept for the checks: SEEN reports for the nonces watched, the answer
 * to each request, MEDIA_STATS.  No I/O: the session (ctlcli.c) adds what
 * arrives, and the checks find it through ctlcli.h.
 *
 * What a server can make the client hold is bounded (docs/protocol.md,
 * section 7): past a bound an add returns -ENOBUFS and the session fails.
 */
#ifndef PINHOLE_CTLSTORE_H
#define PINHOLE_CTLSTORE_H

#include <stddef.h>
#include <stdint.h>

#include "ctl.h"
#include "ctlmsg.h"

#define CTLCLI_MAX_SEEN		65536	/* SEEN reports kept */
#define CTLCLI_MAX_SEEN_BYTES	(16u << 20)	/* their payload bytes */
#define CTLCLI_MAX_WATCH	4096	/* nonces watched in one session */
#define CTLCLI_MAX_MSTATS	4096	/* MEDIA_STATS kept */

struct ctlstore {
	/* SEEN reports for nonces we watch; payloads are our copies. */
	struct ctl_seen *seen;
	size_t nseen, seen_cap, seen_bytes;
	uint8_t (*watched)[CTL_NONCE_LEN];
	size_t nwatched, watched_cap;
	/* One answer per request we made, the first that came. */
	struct ctl_answer *results;
	size_t nresults, results_cap;
	/* MEDIA_STATS, one per MEDIA request, the first. */
	struct ctl_media_stats *mstats;
	size_t nmstats, mstats_cap;
	uint64_t dropped;		/* reports and answers nobody asked for */
};

/* Frees everything held and empties 'st'. */
void ctlstore_free(struct ctlstore *st);

/*
 * Keeps 'nonce' among those watched (once).  0, -ENOSPC past
 * CTLCLI_MAX_WATCH, or -ENOMEM.
 */
int ctlstore_watch(struct ctlstore *st, const uint8_t nonce[CTL_NONCE_LEN]);

/*
 * Keeps a copy of SEEN 's' when its nonce is watched, else counts it
 * dropped.  0, -ENOBUFS past the bounds, or -ENOMEM.
 */
int ctlstore_seen_add(struct ctlstore *st, const struct ctl_seen *s);
/*
 * Keeps the first answer to request 'a->req_id' of those made (below
 * 'next_req'); drops any other.  0 or -ENOMEM.
 */
int ctlstore_answer_add(struct ctlstore *st, const struct ctl_answer *a,
    uint32_t next_req);
/* The same for MEDIA_STATS; -ENOBUFS past CTLCLI_MAX_MSTATS. */
int ctlstore_mstats_add(struct ctlstore *st, const struct ctl_media_stats *m,
    uint32_t next_req);

/* The first SEEN report for 'nonce', or NULL. */
const struct ctl_seen *ctlstore_seen_find(const struct ctlstore *st,
    const uint8_t nonce[CTL_NONCE_LEN]);
/* The answer to request 'req_id', or NULL. */
const struct ctl_answer *ctlstore_result_find(const struct ctlstore *st,
    uint32_t req_id);
/* The MEDIA_STATS of request 'req_id', or NULL. */
const struct ctl_media_stats *ctlstore_mstats_find(const struct ctlstore *st,
    uint32_t req_id);

#endif
