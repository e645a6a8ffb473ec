/*
 * check_reach.c - reach.<proto>.out.<ports>: every outbound endpoint of a
 * profile, on every port, speaking the protocol the service really speaks,
 * so that an application-aware firewall treats the probe as it treats the
 * service: SIP OPTIONS (UDP and TCP), a STUN Binding, an HTTP GET (whose
 * echo shows what a transparent proxy changed), a BOSH session request, an
 * XMPP stream open, a TLS handshake (whose certificate is compared with
 * the one the server announced), or a bare connect.
 *
 * Toward the pinholed (endpoints without a host), only ports where the
 * server has a responder are probed; the others are listed as not
 * testable.  Endpoints with a host are resolved (A and AAAA) and every
 * address is probed.  All probes run at once, each with the same deadline;
 * UDP probes are retransmitted.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include "reach.h"

static int
rp_run_check(struct check_ctx *ctx)
{
	struct rp_run run;
	struct timeval tick = { 0, 50 * 1000 };
	size_t i, k;
	int r = 0;

	memset(&run, 0, sizeof(run));
	run.ctx = ctx;
	for (i = 0; i < ctx->opt->nprofiles; i++)
		for (k = 0; k < ctx->opt->profiles[i]->nendpoints; k++)
			run.nep += (ctx->opt->profiles[i]->endpoints[k].dir &
			    PROFILE_OUT) != 0;
	if (run.nep == 0)
		return 0;
	check_progress(ctx, "reach");
	if ((run.ep = calloc(run.nep, sizeof(*run.ep))) == NULL)
		return -ENOMEM;
	run.nep = 0;
	for (i = 0; i < ctx->opt->nprofiles; i++)
		for (k = 0; k < ctx->opt->profiles[i]->nendpoints; k++) {
			const struct profile_endpoint *e =
			    &ctx->opt->profiles[i]->endpoints[k];
			struct rp_ep *ep;

			if (!(e->dir & PROFILE_OUT))
				continue;
			ep = &run.ep[run.nep++];
			ep->p = ctx->opt->profiles[i];
			ep->e = e;
			reach_ep_id(&run, ep);
		}
	/* TLS: the certificate is judged by its digest, not by a CA. */
	if ((run.tls = SSL_CTX_new(TLS_client_method())) == NULL) {
		r = -ENOMEM;
		goto out;
	}
	/*
	 * Verification is judged after the handshake: against the digest
	 * the server announced for pinholed, against the system's CAs and
	 * the name for a named host (and the CAs of --turn-ca, which the
	 * user trusts for the relays the profiles name).
	 */
	SSL_CTX_set_verify(run.tls, SSL_VERIFY_NONE, NULL);
	(void)SSL_CTX_set_default_verify_paths(run.tls);
	if (ctx->opt->turn_ca != NULL && SSL_CTX_load_verify_locations(run.tls,
	    ctx->opt->turn_ca, NULL) != 1)
		log_warnx("--turn-ca %s: no CA certificate read",
		    ctx->opt->turn_ca);
	if ((r = check_random(run.watch, sizeof(run.watch))) < 0)
		goto out;
	check_hex(run.watch, sizeof(run.watch), run.watch_hex);
	for (k = 0; k < run.nep && r == 0; k++)
		if (!reach_seen_before(&run, k))
			r = reach_plan_ep(&run, k);
	if (r < 0)
		goto out;
	for (i = 0; i < run.npr; i++)
		run.watching |= run.pr[i].speak == SP_BARE && !run.pr[i].tcp;
	if (run.watching) {
		/* Heard only once the WATCH is in: PING after it. */
		run.seen_pos = ctlcli_nseen(ctx->ctl);
		if (((r = ctlcli_watch(ctx->ctl, run.watch)) < 0 ||
		    (r = ctlcli_sync(ctx->ctl, ctx->opt->wait_ms)) < 0) &&
		    ctlcli_is_open(ctx->ctl))
			goto out;
		r = 0;
	}
	run.start = loop_now_ms(ctx->loop);
	run.deadline_ms = ctx->opt->wait_ms;
	for (i = 0; i < run.npr; i++)
		reach_probe_start(&run, &run.pr[i]);
	if ((run.tick = event_new(ctx->loop->base, -1, EV_PERSIST, reach_tick_h,
	    &run)) == NULL) {
		r = -ENOMEM;
		goto out;
	}
	event_add(run.tick, &tick);
	r = loop_wait(ctx->loop, reach_done_h, &run, run.deadline_ms + 500);
	/* A lost session still reports: what it voided is marked later. */
	if (r == -ETIMEDOUT || (r < 0 && !ctlcli_is_open(ctx->ctl)))
		r = 0;
	if (r == 0) {
		for (i = 0; i < run.npr; i++)
			reach_try_proxy(&run, &run.pr[i]);
		for (k = 0; k < run.nep; k++)
			if (!reach_seen_before(&run, k))
				reach_report_ep(&run, &run.ep[k]);
	}
out:
	if (run.tick != NULL)
		event_free(run.tick);
	for (i = 0; i < run.npr; i++) {
		if (run.pr[i].ev != NULL)
			event_free(run.pr[i].ev);
		if (run.pr[i].ssl != NULL)
			SSL_free(run.pr[i].ssl);
		if (run.pr[i].fd >= 0)
			close(run.pr[i].fd);
	}
	SSL_CTX_free(run.tls);
	free(run.pr);
	free(run.ep);
	return r;
}

const struct check_ops check_reach_ops = {
	.family = "reach",
	.bursty = 1,
	.run = rp_run_check,
};
