/* check.c - the registry of check families and what they share. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "check.h"
#include "log.h"
#include "sip.h"

const struct check_ops *const check_registry[] = {
	&check_nat_ops,
	&check_layers_ops,
	&check_sipalg_ops,
	&check_sipsize_ops,
	&check_udptimeout_ops,
	&check_reach_ops,
	&check_reachin_ops,
	&check_media_ops,
	&check_relay_ops,
	&check_pending_ops,
	&check_relay_needed_ops,
	NULL,
};

const struct check_ops *
check_family(const char *name)
{
	const struct check_ops *const *ops;

	for (ops = check_registry; *ops != NULL; ops++)
		if (strcmp((*ops)->family, name) == 0)
			return *ops;
	return NULL;
}

int
check_skipped(const struct check_ctx *ctx, const char *family)
{
	size_t i;

	for (i = 0; ctx->opt->skip != NULL && ctx->opt->skip[i] != NULL; i++)
		if (strcmp(ctx->opt->skip[i], family) == 0)
			return 1;
	return 0;
}

/*
 * A verdict reached without the server proves nothing: a port that "did
 * not answer" may only mean that the server was gone.
 */
void
check_void_after_loss(struct check_ctx *ctx)
{
	size_t i;

	for (i = ctx->st.lost_at; ctx->st.lost && i < ctx->report->nchecks; i++) {
		struct report_check *c = &ctx->report->checks[i];
		char *summary;

		if (c->standalone || c->verdict == VERDICT_SKIP ||
		    json_object_get(c->evidence, "session_lost") != NULL)
			continue;
		if (asprintf(&summary, "not concluded: lost the control "
		    "connection to the server (%s)",
		    ctlcli_errmsg(ctx->ctl)) < 0)
			continue;
		free(c->summary);
		c->summary = summary;
		free(c->remedy);
		c->remedy = NULL;
		c->verdict = VERDICT_ERROR;
		json_object_set_new(c->evidence, "session_lost",
		    json_string(ctlcli_errmsg(ctx->ctl)));
	}
}

int
check_interrupted(const struct check_ctx *ctx)
{
	return ctx->interrupted != NULL && *ctx->interrupted;
}

int
check_neg_wait_ms(int rtt_ms, int cap_ms)
{
	int ms;

	if (rtt_ms < 0 || rtt_ms > cap_ms)
		return cap_ms;
	ms = 4 * rtt_ms + 200;
	if (ms < CHECK_NEG_FLOOR_MS)
		ms = CHECK_NEG_FLOOR_MS;
	return ms < cap_ms ? ms : cap_ms;
}

const char *
check_devices(const struct check_ctx *ctx, char *buf, size_t len)
{
	(void)profile_devices(ctx->opt->profiles, ctx->opt->nprofiles, buf, len);
	return buf;
}

int
check_has_id(const struct check_ctx *ctx, const char *id)
{
	size_t i;

	for (i = 0; i < ctx->report->nchecks; i++)
		if (strcmp(ctx->report->checks[i].id, id) == 0)
			return 1;
	return 0;
}

void
check_progress(struct check_ctx *ctx, const char *id)
{
	snprintf(ctx->st.doing, sizeof(ctx->st.doing), "%s", id);
}

int
check_socket(const struct check_ctx *ctx, int type, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd;

	len = net_sa_from_ip(&ctx->server_ip, port, &ss);
	fd = socket(ss.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&ss, len) < 0 &&
	    errno != EINPROGRESS) {
		int err = errno;

		close(fd);
		return -err;
	}
	return fd;
}

struct udp_wait {
	int fd;
	int (*match)(const uint8_t *buf, size_t len, void *arg);
	void *arg;
	uint8_t *out;
	size_t cap;
	size_t len;
	int found;
	int error;
};

static void
check_udp_read_h(evutil_socket_t fd, short what, void *arg)
{
	struct udp_wait *w = arg;
	uint8_t buf[65536];
	ssize_t n;

	while (!w->found) {
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			/* ICMP errors surface here; keep waiting for the rest. */
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR)
				w->error = -errno;
			return;
		}
		if (w->match((uint8_t *)buf, (size_t)n, w->arg)) {
			w->len = (size_t)n < w->cap ? (size_t)n : w->cap;
			memcpy(w->out, buf, w->len);
			w->found = 1;
		}
	}
}

static int
check_udp_done_h(void *arg)
{
	struct udp_wait *w = arg;

	return w->found;
}

int
check_udp_wait(struct check_ctx *ctx, int fd,
    int (*match)(const uint8_t *buf, size_t len, void *arg), void *arg,
    uint8_t *out, size_t cap, size_t *outlen, int timeout_ms)
{
	struct udp_wait w = { fd, match, arg, out, cap, 0, 0, 0 };
	struct event *ev;
	int r;

	ev = event_new(ctx->loop->base, fd, EV_READ | EV_PERSIST,
	    check_udp_read_h, &w);
	if (ev == NULL)
		return -ENOMEM;
	event_add(ev, NULL);
	check_udp_read_h(fd, EV_READ, &w);
	r = loop_wait(ctx->loop, check_udp_done_h, &w, timeout_ms);
	event_free(ev);
	if (r == 0)
		*outlen = w.len;
	return r;
}

int
check_retry(struct check_ctx *ctx, int tries, int try_ms,
    int (*send_h)(struct check_ctx *ctx, void *arg),
    int (*wait_h)(struct check_ctx *ctx, void *arg, int timeout_ms),
    void *arg)
{
	int i, r = -ETIMEDOUT;

	for (i = 0; i < tries && r == -ETIMEDOUT; i++) {
		if ((r = send_h(ctx, arg)) != 0)
			return r < 0 ? r : 1;
		r = wait_h(ctx, arg, try_ms);
	}
	return r;
}

int
check_sip_build(struct sip_probe *p, uint8_t nonce[CTL_NONCE_LEN],
    char hex[2 * CTL_NONCE_LEN + 1], struct dbuf *out)
{
	int r;

	if ((r = check_random(nonce, CTL_NONCE_LEN)) < 0)
		return r;
	check_hex(nonce, CTL_NONCE_LEN, hex);
	p->user = "pinhole";
	p->nonce = hex;
	dbuf_reset(out);
	return sip_probe_build(p, out);
}

void
check_hex(const uint8_t *p, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[p[i] >> 4];
		out[2 * i + 1] = hex[p[i] & 15];
	}
	out[2 * n] = '\0';
}

int
check_random(void *p, size_t n)
{
	ssize_t r;

	r = getrandom(p, n, 0);
	if (r < 0)
		return -errno;
	return (size_t)r == n ? 0 : -EIO;
}

json_t *
check_json_sa(const struct sockaddr *sa)
{
	char buf[NET_ADDRSTRLEN];

	return json_string(net_sa_str(sa, buf, sizeof(buf)));
}

static int
check_bursts_done_h(void *arg)
{
	const struct check_ctx *ctx = arg;

	return ctx->bursty_left == NULL || *ctx->bursty_left <= 0;
}

int
check_wait_bursts(struct check_ctx *ctx, int timeout_ms)
{
	if (check_bursts_done_h(ctx))
		return 0;
	return loop_wait(ctx->loop, check_bursts_done_h, ctx, timeout_ms);
}
