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

#define BROWSER_MAX_TARGETS	32	/* hosts a page fetches, at most */
#define BROWSER_HOST_MAX	253	/* a DNS name's text */
#define BROWSER_ERROR_MAX	120	/* bytes of the browser's error kept */
#define BROWSER_UA_MAX		200	/* bytes of the User-Agent kept */

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
	struct browser_target targets[BROWSER_MAX_TARGETS];
	size_t ntargets;
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
 * "timed_out", "ms", "error"}], "webrtc" and "user_agent".  Entries for
 * hosts that are not targets are ignored; a target reported twice keeps
 * the first; strings are cut to their bounds.  0, or -EBADMSG when 'msg'
 * is not an object or "fetch" is not an array.
 */
int browser_results_read(const json_t *msg, struct browser_results *r);

/*
 * Adds the browser check's entries to 'rep': browser.tls-ws.PORT,
 * browser.fetch.HOST (HOST:PORT when the port is not 443) for each
 * target, and browser.webrtc.  'profile' names the profile in the
 * evidence.  0 or -ENOMEM.
 */
int browser_report_add(struct report *rep, const char *profile,
    const struct browser_results *r);

#endif
