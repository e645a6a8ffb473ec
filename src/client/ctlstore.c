/* ctlstore.c - what a session reported, kept for the checks (ctlstore.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ctlstore.h"
#include "log.h"

#define CTLSTORE_DEBUG_SEEN	32	/* -v: SEEN reports logged */

/* Makes room for one more element of 'size' bytes in *arr (doubling,
 * from 16: buf_array_grow). */
static int
ctlstore_grow(void **arr, size_t n, size_t *cap, size_t size)
{
	void *na;

	if ((na = buf_array_grow(*arr, n, cap, size, 16)) == NULL)
		return -ENOMEM;
	*arr = na;
	return 0;
}

static int
ctlstore_watched(const struct ctlstore *st, const uint8_t nonce[CTL_NONCE_LEN])
{
	size_t i;

	for (i = 0; i < st->nwatched; i++)
		if (memcmp(st->watched[i], nonce, CTL_NONCE_LEN) == 0)
			return 1;
	return 0;
}

int
ctlstore_watch(struct ctlstore *st, const uint8_t nonce[CTL_NONCE_LEN])
{
	if (ctlstore_watched(st, nonce))
		return 0;
	if (st->nwatched == CTLCLI_MAX_WATCH)
		return -ENOSPC;
	if (ctlstore_grow((void **)&st->watched, st->nwatched,
	    &st->watched_cap, sizeof(*st->watched)) < 0)
		return -ENOMEM;
	memcpy(st->watched[st->nwatched++], nonce, CTL_NONCE_LEN);
	return 0;
}

int
ctlstore_seen_add(struct ctlstore *st, const struct ctl_seen *s)
{
	struct ctl_seen k = *s;
	uint8_t *copy;

	if (!ctlstore_watched(st, s->nonce)) {
		st->dropped++;
		return 0;
	}
	if (st->nseen == CTLCLI_MAX_SEEN ||
	    s->len > CTLCLI_MAX_SEEN_BYTES - st->seen_bytes)
		return -ENOBUFS;
	if (ctlstore_grow((void **)&st->seen, st->nseen, &st->seen_cap,
	    sizeof(*st->seen)) < 0)
		return -ENOMEM;
	if ((copy = malloc(s->len ? s->len : 1)) == NULL)
		return -ENOMEM;
	/* A sweep is seen port by port: its first reports only. */
	if (st->nseen < CTLSTORE_DEBUG_SEEN)
		log_debug("ctl: the server received %zu bytes over %s on its "
		    "port %u from port %u", s->len, s->transport == CTL_TCP ?
		    "TCP" : "UDP", s->local_port, s->peer_port);
	else if (st->nseen == CTLSTORE_DEBUG_SEEN)
		log_debug("ctl: further reports of what the server received "
		    "are not logged");
	memcpy(copy, s->payload, s->len);
	k.payload = copy;
	st->seen[st->nseen++] = k;
	st->seen_bytes += s->len;
	return 0;
}

int
ctlstore_answer_add(struct ctlstore *st, const struct ctl_answer *a,
    uint32_t next_req)
{
	if (a->req_id == 0 || a->req_id >= next_req ||
	    ctlstore_result_find(st, a->req_id) != NULL) {
		st->dropped++;
		return 0;
	}
	if (ctlstore_grow((void **)&st->results, st->nresults,
	    &st->results_cap, sizeof(*st->results)) < 0)
		return -ENOMEM;
	st->results[st->nresults++] = *a;
	log_debug("ctl: #%u: %s%s", a->req_id, a->code ? "refused: " : "done",
	    a->code ? a->reason : "");
	return 0;
}

int
ctlstore_mstats_add(struct ctlstore *st, const struct ctl_media_stats *m,
    uint32_t next_req)
{
	if (m->req_id >= next_req ||
	    ctlstore_mstats_find(st, m->req_id) != NULL) {
		st->dropped++;
		return 0;
	}
	if (st->nmstats >= CTLCLI_MAX_MSTATS)
		return -ENOBUFS;
	if (ctlstore_grow((void **)&st->mstats, st->nmstats, &st->mstats_cap,
	    sizeof(*st->mstats)) < 0)
		return -ENOMEM;
	st->mstats[st->nmstats++] = *m;
	return 0;
}

const struct ctl_seen *
ctlstore_seen_find(const struct ctlstore *st,
    const uint8_t nonce[CTL_NONCE_LEN])
{
	size_t i;

	for (i = 0; i < st->nseen; i++)
		if (memcmp(st->seen[i].nonce, nonce, CTL_NONCE_LEN) == 0)
			return &st->seen[i];
	return NULL;
}

const struct ctl_answer *
ctlstore_result_find(const struct ctlstore *st, uint32_t req_id)
{
	size_t i;

	for (i = 0; i < st->nresults; i++)
		if (st->results[i].req_id == req_id)
			return &st->results[i];
	return NULL;
}

const struct ctl_media_stats *
ctlstore_mstats_find(const struct ctlstore *st, uint32_t req_id)
{
	size_t i;

	for (i = 0; i < st->nmstats; i++)
		if (st->mstats[i].req_id == req_id)
			return &st->mstats[i];
	return NULL;
}

void
ctlstore_free(struct ctlstore *st)
{
	size_t i;

	for (i = 0; i < st->nseen; i++)
		free((void *)st->seen[i].payload);
	free(st->seen);
	free(st->results);
	free(st->mstats);
	free(st->watched);
	memset(st, 0, sizeof(*st));
}
