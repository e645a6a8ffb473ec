/* media.c - the client's RTP streams (see media.h). */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "media.h"

#define MEDIA_BATCH		32

static const struct media_tr media_tr_udp;

static int64_t
mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t
real_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int
media_bind(int fd, int family, uint16_t lo, uint16_t hi)
{
	struct sockaddr_storage ss;
	uint16_t r;
	int i;

	for (i = 0; lo != 0 && hi >= lo && i < 16; i++) {
		memset(&ss, 0, sizeof(ss));
		if (getrandom(&r, sizeof(r), 0) != sizeof(r))
			r = (uint16_t)i;
		if (family == AF_INET6) {
			struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

			s6->sin6_family = AF_INET6;
			s6->sin6_port = htons((uint16_t)(lo + r % (hi - lo + 1)));
		} else {
			struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

			s4->sin_family = AF_INET;
			s4->sin_port = htons((uint16_t)(lo + r % (hi - lo + 1)));
		}
		if (bind(fd, (struct sockaddr *)&ss, sizeof(ss)) == 0)
			return 0;
	}
	return 0;	/* connect() picks an ephemeral port */
}

int
media_stream_alloc(struct media_stream *st)
{
	st->fd = -1;
	st->tr = NULL;
	st->echo_sent_us = RTP_NO_ECHO;
	st->caprecs = (size_t)st->q.packets + st->q.packets / 4 + 16;
	st->recs = calloc(st->caprecs, sizeof(*st->recs));
	st->rtt = calloc(st->caprecs, sizeof(*st->rtt));
	st->pace = calloc(st->q.packets, sizeof(*st->pace));
	st->seen = calloc((size_t)st->q.packets / 8 + 1, 1);
	if (st->recs == NULL || st->rtt == NULL || st->pace == NULL ||
	    st->seen == NULL)
		return -ENOMEM;
	return 0;
}

int
media_stream_open(struct media_stream *st, const struct sockaddr *server,
    socklen_t slen, uint16_t lo, uint16_t hi, uint8_t tos)
{
	struct sockaddr_storage me;
	socklen_t mlen = sizeof(me);
	int one = 1, t = tos, fd, r;

	if ((r = media_stream_alloc(st)) < 0)
		return r;
	fd = socket(server->sa_family, SOCK_DGRAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	(void)media_bind(fd, server->sa_family, lo, hi);
	(void)setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
	if (server->sa_family == AF_INET6) {
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_TCLASS, &t, sizeof(t));
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_RECVTCLASS, &one,
		    sizeof(one));
	} else {
		(void)setsockopt(fd, IPPROTO_IP, IP_TOS, &t, sizeof(t));
		(void)setsockopt(fd, IPPROTO_IP, IP_RECVTOS, &one, sizeof(one));
	}
	/* Connected: only the server's media port is heard. */
	if (connect(fd, server, slen) < 0 ||
	    getsockname(fd, (struct sockaddr *)&me, &mlen) < 0) {
		int err = errno;

		close(fd);
		return -err;
	}
	st->fd = fd;
	st->tr = &media_tr_udp;
	st->local_port = net_sa_port((struct sockaddr *)&me);
	return 0;
}

void
media_stream_close(struct media_stream *st)
{
	if (st->tr != NULL && st->tr->close != NULL)
		st->tr->close(st);
	st->tr = NULL;
	st->fd = -1;
	free(st->recs);
	free(st->seen);
	st->seen = NULL;
	free(st->rtt);
	free(st->pace);
	st->recs = NULL;
	st->rtt = st->pace = NULL;
}

static void
media_send(struct media_stream *st, int64_t now)
{
	uint8_t pkt[RTP_HDR_LEN + RTP_MAX_PAYLOAD];
	struct rtp_pkt p;
	int64_t late = now - st->next_us;
	size_t n;
	int e;

	memset(&p, 0, sizeof(p));
	p.pt = st->q.pt;
	p.seq = (uint16_t)(st->q.first_seq + st->nsent);
	p.ts = st->nsent * st->q.ptime_ms * (st->q.pt >= 96 ? 48u : 8u);
	p.ssrc = st->q.ssrc;
	p.key = st->q.key;
	if (st->nsent == 0)
		st->t0_us = now;
	p.sent_us = (uint32_t)(now - st->t0_us);
	p.echo_sent_us = st->echo_sent_us;
	p.echo_hold_us = st->echo_sent_us == RTP_NO_ECHO ? 0 :
	    (uint32_t)(now - st->echo_us);
	n = rtp_build(pkt, sizeof(pkt), &p, st->q.payload_len);
	if ((e = st->tr->send(st, pkt, n)) < 0 && st->send_errno == 0)
		st->send_errno = -e;
	st->pace[st->nsent] = (uint32_t)(late < 0 ? -late : late);
	st->nsent++;
}

/* Counts a packet of the server's once. */
static void
media_seen(struct media_stream *st, uint16_t seq)
{
	uint32_t off = (uint16_t)(seq - st->peer_seq0);

	if (off >= st->q.packets || (st->seen[off / 8] & (1u << (off % 8))))
		return;
	st->seen[off / 8] |= (uint8_t)(1u << (off % 8));
	st->uniq++;
}

/* Whether every stream of the run has every packet of the server's. */
static int
media_all_in(const struct media_run *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->st[i]->uniq < r->st[i]->q.packets)
			return 0;
	return 1;
}

void
media_take(struct media_stream *st, const uint8_t *buf, size_t len,
    int64_t at, int tos)
{
	struct rtp_pkt p;
	int64_t rtt;

	if (rtp_parse(buf, len, &p) < 0 || p.ssrc != st->peer_ssrc ||
	    p.key != st->q.key) {
		st->foreign++;
		return;
	}
	media_seen(st, p.seq);
	if (st->nrecs < st->caprecs) {
		struct rtp_rec *r = &st->recs[st->nrecs++];

		r->seq = p.seq;
		r->tos = (uint8_t)tos;
		r->sent_us = p.sent_us;
		r->arrived_us = at;
	}
	if (st->nsent > 0 && (rtt = rtp_rtt_us(&p, at - st->t0_us)) >= 0 &&
	    st->nrtt < st->caprecs)
		st->rtt[st->nrtt++] = (uint32_t)rtt;
	st->echo_sent_us = p.sent_us;
	st->echo_us = at;
}

int64_t
media_now_us(void)
{
	return mono_us();
}

/* Reads what is queued on one stream's socket, with the kernel's time. */
static void
media_udp_recv(struct media_stream *st, int64_t rt_off)
{
	uint8_t buf[MEDIA_BATCH][RTP_HDR_LEN + RTP_MAX_PAYLOAD + 1];
	union {
		struct cmsghdr h;
		uint8_t b[128];
	} cb[MEDIA_BATCH];
	struct mmsghdr mm[MEDIA_BATCH];
	struct iovec iov[MEDIA_BATCH];
	struct cmsghdr *cm;
	int i, n, tos, more = 1;
	int64_t at;

	while (more) {
		memset(mm, 0, sizeof(mm));
		for (i = 0; i < MEDIA_BATCH; i++) {
			iov[i].iov_base = buf[i];
			iov[i].iov_len = sizeof(buf[i]);
			mm[i].msg_hdr.msg_iov = &iov[i];
			mm[i].msg_hdr.msg_iovlen = 1;
			mm[i].msg_hdr.msg_control = &cb[i];
			mm[i].msg_hdr.msg_controllen = sizeof(cb[i]);
		}
		if ((n = recvmmsg(st->fd, mm, MEDIA_BATCH, MSG_DONTWAIT,
		    NULL)) <= 0)
			return;
		/* A short batch emptied the socket: not one more call to
		 * hear so (epoll is level-triggered and reports more). */
		if (n < MEDIA_BATCH)
			more = 0;
		for (i = 0; i < n; i++) {
			struct msghdr *mh = &mm[i].msg_hdr;

			at = 0;
			tos = 0;
			for (cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh,
			    cm)) {
				if (cm->cmsg_level == SOL_SOCKET &&
				    cm->cmsg_type == SCM_TIMESTAMPNS) {
					struct timespec ts;

					memcpy(&ts, CMSG_DATA(cm), sizeof(ts));
					at = (int64_t)ts.tv_sec * 1000000 +
					    ts.tv_nsec / 1000 - rt_off;
				} else if ((cm->cmsg_level == IPPROTO_IP &&
				    cm->cmsg_type == IP_TOS) ||
				    (cm->cmsg_level == IPPROTO_IPV6 &&
				    cm->cmsg_type == IPV6_TCLASS)) {
					if (cm->cmsg_len >= CMSG_LEN(sizeof(int)))
						memcpy(&tos, CMSG_DATA(cm),
						    sizeof(int));
					else
						tos = *CMSG_DATA(cm);
				}
			}
			if (at == 0)
				at = mono_us();
			media_take(st, buf[i], mm[i].msg_len, at, tos);
		}
	}
}

static int
media_udp_send(struct media_stream *st, const void *p, size_t n)
{
	return send(st->fd, p, n, MSG_DONTWAIT) < 0 ? -errno : 0;
}

static void
media_udp_close(struct media_stream *st)
{
	if (st->fd >= 0)
		close(st->fd);
}

/* A plain UDP socket, connected to the server's media port. */
static const struct media_tr media_tr_udp = {
	.send = media_udp_send,
	.recv = media_udp_recv,
	.close = media_udp_close,
};

static int
timer_at(int tfd, int64_t us)
{
	struct itimerspec it;

	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = (time_t)(us / 1000000);
	it.it_value.tv_nsec = (long)(us % 1000000) * 1000;
	return timerfd_settime(tfd, TFD_TIMER_ABSTIME, &it, NULL);
}

/*
 * The send order: a binary min-heap of the streams' indices by next_us,
 * so that a packet costs O(log n) whatever the number of streams (a scan
 * of every stream per wakeup cost the thread about a sixth of its time at
 * 1000 streams), for streams of one packetization or several.
 */
struct due {
	struct media_stream **st;
	size_t *h;
	size_t n;
};

static int64_t
due_at(const struct due *d, size_t i)
{
	return d->st[d->h[i]]->next_us;
}

/* Moves entry i down to its place after its time grew. */
static void
due_down(struct due *d, size_t i)
{
	size_t c, t;

	while ((c = 2 * i + 1) < d->n) {
		if (c + 1 < d->n && due_at(d, c + 1) < due_at(d, c))
			c++;
		if (due_at(d, i) <= due_at(d, c))
			return;
		t = d->h[i];
		d->h[i] = d->h[c];
		d->h[c] = t;
		i = c;
	}
}

/* Stream i's phase: spread over one packet time, as independent calls. */
static int64_t
media_phase_us(const struct media_run *r, size_t i)
{
	return (int64_t)i * r->st[i]->q.ptime_ms * 1000 / (int64_t)r->n;
}

/* Sends what is due, each packet timed when it goes. */
static void
media_send_due(struct media_run *r, struct due *d, int64_t start)
{
	struct media_stream *st;
	int64_t now;
	size_t i;

	while (d->n > 0 && due_at(d, 0) <= (now = mono_us()) + 20) {
		i = d->h[0];
		st = r->st[i];
		media_send(st, now);
		if (st->nsent < st->q.packets)
			st->next_us = start + media_phase_us(r, i) +
			    (int64_t)st->nsent * st->q.ptime_ms * 1000;
		else
			d->h[0] = d->h[--d->n];
		due_down(d, 0);
	}
}

static void *
media_thread(void *arg)
{
	struct media_run *r = arg;
	struct epoll_event ev, evs[64];
	struct due d = { r->st, NULL, 0 };
	int64_t start, now, end_us = 0;
	int64_t rt_off;
	size_t i;
	int ep, tfd, k, n;

	(void)prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	ep = epoll_create1(EPOLL_CLOEXEC);
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	d.h = malloc((r->n ? r->n : 1) * sizeof(*d.h));
	if (ep < 0 || tfd < 0 || d.h == NULL) {
		r->error = d.h == NULL ? -ENOMEM : -errno;
		goto out;
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.u64 = UINT64_MAX;
	(void)epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev);
	for (i = 0; i < r->n; i++) {
		ev.data.u64 = i;
		(void)epoll_ctl(ep, EPOLL_CTL_ADD, r->st[i]->fd, &ev);
	}
	rt_off = real_us() - mono_us();
	start = mono_us() + 2000;
	for (i = 0; i < r->n; i++) {
		r->st[i]->next_us = start + media_phase_us(r, i);
		if (r->st[i]->q.packets > 0)
			d.h[d.n++] = i;
	}
	for (i = d.n / 2; i-- > 0;)
		due_down(&d, i);
	for (;;) {
		media_send_due(r, &d, start);
		now = mono_us();
		/* All sent and all in: no late packet to wait for. */
		if (d.n == 0 && media_all_in(r))
			break;
		if (d.n == 0 && end_us == 0)
			end_us = now + MEDIA_GRACE_MS * 1000;
		if ((end_us != 0 && now >= end_us) || (r->stop && *r->stop) ||
		    r->cancel)
			break;
		(void)timer_at(tfd, d.n > 0 ? due_at(&d, 0) : end_us);
		n = epoll_wait(ep, evs, 64, 1000);
		for (k = 0; k < n; k++) {
			if (evs[k].data.u64 == UINT64_MAX) {
				uint64_t x;

				(void)read(tfd, &x, sizeof(x));
				continue;
			}
			r->st[evs[k].data.u64]->tr->recv(
			    r->st[evs[k].data.u64], rt_off);
		}
	}
out:
	free(d.h);
	if (ep >= 0)
		close(ep);
	if (tfd >= 0)
		close(tfd);
	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

int
media_run_start(struct media_run *r)
{
	int e;

	r->done = 0;
	r->error = 0;
	if ((e = pthread_create(&r->thread, NULL, media_thread, r)) != 0)
		return -e;
	r->started = 1;
	return 0;
}

int
media_run_done(void *arg)
{
	struct media_run *r = arg;

	return __atomic_load_n(&r->done, __ATOMIC_ACQUIRE);
}

void
media_run_join(struct media_run *r)
{
	if (r->started)
		pthread_join(r->thread, NULL);
	r->started = 0;
}

int
media_stream_side(const struct media_stream *st, uint32_t peer_sent,
    struct rtp_side *out)
{
	uint32_t *v, x;
	size_t n;
	int r;

	memset(out, 0, sizeof(*out));
	if ((r = rtp_dir_stats(st->recs, st->nrecs, peer_sent, st->peer_seq0,
	    st->q.ptime_ms, st->q.jb_ms, &out->rx)) < 0)
		return r;
	out->sent = st->nsent;
	out->rtt_samples = (uint32_t)st->nrtt;
	n = st->nrtt > st->nsent ? st->nrtt : st->nsent;
	if ((v = malloc((n ? n : 1) * sizeof(*v))) == NULL)
		return -ENOMEM;
	memcpy(v, st->rtt, st->nrtt * sizeof(*v));
	rtp_quantiles(v, st->nrtt, &out->rtt_us, &x, &x);
	memcpy(v, st->pace, st->nsent * sizeof(*v));
	rtp_quantiles(v, st->nsent, &out->pace_p50_us, &out->pace_p99_us,
	    &out->pace_max_us);
	free(v);
	return 0;
}
