/*
 * report_id.c - an entry's address family in its id: IPv4 ids as they
 * always were, IPv6 ids with REPORT_AF6_SUFFIX; and the families' names.
 * Strings only: it calls nothing else of the report.
 */
#include <stdio.h>
#include <string.h>

#include "report.h"

static const char *const af_names[REPORT_AF_N] = { "ipv4", "ipv6" };
static const char *const af_labels[REPORT_AF_N] = { "IPv4", "IPv6" };

const char *
report_af_name(enum report_af_id af)
{
	return (unsigned)af < REPORT_AF_N ? af_names[af] : "?";
}

const char *
report_af_label(enum report_af_id af)
{
	return (unsigned)af < REPORT_AF_N ? af_labels[af] : "?";
}

enum report_af_id
report_id_af(const char *id)
{
	size_t n = strlen(id), k = strlen(REPORT_AF6_SUFFIX);

	if (n > k && strcmp(id + n - k, REPORT_AF6_SUFFIX) == 0)
		return REPORT_AF_IPV6;
	return REPORT_AF_IPV4;
}

const char *
report_id_base(const char *id, char *buf, size_t len)
{
	size_t n = strlen(id);

	if (report_id_af(id) == REPORT_AF_IPV6)
		n -= strlen(REPORT_AF6_SUFFIX);
	snprintf(buf, len, "%.*s", (int)n, id);
	return buf;
}

const char *
report_id_in(const char *base, enum report_af_id af, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s", base, af == REPORT_AF_IPV6 ?
	    REPORT_AF6_SUFFIX : "");
	return buf;
}
