/*
 * session.h - the session table: who the server's validated clients are,
 * what each has registered, and what each may still spend.
 *
 * Sessions are kept in a keyed hash of the client's address, never
 * scanned, so a datagram costs the same with 10,000 sessions as with one;
 * the address counts a source's sessions (max-sessions-per-source) and
 * ties a probe to the sessions of its source, but a session is identified
 * by what names it (its connection, its nonces, its peer's ufrag), never
 * by "the newest session of this address".
 * Every quota is charged here, in session_charge(), when work is committed
 * (a SWEEP's datagrams when it is accepted, not as they leave), so that
 * requests in flight cannot outrun a cap.
 *
 * A session reports to its control connection through conn_write(); the
 * probe servers (SIP over TCP, SWEEP, CONNECT) hang their state on the
 * session as children, freed through their own gone() when it ends.  The
 * session knows nothing of those modules, nor of the control protocol's
 * request handling.
 */
#ifndef PINHOLED_SESSION_H
#define PINHOLED_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "ctl.h"
#include "iptab.h"
#include "ratelimit.h"
#include "server.h"

#define SESSION_MAX_WATCH	64

enum session_quota {
	SQ_PROBES,		/* WATCH nonces, SENDs, CONNECTs */
	SQ_BYTES,		/* SEND payload bytes */
	SQ_SWEEP,		/* SWEEP datagrams */
	SQ_CONNECTS,		/* CONNECTs in flight (given back) */
	SQ_STUN,		/* STUN answers larger than their request */
	SQ_MEDIA_STREAMS,	/* MEDIA streams at once (given back) */
	SQ_MEDIA_MS,		/* stream milliseconds, all streams */
	SQ_MEDIA_BPS,		/* bits/s of the streams at once (given back) */
};

enum session_child_kind { SCH_SIPCONN, SCH_SWEEP, SCH_MEDIA, SCH_WEBRTC };

/* Embedded in a probe server's per-session state. */
struct session_child {
	struct session_child *next;
	enum session_child_kind kind;
	/* The session ends: unlink nothing, just let go of the session. */
	void (*gone)(struct session_child *ch);
};

struct session {
	struct server *srv;
	struct ipt_node node;		/* node.ip is the client's address */
	struct ipt_node src;		/* src.ip: its source (srv_source) */
	struct conn *ctl;		/* NULL once the connection is gone */
	uint8_t token[CTL_TOKEN_LEN];
	uint8_t watch[SESSION_MAX_WATCH][CTL_NONCE_LEN];
	char watch_hex[SESSION_MAX_WATCH][2 * CTL_NONCE_LEN + 1];
	size_t nwatch, watch_next;
	uint32_t probes;
	uint64_t bytes;
	uint64_t swept;			/* SWEEP datagrams committed */
	unsigned connects;		/* CONNECTs in flight */
	struct rate_bucket stun;	/* larger-than-request STUN answers */
	unsigned media_streams;		/* MEDIA streams running */
	uint64_t media_ms;		/* stream milliseconds committed */
	uint64_t media_bps;		/* bits/s of the streams running */
	struct session_child *children;
	unsigned uploads;		/* reports stored from its address */
	int page;			/* the check page's (session_open_page) */
	/* For its log line at the end (session_close) */
	long long opened_ms;
	char profiles[64];		/* of the report it uploaded, if any */
	char verdict[8];
};

/* Sets up the table; 0 or -ENOMEM. */
int session_init(struct server *s);

/*
 * Opens a session for the client of control connection 'ctl' at 'ip'.
 * 0; -EBUSY when the global cap is reached; -EUSERS when that address has
 * its share; -ENOMEM.
 */
int session_open(struct server *s, struct conn *ctl, const struct net_ip *ip,
    struct session **ssp);
/*
 * The same for the check page's WebSocket (no control connection), under
 * a cap of its own (max-page-sessions), so that pages and checks cannot
 * starve each other; the per-source cap counts both.
 */
int session_open_page(struct server *s, const struct net_ip *ip,
    struct session **ssp);
/* Ends the session: every child's gone() runs, then it is freed. */
void session_close(struct session *ss);
/* Ends every session (at shutdown). */
void session_close_all(struct server *s);

/*
 * The session that pays for what the address 'ip' asks without naming a
 * session (a STUN answer larger than its request): the oldest of that
 * address's sessions, or NULL.  A limit counted per source, never an
 * identity: what names its session (a control connection, a WebRTC
 * peer's ICE username, the page's WebSocket, an upload's token) is found
 * by that, since many clients share one address behind a NAT.
 */
struct session *session_source_payer(struct server *s,
    const struct net_ip *ip);
/*
 * The session whose token is 'token' and whose client is at 'ip' (an
 * upload over HTTPS names its session so), or NULL; tokens are compared
 * in constant time.
 */
struct session *session_by_token(struct server *s, const struct net_ip *ip,
    const uint8_t token[CTL_TOKEN_LEN]);
/* True when some session's client is at 'ip' (a validated source). */
int session_validated(struct server *s, const struct net_ip *ip);
/* The session whose client is at 'ip' and watches a nonce found in buf;
 * *nonce is set to that nonce. */
struct session *session_match(struct server *s, const struct net_ip *ip,
    const uint8_t *buf, size_t len, const uint8_t **nonce);
/*
 * Registers a nonce; a new one is charged to SQ_PROBES, one already
 * watched costs nothing.  Past SESSION_MAX_WATCH the oldest goes.
 * 0, or -EDQUOT when the probe cap is reached.
 */
int session_watch(struct session *ss, const uint8_t nonce[CTL_NONCE_LEN]);

/*
 * Charges 'n' units of quota 'q': 0 when within the session's caps (and
 * then counted), -EDQUOT when it would pass one (and nothing is counted).
 * The one place where a session's work is paid for.
 */
int session_charge(struct session *ss, enum session_quota q, uint64_t n);
/* Gives back units of a quota of things in flight (SQ_CONNECTS,
 * SQ_MEDIA_STREAMS, SQ_MEDIA_BPS), or of SQ_MEDIA_MS for a stream that
 * never ran. */
void session_release(struct session *ss, enum session_quota q, uint64_t n);

void session_child_add(struct session *ss, struct session_child *ch);
void session_child_del(struct session *ss, struct session_child *ch);

/* Queues a finished frame on the control connection; 0 or -errno. */
int session_write(struct session *ss, const struct dbuf *b);
/* Sends a SEEN report on the session's control connection. */
int session_report_seen(struct session *ss, const uint8_t *nonce,
    int transport, uint16_t local_port, const struct sockaddr *peer,
    int tos, uint32_t flags, const uint8_t *payload, size_t len);
/* SENT for request 'req_id'. */
void session_sent(struct session *ss, uint32_t req_id);
/*
 * ERROR for request 'req_id': the session goes on.  With 'req_id' 0 (a
 * request whose id could not be read) the ERROR is fatal, as
 * docs/protocol.md says: the connection closes once it is sent.
 */
void session_fail(struct session *ss, uint16_t code, uint32_t req_id,
    const char *reason);

#endif
