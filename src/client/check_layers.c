/*
 * check_layers.c - nat.layers: how many NATs sit between us and the
 * server, whether one is a carrier NAT, and which hops.
 *
 * Three witnesses, asked at once: TTL-limited STUN requests toward the
 * server, whose ICMP time-exceeded answers name each hop (read from the
 * socket's error queue, no raw socket needed); and the gateway itself,
 * over NAT-PMP (libnatpmp) and UPnP-IGD (miniupnpc), for its external
 * address.  The gateway libraries block, so each runs in a thread of its
 * own while the event loop runs the TTL probes.  lib/layers.c weighs
 * what came back.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

#include <miniupnpc/miniupnpc.h>
#include <miniupnpc/upnpcommands.h>
#include <miniupnpc/upnperrors.h>
#define ENABLE_STRNATPMPERR
#include <natpmp.h>

#include "check.h"
#include "errqueue.h"
#include "layers.h"
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

struct ly_gw;

struct ly_run {
	struct ly_probe p[LAYERS_MAX_HOPS];
	struct event *tick;
	long long start_ms;
	int deadline_ms;
	struct loop *loop;
	struct ly_gw *gw;		/* the gateway queries, on threads */
	size_t ngw;
};

/* What one gateway protocol said. */
struct ly_gw {
	const char *name;		/* in the evidence */
	const char *label;		/* in the summary */
	void *(*fn)(void *arg);
	pthread_t thread;
	int started;
	struct loop *loop;		/* its clock only: a thread of its own */
	int wait_ms;			/* for the gateway to answer */
	int ended;			/* the thread is done (atomic) */
	int ok;
	int refused;			/* answered, named no external address */
	struct net_ip external;
	char error[112];
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

	if ((p->fd = check_socket(ctx, SOCK_DGRAM, ctlcli_welcome(ctx->ctl)->stun_port)) < 0)
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
	p->ev = event_new(ctx->loop->base, p->fd, EV_READ | EV_PERSIST, ly_read_h, p);
	if (p->ev == NULL)
		return -ENOMEM;
	event_add(p->ev, NULL);
	(void)send(p->fd, p->req, p->req_len, 0);
	p->sends = 1;
	return 0;
}

/*
 * Takes the gateway's external address, or the text it gave ('text',
 * NULL when g->external is set already).  An empty answer or 0.0.0.0 is
 * what gateways give when they have no external address they will name;
 * miniupnpd, for one, names no private or shared address.
 */
static void
ly_gw_named(struct ly_gw *g, const char *text)
{
	if (text != NULL && net_ip_parse(text, &g->external) < 0) {
		g->refused = 1;
		snprintf(g->error, sizeof(g->error), text[0] == '\0' ?
		    "the gateway names no external address (empty answer)" :
		    "the gateway's external address is not an address");
	} else if (net_ip_is_any(&g->external)) {
		g->refused = 1;
		snprintf(g->error, sizeof(g->error), "the gateway names no "
		    "external address (0.0.0.0)");
	} else {
		g->ok = 1;
	}
}

/* A gateway query's thread: the query, then the flag ly_done_h() reads. */
static void *
ly_gw_h(void *arg)
{
	struct ly_gw *g = arg;

	(void)g->fn(g);
	__atomic_store_n(&g->ended, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void *
ly_natpmp_h(void *arg)
{
	struct ly_gw *g = arg;
	natpmpresp_t resp;
	natpmp_t n;
	struct timeval tv;
	fd_set fds;
	long long t0 = loop_now_ms(g->loop), left;
	int r;

	if ((r = initnatpmp(&n, 0, 0)) < 0) {
		snprintf(g->error, sizeof(g->error), "no default gateway");
		return NULL;
	}
	if ((r = sendpublicaddressrequest(&n)) < 0) {
		snprintf(g->error, sizeof(g->error), "cannot ask (%d)", r);
		closenatpmp(&n);
		return NULL;
	}
	do {
		FD_ZERO(&fds);
		FD_SET(n.s, &fds);
		getnatpmprequesttimeout(&n, &tv);
		left = g->wait_ms - (loop_now_ms(g->loop) - t0);
		if (left <= 0)
			break;
		if (tv.tv_sec * 1000 + tv.tv_usec / 1000 > left) {
			tv.tv_sec = left / 1000;
			tv.tv_usec = (left % 1000) * 1000;
		}
		(void)select(n.s + 1, &fds, NULL, NULL, &tv);
		r = readnatpmpresponseorretry(&n, &resp);
	} while (r == NATPMP_TRYAGAIN);
	if (r == 0 && resp.type == NATPMP_RESPTYPE_PUBLICADDRESS) {
		g->external.family = AF_INET;
		memcpy(g->external.a, &resp.pnu.publicaddress.addr, 4);
		ly_gw_named(g, NULL);
	} else if (r == NATPMP_TRYAGAIN || r == 0) {
		snprintf(g->error, sizeof(g->error), "no answer from the gateway");
	} else if (r == NATPMP_ERR_NOGATEWAYSUPPORT) {
		snprintf(g->error, sizeof(g->error), "the gateway does not "
		    "speak NAT-PMP");
	} else if (r == NATPMP_ERR_NETWORKFAILURE ||
	    r == NATPMP_ERR_NOTAUTHORIZED || r == NATPMP_ERR_OUTOFRESOURCES) {
		/* RFC 6886 result codes 2-4: the gateway itself said no. */
		g->refused = 1;
		snprintf(g->error, sizeof(g->error), "the gateway names no "
		    "external address (%s)", strnatpmperr(r));
	} else {
		snprintf(g->error, sizeof(g->error), "%s", strnatpmperr(r));
	}
	closenatpmp(&n);
	return NULL;
}

static void *
ly_upnp_h(void *arg)
{
	struct ly_gw *g = arg;
	struct UPNPDev *devs;
	struct UPNPUrls urls;
	struct IGDdatas data;
	char lan[64], ext[64];
	int err = 0, r;

	/* One search type: the others would each wait as long again. */
	devs = upnpDiscoverDevice(
	    "urn:schemas-upnp-org:device:InternetGatewayDevice:1",
	    g->wait_ms, NULL, NULL, UPNP_LOCAL_PORT_ANY, 0, 2, &err);
	if (devs == NULL) {
		snprintf(g->error, sizeof(g->error), "no UPnP-IGD device "
		    "answered");
		return NULL;
	}
	r = UPNP_GetValidIGD(devs, &urls, &data, lan, sizeof(lan));
	if (r != 1 && r != 2) {
		snprintf(g->error, sizeof(g->error), "no Internet gateway "
		    "among the UPnP devices");
	} else if ((err = UPNP_GetExternalIPAddress(urls.controlURL,
	    data.first.servicetype, ext)) > 0) {
		g->refused = 1;		/* a UPnP error code from the gateway */
		snprintf(g->error, sizeof(g->error), "the gateway names no "
		    "external address (UPnP error %d, %s)", err,
		    strupnperror(err));
	} else if (err < 0) {
		snprintf(g->error, sizeof(g->error), "asking the gateway "
		    "failed (%s)", strupnperror(err));
	} else {
		ly_gw_named(g, ext);
	}
	if (r != 0)
		FreeUPNPUrls(&urls);
	freeUPNPDevlist(devs);
	return NULL;
}

static json_t *
ly_json_gw(const struct ly_gw *g)
{
	char a[NET_ADDRSTRLEN];

	if (g->ok)
		return json_pack("{s:s}", "external",
		    net_ip_str(&g->external, a, sizeof(a)));
	return json_pack("{s:s}", "error", g->error[0] ? g->error :
	    "not asked");
}

/* A JSON array of TTLs. */
static json_t *
ly_json_ttls(const unsigned *ttl, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_integer(ttl[i]));
	return a;
}

/* The evidence object: hops, methods, the counts. */
static json_t *
ly_evidence(const struct layers_in *in, const struct layers_out *out,
    int path_len, const struct ly_gw *gw, size_t ngw, unsigned max_nat,
    const char *profile)
{
	json_t *ev, *hops, *methods;
	char a[NET_ADDRSTRLEN];
	const char *realm;
	size_t i;

	hops = json_array();
	for (i = 0; i < in->nhops; i++) {
		const struct layers_hop *h = &in->hops[i];

		if (!h->answered) {
			json_array_append_new(hops, json_pack("{s:i, s:n, s:n, "
			    "s:n}", "ttl", (int)i + 1, "address", "class",
			    "realm"));
			continue;
		}
		realm = layers_realm(&h->ip);
		json_array_append_new(hops, json_pack("{s:i, s:s, s:s, s:s}",
		    "ttl", (int)i + 1, "address", net_ip_str(&h->ip, a,
		    sizeof(a)), "class", net_class_name(net_ip_class(&h->ip)),
		    "realm", realm ? realm : "public"));
	}
	methods = json_pack("{s:{s:i}}", "ttl", "count", (int)out->ttl_count);
	for (i = 0; i < ngw; i++)
		json_object_set_new(methods, gw[i].name, ly_json_gw(&gw[i]));
	ev = json_pack("{s:s, s:i, s:i, s:b, s:o, s:o, s:b, s:s, s:o, s:o}",
	    "profile", profile, "max_nat", (int)max_nat,
	    "count", (int)out->count, "cgnat", out->cgnat, "hops", hops,
	    "path_length", path_len ? json_integer(path_len) : json_null(),
	    "complete", out->complete,
	    "public", net_ip_str(&in->public_ip, a, sizeof(a)),
	    "unseen_hops", ly_json_ttls(out->unseen, out->nunseen),
	    "uncertain_hops", ly_json_ttls(out->uncertain, out->nuncertain));
	json_object_set_new(ev, "methods", methods);
	return ev;
}

/* "hop 2", "hops 1 and 3", "hops 1, 2 and 3". */
static void
ly_hops_str(char *buf, size_t len, const unsigned *ttl, size_t n)
{
	size_t i, o;

	o = (size_t)snprintf(buf, len, "hop%s", n > 1 ? "s" : "");
	for (i = 0; i < n && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%u", i == 0 ? " " :
		    i + 1 == n ? " and " : ", ", ttl[i]);
}

/*
 * What could not be seen, for the summary: silent hops that no gateway
 * answer covers, and private hops that may be routers or NATs.
 */
static void
ly_unseen_str(char *buf, size_t len, const struct layers_in *in,
    const struct layers_out *out, const struct ly_gw *gw, size_t ngw)
{
	char hops[80], a[NET_ADDRSTRLEN], addr[NET_ADDRSTRLEN + 3] = "";
	const char *gwsaid = "";
	size_t i, o = 0;

	if (out->gw_count == 0) {
		gwsaid = " and no gateway said its external address";
		for (i = 0; i < ngw; i++)
			if (gw[i].refused)
				gwsaid = " and the gateway names no external "
				    "address (as gateways do when theirs is "
				    "private)";
	}
	buf[0] = '\0';
	if (out->nhidden > 0) {
		ly_hops_str(hops, sizeof(hops), out->hidden, out->nhidden);
		o = (size_t)snprintf(buf, len, "; %s did not answer%s, so a%s "
		    "NAT there cannot be seen", hops, gwsaid,
		    out->gw_count ? " further" : "");
	}
	if (out->nuncertain > 0 && o < len) {
		ly_hops_str(hops, sizeof(hops), out->uncertain, out->nuncertain);
		if (out->nuncertain == 1)
			snprintf(addr, sizeof(addr), " (%s)", net_ip_str(
			    &in->hops[out->uncertain[0] - 1].ip, a, sizeof(a)));
		snprintf(buf + o, len - o, "; %s%s answer%s from the private "
		    "range of the hop before: another router or another NAT, "
		    "which the path cannot tell apart", hops, addr,
		    out->nuncertain == 1 ? "s" : "");
	}
}

/* "; the gateway names 10.0.0.2 over NAT-PMP and UPnP-IGD", or "". */
static void
ly_gw_str(char *buf, size_t len, const struct ly_gw *gw, size_t ngw)
{
	char a[NET_ADDRSTRLEN];
	size_t i, o = 0, n = 0;

	buf[0] = '\0';
	for (i = 0; i < ngw; i++) {
		if (!gw[i].ok || o >= len)
			continue;
		if (n++ == 0)
			o += (size_t)snprintf(buf, len, "; the gateway names %s "
			    "over %s", net_ip_str(&gw[i].external, a, sizeof(a)),
			    gw[i].label);
		else
			o += (size_t)snprintf(buf + o, len - o, " and %s",
			    gw[i].label);
	}
}

static void
ly_report(struct check_ctx *ctx, const struct layers_in *in,
    const struct layers_out *out, int path_len, const struct ly_gw *gw,
    size_t ngw, unsigned max_nat, const char *profile, double dur)
{
	struct report_check *c;
	enum verdict v = VERDICT_PASS;
	const char *remedy = NULL;
	char said[160], unseen[400], cgnat[480];
	char device[PROFILE_DEVICE_MAX * 4];
	json_t *ev;

	ev = ly_evidence(in, out, path_len, gw, ngw, max_nat, profile);
	ly_gw_str(said, sizeof(said), gw, ngw);
	ly_unseen_str(unseen, sizeof(unseen), in, out, gw, ngw);
	if (out->count > max_nat) {
		v = VERDICT_FAIL;
		snprintf(cgnat, sizeof(cgnat), "The provider puts this line "
		    "behind a carrier-grade NAT (100.64.0.0/10). Ask for a "
		    "public IPv4 address; until then keep the NAT keepalives "
		    "of %s short.", check_devices(ctx, device, sizeof(device)));
		remedy = out->cgnat ? cgnat :
		    "Remove one NAT: put the first router (often the "
		    "provider's modem) in bridge mode, or make this router its "
		    "exposed host (DMZ), so that one device translates.";
	} else if (!out->complete) {
		v = VERDICT_WARN;
		remedy = "Confirm on the router's status page that its WAN "
		    "address is the public address shown here; if it is a "
		    "private or 100.64 address, another NAT sits beyond it.";
	}
	if (!out->nat)
		c = report_add(ctx->report, "nat.layers", "NAT", v, ev, remedy,
		    "no NAT between us and the server");
	else
		c = report_add(ctx->report, "nat.layers", "NAT", v, ev, remedy,
		    "%u NAT%s on the path%s (at most %u allowed)%s%s",
		    out->count, out->count == 1 ? "" : "s",
		    out->cgnat ? ", one of them carrier-grade" : "",
		    max_nat, out->gw_count ? said : "", unseen);
	if (c != NULL)
		c->duration_s = dur;
}

static int
ly_run_check(struct check_ctx *ctx)
{
	struct ly_gw gw[2] = {
		{ .name = "natpmp", .label = "NAT-PMP", .fn = ly_natpmp_h },
		{ .name = "upnp", .label = "UPnP-IGD", .fn = ly_upnp_h },
	};
	struct ly_run run;
	struct layers_in in;
	struct layers_out out;
	const char *profile = "";
	unsigned max_nat = 0;
	long long t0 = loop_now_ms(ctx->loop);
	size_t i;
	int r = 0, len;

	for (i = 0; i < ctx->nprofiles; i++)
		if (ctx->profiles[i]->max_nat > 0 &&
		    (max_nat == 0 || ctx->profiles[i]->max_nat < max_nat)) {
			max_nat = ctx->profiles[i]->max_nat;
			profile = ctx->profiles[i]->name;
		}
	if (max_nat == 0)
		return 0;
	check_progress(ctx, "nat.layers");
	/* The gateway is nearer than the server: its round trip bounds. */
	for (i = 0; i < 2; i++) {
		gw[i].loop = ctx->loop;
		gw[i].wait_ms = check_neg_wait_ms(ctx->rtt_ms, LY_GW_WAIT_MS);
		gw[i].started = pthread_create(&gw[i].thread, NULL, ly_gw_h,
		    &gw[i]) == 0;
	}

	memset(&run, 0, sizeof(run));
	run.gw = gw;
	run.ngw = 2;
	run.loop = ctx->loop;
	run.start_ms = t0;
	run.deadline_ms = ctx->wait_ms < 2200 ? ctx->wait_ms : 2200;
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
	ly_report(ctx, &in, &out, len, gw, 2, max_nat, profile,
	    (double)(loop_now_ms(ctx->loop) - t0) / 1000.0);
	return 0;
}

const struct check_ops check_layers_ops = {
	.family = "nat-layers",
	.run = ly_run_check,
};
