/*
 * output.c - what check and nat share: the report written in the chosen
 * format, and the time it started.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "loop.h"
#include "log.h"
#include "report.h"

void
cmd_now_rfc3339(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* --html FILE: the report as a page, besides what goes to stdout. */
static int
write_html_file(const char *path, const struct report *rep)
{
	FILE *f = fopen(path, "w");
	int r = -errno;

	if (f == NULL) {
		log_warnx("cannot write the HTML report %s: %s", path,
		    strerror(-r));
		return r;
	}
	r = report_output_find("html")->render(rep, f, 0);
	if (fclose(f) != 0 && r == 0)
		r = -EIO;
	if (r < 0)
		log_warnx("cannot write the HTML report %s: %s", path,
		    strerror(-r));
	return r;
}

/* Writes the report to stdout and frees it; the exit status, 2 on error. */
int
cmd_finish_report(const struct opts *o, struct report *rep,
    const struct loop *loop, long long t0)
{
	const struct report_output *out = report_output_find(o->format);
	int color, status = 2;

	/* Measured once: a shared report says the duration printed. */
	if (rep->duration_s == 0)
		rep->duration_s = loop_since_s(loop, t0);
	color = o->color >= 0 ? o->color : isatty(STDOUT_FILENO);
	if (out->render(rep, stdout, (color ? REPORT_COLOR : 0) |
	    (o->verbose ? REPORT_VERBOSE : 0)) < 0 || fflush(stdout) != 0)
		log_warn("cannot write the report");
	else if (o->html == NULL || write_html_file(o->html, rep) == 0)
		status = report_exit_status(rep);
	report_free(rep);
	return status;
}
