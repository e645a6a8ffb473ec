/*
 * check.h - the check families of 'pinhole check'.
 *
 * Each family is a struct check_ops in check_registry (check.c).  A family
 * reads the requirements of the loaded profiles, runs its probes through
 * the session in the context, and adds one report entry per requirement.
 * Adding a family is adding a file and a line in the registry.
 */
#ifndef PINHOLE_CHECK_H
#define PINHOLE_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <event2/event.h>
#include <jansson.h>

#include "ctlcli.h"
#include "loop.h"
#include "net.h"
#include "profile.h"
#include "report.h"
#include "turn.h"

/* The run's options: set once by 'pinhole check', the same for every family. */
struct check_opts {
	struct profile **profiles;
	size_t nprofiles;
	int wait_ms;			/* how long to wait for one answer */
	int progress;			/* show progress on stderr (a TTY) */
	int udp_timeout_max;		/* s; 0: from the profiles' minimum */
	unsigned media_seconds;		/* the test call; 0: the default */
	unsigned calls;			/* media.capacity up to; 0: profile */
	const char *const *skip;	/* families not to run (NULL-ended) */
	const char *proxy;		/* --proxy URL, or NULL: environment */
	/* Relays from --turn, with the static credentials of --turn-user
	 * and the password (never logged, never in the report). */
	const struct turn_uri *turn;
	size_t nturn;
	const char *turn_user;		/* NULL: none given */
	const char *turn_pass;
	const char *turn_ca;		/* --turn-ca, or NULL: system CAs */
};

/*
 * What the scheduler (check_run.c) keeps of one family: set by it and
 * by check_progress(), read by check_void_after_loss() and the progress
 * line.
 */
struct check_state {
	int lost;			/* the control connection was lost */
	size_t lost_at;			/* report entries before the loss */
	char doing[48];			/* what the family runs, for progress */
	long long eta_ms;		/* when it expects to end; 0 unknown */
};

/* What a family runs with: a copy per family (check_run.c). */
struct check_ctx {
	const struct check_opts *opt;	/* the run's options */
	struct loop *loop;		/* event loop, clock, wait */
	struct ctlcli *ctl;		/* the open pinholed session */
	struct net_ip server_ip;	/* the address we talk to */
	const char *af_label;		/* its family, "IPv4", for progress */
	int rtt_ms;			/* round trip to the server, -1 unknown */
	const int *interrupted;		/* set on SIGINT/SIGTERM, or NULL */
	const int *bursty_left;		/* bursty families still running, or
					 * NULL outside check_run_all() */
	struct report *report;		/* the family's own */
	struct check_state st;		/* the family's own, for the scheduler */
};

struct check_ops {
	const char *family;
	/* Adds its report entries; returns 0, or -errno when it could not run. */
	int (*run)(struct check_ctx *ctx);
	/*
	 * Runs after every other family has ended, on the whole report (it
	 * reads what the others concluded); the others run together.
	 */
	int after_all;
	/*
	 * Sends bursts of probes (sweeps of many ports) that would disturb
	 * a measurement of quality running at the same time: families that
	 * measure quality wait for these with check_wait_bursts().
	 */
	int bursty;
};

/* All families, in the order they run (NULL-terminated). */
extern const struct check_ops *const check_registry[];

extern const struct check_ops check_nat_ops;
extern const struct check_ops check_layers_ops;
extern const struct check_ops check_sipalg_ops;
extern const struct check_ops check_sipsize_ops;
extern const struct check_ops check_udptimeout_ops;
extern const struct check_ops check_reach_ops;
extern const struct check_ops check_reachin_ops;
extern const struct check_ops check_media_ops;
extern const struct check_ops check_relay_ops;
extern const struct check_ops check_relay_needed_ops;
extern const struct check_ops check_pending_ops;

/*
 * The server UDP port the inbound sweep comes from (sweepport.c): one that
 * no family of this run sends to, so that the sweep's entries at the
 * router meet none of our own flows; 0 when the server has none.
 */
uint16_t check_sweep_port(const struct check_ctx *ctx);

/* Whether a family other than media sends to server UDP port 'p'. */
int check_port_used(const struct check_ctx *ctx, unsigned p);

/*
 * Whether the media family may send to server media port 'p': every port
 * but the sweep's, while the sweep runs in this check.
 */
int check_media_port_ok(const struct check_ctx *ctx, unsigned p);

/* Whether --skip named this family. */
int check_skipped(const struct check_ctx *ctx, const char *family);
/* The family called 'name', or NULL. */
const struct check_ops *check_family(const char *name);

/*
 * Runs every family (check_run.c): all at once on the one event loop,
 * each switching only where it waits, then the after_all ones.  Entries
 * are in registry order.  A family that fails adds an error entry, a
 * family in ctx->skip adds one skip entry named after the family.  When
 * the control connection is lost, every entry concluded after that,
 * unless it is standalone, becomes an error that says so.  When
 * *ctx->interrupted becomes set, every wait ends with -EINTR, the entries
 * concluded before stay, and each family that had not ended adds one
 * error entry saying it was interrupted.
 */
int check_run_all(struct check_ctx *ctx);

/* Makes the entries a family concluded after the session was lost errors. */
void check_void_after_loss(struct check_ctx *ctx);
/* Whether the check was interrupted (SIGINT, SIGTERM). */
int check_interrupted(const struct check_ctx *ctx);

/*
 * How long to wait for an answer that may never come (a filtering NAT, a
 * silent gateway): four round trips and a margin, at least
 * CHECK_NEG_FLOOR_MS, at most 'cap_ms' (--timeout).  'rtt_ms' < 0 is
 * unknown: then 'cap_ms'.
 */
#define CHECK_NEG_FLOOR_MS	400
int check_neg_wait_ms(int rtt_ms, int cap_ms);

/*
 * Waits until every bursty family has finished, at most 'timeout_ms';
 * 0, -ETIMEDOUT, or the session's error.
 */
int check_wait_bursts(struct check_ctx *ctx, int timeout_ms);

/*
 * The devices the checked profiles serve, as remedies name them ("the
 * phones", "the phones and the browsers"): profile_devices() over
 * ctx->profiles, into 'buf' (truncated if need be); returns 'buf'.
 */
const char *check_devices(const struct check_ctx *ctx, char *buf,
    size_t len);

/* True when the report already holds a check with this id. */
int check_has_id(const struct check_ctx *ctx, const char *id);

/* Names what the family runs now, for the progress line. */
void check_progress(struct check_ctx *ctx, const char *id);

/*
 * Opens a UDP or TCP socket connected (TCP: connecting, non-blocking) to
 * the server's 'port'.  Returns the fd or -errno.
 */
int check_socket(const struct check_ctx *ctx, int type, uint16_t port);

/*
 * Waits up to 'timeout_ms' for a datagram on UDP socket 'fd' for which
 * match(buf, len, arg) is true, discarding others.  Copies it into 'out'
 * (up to 'cap' bytes) and sets *outlen.  Returns 0, -ETIMEDOUT, or -errno.
 */
int check_udp_wait(struct check_ctx *ctx, int fd,
    int (*match)(const uint8_t *buf, size_t len, void *arg), void *arg,
    uint8_t *out, size_t cap, size_t *outlen, int timeout_ms);

/*
 * A probe's tries, at most 'tries': send_h(ctx, arg) sends what is still
 * missing (or asks the server to), then wait_h(ctx, arg, try_ms) waits
 * for it; the next try only when that wait timed out.  Returns what the
 * last wait returned (0, -ETIMEDOUT after the last try, or its error),
 * send_h's error, or 1 when send_h returned > 0 to stop trying (a send
 * that failed for good, nothing left missing).
 */
int check_retry(struct check_ctx *ctx, int tries, int try_ms,
    int (*send_h)(struct check_ctx *ctx, void *arg),
    int (*wait_h)(struct check_ctx *ctx, void *arg, int timeout_ms),
    void *arg);

struct sip_probe;
struct dbuf;
/*
 * Builds the SIP probe 'p' as the caller set it up (method, addresses,
 * size) into 'out', emptied first, under a fresh random nonce: its bytes
 * go to 'nonce', its hex (the text the server matches) to 'hex' and into
 * the message, the user is "pinhole".  Returns 0 or -errno.
 */
int check_sip_build(struct sip_probe *p, uint8_t nonce[CTL_NONCE_LEN],
    char hex[2 * CTL_NONCE_LEN + 1], struct dbuf *out);

/* Lower-case hex of 'n' bytes into 'out' (2n+1 bytes). */
void check_hex(const uint8_t *p, size_t n, char *out);
/* Random bytes from the OS; 0 or -errno. */
int check_random(void *p, size_t n);

/* "ip:port" of a socket's local end into a JSON string. */
json_t *check_json_sa(const struct sockaddr *sa);

#endif
