/*
 * check_nat.c - nat.present: our local address, the public address the
 * server saw over UDP (STUN Binding) and over TCP (the control connection),
 * and whether a NAT sits on the path.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "natdisc.h"
#include "stun.h"

/* STUN retransmissions (RFC 5389 7.2.1, shortened): 0, 0.5, 1.5 s. */
static const int nat_rto_ms[] = { 500, 1000, 1500 };

struct nat_stun_match {
	const uint8_t *tid;
};

static int
nat_stun_match_h(const uint8_t *buf, size_t len, void *arg)
{
	struct nat_stun_match *m = arg;
	struct stun_msg msg;

	if (!stun_is_stun(buf, len) || stun_msg_decode(buf, len, &msg) < 0)
		return 0;
	return memcmp(msg.tid, m->tid, STUN_TID_LEN) == 0 &&
	    (msg.type == STUN_BINDING_SUCCESS || msg.type == STUN_BINDING_ERROR);
}

/*
 * One STUN Binding over UDP.  The request is padded so that it is larger
 * than the answer: pinholed never answers an unvalidated source with more
 * bytes than it received, and we want the answer either way.
 */
static int
nat_stun_binding(struct check_ctx *ctx, struct sockaddr_storage *local,
    struct sockaddr_storage *mapped, int *rtt_ms)
{
	uint8_t tid[STUN_TID_LEN], resp[STUN_MAX_DGRAM];
	struct nat_stun_match m = { tid };
	struct stun_msg msg;
	struct dbuf b;
	socklen_t llen = sizeof(*local);
	long long t0;
	size_t rlen, i;
	int fd, r;

	if ((fd = check_socket(ctx, SOCK_DGRAM,
	    ctlcli_welcome(ctx->ctl)->stun_port)) < 0)
		return fd;
	dbuf_init(&b, STUN_MAX_MSG);
	if ((r = stun_tid_random(tid)) < 0 ||
	    (r = stun_enc_begin(&b, STUN_BINDING_REQUEST, tid)) < 0 ||
	    (r = stun_enc_padding(&b, 64)) < 0 ||
	    (r = stun_enc_finish(&b, NULL, 0, 1)) < 0)
		goto out;
	if (getsockname(fd, (struct sockaddr *)local, &llen) < 0) {
		r = -errno;
		goto out;
	}
	t0 = loop_now_ms(ctx->loop);
	r = -ETIMEDOUT;
	for (i = 0; i < sizeof(nat_rto_ms) / sizeof(nat_rto_ms[0]); i++) {
		if (send(fd, b.b, b.len, 0) < 0 && errno != ECONNREFUSED) {
			r = -errno;
			goto out;
		}
		r = check_udp_wait(ctx, fd, nat_stun_match_h, &m, resp,
		    sizeof(resp), &rlen, nat_rto_ms[i]);
		if (r != -ETIMEDOUT)
			break;
	}
	if (r < 0)
		goto out;
	*rtt_ms = (int)(loop_now_ms(ctx->loop) - t0);
	if ((r = stun_msg_decode(resp, rlen, &msg)) < 0)
		goto out;
	if (msg.type != STUN_BINDING_SUCCESS) {
		r = -EPROTO;
		goto out;
	}
	if (msg.present & STUN_HAS_XOR_MAPPED)
		*mapped = msg.xor_mapped;
	else if (msg.present & STUN_HAS_MAPPED)
		*mapped = msg.mapped;
	else
		r = -EBADMSG;
out:
	dbuf_free(&b);
	close(fd);
	return r;
}

static json_t *
nat_pair(const struct sockaddr *local, const struct sockaddr *pub)
{
	return json_pack("{s:o, s:o}", "local", check_json_sa(local),
	    "public", pub ? check_json_sa(pub) : json_null());
}

/* Whether any profile expects UDP that the internet initiates. */
static int
nat_wants_inbound(const struct check_ctx *ctx)
{
	size_t i, k;

	for (i = 0; i < ctx->opt->nprofiles; i++)
		for (k = 0; k < ctx->opt->profiles[i]->nendpoints; k++)
			if (ctx->opt->profiles[i]->endpoints[k].proto == PROFILE_UDP &&
			    (ctx->opt->profiles[i]->endpoints[k].dir & PROFILE_IN))
				return 1;
	return 0;
}

/* nat.mapping, nat.filtering, nat.port-preservation, nat.hairpin. */
static int
nat_behavior(struct check_ctx *ctx)
{
	struct natdisc nd;
	long long t0 = loop_now_ms(ctx->loop);
	char a[NET_ADDRSTRLEN], device[PROFILE_DEVICE_MAX * 4];
	int r;

	check_progress(ctx, "nat.mapping");
	memset(&nd, 0, sizeof(nd));
	nd.loop = ctx->loop;
	nd.server_len = net_sa_from_ip(&ctx->server_ip,
	    ctlcli_welcome(ctx->ctl)->stun_port, &nd.server);
	nd.wait_ms = ctx->opt->wait_ms;
	if ((r = natdisc_run(&nd)) < 0) {
		report_add(ctx->report, "nat.mapping", "NAT", VERDICT_SKIP,
		    NULL, NULL, "not measured: no STUN answer from %s (%s)",
		    net_sa_str((struct sockaddr *)&nd.server, a, sizeof(a)),
		    strerror(-r));
		return 0;
	}
	natdisc_report(&nd, ctx->report, check_devices(ctx, device,
	    sizeof(device)), nat_wants_inbound(ctx),
	    loop_since_s(ctx->loop, t0));
	return 0;
}

static int
nat_run(struct check_ctx *ctx)
{
	struct sockaddr_storage ulocal, umapped, tpub;
	struct net_ip lip, uip, tip;
	char a[NET_ADDRSTRLEN], b[NET_ADDRSTRLEN], d[NET_ADDRSTRLEN];
	char device[PROFILE_DEVICE_MAX * 4], pooling[600];
	const char *remedy = NULL;
	enum verdict v = VERDICT_PASS;
	enum net_nat6 k6;
	int rtt = 0, r, nat;
	json_t *ev;

	const struct ctl_welcome *w = ctlcli_welcome(ctx->ctl);
	long long t0 = loop_now_ms(ctx->loop);
	struct report_check *c;

	check_progress(ctx, "nat.present");
	net_sa_from_ip(&w->observed_ip, w->observed_port, &tpub);
	net_ip_from_sa(ctlcli_local(ctx->ctl), &lip, NULL);
	net_ip_from_sa((struct sockaddr *)&tpub, &tip, NULL);
	report_set(ctx->report, &ctx->report->local_addr,
	    net_ip_str(&lip, a, sizeof(a)));
	report_set(ctx->report, &ctx->report->public_tcp,
	    net_ip_str(&tip, a, sizeof(a)));

	r = nat_stun_binding(ctx, &ulocal, &umapped, &rtt);
	nat = !net_ip_equal(&lip, &tip);
	ev = json_object();
	json_object_set_new(ev, "udp", nat_pair((struct sockaddr *)&ulocal,
	    r == 0 ? (struct sockaddr *)&umapped : NULL));
	json_object_set_new(ev, "tcp", nat_pair(
	    ctlcli_local(ctx->ctl), (struct sockaddr *)&tpub));
	json_object_set_new(ev, "local_class",
	    json_string(net_class_name(net_ip_class(&lip))));
	json_object_set_new(ev, "public_class",
	    json_string(net_class_name(net_ip_class(&tip))));
	if (r < 0) {
		json_object_set_new(ev, "nat", json_boolean(nat));
		json_object_set_new(ev, "same_public_ip", json_null());
		json_object_set_new(ev, "udp_error", json_string(strerror(-r)));
		c = report_add(ctx->report, "nat.present", "NAT", VERDICT_WARN, ev,
		    "Allow outbound UDP to the server's STUN port "
		    "(3478 by default); every voice call needs outbound UDP.",
		    "no STUN answer over UDP from port %u (%s); over TCP our "
		    "address %s is seen as %s", w->stun_port,
		    strerror(-r), net_ip_str(&lip, a, sizeof(a)),
		    net_ip_str(&tip, b, sizeof(b)));
		if (c != NULL)
			c->duration_s = loop_since_s(ctx->loop, t0);
		return nat_behavior(ctx);
	}
	net_ip_from_sa((struct sockaddr *)&umapped, &uip, NULL);
	report_set(ctx->report, &ctx->report->public_udp,
	    net_ip_str(&uip, a, sizeof(a)));
	nat = nat || !net_ip_equal(&lip, &uip);
	json_object_set_new(ev, "nat", json_boolean(nat));
	json_object_set_new(ev, "same_public_ip",
	    json_boolean(net_ip_equal(&uip, &tip)));
	json_object_set_new(ev, "stun_rtt_ms", json_integer(rtt));
	if (!net_ip_equal(&uip, &tip)) {
		v = VERDICT_WARN;
		snprintf(pooling, sizeof(pooling), "The NAT gives UDP and TCP "
		    "different public addresses. Configure address pooling as "
		    "\"paired\" (RFC 4787 REQ-2) so that the signalling and "
		    "media of each of %s leave from one address.",
		    check_devices(ctx, device, sizeof(device)));
		remedy = pooling;
	}
	/* Over IPv6, which translation: the prefix alone, or all of it. */
	k6 = net_nat6_kind(&lip, &uip);
	if (k6 == NET_NAT6_NONE)
		k6 = net_nat6_kind(&lip, &tip);
	if (k6 != NET_NAT6_NONE)
		json_object_set_new(ev, "nat6", json_string(net_nat6_name(k6)));
	net_ip_str(&lip, a, sizeof(a));
	if (!nat)
		c = report_add(ctx->report, "nat.present", "NAT", v, ev, remedy,
		    "no NAT: the server sees our own address %s", a);
	else
		c = report_add(ctx->report, "nat.present", "NAT", v, ev, remedy,
		    "%s on the path: local %s is seen as %s over UDP and %s "
		    "over TCP%s", k6 == NET_NAT6_NPT ? "NPTv6" :
		    k6 == NET_NAT6_NAT66 ? "NAT66" : "NAT", a,
		    net_ip_str(&uip, b, sizeof(b)), net_ip_str(&tip, d,
		    sizeof(d)), k6 == NET_NAT6_NPT ? " (the prefix translated, "
		    "the interface identifier kept)" : "");
	if (c != NULL)
		c->duration_s = loop_since_s(ctx->loop, t0);
	return nat_behavior(ctx);
}

const struct check_ops check_nat_ops = {
	.family = "nat",
	.run = nat_run,
};
