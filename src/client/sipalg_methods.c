/*
 * sipalg_methods.c - does something on the path drop SIP requests whose
 * method it does not know?  Some ALGs pass REGISTER and INVITE, which
 * every one knows, and drop the rest: keepalives (OPTIONS), presence and
 * voicemail lamps (SUBSCRIBE, NOTIFY), DTMF as SIP INFO, session refresh
 * (UPDATE), transfer (REFER), text (MESSAGE).  Each is sent outbound over
 * UDP with a nonce of its own; the server reports what arrived.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sipalg.h"

#define SIPALG_METHOD_TRIES 3

struct sipalg_wait {
	struct ctlcli *ctl;
	const struct sipalg_dir *d;
};

/* Whether every method sent was seen. */
static int
sipalg_methods_seen_h(void *arg)
{
	const struct sipalg_wait *w = arg;
	size_t i;

	for (i = 0; i < SIPALG_NEXTRA; i++)
		if (ctlcli_seen_find(w->ctl, w->d->extra[i].nonce) == NULL)
			return 0;
	return 1;
}

int
sipalg_methods_probe(struct check_ctx *ctx, struct sipalg_probe *pr, int fd,
    const char *lip, uint16_t lport, const char *sip)
{
	struct sipalg_dir *d = &pr->out;
	struct sipalg_wait w = { ctx->ctl, d };
	size_t i;
	int t, r;

	for (i = 0; i < SIPALG_NEXTRA; i++) {
		struct sipalg_msg *m = &d->extra[i];
		struct sip_probe p = {
			.method = m->method, .from_ip = lip, .from_port = lport,
			.to_ip = sip, .to_port = pr->port,
			.cseq = (uint32_t)(SIPALG_NMSG + i + 1),
		};

		if ((r = check_sip_build(&p, m->nonce, m->nonce_hex,
		    &m->sent)) < 0 || (r = ctlcli_watch(ctx->ctl, m->nonce)) < 0)
			return r;
	}
	/* The server must know the nonces before the probes can arrive. */
	if ((r = ctlcli_sync(ctx->ctl, ctx->opt->wait_ms)) < 0)
		return r;
	d->extra_tried = 1;
	for (t = 0; t < SIPALG_METHOD_TRIES; t++) {
		for (i = 0; i < SIPALG_NEXTRA; i++)
			if (ctlcli_seen_find(ctx->ctl, d->extra[i].nonce) == NULL)
				(void)send(fd, d->extra[i].sent.b,
				    d->extra[i].sent.len, MSG_NOSIGNAL);
		r = loop_wait(ctx->loop, sipalg_methods_seen_h, &w,
		    ctx->opt->wait_ms / SIPALG_METHOD_TRIES);
		if (r == 0)
			break;
		if (r != -ETIMEDOUT)
			return r;
	}
	for (i = 0; i < SIPALG_NEXTRA; i++)
		d->extra[i].delivered =
		    ctlcli_seen_find(ctx->ctl, d->extra[i].nonce) != NULL;
	return 0;
}

size_t
sipalg_extra_dropped(const struct sipalg_dir *d)
{
	size_t i, n = 0;

	for (i = 0; d->extra_tried && i < SIPALG_NEXTRA; i++)
		n += !d->extra[i].delivered;
	return n;
}
