/*
 * reach.h - the outbound reachability probes (reach.<proto>.out.<ports>),
 * shared by the files of the family: the run (check_reach.c), the plan
 * (reach_plan.c), the probes' state machine (reach_probe.c), the retry
 * through a proxy (reach_proxy.c) and the report (reach_report.c).
 */
#ifndef PINHOLE_REACH_H
#define PINHOLE_REACH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <event2/event.h>
#include <openssl/ssl.h>

#include "check.h"
#include "ctl.h"
#include "profile.h"

#define RP_MAX_PORTS	64	/* per endpoint and address */
#define RP_BUF		8192

enum rp_speak { SP_SIP, SP_STUN, SP_HTTP, SP_BOSH, SP_XMPP, SP_TLS, SP_BARE };

enum rp_outcome {
	RO_PENDING = 0,
	RO_OPEN,		/* the service answered as it should */
	RO_ODD,			/* something answered, not as it should */
	RO_INTERCEPTED,		/* TLS with another certificate */
	RO_REFUSED,		/* RST or ICMP unreachable */
	RO_TIMEOUT,		/* nothing: silently dropped */
};

struct rp_probe {
	struct rp_run *run;
	size_t ep;			/* index of its endpoint result */
	enum rp_speak speak;
	int tcp;
	struct sockaddr_storage to;
	socklen_t to_len;
	uint16_t port;
	int fd;
	struct event *ev;
	SSL *ssl;
	int connected, sent;
	uint8_t req[1024];
	size_t req_len;
	uint8_t resp[RP_BUF];
	size_t resp_len;
	unsigned sends;
	long long t0, t1;
	enum rp_outcome out;
	char detail[160];
	char host[256];			/* the endpoint's name, or "" */
	int via_proxy;			/* 1 works through the proxy, 0 not,
					   -1 not tried */
	char proxy_detail[160];
};

/* One report entry: an endpoint in the outbound direction. */
struct rp_ep {
	const struct profile *p;
	const struct profile_endpoint *e;
	char id[PROFILE_ID_LEN];
	const char *spoken;
	char untestable[256];		/* ports not probed, as ranges */
	char resolve_error[160];
	int other_family;		/* the host has addresses, none in the
					   family of this run */
	size_t first, n;		/* its probes */
};

struct rp_run {
	struct check_ctx *ctx;
	SSL_CTX *tls;
	struct rp_probe *pr;
	size_t npr, cap;
	struct rp_ep *ep;
	size_t nep;
	long long start;
	int deadline_ms;
	struct event *tick;
	/* Bare UDP: the server reports what it heard (WATCH, SEEN). */
	uint8_t watch[CTL_NONCE_LEN];
	char watch_hex[2 * CTL_NONCE_LEN + 1];
	int watching;
	size_t seen_pos;
};

/*
 * Gives endpoint 'ep', just added to run->ep, its report id
 * (docs/report.md): the profile's own, unless an earlier profile of this
 * check took it for another target; then qualified by the profile's name.
 */
void reach_ep_id(struct rp_run *run, struct rp_ep *ep);

/*
 * Whether an earlier endpoint (of any profile), or an entry already in the
 * report, has endpoint k's id: the same target is checked once.
 */
int reach_seen_before(const struct rp_run *run, size_t k);

/*
 * Adds the probes of endpoint k to run->pr: each port and address, toward
 * the server only where it has a responder.  Returns 0 or -ENOMEM.
 */
int reach_plan_ep(struct rp_run *run, size_t k);

/* Opens the probe's socket and sends (UDP) or connects (TCP). */
void reach_probe_start(struct rp_run *run, struct rp_probe *p);

/*
 * The run's tick (an event callback, arg the run): retransmits UDP
 * probes, takes what the server heard, and times out what is pending.
 */
void reach_tick_h(evutil_socket_t fd, short what, void *arg);

/* Whether every probe of the run (arg) has an outcome (1) or not (0). */
int reach_done_h(void *arg);

/*
 * Tries a blocked HTTP, BOSH or TLS probe once more through the proxy
 * (--proxy or the environment); sets p->via_proxy and p->proxy_detail.
 */
void reach_try_proxy(struct rp_run *run, struct rp_probe *p);

/* Adds the report entry of endpoint 'ep' for what its probes found. */
void reach_report_ep(struct rp_run *run, const struct rp_ep *ep);

#endif
