/*
 * udptimeout.h - state of the udp-timeout measurement, shared between the
 * probing (check_udptimeout.c) and the report (udptimeout_report.c); the
 * decision rule is udptimeout_verdict.h.
 */
#ifndef PINHOLE_UDPTIMEOUT_H
#define PINHOLE_UDPTIMEOUT_H

#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>

#include "check.h"
#include "ctl.h"
#include "net.h"
#include "stun.h"
#include "udptimeout_verdict.h"

struct ut_set;

struct ut_bind {
	struct ut_set *set;
	int fd;
	struct event *ev;
	enum ut_state st;
	uint8_t tid[STUN_TID_LEN];	/* setup request or indication */
	uint8_t ptid[STUN_TID_LEN];	/* the probe (the trigger's) */
	int answers;			/* established: exchanges done */
	unsigned sends;
	long long born_ms;		/* the flow's first packet */
	long long first_ms, sent_ms;
	long long idle_ms;		/* idle since; valid from B_IDLE */
	long long probe_ms;
	long long refresh_ms;		/* refresh set: last inbound packet */
	struct net_ip mapped_ip;
	uint16_t mapped_port;
};

/* The trigger socket toward one server port. */
struct ut_port {
	uint16_t port;
	int fd;
	struct event *ev;
	struct net_ip mapped_ip;
	int ready;
};

struct ut_run;

struct ut_set {
	struct ut_run *run;
	const char *kind;		/* "unreplied", "established", "refresh" */
	int established;
	struct ut_port *port;
	struct ut_bind *b;
	size_t n;
	size_t next;			/* next binding to probe */
	uint8_t nonce[CTL_NONCE_LEN];
	char nonce_hex[2 * CTL_NONCE_LEN + 1];
	int decided;
	int expiry_s;			/* 0: outlived the limit */
	unsigned lost, failed;
};

enum { SET_UNREP, SET_EST, SET_SIP_UNREP, SET_SIP_EST, SET_REFRESH, SET_COUNT };

struct ut_run {
	struct check_ctx *ctx;
	struct ut_port ports[2];
	size_t nports;
	struct ut_set sets[SET_COUNT];
	size_t seen_pos;		/* SEEN reports looked at so far */
	int limit_s;
	int wait_ms;			/* for a probe to arrive */
	int rtt_ms;			/* smallest setup round trip, -1 none */
	long long start_ms;
	int refresh_result;		/* -1 unknown, 0 no, 1 yes */
	int refresh_probed;
	struct event *tick;
};

/*
 * Adds the udp-timeout entry for what 'run' measured against the largest
 * 'minimum' the profiles ask for ('profile' asks it); 'wall' is the
 * measurement's length in s.
 */
void udptimeout_report(struct ut_run *run, unsigned minimum,
    const char *profile, double wall);

#endif
