/*
 * show.c - pinhole show: a stored report, through the renderers of check.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "log.h"
#include "pinhole.h"
#include "report.h"

int
cmd_show(const struct opts *o, char **args)
{
	const char *id = args[0];
	const struct report_output *out = report_output_find(o->format);
	struct report rep;
	char err[512];
	json_t *j = NULL;
	int color, r;

	if (id == NULL || o->nprofiles > 0 || (o->server == NULL &&
	    strncmp(id, "https://", 8) != 0)) {
		log_warnx("show needs --server HOST[:PORT] and a report id, "
		    "or the report's link (https://HOST/r/ID)");
		return 2;
	}
	if (pinhole_report_load(id, o->server, o->tls_ca, 0, &j, err,
	    sizeof(err)) < 0) {
		log_warnx("%s", err);
		return 2;
	}
	r = report_from_json(j, &rep);
	json_decref(j);
	if (r < 0) {
		log_warnx("report %s is not a pinhole.report/1 report", id);
		return 2;
	}
	color = o->color >= 0 ? o->color : isatty(STDOUT_FILENO);
	r = out->render(&rep, stdout, (color ? REPORT_COLOR : 0) |
	    (o->verbose ? REPORT_VERBOSE : 0));
	report_free(&rep);
	if (r < 0 || fflush(stdout) != 0) {
		log_warn("cannot write the report");
		return 2;
	}
	return 0;
}
