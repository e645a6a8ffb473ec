/*
 * check_udptimeout.c - udp-timeout: how long an idle UDP binding lives in
 * the NAT or firewall, for a flow that never had a reply and for an
 * established two-way flow, and whether inbound packets keep one alive.
 *
 * Every binding is created at the start and probed exactly once, so a
 * probe never refreshes the binding it tests: binding i is probed when it
 * has been idle i seconds.  The probe is the server's answer to a request
 * from another socket (the trigger) carrying RESPONSE-PORT = the
 * binding's public port, so it comes from the very address and port the
 * binding was made toward and passes any filtering.  The first two
 * consecutive ages whose probes do not arrive mark the expiry; a lone
 * miss between arrivals is counted as loss, not as expiry.  All sets run
 * in parallel and the check ends when every set has its answer, so the
 * wall time is the longest timeout plus a few seconds.
 *
 * Sets: unreplied and established, toward the server's STUN port and
 * toward a SIP port (a SIP helper gives its flows a timeout of its own),
 * plus a few established bindings that only receive packets, to see
 * whether inbound traffic refreshes a binding.
 *
 * What the probes' outcomes mean is decided by a pure rule
 * (udptimeout_verdict.c); the report is udptimeout_report.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "udptimeout.h"

#define UT_TICK_MS		20
#define UT_SETUP_RTO_MS		500	/* retransmission of setup requests */
#define UT_SETUP_TRIES		6
#define UT_STREAM_GAP_MS	2050	/* second exchange of an established
					   flow, after its first packet:
					   Linux makes a flow a stream only
					   2 s after it began */
#define UT_REFRESH_N		3
#define UT_REFRESH_EVERY_MS	4000
#define UT_PROBE_COPIES		2	/* triggers per probe, against loss */

static int
ut_send_request(int fd, const uint8_t *tid, uint16_t type,
    uint16_t response_port, const char *software)
{
	struct dbuf b;
	int r;

	dbuf_init(&b, 512);
	if ((r = stun_enc_begin(&b, type, tid)) == 0 &&
	    (response_port == 0 ||
	    (r = stun_enc_response_port(&b, response_port)) == 0) &&
	    (software == NULL || (r = stun_enc_bytes(&b, STUN_A_SOFTWARE,
	    software, strlen(software))) == 0) &&
	    (r = stun_enc_finish(&b, NULL, 0, 1)) == 0 &&
	    send(fd, b.b, b.len, 0) < 0)
		r = -errno;
	dbuf_free(&b);
	return r;
}

/* Sends (or resends) a binding's setup message. */
static void
ut_setup_send(struct ut_bind *b, long long now)
{
	char sw[96];

	if (b->set->established) {
		(void)ut_send_request(b->fd, b->tid, STUN_BINDING_REQUEST, 0,
		    NULL);
	} else {
		/* An indication: never answered, reported over the session. */
		snprintf(sw, sizeof(sw), "pinhole udp-timeout %s",
		    b->set->nonce_hex);
		(void)ut_send_request(b->fd, b->tid, STUN_BINDING_INDICATION, 0,
		    sw);
	}
	if (b->sends == 0)
		b->first_ms = now;
	if (b->born_ms == 0)
		b->born_ms = now;
	b->sends++;
	b->sent_ms = now;
}

static void
ut_bind_read_h(evutil_socket_t fd, short what, void *arg)
{
	struct ut_bind *b = arg;
	uint8_t buf[STUN_MAX_DGRAM];
	struct stun_msg m;
	long long now;
	ssize_t n;

	(void)what;
	while ((n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) >= 0 ||
	    (errno != EAGAIN && errno != EWOULDBLOCK)) {
		if (n < 0 || !stun_is_stun(buf, (size_t)n) ||
		    stun_msg_decode(buf, (size_t)n, &m) < 0 ||
		    m.type != STUN_BINDING_SUCCESS)
			continue;
		now = loop_now_ms(b->set->run->ctx->loop);
		if (memcmp(m.tid, b->ptid, STUN_TID_LEN) == 0) {
			if (b->st == B_PROBED || b->st == B_DEAD)
				b->st = B_ALIVE;
			continue;
		}
		if (b->st != B_SETUP || !b->set->established ||
		    memcmp(m.tid, b->tid, STUN_TID_LEN) != 0 ||
		    !(m.present & STUN_HAS_XOR_MAPPED))
			continue;
		if (b->sends == 1 && (b->set->run->rtt_ms < 0 ||
		    now - b->sent_ms < b->set->run->rtt_ms))
			b->set->run->rtt_ms = (int)(now - b->sent_ms);
		if (++b->answers == 1) {
			/* The second exchange, once the flow is a stream. */
			if (stun_tid_random(b->tid) < 0)
				b->st = B_FAILED;
			b->sends = 0;
			b->first_ms = now;
			continue;
		}
		net_ip_from_sa((struct sockaddr *)&m.xor_mapped, &b->mapped_ip,
		    &b->mapped_port);
		b->idle_ms = now;
		b->refresh_ms = now;
		b->st = B_IDLE;
	}
}

static void
ut_port_read_h(evutil_socket_t fd, short what, void *arg)
{
	struct ut_port *p = arg;
	uint8_t buf[STUN_MAX_DGRAM];
	struct stun_msg m;
	ssize_t n;

	(void)what;
	while ((n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) >= 0 ||
	    (errno != EAGAIN && errno != EWOULDBLOCK)) {
		if (n < 0 || p->ready || !stun_is_stun(buf, (size_t)n) ||
		    stun_msg_decode(buf, (size_t)n, &m) < 0 ||
		    m.type != STUN_BINDING_SUCCESS ||
		    !(m.present & STUN_HAS_XOR_MAPPED))
			continue;
		net_ip_from_sa((struct sockaddr *)&m.xor_mapped, &p->mapped_ip,
		    NULL);
		p->ready = 1;
	}
}

/* Unreplied bindings learn their mapping from SEEN reports. */
static void
ut_take_seen(struct ut_run *run, long long now)
{
	const struct ctlcli *c = run->ctx->ctl;
	struct stun_msg m;
	struct ut_set *set;
	size_t i, k;

	for (; run->seen_pos < ctlcli_nseen(c); run->seen_pos++) {
		const struct ctl_seen *sn = ctlcli_seen_at(c, run->seen_pos);

		if (stun_msg_decode(sn->payload, sn->len, &m) < 0 ||
		    m.type != STUN_BINDING_INDICATION)
			continue;
		for (i = 0; i < SET_COUNT; i++) {
			set = &run->sets[i];
			if (set->n == 0 || set->established ||
			    memcmp(sn->nonce, set->nonce, CTL_NONCE_LEN) != 0)
				continue;
			for (k = 0; k < set->n; k++) {
				struct ut_bind *b = &set->b[k];

				if (b->st != B_SETUP || memcmp(b->tid, m.tid,
				    STUN_TID_LEN) != 0)
					continue;
				b->mapped_ip = sn->peer_ip;
				b->mapped_port = sn->peer_port;
				/* Idle since the last copy left. */
				b->idle_ms = b->sent_ms;
				b->st = B_IDLE;
			}
		}
	}
	(void)now;
}

static void
ut_probe(struct ut_run *run, struct ut_bind *b, long long now)
{
	int i;

	if (stun_tid_random(b->ptid) < 0) {
		b->st = B_FAILED;
		return;
	}
	for (i = 0; i < UT_PROBE_COPIES; i++)
		(void)ut_send_request(b->set->port->fd, b->ptid,
		    STUN_BINDING_REQUEST, b->mapped_port, NULL);
	b->probe_ms = now;
	b->st = B_PROBED;
	(void)run;
}

/* Probes that did not arrive in time are dead; then the rule decides. */
static void
ut_decide(struct ut_run *run, struct ut_set *set, long long now)
{
	enum ut_state st[UT_MAX_LIMIT];
	struct udptimeout_decision d;
	size_t k;

	for (k = 0; k < set->n; k++) {
		struct ut_bind *b = &set->b[k];

		if (b->st == B_PROBED && now - b->probe_ms >= run->wait_ms)
			b->st = B_DEAD;
		st[k] = b->st;
	}
	udptimeout_decide(st, set->n, set->next, &d);
	if (d.step == UDPTIMEOUT_PROBE) {
		ut_probe(run, &set->b[d.probe], now);
		set->next++;
	} else if (d.step == UDPTIMEOUT_DECIDED) {
		set->expiry_s = d.expiry_s;
		set->lost = d.lost;
		set->decided = 1;
	}
}

static void
ut_set_tick(struct ut_run *run, struct ut_set *set, long long now)
{
	int rto = set->established ? UT_SETUP_RTO_MS : 2 * UT_SETUP_RTO_MS;
	size_t k;

	for (k = 0; k < set->n; k++) {
		struct ut_bind *b = &set->b[k];

		if (b->st != B_SETUP)
			continue;
		if (set->established && b->answers == 1 && b->sends == 0) {
			if (now - b->born_ms < UT_STREAM_GAP_MS)
				continue;	/* not yet a stream */
		} else if (b->sends > 0 && now - b->sent_ms < rto) {
			continue;
		}
		if (b->sends >= UT_SETUP_TRIES) {
			b->st = B_FAILED;
			set->failed++;
			continue;
		}
		ut_setup_send(b, now);
	}
	if (set == &run->sets[SET_REFRESH])
		return;
	while (set->next < set->n) {
		struct ut_bind *b = &set->b[set->next];

		if (b->st == B_FAILED) {
			set->next++;
			continue;
		}
		if (b->st != B_IDLE ||
		    now - b->idle_ms < udptimeout_age_ms(set->next,
		    run->limit_s))
			break;
		ut_probe(run, b, now);
		set->next++;
	}
	if (!set->decided)
		ut_decide(run, set, now);
}

/* Refresh set: inbound packets only, then one probe past the expiry. */
static void
ut_refresh_tick(struct ut_run *run, long long now)
{
	struct ut_set *rs = &run->sets[SET_REFRESH], *est = &run->sets[SET_EST];
	size_t k;
	int pending = 0, alive = 0;

	if (rs->n == 0 || rs->decided)
		return;
	for (k = 0; k < rs->n; k++) {
		struct ut_bind *b = &rs->b[k];

		if (b->st == B_IDLE && !est->decided &&
		    now - b->refresh_ms >= UT_REFRESH_EVERY_MS) {
			uint8_t tid[STUN_TID_LEN];

			if (stun_tid_random(tid) == 0)
				(void)ut_send_request(rs->port->fd, tid,
				    STUN_BINDING_REQUEST, b->mapped_port, NULL);
			b->refresh_ms = now;
		}
		if (b->st == B_IDLE && est->decided && est->expiry_s > 0 &&
		    now - b->idle_ms > (long long)est->expiry_s * 1000)
			ut_probe(run, b, now);
		if (b->st == B_PROBED && now - b->probe_ms >= run->wait_ms)
			b->st = B_DEAD;
		pending += b->st == B_PROBED || b->st == B_SETUP ||
		    (b->st == B_IDLE && est->expiry_s > 0);
		alive += b->st == B_ALIVE;
	}
	if (est->decided && est->expiry_s == 0) {
		rs->decided = 1;	/* nothing expired: cannot tell */
		return;
	}
	if (est->decided && !pending) {
		run->refresh_result = alive > 0;
		rs->decided = 1;
	}
}

static void
ut_tick_h(evutil_socket_t fd, short what, void *arg)
{
	struct ut_run *run = arg;
	long long now = loop_now_ms(run->ctx->loop);
	size_t i;

	(void)fd;
	(void)what;
	/* A probe is late after four round trips (300 ms to --timeout). */
	if (run->rtt_ms >= 0)
		run->wait_ms = udptimeout_probe_wait_ms(run->rtt_ms,
		    run->ctx->opt->wait_ms);
	ut_take_seen(run, now);
	for (i = 0; i < SET_COUNT; i++)
		if (i != SET_REFRESH && run->sets[i].n > 0)
			ut_set_tick(run, &run->sets[i], now);
	if (run->sets[SET_REFRESH].n > 0)
		ut_set_tick(run, &run->sets[SET_REFRESH], now);
	ut_refresh_tick(run, now);
}

static int
ut_done_h(void *arg)
{
	struct ut_run *run = arg;
	size_t i;

	for (i = 0; i < SET_COUNT; i++)
		if (run->sets[i].n > 0 && !run->sets[i].decided)
			return 0;
	return 1;
}

static int
ut_port_open(struct ut_run *run, struct ut_port *p, uint16_t port)
{
	uint8_t tid[STUN_TID_LEN];
	int r;

	p->port = port;
	if ((p->fd = check_socket(run->ctx, SOCK_DGRAM, port)) < 0)
		return p->fd;
	p->ev = event_new(run->ctx->loop->base, p->fd, EV_READ | EV_PERSIST,
	    ut_port_read_h, p);
	if (p->ev == NULL)
		return -ENOMEM;
	event_add(p->ev, NULL);
	if ((r = stun_tid_random(tid)) < 0)
		return r;
	return ut_send_request(p->fd, tid, STUN_BINDING_REQUEST, 0, NULL);
}

static int
ut_set_open(struct ut_run *run, struct ut_set *set, const char *kind,
    int established, struct ut_port *port, size_t n)
{
	size_t k;
	int r;

	set->run = run;
	set->kind = kind;
	set->established = established;
	set->port = port;
	if (n > UT_MAX_LIMIT)		/* ut_decide's room */
		return -EINVAL;
	if ((set->b = calloc(n, sizeof(*set->b))) == NULL)
		return -ENOMEM;
	set->n = n;
	for (k = 0; k < n; k++)
		set->b[k].fd = -1;
	if (!established) {
		if ((r = check_random(set->nonce, sizeof(set->nonce))) < 0 ||
		    (r = ctlcli_watch(run->ctx->ctl, set->nonce)) < 0)
			return r;
		check_hex(set->nonce, sizeof(set->nonce), set->nonce_hex);
	}
	for (k = 0; k < n; k++) {
		struct ut_bind *b = &set->b[k];

		b->set = set;
		if ((b->fd = check_socket(run->ctx, SOCK_DGRAM, port->port)) < 0)
			return b->fd;
		if ((r = stun_tid_random(b->tid)) < 0)
			return r;
		b->ev = event_new(run->ctx->loop->base, b->fd, EV_READ | EV_PERSIST,
		    ut_bind_read_h, b);
		if (b->ev == NULL)
			return -ENOMEM;
		event_add(b->ev, NULL);
	}
	return 0;
}

static void
ut_free(struct ut_run *run)
{
	size_t i, k;

	for (i = 0; i < SET_COUNT; i++) {
		for (k = 0; k < run->sets[i].n; k++) {
			if (run->sets[i].b[k].ev != NULL)
				event_free(run->sets[i].b[k].ev);
			if (run->sets[i].b[k].fd >= 0)
				close(run->sets[i].b[k].fd);
		}
		free(run->sets[i].b);
	}
	for (i = 0; i < run->nports; i++) {
		if (run->ports[i].ev != NULL)
			event_free(run->ports[i].ev);
		if (run->ports[i].fd >= 0)
			close(run->ports[i].fd);
	}
	if (run->tick != NULL)
		event_free(run->tick);
}

/* Room for this many descriptors: raises the soft limit when it can. */
static int
ut_fd_room(size_t need)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -errno;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
		if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need)
			return -EMFILE;
		rl.rlim_cur = need;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			return -errno;
	}
	return 0;
}

/* The largest minimum any profile asks for, or 0. */
static unsigned
ut_minimum(const struct check_ctx *ctx, const char **profile)
{
	unsigned m = 0;
	size_t i;

	for (i = 0; i < ctx->opt->nprofiles; i++)
		if (ctx->opt->profiles[i]->udp_timeout_min > m) {
			m = ctx->opt->profiles[i]->udp_timeout_min;
			*profile = ctx->opt->profiles[i]->name;
		}
	return m;
}

/* A SIP port of the profiles that the server listens on over UDP. */
static uint16_t
ut_sip_port(const struct check_ctx *ctx)
{
	size_t i, k;

	for (i = 0; i < ctx->opt->nprofiles; i++)
		for (k = 0; k < ctx->opt->profiles[i]->nsip_ports; k++)
			if (ctlcli_has_port(ctx->ctl, CTL_UDP,
			    ctx->opt->profiles[i]->sip_ports[k]))
				return ctx->opt->profiles[i]->sip_ports[k];
	return ctlcli_has_port(ctx->ctl, CTL_UDP, 5060) ? 5060 : 0;
}
static int
ut_run_check(struct check_ctx *ctx)
{
	struct ut_run run;
	struct timeval tick = { 0, UT_TICK_MS * 1000 };
	const char *profile = "";
	unsigned minimum;
	uint16_t sip;
	size_t need;
	int r;

	minimum = ut_minimum(ctx, &profile);
	if (minimum == 0)
		return 0;
	check_progress(ctx, "udp-timeout");
	memset(&run, 0, sizeof(run));
	run.ctx = ctx;
	run.refresh_result = -1;
	run.ports[0].fd = run.ports[1].fd = -1;
	run.start_ms = loop_now_ms(ctx->loop);
	/* A minimum met is proved at the minimum; --udp-timeout-max: beyond;
	 * inside the session the server granted. */
	run.limit_s = udptimeout_limit_s(ctx->opt->udp_timeout_max, minimum,
	    ctlcli_welcome(ctx->ctl)->max_seconds,
	    run.start_ms - ctlcli_opened_ms(ctx->ctl));
	run.rtt_ms = -1;
	run.wait_ms = udptimeout_probe_wait_ms(run.rtt_ms, ctx->opt->wait_ms);

	sip = ut_sip_port(ctx);
	need = (size_t)run.limit_s * (sip ? 4 : 2) + UT_REFRESH_N + 64 + 256;
	if ((r = ut_fd_room(need)) < 0) {
		report_add(ctx->report, "udp-timeout", "UDP timeout",
		    VERDICT_ERROR, NULL, NULL, "cannot open %zu sockets for the "
		    "measurement (%s); raise the open-files limit (ulimit -n)",
		    need, strerror(-r));
		return 0;
	}
	run.nports = sip ? 2 : 1;
	if ((r = ut_port_open(&run, &run.ports[0],
	    ctlcli_welcome(ctx->ctl)->stun_port)) < 0 ||
	    (sip && (r = ut_port_open(&run, &run.ports[1], sip)) < 0) ||
	    (r = ut_set_open(&run, &run.sets[SET_UNREP], "unreplied", 0,
	    &run.ports[0], (size_t)run.limit_s)) < 0 ||
	    (r = ut_set_open(&run, &run.sets[SET_EST], "established", 1,
	    &run.ports[0], (size_t)run.limit_s)) < 0 ||
	    (r = ut_set_open(&run, &run.sets[SET_REFRESH], "refresh", 1,
	    &run.ports[0], UT_REFRESH_N)) < 0 ||
	    (sip && (r = ut_set_open(&run, &run.sets[SET_SIP_UNREP],
	    "unreplied", 0, &run.ports[1], (size_t)run.limit_s)) < 0) ||
	    (sip && (r = ut_set_open(&run, &run.sets[SET_SIP_EST],
	    "established", 1, &run.ports[1], (size_t)run.limit_s)) < 0))
		goto out;
	/* The WATCHes take effect before any indication can arrive. */
	if ((r = ctlcli_sync(ctx->ctl, ctx->opt->wait_ms * 2)) < 0)
		goto out;
	if ((run.tick = event_new(ctx->loop->base, -1, EV_PERSIST, ut_tick_h,
	    &run)) == NULL) {
		r = -ENOMEM;
		goto out;
	}
	event_add(run.tick, &tick);
	ctx->st.eta_ms = run.start_ms + UT_STREAM_GAP_MS +
	    (long long)run.limit_s * 1000 + UT_PROOF_MS + run.wait_ms;
	r = loop_wait(ctx->loop, ut_done_h, &run,
	    (run.limit_s + 10) * 1000 + UT_STREAM_GAP_MS + 4 * run.wait_ms);
	if (r == -ETIMEDOUT)
		r = 0;
	if (r < 0)
		goto out;
	if (!run.ports[0].ready) {
		report_add(ctx->report, "udp-timeout", "UDP timeout",
		    VERDICT_SKIP, NULL, NULL, "not measured: no STUN answer "
		    "from the server's udp/%u", run.ports[0].port);
		goto out;
	}
	udptimeout_report(&run, minimum, profile,
	    loop_since_s(ctx->loop, run.start_ms));
out:
	ut_free(&run);
	return r;
}

const struct check_ops check_udptimeout_ops = {
	.family = "udp-timeout",
	.run = ut_run_check,
};
