/*
 * options.c - pinhole's option table, its --help, and their parsing, for
 * every command but config.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "cmd.h"
#include "cmdline.h"
#include "config.h"
#include "log.h"
#include "parse.h"
#include "report.h"

const struct option cmd_long_opts[] = {
	{ "server", required_argument, NULL, 's' },
	{ "profile", required_argument, NULL, 'p' },
	{ "profile-dir", required_argument, NULL, 'P' },
	{ "json", no_argument, NULL, 'j' },
	{ "format", required_argument, NULL, 'f' },
	{ "html", required_argument, NULL, 'H' },
	{ "timeout", required_argument, NULL, 't' },
	{ "udp-timeout-max", required_argument, NULL, 'U' },
	{ "media-seconds", required_argument, NULL, 'M' },
	{ "calls", required_argument, NULL, 'L' },
	{ "skip", required_argument, NULL, 'S' },
	{ "stun", required_argument, NULL, 'u' },
	{ "proxy", required_argument, NULL, 'X' },
	{ "color", no_argument, NULL, 'C' },
	{ "no-color", no_argument, NULL, 'N' },
	{ "tls", no_argument, NULL, 'T' },
	{ "tls-ca", required_argument, NULL, 'A' },
	{ "share", no_argument, NULL, 'K' },
	{ "ipv4", no_argument, NULL, '4' },
	{ "ipv6", no_argument, NULL, '6' },
	{ "turn", required_argument, NULL, 'R' },
	{ "turn-user", required_argument, NULL, 'W' },
	{ "turn-pass-file", required_argument, NULL, 'Y' },
	{ "turn-ca", required_argument, NULL, 'Z' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

void
cmd_usage(FILE *f)
{
	fprintf(f,
"usage: pinhole check --server HOST[:PORT] --profile NAME|FILE [options]\n"
"       pinhole nat --stun HOST[:PORT] [--json] [--timeout SECONDS]\n"
"       pinhole config --profile NAME|FILE --format FORMAT --lan CIDR\n"
"                      --wan IFACE [options]  (see pinhole config --help)\n"
"       pinhole show --server HOST[:PORT] ID [--json|-f FORMAT] [--tls-ca FILE]\n"
"       pinhole show https://HOST/r/ID [--json|-f FORMAT] [--tls-ca FILE]\n"
"       pinhole diff A B [--json|-f FORMAT] [--server HOST[:PORT]]\n"
"                    [--tls-ca FILE]\n"
"       pinhole profiles [--profile-dir DIR]\n"
"       pinhole version\n"
"\n"
"commands:\n"
"  check        test the network's path to a pinholed against profiles\n"
"  nat          NAT behaviour discovery (RFC 5780) against any STUN server\n"
"               with two addresses, without a pinholed\n"
"  config       firewall configuration that meets the profiles\n"
"  show         print a report that check --share stored on a pinholed\n"
"  diff         compare two reports (files, ids or links) by requirement\n"
"  profiles     list the profiles that --profile can name\n"
"  version      print the version\n"
"\n"
"options:\n"
"  -s, --server HOST[:PORT]  the pinholed to test against (control port 443\n"
"                            unless given: 1 to 65535)\n"
"  -p, --profile NAME|FILE   a profile by name or path; repeatable, up to 8\n"
"      --stun HOST[:PORT]    nat: the STUN server (port 3478 by default)\n"
"  -P, --profile-dir DIR     search DIR for profiles before %s;\n"
"                            repeatable, up to 8\n"
"  -j, --json                write the report as JSON (pinhole.report/1)\n"
"  -f, --format text|json|html\n"
"                            the report format on stdout (default text)\n"
"      --html FILE           also write the report as a self-contained\n"
"                            HTML page to FILE\n"
"  -t, --timeout SECONDS     how long to wait for each answer, 1-60 (default 2)\n"
"      --udp-timeout-max SECONDS\n"
"                            measure UDP binding lifetimes up to this long,\n"
"                            10-600 (default: the profile's minimum)\n"
"      --media-seconds SECONDS\n"
"                            how long the test call lasts, 2-60 (default 10)\n"
"      --calls N             find how many calls at once keep their quality,\n"
"                            up to N, 1-256 (default: the profile's 'calls')\n"
"      --skip FAMILY         do not run one family of checks (nat,\n"
"                            nat-layers, sip-alg, sip-size, udp-timeout,\n"
"                            reach, reach-in, media, relay, relay-needed);\n"
"                            repeatable\n"
"      --turn URI            check: prove this TURN relay too, a\n"
"                            turn:HOST[:PORT][?transport=udp|tcp] or\n"
"                            turns:HOST[:PORT] (TLS); repeatable, up to 8\n"
"      --turn-user USER      the relays' static username; the password comes\n"
"                            from PINHOLE_TURN_PASSWORD or --turn-pass-file,\n"
"                            never from the command line\n"
"      --turn-pass-file FILE\n"
"                            the password, on the file's first line\n"
"      --turn-ca FILE        verify turns: relays against the CA certificates\n"
"                            in FILE (default: the system CAs)\n"
"      --proxy URL           try blocked HTTP, BOSH and TLS endpoints again\n"
"                            through this proxy (default: http_proxy,\n"
"                            https_proxy, all_proxy from the environment)\n"
"      --tls                 speak TLS to the control port, verifying the\n"
"                            server's certificate against the system CAs\n"
"      --tls-ca FILE         ... against the CA certificates in FILE instead\n"
"      --share               check: upload the report to the pinholed's store\n"
"                            over HTTPS on its control port (needs --tls or\n"
"                            --tls-ca) and print its link on stderr\n"
"  -4, --ipv4                check: over IPv4 only\n"
"  -6, --ipv6                check: over IPv6 only (default: each family\n"
"                            that this host and the server both have)\n"
"      --color, --no-color   color the text report (default: on a terminal)\n"
"  -v, --verbose             log what is sent and received on stderr; the\n"
"                            text report ends with the full evidence\n"
"  -h, --help                this text\n"
"  -V, --version             the version\n"
"\n"
"exit status: 0 every check passed (warnings allowed), 1 a check failed,\n"
"2 a usage or runtime error; diff: 0 nothing got worse, 1 a requirement\n"
"got worse, 2 an error.\n", PINHOLE_PROFILE_DIR);
}

/* A file option's argument, said unreadable now rather than later. */
static int
opt_readable(const char *opt, const char *path)
{
	if (access(path, R_OK) == 0)
		return 0;
	log_warnx("--%s %s: %s", opt, path, strerror(errno));
	return -EINVAL;
}

int
cmd_opts_parse(int argc, char **argv, struct opts *o)
{
	int ch;

	memset(o, 0, sizeof(*o));
	o->format = "text";
	o->timeout_s = 2;
	o->color = -1;
	while ((ch = getopt_long(argc, argv, "46s:p:P:jf:t:vhV", cmd_long_opts,
	    NULL)) != -1) {
		switch (ch) {
		case 's':
			if (cmdline_hostport_check("server", optarg) < 0)
				return -EINVAL;
			o->server = optarg;
			break;
		case 'p':
			if (o->nprofiles == MAX_PROFILES) {
				log_warnx("at most %d profiles", MAX_PROFILES);
				return -EINVAL;
			}
			o->profiles[o->nprofiles++] = optarg;
			break;
		case 'P':
			if (o->ndirs == MAX_DIRS) {
				log_warnx("at most %d profile directories",
				    MAX_DIRS);
				return -EINVAL;
			}
			if (pinhole_profile_dir_check(optarg) < 0)
				return -EINVAL;
			o->dirs[o->ndirs++] = optarg;
			break;
		case 'j':
			o->format = "json";
			break;
		case '4':
		case '6':
			if (o->family != 0 && o->family != ch - '0') {
				log_warnx("-4 and -6 together: give one, or "
				    "neither to check every family");
				return -EINVAL;
			}
			o->family = ch - '0';
			break;
		case 'f':
			if (report_output_find(optarg) == NULL) {
				log_warnx("unknown format '%s' (text, json or html)",
				    optarg);
				return -EINVAL;
			}
			o->format = optarg;
			break;
		case 'H':
			o->html = optarg;
			break;
		case 't':
			if (parse_uint(optarg, 1, 60, &o->timeout_s) < 0) {
				log_warnx("--timeout wants whole seconds "
				    "from 1 to 60, not '%s'", optarg);
				return -EINVAL;
			}
			break;
		case 'U':
			if (parse_uint(optarg, 10, 600, &o->udp_timeout_max) < 0) {
				log_warnx("--udp-timeout-max wants whole seconds "
				    "from 10 to 600, not '%s'", optarg);
				return -EINVAL;
			}
			break;
		case 'M':
			if (parse_uint(optarg, 2, 60, &o->media_seconds) < 0) {
				log_warnx("--media-seconds wants whole seconds "
				    "from 2 to 60, not '%s'", optarg);
				return -EINVAL;
			}
			break;
		case 'L':
			if (parse_uint(optarg, 1, 256, &o->calls) < 0) {
				log_warnx("--calls wants a number of calls "
				    "from 1 to 256, not '%s'", optarg);
				return -EINVAL;
			}
			break;
		case 'u':
			if (cmdline_hostport_check("stun", optarg) < 0)
				return -EINVAL;
			o->stun = optarg;
			break;
		case 'X':
			if (strncmp(optarg, "http://", 7) != 0 &&
			    strncmp(optarg, "https://", 8) != 0 &&
			    strncmp(optarg, "socks5://", 9) != 0) {
				log_warnx("--proxy wants a URL such as "
				    "http://proxy.example:3128, not '%s'", optarg);
				return -EINVAL;
			}
			o->proxy = optarg;
			break;
		case 'S':
			if (check_family(optarg) == NULL ||
			    strcmp(optarg, "pending") == 0) {
				log_warnx("--skip: no check family '%s' (nat, "
				    "nat-layers, sip-alg, sip-size, udp-timeout, "
				    "reach, reach-in)", optarg);
				return -EINVAL;
			}
			if (o->nskip == MAX_SKIP) {
				log_warnx("--skip: at most %d families", MAX_SKIP);
				return -EINVAL;
			}
			o->skip[o->nskip++] = optarg;
			break;
		case 'T':
			o->tls = 1;
			break;
		case 'A':
			/* Said now, not as a failed connection later. */
			if (opt_readable("tls-ca", optarg) < 0)
				return -EINVAL;
			o->tls = 1;
			o->tls_ca = optarg;
			break;
		case 'K':
			o->share = 1;
			break;
		case 'R': {
			const char *why;

			if (o->nturn == MAX_TURN) {
				log_warnx("--turn: at most %d relays", MAX_TURN);
				return -EINVAL;
			}
			if (turn_uri_parse(optarg, &o->turn[o->nturn], &why) < 0) {
				log_warnx("--turn '%s': %s", optarg, why);
				return -EINVAL;
			}
			o->nturn++;
			break;
		}
		case 'W':
			o->turn_user = optarg;
			break;
		case 'Y':
			if (opt_readable("turn-pass-file", optarg) < 0)
				return -EINVAL;
			o->turn_pass_file = optarg;
			break;
		case 'Z':
			if (opt_readable("turn-ca", optarg) < 0)
				return -EINVAL;
			o->turn_ca = optarg;
			break;
		case 'C':
			o->color = 1;
			break;
		case 'N':
			o->color = 0;
			break;
		case 'v':
			o->verbose++;
			break;
		case 'h':
			cmd_usage(stdout);
			exit(0);
		case 'V':
			printf("pinhole %s\n", PINHOLE_VERSION);
			exit(0);
		default:
			return -EINVAL;
		}
	}
	o->ndirs = pinhole_profile_dirs_finish(o->dirs, o->ndirs);
	return 0;
}
