/*
 * metrics.c - the counters' hooks that need more than an increment, and
 * the exposition in the Prometheus text format, version 0.0.4: a HELP and
 * a TYPE line per metric, then its series.  Every label value comes from
 * a fixed list in this file; nothing here names a client.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>

#include "config.h"
#include "ctl.h"
#include "metrics.h"
#include "responder.h"
#include "server.h"
#include "store.h"
#include "webrtc.h"

static const char *const refusal_name[MTR_REF_N] = {
	"cap", "per-source-cap", "memory",
};
static const char *const req_name[MTR_REQ_N] = {
	"watch", "send", "sweep", "connect", "media", "webrtc-offer",
	"webrtc-stats", "relay", "other",
};
static const char *const upload_name[MTR_UP_N] = {
	"pass", "warn", "fail", "skip", "error", "not-stored",
};
static const char *const store_op_name[MTR_STORE_OPS] = {
	"put", "get", "expire", "list",
};
static const char *const kind_name[LST_NKINDS] = {
	"control", "sip-udp", "sip-tcp", "stun", "http", "xmpp", "tls",
};
/* Upper bounds of the store latency buckets, in seconds (+Inf apart). */
static const double lat_bound[MTR_LAT_BUCKETS] = {
	0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2.5,
};

void
metrics_request(struct server *s, int type)
{
	enum mtr_req r;

	switch (type) {
	case CTL_WATCH: r = MTR_REQ_WATCH; break;
	case CTL_SEND: r = MTR_REQ_SEND; break;
	case CTL_SWEEP: r = MTR_REQ_SWEEP; break;
	case CTL_CONNECT: r = MTR_REQ_CONNECT; break;
	case CTL_MEDIA: r = MTR_REQ_MEDIA; break;
	case CTL_WEBRTC_OFFER: r = MTR_REQ_WEBRTC_OFFER; break;
	case CTL_WEBRTC_STATS: r = MTR_REQ_WEBRTC_STATS; break;
	case CTL_RELAY: r = MTR_REQ_RELAY; break;
	case CTL_PING: case CTL_PONG: case CTL_BYE: return;
	default: r = MTR_REQ_OTHER; break;
	}
	s->cnt.requests[r]++;
}

/* Whether a job's error says the store itself could not be used (not
 * that the answer was no: an unknown id, a full table, a cap). */
static int
store_err_is_down(int r)
{
	return r < 0 && r != -ENOENT && r != -ENODATA && r != -ENOSPC &&
	    r != -EUSERS &&
	    r != -E2BIG && r != -ECANCELED && r != -EINVAL;
}

void
metrics_store_done(struct server *s, const struct store_job *j)
{
	struct srv_counters *c = &s->cnt;
	struct mtr_hist *h;
	double secs;
	size_t i, op = (size_t)j->op;
	enum mtr_upload u;

	if (op >= MTR_STORE_OPS)
		return;
	secs = (double)(srv_clock_us(CLOCK_MONOTONIC) - j->queued_us) / 1e6;
	h = &c->store_lat[op];
	for (i = 0; i < MTR_LAT_BUCKETS && secs > lat_bound[i]; i++)
		;
	if (i < MTR_LAT_BUCKETS)
		h->bucket[i]++;
	h->count++;
	h->sum += secs;
	if (j->result < 0 && j->result != -ENOENT && j->result != -ENODATA)
		c->store_errors[op]++;
	if (j->result == -ECANCELED)
		;	/* stopping: says nothing of the store */
	else if (store_err_is_down(j->result)) {
		c->store_down = 1;
		snprintf(c->store_reason, sizeof(c->store_reason),
		    "store %s failed: %s", store_op_name[op],
		    strerror(-j->result));
	} else
		c->store_down = 0;
	if (j->op != STORE_PUT)
		return;
	u = MTR_UP_FAILED;
	for (i = 0; j->result == 0 && i < MTR_UP_FAILED; i++)
		if (strcmp(j->row.verdict, upload_name[i]) == 0)
			u = (enum mtr_upload)i;
	c->uploads[u]++;
}

int
metrics_init(struct server *s)
{
	s->start_real_us = srv_clock_us(CLOCK_REALTIME);
	s->statm_fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
	return s->statm_fd < 0 ? -errno : 0;
}

/* Resident and virtual bytes, from the descriptor opened at start. */
static void
proc_memory(const struct server *s, double *rss, double *vsz)
{
	char buf[128];
	unsigned long long pages_v = 0, pages_r = 0;
	long pg = sysconf(_SC_PAGESIZE);
	ssize_t n;

	*rss = *vsz = 0;
	if (s->statm_fd < 0 ||
	    (n = pread(s->statm_fd, buf, sizeof(buf) - 1, 0)) <= 0)
		return;
	buf[n] = '\0';
	if (sscanf(buf, "%llu %llu", &pages_v, &pages_r) != 2)
		return;
	*vsz = (double)pages_v * (double)pg;
	*rss = (double)pages_r * (double)pg;
}

/* Open descriptors, asked of each up to the soft limit with fcntl() (no
 * open() of /proc after the sandbox; at most METRICS_FD_SCAN asked);
 * 'max' is the soft limit. */
#define METRICS_FD_SCAN	65536
static void
proc_fds(unsigned long *open_fds, unsigned long *max)
{
	struct rlimit rl;
	unsigned long fd, lim;

	*open_fds = *max = 0;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return;
	*max = rl.rlim_cur == RLIM_INFINITY ? ~0UL : (unsigned long)rl.rlim_cur;
	lim = *max > METRICS_FD_SCAN ? METRICS_FD_SCAN : *max;
	for (fd = 0; fd < lim; fd++)
		if (fcntl((int)fd, F_GETFD) >= 0)
			(*open_fds)++;
}

/* The HELP and TYPE lines of one metric. */
static int
head(struct evbuffer *o, const char *name, const char *type,
    const char *help)
{
	return evbuffer_add_printf(o, "# HELP pinholed_%s %s\n"
	    "# TYPE pinholed_%s %s\n", name, help, name, type) < 0 ? -ENOMEM : 0;
}

/* One series; 'labels' is "" or "{...}". */
static int
val(struct evbuffer *o, const char *name, const char *labels, double v)
{
	return evbuffer_add_printf(o, "pinholed_%s%s %.17g\n", name, labels,
	    v) < 0 ? -ENOMEM : 0;
}

static int
one(struct evbuffer *o, const char *name, const char *type,
    const char *help, double v)
{
	int r = head(o, name, type, help);

	return r ? r : val(o, name, "", v);
}

/* A metric with one label 'key' over 'n' values. */
static int
vec(struct evbuffer *o, const char *name, const char *type,
    const char *help, const char *key, const char *const *names,
    const uint64_t *v, size_t n)
{
	char lab[96];
	size_t i;
	int r = head(o, name, type, help);

	for (i = 0; r == 0 && i < n; i++) {
		snprintf(lab, sizeof(lab), "{%s=\"%s\"}", key, names[i]);
		r = val(o, name, lab, (double)v[i]);
	}
	return r;
}

static int
render_sessions(struct server *s, struct evbuffer *o)
{
	const struct srv_counters *c = &s->cnt;
	static const char *const kinds[2] = { "control", "page" };
	char lab[96];
	size_t k, i;
	int r;

	r = head(o, "sessions_open", "gauge", "Sessions open now, by kind "
	    "(the control protocol's, the check page's).");
	r = r ? r : val(o, "sessions_open", "{kind=\"control\"}",
	    (double)s->nsessions);
	r = r ? r : val(o, "sessions_open", "{kind=\"page\"}",
	    (double)s->npage_sessions);
	r = r ? r : vec(o, "sessions_opened_total", "counter", "Sessions "
	    "opened, by kind.", "kind", kinds, c->sessions_opened, 2);
	r = r ? r : head(o, "sessions_refused_total", "counter", "Sessions "
	    "refused, by kind and reason (rate limits apart: "
	    "pinholed_rate_limited_total).");
	for (k = 0; r == 0 && k < 2; k++)
		for (i = 0; r == 0 && i < MTR_REF_N; i++) {
			snprintf(lab, sizeof(lab), "{kind=\"%s\",reason=\"%s\"}",
			    kinds[k], refusal_name[i]);
			r = val(o, "sessions_refused_total", lab,
			    (double)c->sessions_refused[k][i]);
		}
	r = r ? r : vec(o, "checks_total", "counter", "Check requests of "
	    "sessions, by request.", "request", req_name, c->requests,
	    MTR_REQ_N);
	r = r ? r : vec(o, "uploads_total", "counter", "Report uploads, by "
	    "the report's overall verdict, or not stored.", "verdict",
	    upload_name, c->uploads, MTR_UP_N);
	r = r ? r : one(o, "webrtc_peers_open", "gauge", "WebRTC peers now.",
	    s->webrtc != NULL ? (double)s->webrtc->npeers : 0);
	r = r ? r : one(o, "webrtc_peers_opened_total", "counter",
	    "WebRTC peers set up.", (double)c->webrtc_peers);
	return r;
}

static int
render_limits(struct server *s, struct evbuffer *o)
{
	const struct srv_counters *c = &s->cnt;
	static const char *const lim[] = { "session-rate", "stun", "upload",
	    "http", "support-token" };
	const uint64_t v[] = { s->conn_rate.refused, s->stun_rate.refused,
	    s->upload_rate.refused, s->http_rate.refused,
	    s->token_fail.refused };
	int r;

	r = vec(o, "rate_limited_total", "counter", "Requests refused by a "
	    "per-source rate limit, by limit.", "limit", lim, v, 5);
	r = r ? r : one(o, "connections_refused_total", "counter",
	    "Connections refused or closed early by a cap (unauthenticated, "
	    "per source, descriptors).", (double)c->refused_conns);
	r = r ? r : one(o, "connections_unauthenticated", "gauge",
	    "Connections that have not authenticated yet.",
	    (double)s->nunauth);
	r = r ? r : one(o, "connection_descriptors", "gauge", "Descriptors "
	    "held by connections.", (double)s->nfds);
	r = r ? r : one(o, "connection_descriptors_budget", "gauge",
	    "Descriptors connections may hold.", (double)s->fd_budget);
	r = r ? r : one(o, "metrics_connections_refused_total", "counter",
	    "Connections to this listener refused by its own cap.",
	    (double)c->metrics_refused);
	return r;
}

static int
render_traffic(struct server *s, struct evbuffer *o)
{
	const struct srv_counters *c = &s->cnt;
	static const char *const dir[2] = { "in", "out" };
	const uint64_t ub[2] = { c->unval_in_bytes, c->unval_out_bytes };
	const uint64_t up[2] = { c->unval_in_pkts, c->unval_out_pkts };
	int r;

	r = vec(o, "datagrams_received_total", "counter", "Datagrams "
	    "received, by listener.", "listener", kind_name, c->dgram_in,
	    LST_NKINDS);
	r = r ? r : vec(o, "datagram_bytes_received_total", "counter",
	    "Bytes of datagrams received, by listener.", "listener",
	    kind_name, c->dgram_in_bytes, LST_NKINDS);
	r = r ? r : vec(o, "datagrams_sent_total", "counter", "Datagrams "
	    "sent, by listener.", "listener", kind_name, c->dgram_out,
	    LST_NKINDS);
	r = r ? r : vec(o, "datagram_bytes_sent_total", "counter", "Bytes "
	    "of datagrams sent, by listener.", "listener", kind_name,
	    c->dgram_out_bytes, LST_NKINDS);
	r = r ? r : vec(o, "unvalidated_datagrams_total", "counter",
	    "Datagrams of sources without a session (the amplification "
	    "budget), by direction.", "direction", dir, up, 2);
	r = r ? r : vec(o, "unvalidated_bytes_total", "counter", "Bytes of "
	    "the same, by direction.", "direction", dir, ub, 2);
	r = r ? r : one(o, "datagrams_dropped_total", "counter", "Datagrams "
	    "dropped: no session, no responder, or over a limit.",
	    (double)c->dropped);
	return r;
}

/* By responder, named by the registry (responder.c). */
static int
render_responders(struct server *s, struct evbuffer *o)
{
	const struct srv_counters *c = &s->cnt;
	static const char *const metric[][2] = {
		{ "responder_datagrams_received_total", "Datagrams a "
		    "responder took, by responder." },
		{ "responder_datagram_bytes_received_total", "Their bytes." },
		{ "responder_datagrams_sent_total", "Datagrams a responder "
		    "sent, by responder." },
		{ "responder_datagram_bytes_sent_total", "Their bytes." },
		{ "responder_stream_bytes_received_total", "Bytes received "
		    "on the connections a responder owns (inside TLS, its "
		    "own), by responder." },
		{ "responder_stream_bytes_sent_total", "Bytes a responder "
		    "wrote to the connections it owns (inside TLS, its own), "
		    "by responder." },
	};
	const uint64_t *const v[] = { c->resp_dgram_in, c->resp_dgram_in_bytes,
	    c->resp_dgram_out, c->resp_dgram_out_bytes,
	    c->resp_stream_in_bytes, c->resp_stream_out_bytes };
	const char *name[RESP_N];
	size_t i;
	int r = 0;

	for (i = 0; i < RESP_N; i++)
		name[i] = responder_name((int)i);
	for (i = 0; r == 0 && i < sizeof(v) / sizeof(v[0]); i++)
		r = vec(o, metric[i][0], "counter", metric[i][1], "responder",
		    name, v[i], RESP_N);
	return r;
}

static int
render_store(struct server *s, struct evbuffer *o)
{
	const struct srv_counters *c = &s->cnt;
	const struct mtr_hist *h;
	char lab[96];
	uint64_t cum;
	size_t op, i;
	int r;

	r = one(o, "store_up", "gauge", "1 when the last store job reached "
	    "the store, or there is no store; 0 otherwise.",
	    !store_enabled(s) || !c->store_down ? 1 : 0);
	r = r ? r : vec(o, "store_errors_total", "counter", "Store jobs that "
	    "failed (an unknown id is no error), by operation.", "op",
	    store_op_name, c->store_errors, MTR_STORE_OPS);
	r = r ? r : head(o, "store_duration_seconds", "histogram", "Time "
	    "from queueing a store job to its answer, by operation.");
	for (op = 0; r == 0 && op < MTR_STORE_OPS; op++) {
		h = &c->store_lat[op];
		for (i = 0, cum = 0; r == 0 && i < MTR_LAT_BUCKETS; i++) {
			cum += h->bucket[i];
			snprintf(lab, sizeof(lab), "{op=\"%s\",le=\"%g\"}",
			    store_op_name[op], lat_bound[i]);
			r = val(o, "store_duration_seconds_bucket", lab,
			    (double)cum);
		}
		snprintf(lab, sizeof(lab), "{op=\"%s\",le=\"+Inf\"}",
		    store_op_name[op]);
		r = r ? r : val(o, "store_duration_seconds_bucket", lab,
		    (double)h->count);
		snprintf(lab, sizeof(lab), "{op=\"%s\"}", store_op_name[op]);
		r = r ? r : val(o, "store_duration_seconds_sum", lab, h->sum);
		r = r ? r : val(o, "store_duration_seconds_count", lab,
		    (double)h->count);
	}
	return r;
}

static int
render_process(struct server *s, struct evbuffer *o)
{
	double rss, vsz, now = (double)srv_clock_us(CLOCK_REALTIME) / 1e6;
	double start = (double)s->start_real_us / 1e6;
	unsigned long fds, maxfds;
	int r;

	proc_memory(s, &rss, &vsz);
	proc_fds(&fds, &maxfds);
	r = one(o, "process_resident_memory_bytes", "gauge", "Resident "
	    "memory.", rss);
	r = r ? r : one(o, "process_virtual_memory_bytes", "gauge", "Virtual "
	    "memory.", vsz);
	r = r ? r : one(o, "process_open_fds", "gauge", "Open descriptors.",
	    (double)fds);
	r = r ? r : one(o, "process_max_fds", "gauge", "The open-file limit.",
	    (double)maxfds);
	r = r ? r : one(o, "process_cpu_seconds_total", "counter", "User and "
	    "system CPU time.",
	    (double)srv_clock_us(CLOCK_PROCESS_CPUTIME_ID) / 1e6);
	r = r ? r : one(o, "process_start_time_seconds", "gauge", "Start "
	    "time, in seconds since the Epoch.", start);
	r = r ? r : one(o, "uptime_seconds", "gauge", "Seconds since the "
	    "start.", now - start);
	r = r ? r : head(o, "build_info", "gauge", "Always 1; the version "
	    "in a label.");
	r = r ? r : evbuffer_add_printf(o, "pinholed_build_info{version=\"%s\"}"
	    " 1\n", PINHOLE_VERSION) < 0 ? -ENOMEM : 0;
	return r;
}

int
metrics_render(struct server *s, struct evbuffer *out)
{
	int r = render_sessions(s, out);

	r = r ? r : render_limits(s, out);
	r = r ? r : render_traffic(s, out);
	r = r ? r : render_responders(s, out);
	r = r ? r : render_store(s, out);
	return r ? r : render_process(s, out);
}
