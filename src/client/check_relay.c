/*
 * check_relay.c - does the provider's TURN relay carry calls from here?
 * One entry per relay and transport (docs/report.md):
 *
 *   relay.udp, relay.tcp, relay.tls   (relay.TRANSPORT.NAME when several
 *                                     relays share a transport)
 *
 * Each allocates on the relay (relay.c, on a thread of its own, since it
 * blocks), asks pinholed for a test call through a relay (MEDIA with
 * VIA_RELAY), permits pinholed's media port and binds a channel to it,
 * then runs the call through the channel with media.c's engine and judges
 * it with lib/mediaq.c, as media.rtp judges a direct one.  "relays media"
 * only when media crossed both ways; otherwise the failing step, named.
 *
 * Relays come from the profiles (service = turn, turns), with credentials
 * pinholed hands out (RELAY), and from --turn, with --turn-user's.  No
 * credential ever reaches a log or the report.
 */
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ssl.h>

#include "log.h"
#include "mediaset.h"
#include "relay.h"
#include "relay_fault.h"
#include "tlsctx.h"

#define RL_MAX		16		/* relays checked in one run */
#define RL_STEP_MS	5000		/* each blocking step at most */
#define RL_CHANNEL	0x4000

/* One relay to prove. */
struct rl {
	char id[96];
	char name[64];			/* the endpoint's, or "command-line" */
	char profile[64];		/* "" for --turn */
	char host[TURN_URI_HOST_MAX + 1];
	uint16_t port;
	enum relay_transport tr;
};

/* A blocking step of relay.c, run on a thread while the family waits. */
struct rl_job {
	struct relay_conn rc;
	int bind;			/* 0: relay_open, 1: relay_bind */
	struct sockaddr_storage addr;	/* the relay, or the peer */
	socklen_t alen;
	SSL_CTX *tls;
	const char *host, *user, *pass;
	int ret;
	int done;
};

static void *
rl_thread(void *arg)
{
	struct rl_job *j = arg;

	if (!j->bind)
		j->ret = relay_open(&j->rc, j->rc.tr, (struct sockaddr *)&j->addr,
		    j->alen, j->tls, j->host, j->user, j->pass,
		    j->addr.ss_family /* the family of the run, the peer's */,
		    RL_STEP_MS);
	else
		j->ret = relay_bind(&j->rc, (struct sockaddr *)&j->addr,
		    RL_CHANNEL, RL_STEP_MS);
	__atomic_store_n(&j->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static int
rl_done_h(void *arg)
{
	struct rl_job *j = arg;

	return __atomic_load_n(&j->done, __ATOMIC_ACQUIRE);
}

/* Runs the job's step off the event loop; its relay_*() result. */
static int
rl_step(struct check_ctx *ctx, struct rl_job *j)
{
	pthread_t t;
	int e;

	j->done = 0;
	if ((e = pthread_create(&t, NULL, rl_thread, j)) != 0)
		return -e;
	/* The step ends by its own deadline: wait for it, whatever. */
	while (loop_wait(ctx->loop, rl_done_h, j, RL_STEP_MS * 3) < 0 &&
	    !rl_done_h(j))
		;
	pthread_join(t, NULL);
	return j->ret;
}

static enum relay_transport
rl_tr_of_uri(enum turn_uri_tr t)
{
	return t == TURN_URI_TLS ? RELAY_TLS : t == TURN_URI_TCP ? RELAY_TCP :
	    RELAY_UDP;
}

/* The relays of the profiles, then those of --turn; returns how many. */
static size_t
rl_gather(const struct check_ctx *ctx, struct rl *rl, size_t *nprof)
{
	size_t i, k, n = 0, m, same;
	int tls;

	for (i = 0; i < ctx->opt->nprofiles; i++) {
		const struct profile *p = ctx->opt->profiles[i];

		for (k = 0; k < p->nendpoints && n < RL_MAX; k++) {
			const struct profile_endpoint *e = &p->endpoints[k];

			if (!profile_endpoint_relay(e, &tls))
				continue;
			snprintf(rl[n].name, sizeof(rl[n].name), "%s", e->name);
			snprintf(rl[n].profile, sizeof(rl[n].profile), "%s",
			    p->name);
			snprintf(rl[n].host, sizeof(rl[n].host), "%s", e->host);
			rl[n].port = e->port_lo;
			rl[n].tr = tls ? RELAY_TLS : e->proto == PROFILE_TCP ?
			    RELAY_TCP : RELAY_UDP;
			n++;
		}
	}
	*nprof = n;
	for (i = 0; i < ctx->opt->nturn && n < RL_MAX; i++, n++) {
		const struct turn_uri *u = &ctx->opt->turn[i];

		snprintf(rl[n].name, sizeof(rl[n].name), "turn%zu", i + 1);
		rl[n].profile[0] = '\0';
		snprintf(rl[n].host, sizeof(rl[n].host), "%s", u->host);
		rl[n].port = u->port;
		rl[n].tr = rl_tr_of_uri(u->tr);
	}
	/* relay.TRANSPORT, unless several share it: then by name. */
	for (i = 0; i < n; i++) {
		for (m = 0, same = 0; m < n; m++)
			same += rl[m].tr == rl[i].tr;
		if (same == 1)
			snprintf(rl[i].id, sizeof(rl[i].id), "relay.%s",
			    relay_transport_name(rl[i].tr));
		else
			snprintf(rl[i].id, sizeof(rl[i].id), "relay.%s.%s",
			    relay_transport_name(rl[i].tr), rl[i].name);
	}
	return n;
}

struct rl_creds_wait {
	struct ctlcli *ctl;
	uint32_t id;
};

static int
rl_creds_h(void *arg)
{
	struct rl_creds_wait *w = arg;

	return ctlcli_relay_creds(w->ctl, w->id) != NULL ||
	    ctlcli_result_find(w->ctl, w->id) != NULL;
}

/*
 * pinholed's credentials for the profiles' relays into 'user' and 'pass';
 * 0, or -errno with 'why' saying what the server said.
 */
static int
rl_server_creds(struct check_ctx *ctx, char *user, size_t ulen, char *pass,
    size_t plen, char *why, size_t wlen)
{
	struct rl_creds_wait w = { ctx->ctl, 0 };
	const struct ctl_relay_creds *c;
	const struct ctl_answer *a;
	int r;

	if ((r = ctlcli_relay(ctx->ctl)) < 0) {
		snprintf(why, wlen, "%s", strerror(-r));
		return r;
	}
	w.id = (uint32_t)r;
	if ((r = loop_wait(ctx->loop, rl_creds_h, &w, ctx->opt->wait_ms * 2)) < 0) {
		snprintf(why, wlen, "no answer from the server: %s",
		    strerror(-r));
		return r;
	}
	if ((c = ctlcli_relay_creds(ctx->ctl, w.id)) == NULL) {
		a = ctlcli_result_find(ctx->ctl, w.id);
		snprintf(why, wlen, "the server refused: %d %s", a ? a->code : 0,
		    a ? a->reason : "");
		return -EACCES;
	}
	snprintf(user, ulen, "%s", c->user);
	snprintf(pass, plen, "%s", c->pass);
	return 0;
}

/*
 * The relay's address in family 'af', the family this run tests: phones
 * reach it in the family they have, and the allocation relays toward
 * pinholed's address of the same family.
 */
static int
rl_resolve(const struct rl *r, int af, struct sockaddr_storage *ss,
    socklen_t *len)
{
	struct addrinfo hints, *res = NULL;
	char port[8];

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = af;
	hints.ai_socktype = r->tr == RELAY_UDP ? SOCK_DGRAM : SOCK_STREAM;
	snprintf(port, sizeof(port), "%u", r->port);
	if (getaddrinfo(r->host, port, &hints, &res) != 0 || res == NULL)
		return -EHOSTUNREACH;
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static json_t *
rl_evidence(const struct rl *r, const char *creds)
{
	json_t *ev = json_pack("{s:s, s:s, s:i, s:s, s:s}", "relay", r->host,
	    "transport", relay_transport_name(r->tr), "port", r->port,
	    "source", r->profile[0] ? "profile" : "command line",
	    "credentials", creds);

	if (r->profile[0]) {
		json_object_set_new(ev, "profile", json_string(r->profile));
		json_object_set_new(ev, "endpoint", json_string(r->name));
	}
	return ev;
}

/* What relay.c measured and saw, credentials aside. */
static void
rl_evidence_conn(json_t *ev, const struct relay_conn *rc, const char *step)
{
	json_object_set_new(ev, "step", json_string(step));
	if (rc->connect_ms > 0 || rc->tr != RELAY_UDP)
		json_object_set_new(ev, "connect_ms",
		    json_integer(rc->connect_ms));
	if (rc->allocated) {
		json_object_set_new(ev, "allocate_ms",
		    json_integer(rc->allocate_ms));
		json_object_set_new(ev, "relayed",
		    check_json_sa((const struct sockaddr *)&rc->tc.relayed));
		if (rc->tc.has_mapped)
			json_object_set_new(ev, "mapped", check_json_sa(
			    (const struct sockaddr *)&rc->tc.mapped));
	}
	if (rc->tls_issuer[0])
		json_object_set_new(ev, "tls_issuer",
		    json_string(rc->tls_issuer));
	json_object_set_new(ev, "requests", json_integer(rc->sends));
}

/* A step failed: the entry names it, with the remedy for it. */
static void
rl_fail(struct check_ctx *ctx, const struct rl *r, json_t *ev,
    const struct relay_conn *rc)
{
	struct relay_fault f;

	relay_fault_classify(rc, r->host, r->port, &f);
	rl_evidence_conn(ev, rc, relay_step_name(rc->failed));
	json_object_set_new(ev, "failed", json_string(f.what));
	json_object_set_new(ev, "why", json_string(rc->why));
	report_add(ctx->report, r->id, "Relay", f.verdict, ev, f.remedy,
	    "%s, %s: %s at %s (%s)", r->host, relay_transport_name(r->tr),
	    f.what, relay_step_name(rc->failed), rc->why);
}

/* The test call through the bound channel, judged as media.rtp judges. */
static void
rl_call(struct check_ctx *ctx, const struct rl *r, json_t *ev,
    struct mplan *pl, struct relay_conn *rc, uint16_t port)
{
	struct mediaq_dir up, down;
	struct mres call;
	enum verdict v;
	char remedy[512], rtt[48] = "round trip not measured";
	int e;

	memset(&call, 0, sizeof(call));
	pl->relay = rc;
	e = mset_run(ctx, pl, &call, 1, &port, 1, pl->seconds * 1000 /
	    pl->ptime, 0);
	pl->relay = NULL;
	rl_evidence_conn(ev, rc, "media");
	json_object_set_new(ev, "server_port", json_integer(port));
	json_object_set_new(ev, "codec", json_string(pl->codec.name));
	json_object_set_new(ev, "seconds", json_integer(pl->seconds));
	if (e < 0 || call.code != 0 || !call.have_stats) {
		report_add(ctx->report, r->id, "Relay", VERDICT_ERROR, ev,
		    call.code == CTL_E_FORBIDDEN ? "The server is not set up "
		    "for calls through relays: its [relay] relay-from must "
		    "name the relays' addresses (pinholed(8))." : NULL,
		    "%s, %s: the test call through the relay could not run: "
		    "%s", r->host, relay_transport_name(r->tr), e < 0 ?
		    strerror(-e) : call.code != 0 ? call.reason :
		    "the server did not report its side");
		return;
	}
	mres_quality(pl, &call, &up, &down);
	json_object_set_new(ev, "rtt_ms", mres_rtt_ms(&call) < 0 ?
	    json_null() : json_real(mres_rtt_ms(&call)));
	json_object_set_new(ev, "up", mediaq_dir_json(&call.up.rx, &up));
	json_object_set_new(ev, "down", mediaq_dir_json(&call.down.rx, &down));
	if (call.up.rx.received == 0 || call.down.rx.received == 0) {
		json_object_set_new(ev, "failed", json_string("media lost"));
		snprintf(remedy, sizeof(remedy), "The relay allocated and "
		    "bound a channel, but RTP did not cross it %s: allow the "
		    "connection to %s port %u to carry data both ways for the "
		    "length of a call (no idle or byte limits on it).",
		    call.up.rx.received == 0 ? "toward the server" :
		    "back to this network", r->host, r->port);
		report_add(ctx->report, r->id, "Relay", VERDICT_FAIL, ev, remedy,
		    "%s, %s: media lost through the relay (%u of %u up, %u of "
		    "%u down)", r->host, relay_transport_name(r->tr),
		    call.up.rx.received, call.up.rx.sent, call.down.rx.received,
		    call.down.rx.sent);
		return;
	}
	v = mediaq_verdict(&call.up.rx, &up, &call.down.rx, &down);
	remedy[0] = '\0';
	if (v != VERDICT_PASS)
		mediaq_remedy(&up, &down, remedy, sizeof(remedy));
	if (mres_rtt_ms(&call) >= 0)
		snprintf(rtt, sizeof(rtt), "round trip %.1f ms",
		    mres_rtt_ms(&call));
	report_add(ctx->report, r->id, "Relay", v, ev, remedy[0] ? remedy : NULL,
	    "%s, %s: relays media, MOS %.2f up, %.2f down: loss %.1f%%/%.1f%%, "
	    "jitter %.1f/%.1f ms, %s", r->host, relay_transport_name(r->tr),
	    up.e.mos, down.e.mos, call.up.rx.loss_pct, call.down.rx.loss_pct,
	    call.up.rx.jitter_ms, call.down.rx.jitter_ms, rtt);
}

/* One relay: allocate, bind to pinholed's media port, call through it. */
static void
rl_one(struct check_ctx *ctx, const struct rl *r, struct mplan *pl,
    SSL_CTX *tls, const char *user, const char *pass, const char *creds)
{
	struct rl_job *j;
	json_t *ev = rl_evidence(r, creds);
	uint16_t port;
	int e, af;

	if ((j = calloc(1, sizeof(*j))) == NULL) {
		report_add(ctx->report, r->id, "Relay", VERDICT_ERROR, ev, NULL,
		    "out of memory");
		return;
	}
	af = ctx->server_ip.family == AF_INET6 ? AF_INET6 : AF_INET;
	if (rl_resolve(r, af, &j->addr, &j->alen) < 0 &&
	    rl_resolve(r, AF_UNSPEC, &j->addr, &j->alen) == 0) {
		json_object_set_new(ev, "failed", json_string("no address in "
		    "this family"));
		report_add(ctx->report, r->id, "Relay", VERDICT_SKIP, ev, NULL,
		    "%s, %s: not tested over %s: the relay's name has no %s "
		    "address (phones reach it in the other family)", r->host,
		    relay_transport_name(r->tr), af == AF_INET6 ? "IPv6" :
		    "IPv4", af == AF_INET6 ? "IPv6" : "IPv4");
		free(j);
		return;
	}
	if (rl_resolve(r, af, &j->addr, &j->alen) < 0) {
		json_object_set_new(ev, "failed", json_string("no address"));
		report_add(ctx->report, r->id, "Relay", VERDICT_FAIL, ev,
		    "The relay's name does not resolve here: check the DNS "
		    "the devices use.", "%s, %s: the relay's name does not "
		    "resolve", r->host, relay_transport_name(r->tr));
		free(j);
		return;
	}
	j->rc.tr = r->tr;
	j->tls = tls;
	j->host = r->host;
	j->user = user;
	j->pass = pass;
	check_progress(ctx, r->id);
	if ((e = rl_step(ctx, j)) < 0 && j->rc.failed == RELAY_S_NONE) {
		report_add(ctx->report, r->id, "Relay", VERDICT_ERROR, ev, NULL,
		    "the relay check could not run: %s", strerror(-e));
		goto out;
	}
	if (e < 0) {
		rl_fail(ctx, r, ev, &j->rc);
		goto out;
	}
	/* The middle media port, as media.rtp's call takes. */
	port = pl->ports[pl->nports / 2];
	j->alen = net_sa_from_ip(&ctx->server_ip, port, &j->addr);
	j->bind = 1;
	if (rl_step(ctx, j) < 0) {
		rl_fail(ctx, r, ev, &j->rc);
		goto out;
	}
	rl_call(ctx, r, ev, pl, &j->rc, port);
out:
	relay_close(&j->rc);
	explicit_bzero(j, sizeof(*j));
	free(j);
}

static int
relay_run(struct check_ctx *ctx)
{
	struct rl rl[RL_MAX];
	struct mplan pl;
	SSL_CTX *tls = NULL;
	char user[CTLMSG_TURN_USER_LEN] = "", pass[CTLMSG_TURN_PASS_LEN] = "";
	char why[256] = "", err[256];
	size_t n, nprof, i;
	int r, have_srv = 0;

	if ((n = rl_gather(ctx, rl, &nprof)) == 0)
		return 0;
	if ((r = mplan_make(ctx, &pl, 1)) < 0)
		return r;
	check_progress(ctx, "relay (after the sweeps)");
	(void)check_wait_bursts(ctx, 120000);
	if (nprof > 0)
		have_srv = rl_server_creds(ctx, user, sizeof(user), pass,
		    sizeof(pass), why, sizeof(why)) == 0;
	tls = tlsctx_client(ctx->opt->turn_ca, err, sizeof(err));
	for (i = 0; i < n && !check_interrupted(ctx); i++) {
		int mine = i < nprof && have_srv;
		const char *u = mine ? user : ctx->opt->turn_user;
		const char *p = mine ? pass : ctx->opt->turn_pass;

		if (pl.nports == 0) {
			report_add(ctx->report, rl[i].id, "Relay",
			    VERDICT_ERROR, rl_evidence(&rl[i], "none"), NULL,
			    "the server has no media port to call through the "
			    "relay");
		} else if (u == NULL || p == NULL) {
			report_add(ctx->report, rl[i].id, "Relay",
			    VERDICT_ERROR, rl_evidence(&rl[i], "none"),
			    "Give the relay's credentials with --turn-user and "
			    "PINHOLE_TURN_PASSWORD (or --turn-pass-file), or "
			    "give the server the relays' shared secret "
			    "([relay] secret-file, pinholed(8)).", "no "
			    "credentials for the relay: %s", i < nprof ? why :
			    "--turn-user not given");
		} else if (rl[i].tr == RELAY_TLS && tls == NULL) {
			report_add(ctx->report, rl[i].id, "Relay",
			    VERDICT_ERROR, rl_evidence(&rl[i], "none"), NULL,
			    "no TLS: %s", err);
		} else {
			rl_one(ctx, &rl[i], &pl, tls, u, p, mine ? "pinholed" :
			    "command line");
		}
	}
	explicit_bzero(pass, sizeof(pass));
	explicit_bzero(user, sizeof(user));
	SSL_CTX_free(tls);
	return 0;
}

const struct check_ops check_relay_ops = {
	.family = "relay",
	.run = relay_run,
};
