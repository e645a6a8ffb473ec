/*
 * store_report.c - what an uploaded report becomes in the store: its
 * listing fields, cut between UTF-8 characters; the JSON kept (the report
 * rebuilt); the text searched; its page, rendered once by the worker
 * within a byte and shape budget, so that a GET only reads it back; its
 * origin (which reports are of the same source); and the page of its
 * comparison with the earlier report of its source, likewise rendered
 * once, at upload, within the same bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "report.h"
#include "report_diff.h"
#include "server.h"
#include "session.h"
#include "store.h"

void
store_str_fit(char *dst, size_t len, const char *src)
{
	const char *p = src != NULL ? src : "";
	size_t n;

	if (len == 0)
		return;
	n = html_utf8_fit(p, len - 1);
	memcpy(dst, p, n);
	dst[n] = '\0';
}

int
store_job_report(struct store_job *j, struct report *rep)
{
	char profiles[sizeof(j->row.profiles) * 2] = "";
	json_t *o;
	size_t i, len = 0, cap = 0, n;
	char *s;

	if (rep->nchecks > STORE_MAX_CHECKS)
		return -E2BIG;
	for (i = 0; i < rep->nprofiles; i++) {
		n = strlen(profiles);
		snprintf(profiles + n, sizeof(profiles) - n, "%s%s",
		    i ? "," : "", rep->profiles[i]);
	}
	store_str_fit(j->row.profiles, sizeof(j->row.profiles), profiles);
	store_str_fit(j->row.server, sizeof(j->row.server), rep->server);
	snprintf(j->row.verdict, sizeof(j->row.verdict), "%s",
	    verdict_name(report_overall(rep)));
	for (i = 0; i < rep->nchecks; i++)
		cap += strlen(rep->checks[i].id) + 2 +
		    (rep->checks[i].summary ? strlen(rep->checks[i].summary) : 0);
	if ((j->summaries = malloc(cap + 1)) == NULL)
		return -ENOMEM;
	j->summaries[0] = '\0';
	for (i = 0; i < rep->nchecks; i++)
		len += (size_t)snprintf(j->summaries + len, cap + 1 - len,
		    "%s %s\n", rep->checks[i].id, rep->checks[i].summary ?
		    rep->checks[i].summary : "");
	/* What is stored is the report as the contract has it, rebuilt:
	 * nothing outside pinhole.report/1 is kept. */
	if ((o = report_to_json(rep)) == NULL)
		return -ENOMEM;
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER |
	    JSON_REAL_PRECISION(6));
	json_decref(o);
	if (s == NULL)
		return -ENOMEM;
	j->json = s;
	j->row.size = (unsigned long)strlen(s);
	if ((j->rep = malloc(sizeof(*j->rep))) == NULL)
		return -ENOMEM;
	*j->rep = *rep;		/* taken over: the worker renders it */
	report_init(rep);
	return 0;
}

int
store_page(const struct report *rep, const char *compare, size_t max_bytes,
    char **html)
{
	char *page = NULL;
	size_t plen = 0;
	FILE *f;
	int r;

	*html = NULL;
	if (rep == NULL)
		return -EINVAL;
	if ((f = open_memstream(&page, &plen)) == NULL)
		return -ENOMEM;
	r = report_render_html_bounded(rep, f, max_bytes, compare);
	if (fclose(f) != 0 && r == 0)
		r = -ENOMEM;
	if (r == 0 && plen == 0)
		r = -EIO;
	if (r < 0) {
		free(page);
		return r;
	}
	*html = page;
	return 0;
}

/* A stored report's JSON as a report: -EBADMSG when it is not one. */
static int
store_report_parse(const char *json, struct report *rep)
{
	json_t *o = json_loads(json, 0, NULL);
	int r;

	if (o == NULL)
		return -EBADMSG;
	r = report_from_json(o, rep);
	json_decref(o);
	return r < 0 ? -EBADMSG : 0;
}

int
store_diff_page(const char *before, const char *id_a,
    const struct report *after, const char *id_b, size_t max_bytes,
    char **html)
{
	char la[STORE_ID_LEN + 8], lb[STORE_ID_LEN + 8];
	struct report a;
	struct report_diff d;
	char *page = NULL;
	size_t plen = 0;
	FILE *f = NULL;
	int r;

	*html = NULL;
	if ((r = store_report_parse(before, &a)) < 0)
		return r;
	snprintf(la, sizeof(la), "/r/%s", id_a);
	snprintf(lb, sizeof(lb), "/r/%s", id_b);
	if ((r = report_diff_build(&a, after, la, lb, &d)) < 0)
		goto out;
	if ((f = open_memstream(&page, &plen)) == NULL)
		r = -ENOMEM;
	else
		r = report_diff_render_html_bounded(&d, f, max_bytes);
	report_diff_free(&d);
	if (f != NULL && fclose(f) != 0 && r == 0)
		r = -ENOMEM;
	if (r == 0 && plen == 0)
		r = -EIO;
	if (r == 0) {
		*html = page;
		page = NULL;
	}
out:
	free(page);
	report_free(&a);
	return r;
}

void
store_origin(const struct server *s, const struct net_ip *ip, char *out,
    size_t len)
{
	char a[NET_ADDRSTRLEN];
	struct net_ip src;

	srv_source(s, ip, &src);
	net_ip_str(&src, a, sizeof(a));
	if (src.family == AF_INET6)
		snprintf(out, len, "%s/%u", a, s->conf.source_prefix6);
	else
		snprintf(out, len, "%s", a);
}

int
store_upload_charge(struct server *s, struct session *ss,
    const struct net_ip *ip, const struct store_row *row)
{
	if (ss != NULL && ss->uploads >= s->conf.store_uploads_per_session)
		return -EUSERS;
	if (!rate_take(&s->upload_rate, ip, s->now_ms()))
		return -EAGAIN;
	if (ss != NULL) {
		ss->uploads++;
		store_str_fit(ss->profiles, sizeof(ss->profiles),
		    row->profiles);
		snprintf(ss->verdict, sizeof(ss->verdict), "%s", row->verdict);
	}
	return 0;
}
