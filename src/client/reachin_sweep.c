/*
 * reachin_sweep.c - the inbound UDP sweep: the server sends one datagram
 * per port (CTL_SWEEP: paced, batched, in ranges), and a raw socket sees
 * every datagram that arrives, whatever the port, so that no port needs a
 * socket of its own; without the privilege, a socket on each port.  Over
 * IPv4 or IPv6, the family of the server address that sends.
 */
#include <errno.h>
#include <sys/resource.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rawudp.h"
#include "reachin.h"

#define RI_MAX_RANGES	64	/* per SWEEP */

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
		if (w->from.family == AF_INET6) {
			/* An IPv6 raw socket reads from the UDP header on,
			 * the source in the address. */
			struct sockaddr_storage sa;
			socklen_t sl = sizeof(sa);

			if ((r = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
			    (struct sockaddr *)&sa, &sl)) < 0)
				return;
			net_ip_from_sa((struct sockaddr *)&sa, &d.src, NULL);
			if (r < 8 || !net_ip_equal(&d.src, &w->from))
				continue;
			port = ctl_sweep_port(buf + 8, (size_t)r - 8, w->hex);
		} else {
			if ((r = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) < 0)
				return;
			if (rawudp_decode(buf, (size_t)r, &d) < 0 ||
			    !net_ip_equal(&d.src, &w->from))
				continue;
			port = ctl_sweep_port(d.payload, d.len, w->hex);
		}
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
int
reachin_sweep_pass(struct ri_sweep *w, const struct portset *want, unsigned lo,
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

const struct ctl_answer *
reachin_sweep_failed(const struct ri_sweep *w)
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
	net_ip_any(w->from.family, &any);
	for (port = lo; port <= hi; port++) {
		len = net_sa_from_ip(&any, (uint16_t)port, &ss);
		fd = socket(any.family, SOCK_DGRAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0);
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

int
reachin_sweep_open(struct check_ctx *ctx, struct ri_sweep *w,
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
	if ((w->raw = socket(from->family, SOCK_RAW | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, IPPROTO_UDP)) < 0) {
		r = -errno;
		if (r != -EPERM && r != -EACCES)
			return r;
		return ri_bind_ports(w, lo, hi);
	}
	if (setsockopt(w->raw, SOL_SOCKET, SO_RCVBUFFORCE, &one,
	    sizeof(one)) < 0)
		(void)setsockopt(w->raw, SOL_SOCKET, SO_RCVBUF, &one,
		    sizeof(one));
	w->ev = event_new(ctx->loop->base, w->raw, EV_READ | EV_PERSIST,
	    ri_raw_h, w);
	if (w->ev == NULL) {
		close(w->raw);
		w->raw = -1;
		return -ENOMEM;
	}
	event_add(w->ev, NULL);
	return 0;
}

void
reachin_sweep_close(struct ri_sweep *w)
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
