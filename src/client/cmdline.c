/*
 * cmdline.c - pinhole's command line: finding the command word among the
 * options, and checking and splitting HOST[:PORT] arguments.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cmdline.h"
#include "log.h"
#include "parse.h"
#include "pinhole.h"

/* Whether the option word 'a' takes the next word as its argument. */
static int
opt_takes_next(const struct option *opts, const char *a)
{
	/* Short options with an argument, of pinhole's and of config's table. */
	static const char short_arg[] = "spPfto";
	const struct option *tabs[2] = { opts, cmd_config_options() };
	const struct option *l;
	size_t i;

	if (a[1] == '-') {
		if (strchr(a, '=') != NULL)
			return 0;
		for (i = 0; i < 2; i++)
			for (l = tabs[i]; l->name != NULL; l++)
				if (strcmp(l->name, a + 2) == 0)
					return l->has_arg == required_argument;
		return 0;
	}
	for (a++; *a != '\0'; a++)
		if (strchr(short_arg, *a) != NULL)
			return a[1] == '\0';	/* else attached: -PDIR */
	return 0;
}

int
cmdline_command_front(int argc, char **argv, const struct option *opts)
{
	char *cmd;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return -ENOENT;
		if (argv[i][0] != '-' || argv[i][1] == '\0')
			break;
		if (opt_takes_next(opts, argv[i]))
			i++;
	}
	if (i >= argc)
		return -ENOENT;
	cmd = argv[i];
	memmove(&argv[2], &argv[1], (size_t)(i - 1) * sizeof(argv[0]));
	argv[1] = cmd;
	return 0;
}

int
cmdline_hostport_split(const char *arg, const char *defport, char *host,
    size_t hlen, char *port, size_t plen, const char **why)
{
	const char *colon, *end;
	uint16_t p;
	size_t n;

	snprintf(port, plen, "%s", defport);
	if (arg[0] == '[') {
		*why = "no ']' after the IPv6 address";
		if ((end = strchr(arg, ']')) == NULL)
			return -EINVAL;
		n = (size_t)(end - arg - 1);
		colon = end[1] == ':' ? end + 1 : NULL;
		*why = "only ':PORT' may follow ']'";
		if (end[1] != '\0' && colon == NULL)
			return -EINVAL;
		arg++;
	} else {
		colon = strchr(arg, ':');
		if (colon != NULL && strchr(colon + 1, ':') != NULL)
			colon = NULL;	/* a bare IPv6 address */
		n = colon ? (size_t)(colon - arg) : strlen(arg);
	}
	*why = n == 0 ? "no host" : "the host name is too long";
	if (n == 0 || n >= hlen)
		return -EINVAL;
	memcpy(host, arg, n);
	host[n] = '\0';
	if (colon != NULL) {
		*why = "the port is a number from 1 to 65535";
		if (parse_port(colon + 1, &p) < 0)
			return -EINVAL;
		snprintf(port, plen, "%u", p);
	}
	return 0;
}

int
cmdline_hostport_check(const char *opt, const char *arg)
{
	char host[256], port[8];
	const char *why = "";

	if (cmdline_hostport_split(arg, "1", host, sizeof(host), port, sizeof(port),
	    &why) < 0) {
		log_warnx("--%s wants HOST or HOST:PORT (IPv6 as [ADDR]:PORT), "
		    "not '%s': %s", opt, arg, why);
		return -EINVAL;
	}
	return 0;
}
