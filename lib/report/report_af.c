/*
 * report_af.c - the address families of a report: which were tested and
 * why one was not (read back from its JSON), the entries of one family,
 * and one family's run joined into the whole report.  The ids themselves
 * are report_id.c's; the families' JSON is written by report.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_ev.h"

const struct report_check *
report_check_base(const struct report_check *c, struct report_check *out,
    char *buf, size_t len)
{
	*out = *c;
	out->id = (char *)report_id_base(c->id, buf, len);
	return out;
}

int
report_af_tested(const struct report *r)
{
	int af, n = 0;

	for (af = 0; af < REPORT_AF_N; af++)
		n += r->af[af].known && r->af[af].tested;
	return n;
}

const struct report_check *
report_af_find(const struct report *r, const char *base,
    enum report_af_id af)
{
	char id[256];
	size_t i;

	report_id_in(base, af, id, sizeof(id));
	for (i = 0; i < r->nchecks; i++)
		if (strcmp(r->checks[i].id, id) == 0)
			return &r->checks[i];
	return NULL;
}

int
report_base_first(const struct report *r, size_t i)
{
	char a[256], b[256];
	size_t j;

	report_id_base(r->checks[i].id, a, sizeof(a));
	for (j = 0; j < i; j++)
		if (strcmp(report_id_base(r->checks[j].id, b, sizeof(b)),
		    a) == 0)
			return 0;
	return 1;
}

static int
af_take(struct report *r, char **to, const char *value)
{
	return *to == NULL && value != NULL ? report_set(r, to, value) : 0;
}

int
report_af_join(struct report *to, const struct report *from,
    enum report_af_id af)
{
	struct report_af *a = &to->af[af];
	char id[256];
	size_t i;

	a->known = 1;
	a->tested = 1;
	if (report_set(to, &a->local_addr, from->local_addr) < 0 ||
	    report_set(to, &a->public_udp, from->public_udp) < 0 ||
	    report_set(to, &a->public_tcp, from->public_tcp) < 0 ||
	    af_take(to, &to->local_addr, from->local_addr) < 0 ||
	    af_take(to, &to->public_udp, from->public_udp) < 0 ||
	    af_take(to, &to->public_tcp, from->public_tcp) < 0)
		return -ENOMEM;
	for (i = 0; i < from->nchecks; i++)
		if (report_add_copy(to, &from->checks[i], report_id_in(
		    from->checks[i].id, af, id, sizeof(id))) == NULL)
			return -ENOMEM;
	return 0;
}

int
report_af_from_json(const json_t *o, struct report *r)
{
	const json_t *fams = ev_obj(o, "families"), *one, *pub;
	struct report_af *a;
	int af;

	for (af = 0; af < REPORT_AF_N; af++) {
		if ((one = ev_obj(fams, report_af_name(af))) == NULL)
			continue;
		a = &r->af[af];
		pub = ev_obj(one, "public_address");
		a->known = 1;
		a->tested = ev_bool(one, "tested") == 1;
		if (report_set(r, &a->why, ev_str(one, "why")) < 0 ||
		    report_set(r, &a->server_addr,
		    ev_str(one, "server_address")) < 0 ||
		    report_set(r, &a->local_addr,
		    ev_str(one, "local_address")) < 0 ||
		    report_set(r, &a->public_udp, ev_str(pub, "udp")) < 0 ||
		    report_set(r, &a->public_tcp, ev_str(pub, "tcp")) < 0)
			return -ENOMEM;
	}
	return 0;
}
