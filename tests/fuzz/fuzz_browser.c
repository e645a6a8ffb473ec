/*
 * fuzz_browser.c - the check page's results message of any bytes: what
 * parses as JSON is read (browser_results_read(), the relay entries with
 * it) and judged into a report, whose entries must each have an id and
 * whose evidence carries no credentials, which a page might send by
 * mistake.
 */
#include <stdlib.h>

#include <jansson.h>

#include "browser.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct browser_results *br;
	struct report rep;
	json_error_t err;
	const json_t *ev;
	json_t *msg, *o;
	size_t i;

	if ((msg = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES,
	    &err)) == NULL)
		return 0;
	if ((br = calloc(1, sizeof(*br))) == NULL)
		abort();
	br->webrtc_available = br->relay_offered = 1;
	if (browser_results_read(msg, br) == 0) {
		br->relay[BROWSER_RELAY_UDP].srv.offered = 1;
		br->relay[BROWSER_RELAY_UDP].srv.dtls = 1;
		br->relay[BROWSER_RELAY_UDP].srv.have_stats = 1;
		br->relay[BROWSER_RELAY_UDP].srv.up.rx.received = 10;
		br->relay[BROWSER_RELAY_UDP].srv.up.rx.sent = 10;
		report_init(&rep);
		if (browser_report_add(&rep, "fuzz", br) != 0)
			abort();
		for (i = 0; i < rep.nchecks; i++) {
			ev = rep.checks[i].evidence;
			if (rep.checks[i].id == NULL ||
			    json_object_get(ev, "credential") != NULL ||
			    json_object_get(ev, "username") != NULL)
				abort();
		}
		if ((o = report_to_json(&rep)) == NULL)
			abort();
		json_decref(o);
		report_free(&rep);
	}
	free(br);
	json_decref(msg);
	return 0;
}
