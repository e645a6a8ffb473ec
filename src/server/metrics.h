/*
 * metrics.h - what pinholed counts for its operators, and the listener
 * that shows it in the Prometheus text format (metrics.c renders,
 * metricsrv.c serves).  The counters live in struct server (s->cnt);
 * modules increment them where the events already happen.  No counter is
 * kept per client: every label takes its values from a fixed list here.
 */
#ifndef PINHOLED_METRICS_H
#define PINHOLED_METRICS_H

#include <stdint.h>

/* Why a session was refused (session.c). */
enum mtr_refusal { MTR_REF_CAP, MTR_REF_SOURCE, MTR_REF_MEMORY, MTR_REF_N };
/* Requests of a session, by kind (ctlsrv.c; the last is any other). */
enum mtr_req { MTR_REQ_WATCH, MTR_REQ_SEND, MTR_REQ_SWEEP, MTR_REQ_CONNECT,
    MTR_REQ_MEDIA, MTR_REQ_WEBRTC_OFFER, MTR_REQ_WEBRTC_STATS, MTR_REQ_RELAY,
    MTR_REQ_OTHER, MTR_REQ_N };
/* An upload's outcome: a report's overall verdict (enum verdict's order),
 * or not stored. */
enum mtr_upload { MTR_UP_PASS, MTR_UP_WARN, MTR_UP_FAIL, MTR_UP_SKIP,
    MTR_UP_ERROR, MTR_UP_FAILED, MTR_UP_N };
#define MTR_STORE_OPS	4		/* enum store_op */
#define MTR_LAT_BUCKETS	9		/* metrics.c's bucket bounds */
#define MTR_KINDS	8		/* >= LST_NKINDS (server.h) */
#define MTR_RESPONDERS	8		/* >= RESP_N (responder.h) */

/* One histogram of seconds. */
struct mtr_hist {
	uint64_t bucket[MTR_LAT_BUCKETS];	/* not cumulative */
	uint64_t count;
	double sum;
};

/* Every counter of the server: struct server's 'cnt'. */
struct srv_counters {
	uint64_t unval_in_bytes, unval_out_bytes;
	uint64_t unval_in_pkts, unval_out_pkts;
	uint64_t dropped;
	uint64_t refused_conns;		/* caps, rates, descriptors */
	uint64_t sessions_opened[2];	/* [page]: control, check page */
	uint64_t sessions_refused[2][MTR_REF_N];
	uint64_t requests[MTR_REQ_N];
	uint64_t uploads[MTR_UP_N];
	uint64_t webrtc_peers;		/* opened */
	uint64_t dgram_in[MTR_KINDS], dgram_in_bytes[MTR_KINDS];
	uint64_t dgram_out[MTR_KINDS], dgram_out_bytes[MTR_KINDS];
	/* By responder (enum resp_id): its datagrams, and the bytes of the
	 * connections it owns (inside TLS, its own), each way. */
	uint64_t resp_dgram_in[MTR_RESPONDERS];
	uint64_t resp_dgram_in_bytes[MTR_RESPONDERS];
	uint64_t resp_dgram_out[MTR_RESPONDERS];
	uint64_t resp_dgram_out_bytes[MTR_RESPONDERS];
	uint64_t resp_stream_in_bytes[MTR_RESPONDERS];
	uint64_t resp_stream_out_bytes[MTR_RESPONDERS];
	struct mtr_hist store_lat[MTR_STORE_OPS];
	uint64_t store_errors[MTR_STORE_OPS];
	int store_down;			/* the last job could not reach it */
	char store_reason[96];		/* why, for /health */
	uint64_t metrics_refused;	/* the metrics listener's connections */
};

struct server;
struct evbuffer;
struct store_job;

/* Counts a request of message type 'type' (enum ctl_type). */
void metrics_request(struct server *s, int type);
/* Counts a store job that completed, with its latency from 'queued_us'
 * (CLOCK_MONOTONIC); an upload also by its verdict. */
void metrics_store_done(struct server *s, const struct store_job *j);
/* Appends the whole exposition to 'out'.  0 or -ENOMEM. */
int metrics_render(struct server *s, struct evbuffer *out);
/* Opens what the process figures need (/proc/self/statm), before the
 * sandbox.  0 or -errno. */
int metrics_init(struct server *s);

/* metricsrv.c */
#define METRICSRV_CONNS	8		/* its connections, at once */
#define METRICSRV_FDS	(METRICSRV_CONNS + 2)	/* and listener, statm */
/* Binds metrics-listen when it is set (before the privilege drop).
 * 0 or -errno. */
int metricsrv_start(struct server *s);
/* Closes the listener and its connections. */
void metricsrv_stop(struct server *s);

#endif
