/* parse.c - checked number parsing. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parse.h"

int
parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (s == NULL || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (*end != '\0')
		return -EINVAL;
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int
parse_digits(const uint8_t *p, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	int over = 0;
	size_t i;

	if (n == 0)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		uint64_t d = (uint64_t)(p[i] - '0');

		if (p[i] < '0' || p[i] > '9')
			return -EINVAL;
		/* Past 'max' we only check that the rest are digits. */
		if (over || d > max || v > (max - d) / 10)
			over = 1;
		else
			v = v * 10 + d;
	}
	if (over)
		return -ERANGE;
	*out = v;
	return 0;
}

int
parse_uint(const char *s, unsigned min, unsigned max, unsigned *out)
{
	uint64_t v;
	int r;

	if ((r = parse_u64(s, min, max, &v)) < 0)
		return r;
	*out = (unsigned)v;
	return 0;
}

int
parse_port(const char *s, uint16_t *out)
{
	uint64_t v;
	int r;

	if ((r = parse_u64(s, 1, 65535, &v)) < 0)
		return r;
	*out = (uint16_t)v;
	return 0;
}

int
parse_port_range(const char *s, uint16_t *lo, uint16_t *hi)
{
	char a[16], b[16];
	const char *dash;
	size_t n;
	uint16_t l, h;
	int r;

	if (s == NULL)
		return -EINVAL;
	if ((dash = strchr(s, '-')) == NULL) {
		if ((r = parse_port(s, &l)) < 0)
			return r;
		*lo = *hi = l;
		return 0;
	}
	n = (size_t)(dash - s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	if (n == 0 || n >= sizeof(a))
		return -EINVAL;
	memcpy(a, s, n);
	a[n] = '\0';
	dash++;
	while (*dash == ' ')
		dash++;
	if (strlen(dash) >= sizeof(b))
		return -EINVAL;
	memcpy(b, dash, strlen(dash) + 1);	/* length checked above */
	if ((r = parse_port(a, &l)) < 0 || (r = parse_port(b, &h)) < 0)
		return r;
	if (l > h)
		return -ERANGE;
	*lo = l;
	*hi = h;
	return 0;
}

int
parse_bool(const char *s, int *out)
{
	static const char *yes[] = { "yes", "on", "true", "1" };
	static const char *no[] = { "no", "off", "false", "0" };
	size_t i;

	if (s == NULL)
		return -EINVAL;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -EINVAL;
}

int
parse_duration_ms(const char *s, uint64_t max_ms, uint64_t *out)
{
	char num[24];
	size_t n = 0;
	uint64_t v, mul;
	int r;

	if (s == NULL)
		return -EINVAL;
	while (isdigit((unsigned char)s[n]) && n < sizeof(num) - 1)
		n++;
	if (n == 0 || n >= sizeof(num) - 1)
		return -EINVAL;
	memcpy(num, s, n);
	num[n] = '\0';
	if (s[n] == '\0' || strcmp(s + n, "s") == 0)
		mul = 1000;
	else if (strcmp(s + n, "ms") == 0)
		mul = 1;
	else if (strcmp(s + n, "m") == 0)
		mul = 60000;
	else
		return -EINVAL;
	if ((r = parse_u64(num, 0, max_ms / mul, &v)) < 0)
		return r;
	*out = v * mul;
	return 0;
}
