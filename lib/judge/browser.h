/*
 * browser.h - the browser check's verdicts: what the check page measured
 * in the user's own browser (lib/ code, so that pinholed judges it as
 * pinhole check judges its own figures), turned into report entries.
 *
 * pinholed fills the targets from the profile (browser_targets()), reads
 * the page's "results" message into them (browser_results_read()), and
 * adds the checks to a report (browser_report_add()).  Nothing here does
 * I/O.
 */
#ifndef PINHOLE_BROWSER_H
#define PINHOLE_BROWSER_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "profile.h"
#include "report.h"
#include "mediaq.h"
#include "rtpside.h"

#define BROWSER_MAX_TARGETS	32	/* hosts a page fetches, at most */
#define BROWSER_HOST_MAX	253	/* a DNS name's text */
#define BROWSER_ERROR_MAX	120	/* bytes of the browser's error kept */
#define BROWSER_UA_MAX		200	/* bytes of the User-Agent kept */
#define BROWSER_WEBRTC_PORTS	4	/* media ports a peer offers */
#define BROWSER_WEBRTC_PTIME	20	/* Opus packets of 20 ms */
#define BROWSER_WEBRTC_JB	60	/* the jitter buffer modelled, ms */
#define BROWSER_WEBRTC_CANDS	16	/* remote candidates the page lists */
#define BROWSER_WEBRTC_CHECKS	1000000	/* one's checks the page counts */

/* One host the page fetches: an endpoint of the profile over HTTPS. */
struct browser_target {
	char host[BROWSER_HOST_MAX + 1];
	uint16_t port;
	const char *endpoint;		/* the profile's endpoint name */
	/* what the page said */
	int reported;
	int ok;				/* the fetch resolved */
	int timed_out;			/* the page gave up waiting */
	double ms;			/* until it resolved or failed; -1 unknown */
	char error[BROWSER_ERROR_MAX + 1];
};

/* pinholed's side of the page's WebRTC media (src/server's webrtc_paths()
 * and webrtc_stats()). */
struct browser_webrtc_srv {
	int offered;			/* a peer answered the page's offer */
	uint16_t ports[BROWSER_WEBRTC_PORTS];	/* its UDP candidates */
	uint32_t port_checks[BROWSER_WEBRTC_PORTS];	/* valid ICE checks */
	size_t nports;
	uint32_t checks;		/* valid ICE checks, all ports */
	int have_pair;			/* a check chose the pair */
	int dtls;			/* DTLS done: SRTP keyed */
	uint16_t pair_port;		/* the pair: our port, the browser's */
	uint16_t peer_port;
	int pair_family;		/* AF_INET or AF_INET6: the pair's, as
					   pinholed saw it; 0 without one */
	int pair_tcp;			/* the pair is ICE-TCP */
	uint16_t tcp_port;		/* the passive ICE-TCP candidate, or 0 */
	uint32_t tcp_checks;		/* valid ICE checks over it */
	int have_stats;
	struct rtp_side up;		/* what it received from the browser */
};

/* The browser's ICE checks to one of pinholed's candidates, as its
 * candidate-pair stats count them (summed over its local candidates). */
struct browser_webrtc_cand {
	uint16_t port;			/* the remote candidate's */
	int tcp;			/* its protocol is tcp, else udp */
	long long requests;		/* requestsSent */
	long long responses;		/* responsesReceived */
};

/* What the page read of its RTCPeerConnection (getStats()); numbers
 * it did not give are -1. */
struct browser_webrtc_page {
	int run;			/* the page ran the media test */
	int no_audio;			/* its audio did not start (autoplay) */
	int connected;			/* ICE reached connected */
	char state[16];			/* the last ICE connection state */
	char error[BROWSER_ERROR_MAX + 1];
	double connect_ms;		/* from the offer to ICE connected */
	double media_ms;		/* audio both ways, until getStats() */
	char local_type[8], remote_type[8];	/* host, srflx, prflx, relay */
	char protocol[4];		/* "udp", "tcp" */
	long long local_port, remote_port;
	double rtt_ms;			/* the pair's currentRoundTripTime */
	long long in_received, in_lost;	/* inbound-rtp */
	double in_jitter_ms;
	long long out_sent;		/* outbound-rtp */
	double ri_fraction_lost;	/* remote-inbound-rtp: pinholed's RR */
	double ri_jitter_ms, ri_rtt_ms;
	int have_cands;			/* the page listed its checks */
	struct browser_webrtc_cand cands[BROWSER_WEBRTC_CANDS];
	size_t ncands;
};

/* The page's relay-only connection over one transport of the relays
 * pinholed names ([relay] urls): BROWSER_RELAY_UDP, _TCP, _TLS. */
enum { BROWSER_RELAY_UDP, BROWSER_RELAY_TCP, BROWSER_RELAY_TLS,
	BROWSER_RELAYS };

struct browser_relay {
	int reported;			/* the page ran this transport */
	char url[128];			/* the TURN URI it used (no credentials) */
	int candidate;			/* a relay candidate was gathered */
	int error_code;			/* the first icecandidateerror, or 0 */
	char error_text[BROWSER_ERROR_MAX + 1];
	struct browser_webrtc_page page;
	struct browser_webrtc_srv srv;	/* filled by pinholed */
};

struct browser_results {
	/* what pinholed saw of the WebSocket itself */
	uint16_t ws_port;		/* the port the page connected to */
	char tls_version[16];		/* "TLSv1.3" */
	char address[64];		/* the browser's public address */
	/* what the page measured */
	double hello_rtt_ms;		/* -1 unknown */
	char user_agent[BROWSER_UA_MAX + 1];
	int webrtc_available;		/* pinholed offered WebRTC */
	int webrtc_reported;
	struct browser_webrtc_page wpage;
	struct browser_webrtc_srv wsrv;	/* filled by pinholed */
	struct browser_target targets[BROWSER_MAX_TARGETS];
	size_t ntargets;
	int relay_offered;		/* pinholed names relays to the page */
	struct browser_relay relay[BROWSER_RELAYS];
};

/*
 * The hosts a page should fetch for profile 'p': every TCP endpoint with
 * a host and service "tls", once per host and port (the lowest port of a
 * range), in the profile's order, at most BROWSER_MAX_TARGETS.  Fills
 * r->targets (the names point into 'p', which must outlive 'r') and
 * returns how many.  A page served over HTTPS can only fetch https://
 * URLs (a plain http:// fetch is mixed content), so other services are
 * not tried.
 */
size_t browser_targets(const struct profile *p, struct browser_results *r);

/*
 * The targets as the hello answer lists them: [{"host", "port",
 * "endpoint"}, ...] (new reference, NULL when out of memory).
 */
json_t *browser_targets_json(const struct browser_results *r);

/*
 * Reads the page's "results" object 'msg' into 'r' (whose targets are
 * set): its "ws" {"hello_rtt_ms"}, "fetch" [{"host", "port", "ok",
 * "timed_out", "ms", "error"}], "webrtc" (browser_webrtc_read()) and
 * "user_agent".  Entries for
 * hosts that are not targets are ignored; a target reported twice keeps
 * the first; strings are cut to their bounds.  0, or -EBADMSG when 'msg'
 * is not an object or "fetch" is not an array.
 */
int browser_results_read(const json_t *msg, struct browser_results *r);

/* The string 's' (or "" when NULL: read it with ev_str()) into 'out', cut
 * to 'len' - 1 bytes before a character that would not fit whole, control
 * characters made spaces. */
void browser_text(const char *s, char *out, size_t len);

/*
 * Reads the page's "webrtc" object 'w' (NULL: not reported) into 'out':
 * "run", "audio" (false: not started), "connected", "state", "error", "connect_ms", "media_ms",
 * "pair" {"local_type", "remote_type", "protocol", "local_port",
 * "remote_port", "rtt_ms"}, "inbound" {"packets_received",
 * "packets_lost", "jitter_ms"}, "outbound" {"packets_sent"},
 * "remote_inbound" {"fraction_lost", "jitter_ms", "rtt_ms"}.  A
 * number out of its bounds, or of another type, is unknown (-1).
 * "candidates" [{"port", "protocol", "requests_sent",
 * "responses_received"}]: the browser's checks per remote candidate; an
 * entry with a port outside 1-65535, a protocol other than "udp" or
 * "tcp", or a count that is not an integer within 0 to
 * BROWSER_WEBRTC_CHECKS is dropped, entries for one port and protocol
 * are summed, and past BROWSER_WEBRTC_CANDS ports the rest are ignored.
 * have_cands is set when "candidates" is an array.
 */
void browser_webrtc_read(const json_t *w, struct browser_webrtc_page *out);

/*
 * Adds browser.webrtc to 'rep': each direction's quality (lib/judge/mediaq.c,
 * Opus) from what pinholed received (up) and what the browser did
 * (down), judged with media.rtp's thresholds.  0 or -ENOMEM.
 */
int browser_webrtc_add(struct report *rep, const char *profile,
    const struct browser_results *r);

/*
 * Adds the browser check's entries to 'rep': browser.tls-ws.PORT,
 * browser.fetch.HOST (HOST:PORT when the port is not 443) for each
 * target, and browser.webrtc.  'profile' names the profile in the
 * evidence.  0 or -ENOMEM.
 */
int browser_report_add(struct report *rep, const char *profile,
    const struct browser_results *r);

/*
 * The quality of a page's media with pinholed: each direction (up: what
 * pinholed received, 's'; down: what the page did, 'p') judged by
 * lib/judge/mediaq.c as media.rtp judges pinhole check's test call;
 * "rtt_ms", "up" and "down" set in 'ev'.  Returns the verdict.
 */
enum verdict browser_webrtc_quality(const struct browser_webrtc_page *p,
    const struct browser_webrtc_srv *s, json_t *ev,
    struct rtp_dir_stats *down, struct mediaq_dir *qu, struct mediaq_dir *qd);

/* browser_relay.c */
/*
 * Reads the page's "relay" array 'a' (NULL: not reported) into r->relay:
 * per entry "transport" ("udp", "tcp", "tls"), "url", "candidate",
 * "error_code", "error_text" and the members browser_webrtc_read() reads.
 * Unknown transports and repeats are ignored; nothing else is read (the
 * credentials the page used never enter the report).
 */
void browser_relay_read(const json_t *a, struct browser_results *r);

/*
 * Adds relay.udp, relay.tcp and relay.tls to 'rep' when pinholed named
 * relays to the page: "relays media" with the quality through it, or
 * the step that failed (gather: no relay candidate; connect: ICE through
 * the relay; media).  0 or -ENOMEM.
 */
int browser_relay_add(struct report *rep, const char *profile,
    const struct browser_results *r);

#endif
