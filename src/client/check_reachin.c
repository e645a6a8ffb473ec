/*
 * check_reachin.c - reach.<proto>.in.<ports>: traffic that the internet
 * starts, sent by the server to our public address.
 *
 * UDP: the server sweeps the whole range (CTL_SWEEP: one datagram per
 * port, paced, batched); a raw socket sees every datagram that arrives,
 * whatever the port, so no port needs a socket of its own.  The ports that
 * did not arrive are swept once more, so that a lost datagram is not a
 * closed port.  Where the profile restricts inbound traffic to source
 * ranges and the server has an address outside them, a sample of ports is
 * swept from that address too: the firewall should keep it out.
 *
 * TCP: we listen on each port and the server connects (CTL_CONNECT);
 * the server says whether the connection was refused or timed out.
 */
#include <errno.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "portset.h"
#include "rawudp.h"

#define RI_RETRY_MAX	8192	/* ports retried in the second pass */
#define RI_MAX_RANGES	64	/* per SWEEP */
#define RI_SAMPLE	32	/* ports swept from outside the sources */
#define RI_PASSES	5	/* sweeps of the missing ports, in all */
#define RI_SAMPLE_FROM	1024	/* larger ranges are sampled first */
#define RI_PROBE	128	/* ports of that sample */
#define RI_BIND_MAX	4096	/* without a raw socket: sockets, at most */
#define RI_MAX_TCP	64

struct ri_sweep {
	struct check_ctx *ctx;
	int raw;			/* -1: a socket per port instead */
	struct event *ev;
	int *fds;
	struct event **evs;
	size_t nfds;
	struct portset unbound;		/* ports we could not listen on */
	uint8_t nonce[CTL_NONCE_LEN];
	char hex[2 * CTL_NONCE_LEN + 1];
	struct net_ip from;		/* the server address that sends */
	uint16_t lport;			/* ... and its port (0: STUN's) */
	struct portset got;
	int ids[64];			/* requests under way */
	size_t nids;
};

static void
ri_raw_h(evutil_socket_t fd, short what, void *arg)
{
	struct ri_sweep *w = arg;
	uint8_t buf[256];
	struct rawudp d;
	uint16_t port;
	ssize_t r;
	int i;

	(void)what;
	for (i = 0; i < 4096; i++) {
		if ((r = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) < 0)
			return;
		if (rawudp_decode(buf, (size_t)r, &d) < 0 ||
		    !net_ip_equal(&d.src, &w->from))
			continue;
		port = ctl_sweep_port(d.payload, d.len, w->hex);
		if (port > 0)
			portset_add(&w->got, port);
	}
}

/* Without a raw socket: a datagram on one of the per-port sockets. */
static void
ri_port_h(evutil_socket_t fd, short what, void *arg)
{
	struct ri_sweep *w = arg;
	struct sockaddr_storage from;
	socklen_t fl = sizeof(from);
	uint8_t buf[128];
	struct net_ip src;
	uint16_t port;
	ssize_t n;

	(void)what;
	while ((n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
	    (struct sockaddr *)&from, &fl)) >= 0) {
		net_ip_from_sa((struct sockaddr *)&from, &src, NULL);
		if (net_ip_equal(&src, &w->from) &&
		    (port = ctl_sweep_port(buf, (size_t)n, w->hex)) > 0)
			portset_add(&w->got, port);
		fl = sizeof(from);
	}
}

/* Reads whatever has arrived by now. */
static void
ri_drain(struct ri_sweep *w)
{
	size_t i;

	if (w->raw >= 0)
		ri_raw_h(w->raw, EV_READ, w);
	for (i = 0; i < w->nfds; i++)
		ri_port_h(w->fds[i], EV_READ, w);
}

/* 'n' ports spread evenly over lo-hi, both edges included. */
static void
ri_spread(struct portset *s, unsigned lo, unsigned hi, unsigned n)
{
	unsigned i;

	portset_clear(s);
	for (i = 0; i < n; i++)
		portset_add(s, (uint16_t)(lo + (unsigned long)(hi - lo) * i /
		    (n - 1)));
}

static int
ri_never_h(void *arg)
{
	(void)arg;
	return 0;
}

static int
ri_sweep_done_h(void *arg)
{
	struct ri_sweep *w = arg;
	size_t i;

	for (i = 0; i < w->nids; i++)
		if (ctlcli_result_find(w->ctx->ctl, (uint32_t)w->ids[i]) == NULL)
			return 0;
	return 1;
}

/* Sweeps the ports of 'want' that are not in w->got yet. */
static int
ri_sweep_pass(struct ri_sweep *w, const struct portset *want, unsigned lo,
    unsigned hi, int timeout_ms)
{
	uint16_t ranges[RI_MAX_RANGES][2];
	size_t nr = 0;
	unsigned p, start;
	int id, r;

	w->nids = 0;
	for (p = lo; p <= hi; p++) {
		if (!portset_has(want, (uint16_t)p) ||
		    portset_has(&w->got, (uint16_t)p))
			continue;
		start = p;
		while (p + 1 <= hi && portset_has(want, (uint16_t)(p + 1)) &&
		    !portset_has(&w->got, (uint16_t)(p + 1)))
			p++;
		ranges[nr][0] = (uint16_t)start;
		ranges[nr][1] = (uint16_t)p;
		if (++nr == RI_MAX_RANGES || p >= hi) {
			if (w->nids == sizeof(w->ids) / sizeof(w->ids[0]))
				break;
			if ((id = ctlcli_sweep(w->ctx->ctl, w->nonce,
			    (const uint16_t (*)[2])ranges, nr, &w->from, w->lport)) < 0)
				return id;
			w->ids[w->nids++] = id;
			nr = 0;
		}
	}
	if (nr > 0 && w->nids < sizeof(w->ids) / sizeof(w->ids[0])) {
		if ((id = ctlcli_sweep(w->ctx->ctl, w->nonce,
		    (const uint16_t (*)[2])ranges, nr, &w->from, w->lport)) < 0)
			return id;
		w->ids[w->nids++] = id;
	}
	r = loop_wait(w->ctx->loop, ri_sweep_done_h, w, timeout_ms);
	if (r < 0 && r != -ETIMEDOUT)
		return r;
	/* The last datagrams are still on their way: one more look. */
	(void)loop_wait(w->ctx->loop, ri_sweep_done_h, w, 0);
	/* A wait, not a sleep: the other families run meanwhile. */
	(void)loop_wait(w->ctx->loop, ri_never_h, NULL, 200);
	ri_drain(w);
	return 0;
}

/* The error of the first failed request of the last pass, or NULL. */
static const struct ctl_answer *
ri_failed(const struct ri_sweep *w)
{
	const struct ctl_answer *res;
	size_t i;

	for (i = 0; i < w->nids; i++)
		if ((res = ctlcli_result_find(w->ctx->ctl,
		    (uint32_t)w->ids[i])) != NULL && res->code != 0)
			return res;
	return NULL;
}

/*
 * Without the privilege for a raw socket: a socket on every port of
 * lo-hi, for ranges of up to RI_BIND_MAX ports.  Ports in use here, or
 * below 1024, go to w->unbound.
 */
static int
ri_bind_ports(struct ri_sweep *w, unsigned lo, unsigned hi)
{
	struct sockaddr_storage ss;
	struct rlimit rl;
	struct net_ip any;
	size_t need = (size_t)(hi - lo + 1);
	socklen_t len;
	unsigned port;
	int fd;

	if (need > RI_BIND_MAX)
		return -EPERM;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < need + 256 &&
	    (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need + 256)) {
		rl.rlim_cur = need + 256;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
	if ((w->fds = calloc(need, sizeof(*w->fds))) == NULL ||
	    (w->evs = calloc(need, sizeof(*w->evs))) == NULL)
		return -ENOMEM;
	net_ip_parse("0.0.0.0", &any);
	for (port = lo; port <= hi; port++) {
		len = net_sa_from_ip(&any, (uint16_t)port, &ss);
		fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
		if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len) < 0) {
			if (fd >= 0)
				close(fd);
			portset_add(&w->unbound, (uint16_t)port);
			continue;
		}
		w->fds[w->nfds] = fd;
		w->evs[w->nfds] = event_new(w->ctx->loop->base, fd, EV_READ |
		    EV_PERSIST, ri_port_h, w);
		if (w->evs[w->nfds] != NULL)
			event_add(w->evs[w->nfds], NULL);
		w->nfds++;
	}
	return w->nfds > 0 ? 0 : -EPERM;
}

static int
ri_sweep_open(struct check_ctx *ctx, struct ri_sweep *w,
    const struct net_ip *from, unsigned lo, unsigned hi)
{
	int one = 16 << 20, r;

	memset(w, 0, sizeof(*w));
	w->ctx = ctx;
	w->from = *from;
	w->lport = check_sweep_port(ctx);
	if (check_random(w->nonce, sizeof(w->nonce)) < 0)
		return -EIO;
	check_hex(w->nonce, sizeof(w->nonce), w->hex);
	if ((w->raw = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    IPPROTO_UDP)) < 0) {
		r = -errno;
		if (r != -EPERM && r != -EACCES)
			return r;
		return ri_bind_ports(w, lo, hi);
	}
	if (setsockopt(w->raw, SOL_SOCKET, SO_RCVBUFFORCE, &one,
	    sizeof(one)) < 0)
		(void)setsockopt(w->raw, SOL_SOCKET, SO_RCVBUF, &one,
		    sizeof(one));
	w->ev = event_new(ctx->loop->base, w->raw, EV_READ | EV_PERSIST, ri_raw_h, w);
	if (w->ev == NULL) {
		close(w->raw);
		w->raw = -1;
		return -ENOMEM;
	}
	event_add(w->ev, NULL);
	return 0;
}

static void
ri_sweep_close(struct ri_sweep *w)
{
	size_t i;

	if (w->ev != NULL)
		event_free(w->ev);
	if (w->raw >= 0)
		close(w->raw);
	for (i = 0; i < w->nfds; i++) {
		if (w->evs[i] != NULL)
			event_free(w->evs[i]);
		close(w->fds[i]);
	}
	free(w->fds);
	free(w->evs);
}

static int
ri_inside(const struct profile *p, const struct net_ip *ip)
{
	size_t k;

	for (k = 0; k < p->nsources; k++)
		if (net_cidr_contains(&p->sources[k], ip))
			return 1;
	return 0;
}

/* A server address outside every source range of the profile, if any. */
static int
ri_outside(const struct check_ctx *ctx, const struct profile *p,
    struct net_ip *out)
{
	size_t i;

	for (i = 0; i < ctlcli_welcome(ctx->ctl)->nserver_addrs; i++) {
		if (!ri_inside(p, &ctlcli_welcome(ctx->ctl)->server_addrs[i]) &&
		    ctlcli_welcome(ctx->ctl)->server_addrs[i].family == AF_INET) {
			*out = ctlcli_welcome(ctx->ctl)->server_addrs[i];
			return 1;
		}
	}
	return 0;
}

static void
ri_udp(struct check_ctx *ctx, const struct profile *p,
    const struct profile_endpoint *e, const char *id)
{
	struct ri_sweep w, o;
	struct portset want, blocked, sample, tried, untried;
	char ol[2048], bl[2048], ul[2048], a[NET_ADDRSTRLEN], remedy[256];
	const struct ctl_answer *fail = NULL;
	unsigned port, passes = 1, n, sampled = 0;
	long long t0 = loop_now_ms(ctx->loop);
	int r, timeout_ms;
	struct report_check *c;
	struct net_ip out;
	json_t *ev;

	portset_clear(&want);
	for (port = e->port_lo; port <= e->port_hi; port++)
		portset_add(&want, (uint16_t)port);
	if ((r = ri_sweep_open(ctx, &w, &ctx->server_ip, e->port_lo,
	    e->port_hi)) < 0) {
		report_add(ctx->report, id, "Reachability", VERDICT_SKIP,
		    json_pack("{s:s, s:s}", "profile", p->name, "endpoint",
		    e->name), NULL, "not measured: %s (a sweep of more than "
		    "%d ports is received with a raw socket, so as root or "
		    "with CAP_NET_RAW)", strerror(-r), RI_BIND_MAX);
		ri_sweep_close(&w);
		return;
	}
	/* 65535 ports at the default 50000/s take about 1.3 s. */
	timeout_ms = (int)(want.count / 20) + 3000;
	/*
	 * A large range is sampled first: RI_PROBE ports spread over it, its
	 * edges included, twice.  When none of them arrives, the requirement
	 * (every port open) is refuted, and the rest is left untried: a NAT
	 * without a forward, the common case, learns nothing more from 65535
	 * datagrams, each of which leaves an entry in its connection table.
	 * When some arrive, the whole range is swept: to prove it open, or
	 * to name what is open for the remedy.
	 */
	portset_clear(&tried);
	if (want.count > RI_SAMPLE_FROM) {
		ri_spread(&tried, e->port_lo, e->port_hi, RI_PROBE);
		if ((r = ri_sweep_pass(&w, &tried, e->port_lo, e->port_hi,
		    3000)) < 0 || (fail = ri_failed(&w)) != NULL)
			goto refused;
		if (w.got.count == 0) {
			passes++;
			if ((r = ri_sweep_pass(&w, &tried, e->port_lo,
			    e->port_hi, 3000)) < 0 ||
			    (fail = ri_failed(&w)) != NULL)
				goto refused;
		}
		sampled = tried.count;
	}
	if (sampled == 0 || w.got.count > 0) {
		if (sampled != 0)
			passes++;
		tried = want;
		if ((r = ri_sweep_pass(&w, &want, e->port_lo, e->port_hi,
		    timeout_ms)) < 0 || (fail = ri_failed(&w)) != NULL)
			goto refused;
		sampled = 0;
	}
	/*
	 * Lost or closed: ask again for exactly those, while asking again
	 * still brings ports in (at most RI_PASSES in all).  When nothing at
	 * all arrived, a sample is enough to confirm it.
	 */
	while (sampled == 0 && (n = want.count - w.got.count) > 0 &&
	    passes < RI_PASSES) {
		unsigned before = w.got.count;

		if (w.got.count == 0) {
			portset_clear(&sample);
			for (port = e->port_lo; port <= e->port_hi &&
			    sample.count < RI_SAMPLE; port++)
				portset_add(&sample, (uint16_t)port);
			r = ri_sweep_pass(&w, &sample, e->port_lo, e->port_hi,
			    3000);
		} else if (n <= RI_RETRY_MAX) {
			r = ri_sweep_pass(&w, &want, e->port_lo, e->port_hi,
			    timeout_ms);
		} else {
			break;
		}
		passes++;
		if (r < 0 || w.got.count == before)
			break;
	}
	portset_clear(&blocked);
	portset_clear(&untried);
	for (port = e->port_lo; port <= e->port_hi; port++) {
		if (!portset_has(&tried, (uint16_t)port))
			portset_add(&untried, (uint16_t)port);
		else if (!portset_has(&w.got, (uint16_t)port) &&
		    !portset_has(&w.unbound, (uint16_t)port))
			portset_add(&blocked, (uint16_t)port);
	}
	portset_format(&w.got, ol, sizeof(ol));
	portset_format(&blocked, bl, sizeof(bl));
	ev = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:I, s:I}",
	    "profile", p->name, "endpoint", e->name,
	    "spoken", sampled > 0 ? "UDP datagrams sent by the server to a "
	    "sample of the ports" : "UDP datagrams sent by the server to "
	    "every port",
	    "open", ol, "blocked", bl, "sent_from_port", w.lport != 0 ?
	    (int)w.lport : (int)ctlcli_welcome(ctx->ctl)->stun_port,
	    "arrived", (json_int_t)w.got.count, "passes", (json_int_t)passes);
	json_object_set_new(ev, "source", json_string(net_ip_str(&w.from, a,
	    sizeof(a))));
	json_object_set_new(ev, "device", json_string(profile_device(p, e)));
	json_object_set_new(ev, "receiver", json_string(w.raw >= 0 ?
	    "raw socket" : "a socket per port"));
	if (w.unbound.count > 0) {
		portset_format(&w.unbound, bl, sizeof(bl));
		json_object_set_new(ev, "untestable", json_string(bl));
		portset_format(&blocked, bl, sizeof(bl));
	}
	if (sampled > 0) {
		portset_format(&untried, ul, sizeof(ul));
		json_object_set_new(ev, "sampled", json_integer(sampled));
		json_object_set_new(ev, "untried", json_string(ul));
	}
	ri_sweep_close(&w);

	/*
	 * Traffic from outside the provider's ranges should stay out: worth
	 * testing when the server itself is inside them and has another
	 * address that is not.
	 */
	json_object_set_new(ev, "source_in_ranges", p->nsources == 0 ?
	    json_null() : json_boolean(ri_inside(p, &ctx->server_ip)));
	if (p->nsources > 0 && ri_inside(p, &ctx->server_ip) &&
	    ri_outside(ctx, p, &out) &&
	    ri_sweep_open(ctx, &o, &out, e->port_lo, e->port_hi) == 0) {
		portset_clear(&sample);
		for (port = e->port_lo; port <= e->port_hi &&
		    sample.count < RI_SAMPLE; port++)
			portset_add(&sample, (uint16_t)port);
		if (ri_sweep_pass(&o, &sample, e->port_lo, e->port_hi,
		    3000) == 0)
			json_object_set_new(ev, "outside_source", json_pack(
			    "{s:s, s:I, s:I}", "address", net_ip_str(&out, a,
			    sizeof(a)), "sent", (json_int_t)sample.count,
			    "arrived", (json_int_t)o.got.count));
		ri_sweep_close(&o);
	}
	/* How (a forward, or a firewall rule) follows from nat.present:
	 * lib/advice.c says it. */
	snprintf(remedy, sizeof(remedy), "Let inbound UDP from the provider's "
	    "source ranges through to %s, as the profile asks.",
	    profile_device(p, e));
	if (sampled > 0)
		c = report_add(ctx->report, id, "Reachability", VERDICT_FAIL, ev,
		    remedy, "inbound UDP from %s: none of %u ports sampled "
		    "across %u-%u (its edges included) arrived, twice; the "
		    "other %u were not tried", net_ip_str(&ctx->server_ip, a,
		    sizeof(a)), sampled, e->port_lo, e->port_hi,
		    untried.count);
	else if (blocked.count > 0)
		c = report_add(ctx->report, id, "Reachability", VERDICT_FAIL, ev,
		    remedy, "inbound UDP from %s: open %s; blocked %s",
		    net_ip_str(&ctx->server_ip, a, sizeof(a)),
		    ol[0] ? ol : "none", bl);
	else if (json_integer_value(json_object_get(json_object_get(ev,
	    "outside_source"), "arrived")) > 0)
		c = report_add(ctx->report, id, "Reachability", VERDICT_WARN,
		    ev, "Restrict this inbound traffic to the provider's source "
		    "ranges.", "inbound UDP open on every port, also from %s, "
		    "outside the profile's source ranges", json_string_value(
		    json_object_get(json_object_get(ev, "outside_source"),
		    "address")));
	else
		c = report_add(ctx->report, id, "Reachability", VERDICT_PASS, ev,
		    NULL, "inbound UDP open on every port (%s)", ol);
	if (c != NULL)
		c->duration_s = (double)(loop_now_ms(ctx->loop) - t0) / 1000.0;
	return;
refused:
	report_add(ctx->report, id, "Reachability", VERDICT_ERROR, NULL, NULL,
	    "the server would not sweep: %s", r < 0 ? strerror(-r) :
	    fail->reason);
	ri_sweep_close(&w);
}

struct ri_tcp {
	struct check_ctx *ctx;
	int lfd[RI_MAX_TCP];
	struct event *ev[RI_MAX_TCP];
	uint16_t port[RI_MAX_TCP];
	int id[RI_MAX_TCP];
	int got[RI_MAX_TCP];
	size_t n;
	char hex[2 * CTL_NONCE_LEN + 1];
};

static void
ri_accept_h(evutil_socket_t fd, short what, void *arg)
{
	struct ri_tcp *t = arg;
	char line[64];
	size_t i;
	ssize_t n;
	int c;

	(void)what;
	if ((c = accept4(fd, NULL, NULL, SOCK_CLOEXEC)) < 0)
		return;
	/* The server writes its line as soon as it is connected. */
	(void)setsockopt(c, SOL_SOCKET, SO_RCVTIMEO,
	    &(struct timeval){ 1, 0 }, sizeof(struct timeval));
	n = recv(c, line, sizeof(line) - 1, 0);
	close(c);
	if (n < 16 + 2 * CTL_NONCE_LEN)
		return;
	line[n] = '\0';
	if (strncmp(line, "PINHOLE-CONNECT ", 16) != 0 ||
	    strncmp(line + 16, t->hex, 2 * CTL_NONCE_LEN) != 0)
		return;
	for (i = 0; i < t->n; i++)
		if (t->lfd[i] == fd)
			t->got[i] = 1;
}

static int
ri_tcp_done_h(void *arg)
{
	struct ri_tcp *t = arg;
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->id[i] > 0 && !t->got[i] &&
		    ctlcli_result_find(t->ctx->ctl, (uint32_t)t->id[i]) == NULL)
			return 0;
	return 1;
}

static void
ri_tcp(struct check_ctx *ctx, const struct profile *p,
    const struct profile_endpoint *e, const char *id)
{
	struct ri_tcp t;
	struct portset open, blocked, busy, untried;
	struct sockaddr_storage ss;
	uint8_t nonce[CTL_NONCE_LEN];
	char ol[512], bl[512], ul[512], nl[512], remedy[256];
	long long t0 = loop_now_ms(ctx->loop);
	struct net_ip any;
	json_t *ev, *why;
	unsigned port;
	socklen_t len;
	size_t i;
	int one = 1, fd;
	struct report_check *c;

	memset(&t, 0, sizeof(t));
	t.ctx = ctx;
	portset_clear(&open);
	portset_clear(&blocked);
	portset_clear(&busy);
	portset_clear(&untried);
	if (check_random(nonce, sizeof(nonce)) < 0)
		return;
	check_hex(nonce, sizeof(nonce), t.hex);
	net_ip_parse("0.0.0.0", &any);
	for (port = e->port_lo; port <= e->port_hi && t.n < RI_MAX_TCP; port++) {
		len = net_sa_from_ip(&any, (uint16_t)port, &ss);
		fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
		if (fd >= 0)
			(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
			    sizeof(one));
		if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len) < 0 ||
		    listen(fd, 8) < 0) {
			if (fd >= 0)
				close(fd);
			portset_add(&busy, (uint16_t)port);
			continue;
		}
		t.lfd[t.n] = fd;
		t.port[t.n] = (uint16_t)port;
		t.ev[t.n] = event_new(ctx->loop->base, fd, EV_READ | EV_PERSIST,
		    ri_accept_h, &t);
		if (t.ev[t.n] != NULL)
			event_add(t.ev[t.n], NULL);
		t.id[t.n] = ctlcli_connect(ctx->ctl, nonce, (uint16_t)port,
		    NULL);
		t.n++;
	}
	(void)loop_wait(ctx->loop, ri_tcp_done_h, &t, 5000);
	why = json_array();
	for (i = 0; i < t.n; i++) {
		const struct ctl_answer *res = ctlcli_result_find(ctx->ctl,
		    (uint32_t)t.id[i]);

		if (t.got[i]) {
			portset_add(&open, t.port[i]);
			continue;
		}
		/* Only a connection the server made (SENT) or tried (502)
		 * says anything about the network; a refusal of its own
		 * (a cap, or no answer at all) leaves the port untried. */
		if (res == NULL || (res->code != 0 &&
		    res->code != CTL_E_UNREACHABLE))
			portset_add(&untried, t.port[i]);
		else
			portset_add(&blocked, t.port[i]);
		json_array_append_new(why, json_pack("{s:i, s:s}", "port",
		    t.port[i], "server_says", res == NULL ? "no answer" :
		    res->code == 0 ? "connected, but not to us" : res->reason));
	}
	for (i = 0; i < t.n; i++) {
		if (t.ev[i] != NULL)
			event_free(t.ev[i]);
		close(t.lfd[i]);
	}
	portset_format(&open, ol, sizeof(ol));
	portset_format(&blocked, bl, sizeof(bl));
	portset_format(&busy, ul, sizeof(ul));
	portset_format(&untried, nl, sizeof(nl));
	ev = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:s}", "profile",
	    p->name, "endpoint", e->name, "spoken",
	    "TCP connections from the server to our public address",
	    "open", ol, "blocked", bl, "blocked_detail", why, "device",
	    profile_device(p, e));
	snprintf(remedy, sizeof(remedy), "Let these TCP ports in from the "
	    "provider's ranges to those of %s that serve them.",
	    profile_device(p, e));
	if (busy.count > 0)
		json_object_set_new(ev, "untestable", json_string(ul));
	if (untried.count > 0)
		json_object_set_new(ev, "untried", json_string(nl));
	if (untried.count > 0 && blocked.count == 0)
		c = report_add(ctx->report, id, "Reachability", VERDICT_ERROR, ev,
		    NULL, "not concluded: the server did not try ports %s "
		    "(see blocked_detail); open %s", nl, ol[0] ? ol : "none");
	else if (t.n == 0)
		c = report_add(ctx->report, id, "Reachability", VERDICT_SKIP, ev,
		    NULL, "not measured: ports %s are in use here", ul);
	else if (blocked.count > 0)
		c = report_add(ctx->report, id, "Reachability", VERDICT_FAIL, ev,
		    remedy, "inbound TCP: open %s; blocked %s", ol[0] ? ol : "none", bl);
	else
		c = report_add(ctx->report, id, "Reachability", VERDICT_PASS, ev,
		    NULL, "inbound TCP open on %s", ol);
	if (c != NULL)
		c->duration_s = (double)(loop_now_ms(ctx->loop) - t0) / 1000.0;
}

static int
ri_run(struct check_ctx *ctx)
{
	char id[PROFILE_ID_LEN];
	size_t i, k;

	for (i = 0; i < ctx->nprofiles; i++) {
		const struct profile *p = ctx->profiles[i];

		for (k = 0; k < p->nendpoints; k++) {
			const struct profile_endpoint *e = &p->endpoints[k];

			if (!(e->dir & PROFILE_IN) || e->host != NULL)
				continue;
			(void)profile_endpoint_id(p, e, PROFILE_IN, 0, id,
			    sizeof(id));
			if (check_has_id(ctx, id))
				continue;
			check_progress(ctx, id);
			if (e->proto == PROFILE_UDP)
				ri_udp(ctx, p, e, id);
			else
				ri_tcp(ctx, p, e, id);
		}
	}
	return 0;
}

const struct check_ops check_reachin_ops = {
	.family = "reach-in",
	.bursty = 1,
	.run = ri_run,
};
