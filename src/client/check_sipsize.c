/*
 * check_sipsize.c - sip.udp-size: how large a SIP message over UDP gets
 * through, each way.
 *
 * An INVITE with a large SDP (many codecs, ICE candidates, SRTP keys)
 * passes 1500 bytes, and many routers drop IP fragments.  From one UDP
 * socket we send INVITEs to the server's SIP port, as they come and padded
 * to sizes up to 4000 bytes, each with its own watched nonce; the SEEN
 * reports say which arrived and in what shape.  Then the server sends
 * INVITEs of the same sizes back to that socket's mapping (SEND), and we
 * look for each nonce in what arrives.  Every size is sent again while it
 * is missing, so that one lost datagram does not read as a size limit.
 *
 * OPTIONS would be the lighter request, but pinholed answers it with
 * 200 OK instead of reporting it (docs/protocol.md, section 5), so the
 * bytes that arrived could not be compared.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "sip.h"
#include "sipsize.h"

#define SIPSIZE_TRIES		3	/* each size: sent, then twice again */
#define SIPSIZE_RTP_PORT	49170

static int
sipsize_build(struct sipsize_msg *m, size_t size, const char *from_ip,
    uint16_t from_port, const char *to_ip, uint16_t to_port, uint32_t cseq)
{
	struct sip_probe p = {
		.method = SIP_INVITE, .from_ip = from_ip,
		.from_port = from_port, .to_ip = to_ip, .to_port = to_port,
		.rtp_port = SIPSIZE_RTP_PORT, .cseq = cseq, .size = size,
	};
	int r;

	if ((r = check_sip_build(&p, m->nonce, m->nonce_hex, &m->sent)) < 0)
		return r;
	m->size = m->sent.len;
	return 0;
}

/* Builds one direction's messages: as they come, then every size. */
static int
sipsize_build_dir(struct sipsize_dir *d, const char *from_ip,
    uint16_t from_port, const char *to_ip, uint16_t to_port)
{
	size_t i;
	int r;

	d->tried = 1;
	for (i = 0; i < SIPSIZE_NSIZES; i++) {
		r = sipsize_build(&d->msg[i], i == 0 ? 0 : sipsize_sizes[i - 1],
		    from_ip, from_port, to_ip, to_port, (uint32_t)i + 1);
		if (r < 0)
			return r;
	}
	d->n = SIPSIZE_NSIZES;
	return 0;
}

/* How a message arrived: byte for byte, rewritten (an ALG), or cut. */
static void
sipsize_arrived(struct sipsize_msg *m, const uint8_t *p, size_t n,
    int truncated)
{
	size_t len;

	m->rlen = n;
	if (n == m->sent.len && memcmp(p, m->sent.b, n) == 0)
		m->result = SIPSIZE_INTACT;
	else if (truncated || (n < m->sent.len &&
	    memcmp(p, m->sent.b, n) == 0) ||
	    sip_frame_len(p, n, &len) == -EAGAIN)
		m->result = SIPSIZE_CUT;
	else
		m->result = SIPSIZE_REWRITTEN;
}

static int
sipsize_dir_missing(const struct sipsize_dir *d)
{
	size_t i;
	int n = 0;

	for (i = 0; i < d->n; i++)
		n += d->msg[i].result == SIPSIZE_LOST && !d->msg[i].refused;
	return n;
}

/* The tries of one direction: every size at once, again while missing. */
struct sipsize_try {
	struct ctlcli *ctl;
	struct sipsize_probe *pr;
	struct sipsize_dir *d;
	uint32_t *req;			/* inbound: each size's SEND, or 0 */
};

static int
sipsize_seen_h(void *arg)
{
	struct sipsize_try *w = arg;
	size_t i;

	for (i = 0; i < w->d->n; i++)
		if (ctlcli_seen_find(w->ctl, w->d->msg[i].nonce) == NULL)
			return 0;
	return 1;
}

static int
sipsize_out_send_h(struct check_ctx *ctx, void *arg)
{
	struct sipsize_try *t = arg;
	size_t i;

	for (i = 0; i < t->d->n; i++) {
		struct sipsize_msg *m = &t->d->msg[i];

		if (ctlcli_seen_find(ctx->ctl, m->nonce) != NULL)
			continue;
		if (send(t->pr->fd, m->sent.b, m->sent.len, MSG_NOSIGNAL) < 0 &&
		    errno != ECONNREFUSED && errno != EAGAIN &&
		    errno != EMSGSIZE) {
			snprintf(t->d->note, sizeof(t->d->note),
			    "send failed: %s", strerror(errno));
			return 1;
		}
		m->sends++;
	}
	return 0;
}

static int
sipsize_out_wait_h(struct check_ctx *ctx, void *arg, int timeout_ms)
{
	return loop_wait(ctx->loop, sipsize_seen_h, arg, timeout_ms);
}

/* Outbound: every size at once, again while missing; SEEN says how. */
static int
sipsize_outbound(struct check_ctx *ctx, struct sipsize_probe *pr, int neg_ms)
{
	struct sipsize_try t = { ctx->ctl, pr, &pr->out, NULL };
	const struct ctl_seen *s;
	size_t i;
	int r;

	/* The server must know the nonces before the probes can arrive. */
	for (i = 0; i < pr->out.n; i++)
		if ((r = ctlcli_watch(ctx->ctl, pr->out.msg[i].nonce)) < 0)
			return r;
	if ((r = ctlcli_sync(ctx->ctl, ctx->opt->wait_ms)) < 0)
		return r;
	r = check_retry(ctx, SIPSIZE_TRIES, neg_ms, sipsize_out_send_h,
	    sipsize_out_wait_h, &t);
	if (r == 1)
		return 0;	/* a send failed: noted */
	if (r < 0 && r != -ETIMEDOUT)
		return r;
	for (i = 0; i < pr->out.n; i++) {
		struct sipsize_msg *m = &pr->out.msg[i];

		if ((s = ctlcli_seen_find(ctx->ctl, m->nonce)) == NULL)
			continue;
		sipsize_arrived(m, s->payload, s->len,
		    (s->flags & CTL_F_TRUNCATED) != 0);
		if (!pr->have_peer) {
			pr->peer_ip = s->peer_ip;
			pr->peer_port = s->peer_port;
			pr->have_peer = 1;
		}
	}
	return 0;
}

/*
 * A datagram on our socket: the size whose nonce it carries arrived.
 * True once every size has (or was refused), which ends the wait.
 */
static int
sipsize_in_match_h(const uint8_t *buf, size_t len, void *arg)
{
	struct sipsize_dir *d = arg;
	size_t i;

	for (i = 0; i < d->n; i++) {
		struct sipsize_msg *m = &d->msg[i];

		/* A retransmission does not undo a whole arrival. */
		if ((m->result == SIPSIZE_LOST || m->result == SIPSIZE_CUT) &&
		    memmem(buf, len, m->nonce_hex,
		    sizeof(m->nonce_hex) - 1) != NULL)
			sipsize_arrived(m, buf, len, 0);
	}
	return sipsize_dir_missing(d) == 0;
}

static int
sipsize_results_h(void *arg)
{
	struct sipsize_try *w = arg;
	size_t i;

	for (i = 0; i < w->d->n; i++)
		if (w->req[i] != 0 && ctlcli_result_find(w->ctl, w->req[i]) ==
		    NULL)
			return 0;
	return 1;
}

/* The server sends every size still missing; 1 once none is. */
static int
sipsize_in_send_h(struct check_ctx *ctx, void *arg)
{
	struct sipsize_try *t = arg;
	struct sipsize_dir *d = t->d;
	const struct ctl_answer *a;
	size_t i;
	int r;

	if (sipsize_dir_missing(d) == 0)
		return 1;
	memset(t->req, 0, d->n * sizeof(*t->req));
	for (i = 0; i < d->n; i++) {
		struct sipsize_msg *m = &d->msg[i];

		if (m->result != SIPSIZE_LOST || m->refused)
			continue;
		r = ctlcli_send(ctx->ctl, CTL_UDP, t->pr->port,
		    t->pr->peer_port, m->sent.b, m->sent.len);
		if (r < 0)
			return r;
		t->req[i] = (uint32_t)r;
		m->sends++;
	}
	if ((r = loop_wait(ctx->loop, sipsize_results_h, t,
	    ctx->opt->wait_ms)) < 0 && r != -ETIMEDOUT)
		return r;
	for (i = 0; i < d->n; i++) {
		a = t->req[i] != 0 ?
		    ctlcli_result_find(ctx->ctl, t->req[i]) : NULL;
		if (a == NULL || a->code == 0)
			continue;
		d->msg[i].refused = 1;
		snprintf(d->note, sizeof(d->note), "the server refused to "
		    "send %zu bytes: %d %s", d->msg[i].size, a->code,
		    a->reason);
	}
	return sipsize_dir_missing(d) == 0;
}

/* What came meanwhile waits in the socket, read here. */
static int
sipsize_in_wait_h(struct check_ctx *ctx, void *arg, int timeout_ms)
{
	struct sipsize_try *t = arg;
	uint8_t last;
	size_t n;

	return check_udp_wait(ctx, t->pr->fd, sipsize_in_match_h, t->d,
	    &last, sizeof(last), &n, timeout_ms);
}

/* Inbound: the server sends every size to our mapping, again while missing. */
static int
sipsize_inbound(struct check_ctx *ctx, struct sipsize_probe *pr, int neg_ms)
{
	uint32_t req[SIPSIZE_NSIZES];
	struct sipsize_try t = { ctx->ctl, pr, &pr->in, req };
	int r;

	r = check_retry(ctx, SIPSIZE_TRIES, neg_ms, sipsize_in_send_h,
	    sipsize_in_wait_h, &t);
	return r < 0 && r != -ETIMEDOUT ? r : 0;
}

static int
sipsize_run_probe(struct check_ctx *ctx, struct sipsize_probe *pr)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char lip[NET_ADDRSTRLEN], sip[NET_ADDRSTRLEN], pub[NET_ADDRSTRLEN];
	struct net_ip local;
	uint16_t lport;
	int neg_ms = check_neg_wait_ms(ctx->rtt_ms, ctx->opt->wait_ms), r;

	if ((pr->fd = check_socket(ctx, SOCK_DGRAM, pr->port)) < 0)
		return pr->fd;
	if (getsockname(pr->fd, (struct sockaddr *)&ss, &sl) < 0)
		return -errno;
	pr->overhead = ss.ss_family == AF_INET6 ? 48 : 28;
	net_ip_from_sa((struct sockaddr *)&ss, &local, &lport);
	net_ip_str(&local, lip, sizeof(lip));
	net_ip_str(&ctx->server_ip, sip, sizeof(sip));
	if ((r = sipsize_build_dir(&pr->out, lip, lport, sip, pr->port)) < 0 ||
	    (r = sipsize_outbound(ctx, pr, neg_ms)) < 0)
		return r;
	if (!pr->have_peer) {
		snprintf(pr->in.note, sizeof(pr->in.note), "not tried: no "
		    "outbound message arrived, so the server knows no mapping "
		    "of ours to send to");
		return 0;
	}
	net_ip_str(&pr->peer_ip, pub, sizeof(pub));
	r = sipsize_build_dir(&pr->in, sip, pr->port, pub, pr->peer_port);
	if (r < 0)
		return r;
	return sipsize_inbound(ctx, pr, neg_ms);
}

/*
 * Whether a profile sends SIP over UDP: an endpoint of service sip over
 * UDP, or the sip-alg requirement (tested over UDP and TCP).  The port is
 * the first such that the server listens on, 0 when none.
 */
static int
sipsize_wanted(const struct check_ctx *ctx, uint16_t *port, json_t *profiles)
{
	size_t i, k;
	unsigned q;
	int want = 0;

	*port = 0;
	for (i = 0; i < ctx->opt->nprofiles; i++) {
		const struct profile *p = ctx->opt->profiles[i];
		int asks = p->sip_alg_off;

		for (k = 0; k < p->nendpoints; k++) {
			const struct profile_endpoint *e = &p->endpoints[k];

			if (e->proto != PROFILE_UDP || e->service == NULL ||
			    strcmp(e->service, "sip") != 0 || e->host != NULL)
				continue;
			asks = 1;
			for (q = e->port_lo; *port == 0 && q <= e->port_hi; q++)
				if (ctlcli_has_port(ctx->ctl, CTL_UDP,
				    (uint16_t)q))
					*port = (uint16_t)q;
		}
		for (k = 0; p->sip_alg_off && *port == 0 && k < p->nsip_ports;
		    k++)
			if (ctlcli_has_port(ctx->ctl, CTL_UDP, p->sip_ports[k]))
				*port = p->sip_ports[k];
		if (asks) {
			want = 1;
			json_array_append_new(profiles, json_string(p->name));
		}
	}
	return want;
}

static void
sipsize_probe_free(struct sipsize_probe *pr)
{
	size_t i;

	for (i = 0; i < SIPSIZE_NSIZES; i++) {
		dbuf_free(&pr->out.msg[i].sent);
		dbuf_free(&pr->in.msg[i].sent);
	}
	if (pr->fd >= 0)
		close(pr->fd);
}

static int
sipsize_run(struct check_ctx *ctx)
{
	struct sipsize_probe pr;
	json_t *profiles = json_array();
	long long t0;
	size_t i, before;
	int r = 0;

	if (profiles == NULL)
		return -ENOMEM;
	memset(&pr, 0, sizeof(pr));
	pr.fd = -1;
	for (i = 0; i < SIPSIZE_NSIZES; i++) {
		dbuf_init(&pr.out.msg[i].sent, SIP_MAX_MSG);
		dbuf_init(&pr.in.msg[i].sent, SIP_MAX_MSG);
	}
	if (!sipsize_wanted(ctx, &pr.port, profiles))
		goto out;
	if (pr.port == 0) {
		report_add(ctx->report, SIPSIZE_ID, SIPSIZE_SECTION,
		    VERDICT_SKIP, json_pack("{s:s, s:O}", "transport", "udp",
		    "profiles", profiles), NULL, "the server does not listen "
		    "for SIP over UDP on a port the profiles name");
		goto out;
	}
	check_progress(ctx, SIPSIZE_ID);
	t0 = loop_now_ms(ctx->loop);
	if ((r = sipsize_run_probe(ctx, &pr)) < 0)
		goto out;
	before = ctx->report->nchecks;
	sipsize_report(ctx, &pr, profiles);
	if (ctx->report->nchecks > before)
		ctx->report->checks[before].duration_s =
		    loop_since_s(ctx->loop, t0);
out:
	json_decref(profiles);
	sipsize_probe_free(&pr);
	return r;
}

const struct check_ops check_sipsize_ops = {
	.family = "sip-size",
	.run = sipsize_run,
};
