/*
 * report_relay.c - the text of the relay checks: for a relay, the step
 * reached and what failed there, the times, the relay address, and the
 * call through it per direction; for relay.needed, the comparison.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "report_text.h"

static int
rl_found(const struct report_check *c, char *buf, size_t len)
{
	const json_t *ev = c->evidence;
	const json_t *up = json_object_get(ev, "up");
	const json_t *down = json_object_get(ev, "down");

	buf[0] = '\0';
	if (strcmp(c->id, "relay.needed") == 0)
		return -ENOENT;
	if (ev_str(ev, "failed") != NULL && ev_str(ev, "step") != NULL) {
		text_cat(buf, len, "%s: %s at %s", ev_str(ev, "transport") ?
		    ev_str(ev, "transport") : "?", ev_str(ev, "failed"),
		    ev_str(ev, "step"));
		return 0;
	}
	if (up == NULL || down == NULL)
		return -ENOENT;
	text_cat(buf, len, "%s: MOS %.2f/%.2f, loss %.1f/%.1f%%",
	    ev_str(ev, "transport") ? ev_str(ev, "transport") : "?",
	    ev_real(up, "mos", 0), ev_real(down, "mos", 0),
	    ev_real(up, "loss_pct", 0), ev_real(down, "loss_pct", 0));
	return 0;
}

static void
rl_detail(const struct report_check *c, struct text_out *t)
{
	const json_t *ev = c->evidence;
	const json_t *up = json_object_get(ev, "up");
	const json_t *down = json_object_get(ev, "down");

	if (strcmp(c->id, "relay.needed") == 0) {
		if (ev_str(ev, "relay") != NULL)
			text_para(t, 2, 4, "Best relay: %s, MOS %.2f, round trip "
			    "%.1f ms; direct media: %s.", ev_str(ev, "relay"),
			    ev_real(ev, "relay_mos", 0), ev_real(ev,
			    "relay_rtt_ms", 0), ev_str(ev, "direct") ?
			    ev_str(ev, "direct") : "?");
		return;
	}
	text_para(t, 2, 4, "Relay %s port %lld over %s (%s credentials): "
	    "reached %s.", ev_str(ev, "relay") ? ev_str(ev, "relay") : "?",
	    ev_int(ev, "port", 0), ev_str(ev, "transport") ?
	    ev_str(ev, "transport") : "?", ev_str(ev, "credentials") ?
	    ev_str(ev, "credentials") : "no", ev_str(ev, "step") ?
	    ev_str(ev, "step") : "nothing");
	if (ev_str(ev, "why") != NULL)
		text_para(t, 2, 4, "Failed: %s.", ev_str(ev, "why"));
	if (ev_int(ev, "allocate_ms", -1) >= 0)
		text_para(t, 2, 4, "Allocated in %lld ms (connected in %lld "
		    "ms), relay address %s.", ev_int(ev, "allocate_ms", 0),
		    ev_int(ev, "connect_ms", 0), ev_str(ev, "relayed") ?
		    ev_str(ev, "relayed") : "?");
	if (ev_str(ev, "tls_issuer") != NULL)
		text_para(t, 2, 4, "Certificate issued by %s.",
		    ev_str(ev, "tls_issuer"));
	if (up != NULL && down != NULL)
		text_para(t, 2, 4, "Through the relay: up %lld of %lld, MOS "
		    "%.2f; down %lld of %lld, MOS %.2f.", ev_int(up, "received",
		    0), ev_int(up, "sent", 0), ev_real(up, "mos", 0),
		    ev_int(down, "received", 0), ev_int(down, "sent", 0),
		    ev_real(down, "mos", 0));
}

const struct report_family report_family_relay = {
	.prefix = "relay",
	.found = rl_found,
	.detail = rl_detail,
};
