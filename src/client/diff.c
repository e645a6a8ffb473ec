/*
 * diff.c - pinhole diff: two reports, each a file, a stored report's id
 * (with --server) or its link, compared by requirement (lib/report/report_diff.c)
 * and written by the renderer chosen with --format.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "log.h"
#include "pinhole.h"
#include "report.h"
#include "report_diff.h"
#include "share.h"

/* A report file: the whole of it one JSON document. */
static int
diff_load_file(const char *path, json_t **out, char *err, size_t errlen)
{
	json_error_t je;
	struct stat st;

	if (stat(path, &st) < 0) {
		snprintf(err, errlen, "%s: cannot read: %s", path,
		    strerror(errno));
		return -errno;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: is a directory, not a report", path);
		return -EISDIR;
	}
	if ((*out = json_load_file(path, 0, &je)) == NULL) {
		if (access(path, R_OK) < 0)
			snprintf(err, errlen, "%s: cannot read: %s", path,
			    strerror(errno));
		else
			snprintf(err, errlen, "%s: not JSON: %s (line %d)",
			    path, je.text, je.line);
		return -EBADMSG;
	}
	return 0;
}

int
pinhole_report_load(const char *arg, const char *server, const char *ca,
    int files, json_t **out, char *err, size_t errlen)
{
	char lserver[300], id[64];
	struct stat st;
	int r;

	*out = NULL;
	if (files && stat(arg, &st) == 0)
		return diff_load_file(arg, out, err, errlen);
	r = share_link_parse(arg, lserver, sizeof(lserver), id, sizeof(id),
	    err, errlen);
	if (r == 0)
		return share_fetch(lserver, ca, id, out, err, errlen);
	if (r != -ENOENT)
		return r;
	if (share_id_valid(arg) || !files) {
		if (server == NULL) {
			snprintf(err, errlen, "%s: a report id needs --server "
			    "HOST[:PORT] (or give its link, https://HOST/r/ID)",
			    arg);
			return -EINVAL;
		}
		return share_fetch(server, ca, arg, out, err, errlen);
	}
	return diff_load_file(arg, out, err, errlen);
}

/* One side of the comparison: loaded and read as a report. */
static int
diff_side(const char *arg, const char *server, const char *ca,
    struct report *rep)
{
	char err[768];
	json_t *j;
	int r;

	if (pinhole_report_load(arg, server, ca, 1, &j, err, sizeof(err)) < 0) {
		log_warnx("%s", err);
		return -EINVAL;
	}
	r = report_from_json(j, rep);
	json_decref(j);
	if (r < 0) {
		log_warnx("%s is not a %s report", arg, REPORT_SCHEMA);
		return r;
	}
	return 0;
}

int
cmd_diff(const char *a, const char *b, const char *server, const char *ca,
    const char *format, int color)
{
	const struct report_diff_output *out = report_diff_output_find(format);
	struct report ra, rb;
	struct report_diff d;
	int status = 2, r;

	if (a == NULL || b == NULL) {
		log_warnx("diff needs two reports: FILE, ID (with --server) or "
		    "https://HOST/r/ID");
		return 2;
	}
	if (out == NULL) {
		log_warnx("unknown format '%s' (text, json or html)", format);
		return 2;
	}
	report_init(&ra);
	report_init(&rb);
	if (diff_side(a, server, ca, &ra) < 0 ||
	    diff_side(b, server, ca, &rb) < 0)
		goto done;
	if (report_diff_build(&ra, &rb, a, b, &d) < 0) {
		log_warnx("cannot compare the reports: out of memory");
		goto done;
	}
	if (color < 0)
		color = isatty(STDOUT_FILENO);
	r = out->render(&d, stdout, color ? REPORT_COLOR : 0);
	if (r < 0 || fflush(stdout) != 0)
		log_warnx("cannot write the comparison: %s", strerror(r < 0 ?
		    -r : EIO));
	else
		status = report_diff_exit_status(&d);
	report_diff_free(&d);
done:
	report_free(&ra);
	report_free(&rb);
	return status;
}
