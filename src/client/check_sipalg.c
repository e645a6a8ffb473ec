/*
 * check_sipalg.c - sip-alg.<udp|tcp>.<port>: does anything on the path
 * rewrite, truncate or drop SIP?
 *
 * For each transport and port of the profiles' sip-alg-ports we send a
 * REGISTER and an INVITE with SDP outbound, client to server, carrying our
 * private address; the server returns the exact bytes it received through
 * the control connection, where no ALG can touch them.  Then the server
 * sends the same two messages inbound, to our public mapping over the UDP
 * mapping or TCP connection we opened, as a registered phone receives its
 * calls.  Each arrival is diffed against what was sent (lib/sip.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "sip.h"
#include "sipalg.h"

#define SIPALG_TRIES	3
#define SIPALG_RTP_PORT	49170

static const enum sip_method sipalg_methods[SIPALG_NMSG] = {
	SIP_REGISTER, SIP_INVITE
};

static int
sipalg_build(struct sipalg_msg *m, int tcp, const char *from_ip,
    uint16_t from_port, const char *to_ip, uint16_t to_port, uint32_t cseq)
{
	struct sip_probe p = {
		.method = m->method, .tcp = tcp, .from_ip = from_ip,
		.from_port = from_port, .to_ip = to_ip, .to_port = to_port,
		.rtp_port = SIPALG_RTP_PORT, .cseq = cseq,
	};

	return check_sip_build(&p, m->nonce, m->nonce_hex, &m->sent);
}

static int
sipalg_arrived(struct sipalg_msg *m, const uint8_t *p, size_t n, int truncated)
{
	if ((m->recv = malloc(n ? n : 1)) == NULL)
		return -ENOMEM;
	memcpy(m->recv, p, n);
	m->rlen = n;
	m->delivered = 1;
	m->truncated = truncated;
	return sip_diff(m->sent.b, m->sent.len, m->recv, m->rlen, &m->diff);
}

/* One message's tries: sent over 'fd', or by the server to it. */
struct sipalg_try {
	struct ctlcli *ctl;
	struct sipalg_probe *pr;
	struct sipalg_dir *d;
	struct sipalg_msg *m;
	int fd;
	uint8_t buf[SIP_MAX_MSG];	/* inbound: what arrived */
	size_t n;
};

static int
sipalg_seen_h(void *arg)
{
	struct sipalg_try *t = arg;

	return ctlcli_seen_find(t->ctl, t->m->nonce) != NULL;
}

static int
sipalg_out_send_h(struct check_ctx *ctx, void *arg)
{
	struct sipalg_try *t = arg;

	(void)ctx;
	if (send(t->fd, t->m->sent.b, t->m->sent.len, MSG_NOSIGNAL) < 0 &&
	    errno != ECONNREFUSED && errno != EAGAIN) {
		snprintf(t->d->note, sizeof(t->d->note), "send failed: %s",
		    strerror(errno));
		return 1;
	}
	return 0;
}

static int
sipalg_out_wait_h(struct check_ctx *ctx, void *arg, int timeout_ms)
{
	return loop_wait(ctx->loop, sipalg_seen_h, arg, timeout_ms);
}

/* Outbound: send (retransmitting over UDP) and wait for the server's SEEN. */
static int
sipalg_out_one(struct check_ctx *ctx, struct sipalg_probe *pr, int fd,
    struct sipalg_msg *m)
{
	struct sipalg_try t = { ctx->ctl, pr, &pr->out, m, fd, { 0 }, 0 };
	const struct ctl_seen *s;
	int tries = pr->transport == CTL_UDP ? SIPALG_TRIES : 1;
	int r;

	/* The server must know the nonce before the probe can arrive. */
	if ((r = ctlcli_watch(ctx->ctl, m->nonce)) < 0 ||
	    (r = ctlcli_sync(ctx->ctl, ctx->opt->wait_ms)) < 0)
		return r;
	r = check_retry(ctx, tries, ctx->opt->wait_ms / tries, sipalg_out_send_h,
	    sipalg_out_wait_h, &t);
	if (r == -ETIMEDOUT || r == 1)
		return 0;
	if (r < 0)
		return r;
	s = ctlcli_seen_find(ctx->ctl, m->nonce);
	pr->peer_ip = s->peer_ip;
	pr->peer_port = s->peer_port;
	pr->have_peer = 1;
	return sipalg_arrived(m, s->payload, s->len,
	    (s->flags & CTL_F_TRUNCATED) != 0);
}

static int
sipalg_nonce_match_h(const uint8_t *buf, size_t len, void *arg)
{
	const char *hex = arg;

	return memmem(buf, len, hex, strlen(hex)) != NULL;
}

struct result_wait {
	struct ctlcli *ctl;
	uint32_t id;
};

static int
sipalg_result_h(void *arg)
{
	struct result_wait *w = arg;

	return ctlcli_result_find(w->ctl, w->id) != NULL;
}

/* Asks the server to send 'm' to our mapping; notes a refusal. */
static int
sipalg_request_send(struct check_ctx *ctx, struct sipalg_probe *pr,
    struct sipalg_dir *d, struct sipalg_msg *m)
{
	struct result_wait w = { ctx->ctl, 0 };
	const struct ctl_answer *res;
	int r;

	r = ctlcli_send(ctx->ctl, pr->transport, pr->port, pr->peer_port,
	    m->sent.b, m->sent.len);
	if (r < 0)
		return r;
	w.id = (uint32_t)r;
	if ((r = loop_wait(ctx->loop, sipalg_result_h, &w, ctx->opt->wait_ms)) < 0)
		return r;
	res = ctlcli_result_find(ctx->ctl, w.id);
	if (res->code != 0) {
		snprintf(d->note, sizeof(d->note), "the server refused to "
		    "send: %d %s", res->code, res->reason);
		return -EPERM;
	}
	return 0;
}

static int
sipalg_in_send_h(struct check_ctx *ctx, void *arg)
{
	struct sipalg_try *t = arg;
	int r = sipalg_request_send(ctx, t->pr, t->d, t->m);

	return r == -EPERM ? 1 : r;	/* refused: noted, no more tries */
}

static int
sipalg_in_wait_h(struct check_ctx *ctx, void *arg, int timeout_ms)
{
	struct sipalg_try *t = arg;

	return check_udp_wait(ctx, t->fd, sipalg_nonce_match_h,
	    t->m->nonce_hex, t->buf, sizeof(t->buf), &t->n, timeout_ms);
}

/* Inbound over UDP: the server sends (again while nothing came). */
static int
sipalg_in_udp(struct check_ctx *ctx, struct sipalg_probe *pr, int fd,
    struct sipalg_msg *m)
{
	struct sipalg_try t = { ctx->ctl, pr, &pr->in, m, fd, { 0 }, 0 };
	int r;

	r = check_retry(ctx, SIPALG_TRIES, ctx->opt->wait_ms / SIPALG_TRIES,
	    sipalg_in_send_h, sipalg_in_wait_h, &t);
	if (r == -ETIMEDOUT || r == 1)
		return 0;
	if (r < 0)
		return r;
	return sipalg_arrived(m, t.buf, t.n, 0);
}

/*
 * Sends both messages outbound.  Returns 1 when the server saw at least
 * one, so that inbound can follow on the same mapping, 0 when none
 * arrived, or -errno.
 */
static int
sipalg_outbound(struct check_ctx *ctx, struct sipalg_probe *pr, int fd,
    const char *lip, uint16_t lport, const char *sip)
{
	size_t i;
	int r;

	pr->out.tried = 1;
	for (i = 0; i < SIPALG_NMSG; i++) {
		struct sipalg_msg *m = &pr->out.msg[i];

		if ((r = sipalg_build(m, pr->transport == CTL_TCP, lip, lport,
		    sip, pr->port, (uint32_t)i + 1)) < 0 ||
		    (r = sipalg_out_one(ctx, pr, fd, m)) < 0)
			return r;
	}
	if (!pr->have_peer) {
		snprintf(pr->in.note, sizeof(pr->in.note), "not tried: no "
		    "outbound message arrived, so the server knows no mapping "
		    "of ours to answer on");
		return 0;
	}
	return 1;
}

/* A TCP probe connection: bytes from the server accumulate in 'rx'. */
struct sipalg_tcp {
	int fd;
	int connected;
	int closed;
	int error;
	struct dbuf rx;
	const char *want;		/* nonce hex of the awaited message */
};

static void
sipalg_tcp_h(evutil_socket_t fd, short what, void *arg)
{
	struct sipalg_tcp *t = arg;
	uint8_t buf[4096];
	socklen_t len = sizeof(t->error);
	ssize_t n;

	if (!t->connected && (what & EV_WRITE)) {
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &t->error, &len) < 0)
			t->error = errno;
		t->connected = t->error == 0;
		if (t->error)
			t->closed = 1;
		return;
	}
	while (!t->closed) {
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n > 0) {
			if (dbuf_add(&t->rx, buf, (size_t)n) < 0)
				t->closed = 1;
			continue;
		}
		if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK &&
		    errno != EINTR))
			t->closed = 1;
		return;
	}
}

static int
sipalg_tcp_connected_h(void *arg)
{
	struct sipalg_tcp *t = arg;

	return t->connected || t->closed;
}

/* Done when a whole message with the nonce is in, or the peer closed. */
static int
sipalg_tcp_msg_h(void *arg)
{
	struct sipalg_tcp *t = arg;
	size_t len;

	if (t->closed)
		return 1;
	if (t->rx.len == 0)	/* nothing yet (and no buffer to search) */
		return 0;
	return memmem(t->rx.b, t->rx.len, t->want, strlen(t->want)) != NULL &&
	    sip_frame_len(t->rx.b, t->rx.len, &len) != -EAGAIN;
}

static int
sipalg_in_tcp(struct check_ctx *ctx, struct sipalg_probe *pr,
    struct sipalg_tcp *t, struct sipalg_msg *m)
{
	size_t len;
	int r, trunc;

	dbuf_reset(&t->rx);
	t->want = m->nonce_hex;
	if ((r = sipalg_request_send(ctx, pr, &pr->in, m)) < 0)
		return r == -EPERM ? 0 : r;
	r = loop_wait(ctx->loop, sipalg_tcp_msg_h, t, ctx->opt->wait_ms);
	if (r < 0 && r != -ETIMEDOUT)
		return r;
	if (t->rx.len == 0 ||
	    memmem(t->rx.b, t->rx.len, m->nonce_hex, strlen(m->nonce_hex)) == NULL)
		return 0;
	r = sip_frame_len(t->rx.b, t->rx.len, &len);
	trunc = r != 0;
	if (r != 0)
		len = t->rx.len;
	return sipalg_arrived(m, t->rx.b, len, trunc);
}

static int
sipalg_run_tcp(struct check_ctx *ctx, struct sipalg_probe *pr,
    const char *lip, uint16_t lport, const char *sip)
{
	struct sipalg_tcp t;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	struct event *ev = NULL;
	char pub[NET_ADDRSTRLEN];
	struct net_ip lip_net;
	size_t i;
	int r;

	memset(&t, 0, sizeof(t));
	dbuf_init(&t.rx, 4 * SIP_MAX_MSG);
	if ((t.fd = check_socket(ctx, SOCK_STREAM, pr->port)) < 0) {
		r = t.fd;
		goto out;
	}
	ev = event_new(ctx->loop->base, t.fd, EV_READ | EV_WRITE | EV_PERSIST,
	    sipalg_tcp_h, &t);
	if (ev == NULL) {
		r = -ENOMEM;
		goto out;
	}
	event_add(ev, NULL);
	r = loop_wait(ctx->loop, sipalg_tcp_connected_h, &t, ctx->opt->wait_ms);
	if (r < 0 || !t.connected) {
		snprintf(pr->out.note, sizeof(pr->out.note), "TCP connection "
		    "to port %u failed: %s", pr->port, r < 0 ?
		    strerror(-r) : strerror(t.error));
		r = r == -ETIMEDOUT || r == 0 ? 0 : r;
		goto out;
	}
	/* Stop asking for writability; from now on only reads matter. */
	event_del(ev);
	event_assign(ev, ctx->loop->base, t.fd, EV_READ | EV_PERSIST,
	    sipalg_tcp_h, &t);
	event_add(ev, NULL);
	if (getsockname(t.fd, (struct sockaddr *)&ss, &sl) == 0)
		net_ip_from_sa((struct sockaddr *)&ss, &lip_net, &lport);

	if ((r = sipalg_outbound(ctx, pr, t.fd, lip, lport, sip)) <= 0)
		goto out;
	net_ip_str(&pr->peer_ip, pub, sizeof(pub));
	pr->in.tried = 1;
	for (i = 0; i < SIPALG_NMSG; i++) {
		struct sipalg_msg *m = &pr->in.msg[i];

		if (t.closed) {
			snprintf(pr->in.note, sizeof(pr->in.note), "the TCP "
			    "connection was closed on the way");
			break;
		}
		if ((r = sipalg_build(m, 1, sip, pr->port, pub, pr->peer_port,
		    (uint32_t)i + 1)) < 0 ||
		    (r = sipalg_in_tcp(ctx, pr, &t, m)) < 0)
			goto out;
	}
	r = 0;
out:
	if (ev != NULL)
		event_free(ev);
	if (t.fd >= 0)
		close(t.fd);
	dbuf_free(&t.rx);
	return r;
}

static int
sipalg_run_udp(struct check_ctx *ctx, struct sipalg_probe *pr,
    const char *lip, const char *sip)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char pub[NET_ADDRSTRLEN];
	struct net_ip ip;
	uint16_t lport;
	size_t i;
	int fd, r;

	if ((fd = check_socket(ctx, SOCK_DGRAM, pr->port)) < 0)
		return fd;
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) < 0) {
		r = -errno;
		goto out;
	}
	net_ip_from_sa((struct sockaddr *)&ss, &ip, &lport);
	if ((r = sipalg_outbound(ctx, pr, fd, lip, lport, sip)) <= 0 ||
	    (r = sipalg_methods_probe(ctx, pr, fd, lip, lport, sip)) < 0 ||
	    (r = sipalg_media_probe(ctx, pr, lip, SIPALG_RTP_PORT)) < 0)
		goto out;
	net_ip_str(&pr->peer_ip, pub, sizeof(pub));
	pr->in.tried = 1;
	for (i = 0; i < SIPALG_NMSG; i++) {
		struct sipalg_msg *m = &pr->in.msg[i];

		if ((r = sipalg_build(m, 0, sip, pr->port, pub, pr->peer_port,
		    (uint32_t)i + 1)) < 0 ||
		    (r = sipalg_in_udp(ctx, pr, fd, m)) < 0)
			goto out;
	}
out:
	close(fd);
	return r;
}

/* The union of sip-alg-ports of every profile that wants the ALG off. */
static size_t
sipalg_ports(const struct check_ctx *ctx, uint16_t *ports, size_t max)
{
	size_t n = 0, i, j, k;

	for (i = 0; i < ctx->opt->nprofiles; i++) {
		const struct profile *p = ctx->opt->profiles[i];

		if (!p->sip_alg_off)
			continue;
		for (j = 0; j < p->nsip_ports; j++) {
			for (k = 0; k < n && ports[k] != p->sip_ports[j]; k++)
				;
			if (k == n && n < max)
				ports[n++] = p->sip_ports[j];
		}
	}
	return n;
}

void
sipalg_probe_free(struct sipalg_probe *pr)
{
	struct sipalg_dir *dirs[2] = { &pr->out, &pr->in };
	size_t d, i;

	for (d = 0; d < 2; d++) {
		for (i = 0; i < SIPALG_NMSG; i++) {
			dbuf_free(&dirs[d]->msg[i].sent);
			free(dirs[d]->msg[i].recv);
			sip_diff_free(&dirs[d]->msg[i].diff);
		}
		for (i = 0; i < SIPALG_NEXTRA; i++)
			dbuf_free(&dirs[d]->extra[i].sent);
	}
}

static int
sipalg_run(struct check_ctx *ctx)
{
	struct sipalg_probe pr[32];
	char lip[NET_ADDRSTRLEN], sip[NET_ADDRSTRLEN], id[64];
	uint16_t ports[16];
	struct net_ip local;
	size_t nports, n = 0, t, i, k;
	long long t0;
	int r = 0;

	if ((nports = sipalg_ports(ctx, ports, 16)) == 0)
		return 0;
	net_ip_from_sa(ctlcli_local(ctx->ctl), &local, NULL);
	net_ip_str(&local, lip, sizeof(lip));
	net_ip_str(&ctx->server_ip, sip, sizeof(sip));
	memset(pr, 0, sizeof(pr));
	for (t = 0; t < 2; t++) {
		for (i = 0; i < nports; i++) {
			struct sipalg_probe *p = &pr[n++];

			p->transport = t == 0 ? CTL_UDP : CTL_TCP;
			p->port = ports[i];
			for (k = 0; k < SIPALG_NMSG; k++) {
				p->out.msg[k].method = sipalg_methods[k];
				p->in.msg[k].method = sipalg_methods[k];
				dbuf_init(&p->out.msg[k].sent, SIP_MAX_MSG);
				dbuf_init(&p->in.msg[k].sent, SIP_MAX_MSG);
			}
			for (k = 0; k < SIPALG_NEXTRA; k++) {
				p->out.extra[k].method = (enum sip_method)
				    (SIP_OPTIONS + k);
				dbuf_init(&p->out.extra[k].sent, SIP_MAX_MSG);
				dbuf_init(&p->in.extra[k].sent, SIP_MAX_MSG);
			}
			p->listening = ctlcli_has_port(ctx->ctl, p->transport,
			    p->port);
			if (!p->listening)
				continue;
			snprintf(id, sizeof(id), "sip-alg.%s.%u",
			    t == 0 ? "udp" : "tcp", p->port);
			check_progress(ctx, id);
			t0 = loop_now_ms(ctx->loop);
			r = t == 0 ? sipalg_run_udp(ctx, p, lip, sip) :
			    sipalg_run_tcp(ctx, p, lip, 0, sip);
			p->seconds =
			    loop_since_s(ctx->loop, t0);
			if (r < 0)
				goto out;
		}
	}
	r = sipalg_report(ctx, pr, n);
out:
	for (i = 0; i < n; i++)
		sipalg_probe_free(&pr[i]);
	return r;
}

const struct check_ops check_sipalg_ops = {
	.family = "sip-alg",
	.run = sipalg_run,
};

