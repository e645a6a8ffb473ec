/*
 * check_layers.c - nat.layers: how many NATs sit between us and the
 * server, whether one is a carrier NAT, and which hops.
 *
 * Three witnesses, asked at once: TTL-limited STUN requests toward the
 * server, whose ICMP time-exceeded answers name each hop (read from the
 * socket's error queue, no raw socket needed); and the gateway itself,
 * over NAT-PMP (libnatpmp) and UPnP-IGD (miniupnpc), for its external
 * address.  Over IPv6, where there is no external address to name, the
 * gateway is asked instead whether its firewall opens inbound pinholes on
 * request (UPnP IGDv2, PCP: layers_gw6.c).  The gateway libraries block, so each runs in a thread of its
 * own while the event loop runs the TTL probes (layers_gw.c).
 * lib/judge/layers.c weighs what came back; layers_report.c says it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "errqueue.h"
#include "layers_check.h"
#include "stun.h"

#define LY_GW_WAIT_MS	1500	/* for the gateway to answer, at most */
/*
 * Retransmissions of silent TTLs.  The last comes after a full second:
 * Linux shares one token bucket per destination between ICMP errors and
 * redirects, so a router that just sent us a redirect (our own hairpin
 * test causes one) stays silent for up to a second.
 */
static const int ly_rto_ms[] = { 400, 900, 1600 };

struct ly_probe {
	int fd;
	struct event *ev;
	uint8_t tid[STUN_TID_LEN];
	uint8_t req[128];
	size_t req_len;
	unsigned sends;
	int hop;			/* an ICMP time exceeded came */
	int reached;			/* the server answered */
	struct net_ip ip;
};

struct ly_run {
	struct ly_probe p[LAYERS_MAX_HOPS];
	struct event *tick;
	long long start_ms;
	int deadline_ms;
	struct loop *loop;
	struct ly_gw *gw;		/* the gateway queries, on threads */
	size_t ngw;
};

static void
ly_read_h(evutil_socket_t fd, short what, void *arg)
{
	struct ly_probe *p = arg;
	uint8_t buf[STUN_MAX_DGRAM], cbuf[512];
	struct errqueue_icmp ee;
	struct sockaddr_storage from;
	struct msghdr mh;
	struct iovec iov;
	struct stun_msg m;
	ssize_t n;

	(void)what;
	for (;;) {		/* ICMP errors first */
		memset(&mh, 0, sizeof(mh));
		iov.iov_base = buf;
		iov.iov_len = sizeof(buf);
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_name = &from;
		mh.msg_namelen = sizeof(from);
		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		if (recvmsg(fd, &mh, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
			break;
		if (errqueue_decode(cbuf, mh.msg_controllen, &ee) < 0)
			continue;
		if (errqueue_is_hop(&ee) && ee.have_offender) {
			p->ip = ee.offender;
			p->hop = 1;
		} else if (errqueue_is_refusal(&ee)) {
			p->reached = 1;	/* the server said no */
		}
	}
	while ((n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) >= 0 ||
	    errno == ECONNREFUSED || errno == EHOSTUNREACH) {
		if (n >= 0 && stun_is_stun(buf, (size_t)n) &&
		    stun_msg_decode(buf, (size_t)n, &m) == 0 &&
		    memcmp(m.tid, p->tid, STUN_TID_LEN) == 0)
			p->reached = 1;
	}
}

/* The smallest TTL that reached the server, or 0. */
static int
ly_path_len(const struct ly_run *run)
{
	int i;

	for (i = 0; i < LAYERS_MAX_HOPS; i++)
		if (run->p[i].reached)
			return i + 1;
	return 0;
}

/* Retransmits the silent probes on schedule. */
static void
ly_tick_h(evutil_socket_t fd, short what, void *arg)
{
	struct ly_run *run = arg;
	long long el = loop_now_ms(run->loop) - run->start_ms;
	int len = ly_path_len(run), i;
	size_t k;

	(void)fd;
	(void)what;
	for (i = 0; i < (len ? len - 1 : LAYERS_MAX_HOPS); i++) {
		struct ly_probe *p = &run->p[i];

		if (p->hop || p->reached)
			continue;
		for (k = 0; k < sizeof(ly_rto_ms) / sizeof(ly_rto_ms[0]); k++)
			if (p->sends == k + 1 && el >= ly_rto_ms[k]) {
				(void)send(p->fd, p->req, p->req_len, 0);
				p->sends++;
			}
	}
}

/* Done when every hop before the server answered, or at the deadline. */
static int
ly_done_h(void *arg)
{
	struct ly_run *run = arg;
	int len = ly_path_len(run), i;

	size_t k;

	/* Joining a query still under way would hold up every family. */
	for (k = 0; k < run->ngw; k++)
		if (run->gw[k].started &&
		    !__atomic_load_n(&run->gw[k].ended, __ATOMIC_ACQUIRE))
			return 0;
	if (loop_now_ms(run->loop) - run->start_ms >= run->deadline_ms)
		return 1;
	if (len == 0)
		return 0;
	for (i = 0; i < len - 1; i++)
		if (!run->p[i].hop && !run->p[i].reached)
			return 0;
	return 1;
}

static int
ly_probe_open(struct check_ctx *ctx, struct ly_probe *p, int ttl)
{
	int one = 1, r;
	struct dbuf b;

	if ((p->fd = check_socket(ctx, SOCK_DGRAM,
	    ctlcli_welcome(ctx->ctl)->stun_port)) < 0)
		return p->fd;
	if (ctx->server_ip.family == AF_INET6) {
		if (setsockopt(p->fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl,
		    sizeof(ttl)) < 0 || setsockopt(p->fd, IPPROTO_IPV6,
		    IPV6_RECVERR, &one, sizeof(one)) < 0)
			return -errno;
	} else if (setsockopt(p->fd, IPPROTO_IP, IP_TTL, &ttl,
	    sizeof(ttl)) < 0 || setsockopt(p->fd, IPPROTO_IP, IP_RECVERR,
	    &one, sizeof(one)) < 0) {
		return -errno;
	}
	dbuf_init(&b, sizeof(p->req));
	if ((r = stun_tid_random(p->tid)) == 0 &&
	    (r = stun_enc_begin(&b, STUN_BINDING_REQUEST, p->tid)) == 0 &&
	    (r = stun_enc_padding(&b, 32)) == 0 &&
	    (r = stun_enc_finish(&b, NULL, 0, 1)) == 0) {
		memcpy(p->req, b.b, b.len);
		p->req_len = b.len;
	}
	dbuf_free(&b);
	if (r < 0)
		return r;
	p->ev = event_new(ctx->loop->base, p->fd, EV_READ | EV_PERSIST,
	    ly_read_h, p);
	if (p->ev == NULL)
		return -ENOMEM;
	event_add(p->ev, NULL);
	(void)send(p->fd, p->req, p->req_len, 0);
	p->sends = 1;
	return 0;
}

static int
ly_run_check(struct check_ctx *ctx)
{
	struct ly_gw gw4[2] = {
		{ .name = "natpmp", .label = "NAT-PMP", .fn = layers_natpmp_h },
		{ .name = "upnp", .label = "UPnP-IGD", .fn = layers_upnp_h },
	}, gw6[2] = {
		{ .name = "upnp_ipv6fc", .label = "UPnP IGDv2 "
		    "(WANIPv6FirewallControl)", .fn = layers_upnp6_h, .fw6 = 1 },
		{ .name = "pcp", .label = "PCP", .fn = layers_pcp_h, .fw6 = 1 },
	};
	struct ly_gw *gw = ctx->server_ip.family == AF_INET6 ? gw6 : gw4;
	struct ly_run run;
	struct layers_in in;
	struct layers_out out;
	const char *profile = "";
	unsigned max_nat = 0;
	long long t0 = loop_now_ms(ctx->loop);
	size_t i;
	int r = 0, len;

	for (i = 0; i < ctx->opt->nprofiles; i++)
		if (ctx->opt->profiles[i]->max_nat > 0 &&
		    (max_nat == 0 || ctx->opt->profiles[i]->max_nat < max_nat)) {
			max_nat = ctx->opt->profiles[i]->max_nat;
			profile = ctx->opt->profiles[i]->name;
		}
	if (max_nat == 0)
		return 0;
	check_progress(ctx, "nat.layers");
	/* The gateway is nearer than the server: its round trip bounds. */
	for (i = 0; i < 2; i++) {
		gw[i].loop = ctx->loop;
		gw[i].wait_ms = check_neg_wait_ms(ctx->rtt_ms, LY_GW_WAIT_MS);
		gw[i].started = pthread_create(&gw[i].thread, NULL, layers_gw_h,
		    &gw[i]) == 0;
	}

	memset(&run, 0, sizeof(run));
	run.gw = gw;
	run.ngw = 2;
	run.loop = ctx->loop;
	run.start_ms = t0;
	run.deadline_ms = ctx->opt->wait_ms < 2200 ? ctx->opt->wait_ms : 2200;
	for (i = 0; i < LAYERS_MAX_HOPS; i++)
		run.p[i].fd = -1;
	for (i = 0; i < LAYERS_MAX_HOPS && r == 0; i++)
		r = ly_probe_open(ctx, &run.p[i], (int)i + 1);
	if (r == 0 && (run.tick = event_new(ctx->loop->base, -1, EV_PERSIST,
	    ly_tick_h, &run)) == NULL)
		r = -ENOMEM;
	if (r == 0) {
		struct timeval tv = { 0, 50 * 1000 };

		event_add(run.tick, &tv);
		r = loop_wait(ctx->loop, ly_done_h, &run, run.deadline_ms + 500);
		if (r == -ETIMEDOUT)
			r = 0;
	}
	for (i = 0; i < 2; i++)
		if (gw[i].started)
			pthread_join(gw[i].thread, NULL);

	memset(&in, 0, sizeof(in));
	net_ip_from_sa(ctlcli_local(ctx->ctl), &in.local, NULL);
	in.public_ip = ctlcli_welcome(ctx->ctl)->observed_ip;
	len = ly_path_len(&run);
	in.nhops = len > 0 ? (size_t)len - 1 : LAYERS_MAX_HOPS;
	for (i = 0; i < in.nhops; i++) {
		in.hops[i].answered = run.p[i].hop;
		in.hops[i].ip = run.p[i].ip;
	}
	for (i = 0; i < 2 && !in.gw_known; i++)
		if (gw[i].ok) {
			in.gw_known = 1;
			in.gw_external = gw[i].external;
		}
	if (run.tick != NULL)
		event_free(run.tick);
	for (i = 0; i < LAYERS_MAX_HOPS; i++) {
		if (run.p[i].ev != NULL)
			event_free(run.p[i].ev);
		if (run.p[i].fd >= 0)
			close(run.p[i].fd);
	}
	if (r < 0)
		return r;
	layers_infer(&in, &out);
	layers_report(ctx, &in, &out, len, gw, 2, max_nat, profile,
	    loop_since_s(ctx->loop, t0));
	return 0;
}

const struct check_ops check_layers_ops = {
	.family = "nat-layers",
	.run = ly_run_check,
};
