/*
 * main.c - pinhole: command line, profiles, and the check run.
 */
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <event2/event.h>
#include <openssl/ssl.h>

#include "check.h"
#include "cmdline.h"
#include "advice.h"
#include "config.h"
#include "ctlcli.h"
#include "log.h"
#include "natdisc.h"
#include "parse.h"
#include "pinhole.h"
#include "profile.h"
#include "report.h"
#include "share.h"
#include "sip.h"

#define MAX_PROFILES	8
#define MAX_DIRS	8
#define MAX_SKIP	8

struct opts {
	const char *server;
	const char *stun;
	const char *proxy;
	const char *profiles[MAX_PROFILES];
	size_t nprofiles;
	const char *dirs[MAX_DIRS + PINHOLE_PROFILE_DIRS_EXTRA];
	size_t ndirs;
	const char *format;
	const char *html;		/* --html FILE, or NULL */
	unsigned timeout_s;
	unsigned udp_timeout_max;
	unsigned media_seconds;
	unsigned calls;
	const char *skip[MAX_SKIP + 1];
	size_t nskip;
	int color;			/* -1: when stdout is a TTY */
	int tls;
	const char *tls_ca;
	int share;			/* --share: upload the report */
	int verbose;
};

static const struct option long_opts[] = {
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
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void
usage(FILE *f)
{
	fprintf(f,
"usage: pinhole check --server HOST[:PORT] --profile NAME|FILE [options]\n"
"       pinhole nat --stun HOST[:PORT] [--json] [--timeout SECONDS]\n"
"       pinhole config --profile NAME|FILE --format FORMAT --lan CIDR\n"
"                      --wan IFACE [options]  (see pinhole config --help)\n"
"       pinhole show --server HOST[:PORT] ID [--json|-f FORMAT] [--tls-ca FILE]\n"
"       pinhole profiles [--profile-dir DIR]\n"
"       pinhole version\n"
"\n"
"commands:\n"
"  check        test the network's path to a pinholed against profiles\n"
"  nat          NAT behaviour discovery (RFC 5780) against any STUN server\n"
"               with two addresses, without a pinholed\n"
"  config       firewall configuration that meets the profiles\n"
"  show         print a report that check --share stored on a pinholed\n"
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
"                            reach, reach-in, media);\n"
"                            repeatable\n"
"      --proxy URL           try blocked HTTP, BOSH and TLS endpoints again\n"
"                            through this proxy (default: http_proxy,\n"
"                            https_proxy, all_proxy from the environment)\n"
"      --tls                 speak TLS to the control port, verifying the\n"
"                            server's certificate against the system CAs\n"
"      --tls-ca FILE         ... against the CA certificates in FILE instead\n"
"      --share               check: upload the report to the pinholed's store\n"
"                            over HTTPS on its control port (needs --tls or\n"
"                            --tls-ca) and print its link on stderr\n"
"      --color, --no-color   color the text report (default: on a terminal)\n"
"  -v, --verbose             log what is sent and received on stderr; the\n"
"                            text report ends with the full evidence\n"
"  -h, --help                this text\n"
"  -V, --version             the version\n"
"\n"
"exit status: 0 every check passed (warnings allowed), 1 a check failed,\n"
"2 a usage or runtime error.\n", PINHOLE_PROFILE_DIR);
}

static int
parse_opts(int argc, char **argv, struct opts *o)
{
	int ch;

	memset(o, 0, sizeof(*o));
	o->format = "text";
	o->timeout_s = 2;
	o->color = -1;
	while ((ch = getopt_long(argc, argv, "s:p:P:jf:t:vhV", long_opts,
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
			o->tls = 1;
			o->tls_ca = optarg;
			break;
		case 'K':
			o->share = 1;
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
			usage(stdout);
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

static SSL_CTX *
tls_client_ctx(const char *ca, char *err, size_t errlen)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (ctx == NULL)
		return NULL;
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	if ((ca != NULL && SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1) ||
	    (ca == NULL && SSL_CTX_set_default_verify_paths(ctx) != 1)) {
		snprintf(err, errlen, "cannot load CA certificates%s%s",
		    ca ? " from " : "", ca ? ca : "");
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

static int
open_session(struct ctlcli *c, struct event_base *base, const char *server,
    SSL_CTX *tls, int timeout_ms, struct net_ip *server_ip, char *err,
    size_t errlen)
{
	struct addrinfo hints, *res = NULL, *ai;
	char host[256], port[8];
	const char *why;
	int r, gr;

	if (cmdline_hostport_split(server, "443", host, sizeof(host), port,
	    sizeof(port), &why) < 0) {
		snprintf(err, errlen, "bad --server '%s': want HOST or "
		    "HOST:PORT", server);
		return -EINVAL;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((gr = getaddrinfo(host, port, &hints, &res)) != 0) {
		snprintf(err, errlen, "cannot resolve %s: %s", host,
		    gai_strerror(gr));
		return -EHOSTUNREACH;
	}
	r = -EHOSTUNREACH;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		ctlcli_use_tls(c, tls, host);
		r = ctlcli_open(c, base, ai->ai_addr, ai->ai_addrlen,
		    timeout_ms);
		if (r == 0) {
			net_ip_from_sa(ai->ai_addr, server_ip, NULL);
			break;
		}
		snprintf(err, errlen, "%s", c->errmsg);
		ctlcli_close(c);
	}
	freeaddrinfo(res);
	return r;
}

static void
now_rfc3339(char *buf, size_t len)
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
static int
finish_report(const struct opts *o, struct report *rep, long long t0)
{
	const struct report_output *out = report_output_find(o->format);
	int color, status = 2;

	rep->duration_s = (double)(ctlcli_now_ms() - t0) / 1000.0;
	color = o->color >= 0 ? o->color : isatty(STDOUT_FILENO);
	if (out->render(rep, stdout, (color ? REPORT_COLOR : 0) |
	    (o->verbose ? REPORT_VERBOSE : 0)) < 0 || fflush(stdout) != 0)
		log_warn("cannot write the report");
	else if (o->html == NULL || write_html_file(o->html, rep) == 0)
		status = report_exit_status(rep);
	report_free(rep);
	return status;
}

/* --share: the report as it will be printed, uploaded. */
static int
share_report(const struct opts *o, struct report *rep, long long t0,
    const struct ctlcli *ctl, char *url, size_t urllen, char *err,
    size_t errlen)
{
	char session[2 * CTL_TOKEN_LEN + 1];
	json_t *j;
	char *s;
	size_t i;
	int r;

	rep->duration_s = (double)(ctlcli_now_ms() - t0) / 1000.0;
	if ((j = report_to_json(rep)) == NULL ||
	    (s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER |
	    JSON_REAL_PRECISION(6))) == NULL) {
		json_decref(j);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	json_decref(j);
	/* The session the upload counts against is named by its token. */
	for (i = 0; i < CTL_TOKEN_LEN; i++)
		snprintf(session + 2 * i, 3, "%02x", ctl->w.token[i]);
	r = share_upload(o->server, o->tls_ca, s, session, url, urllen, err,
	    errlen);
	free(s);
	return r;
}

/* pinhole show: a stored report, through the renderers of check. */
static int
cmd_show(const struct opts *o, const char *id)
{
	const struct report_output *out = report_output_find(o->format);
	struct report rep;
	char err[512];
	json_t *j = NULL;
	int color, r;

	if (o->server == NULL || id == NULL || o->nprofiles > 0) {
		log_warnx("show needs --server HOST[:PORT] and a report id");
		return 2;
	}
	if (share_fetch(o->server, o->tls_ca, id, &j, err, sizeof(err)) < 0) {
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

static int
load_profiles(const struct opts *o, struct profile **out)
{
	return pinhole_load_profiles(o->profiles, o->nprofiles, o->dirs, out);
}

/*
 * SIGINT, SIGTERM: libevent's handler only writes to its pipe; this runs
 * in the loop and sets the flag every wait looks at, so the check ends
 * cleanly and writes what it measured.
 */
static void
check_signal_h(evutil_socket_t sig, short what, void *arg)
{
	int *interrupted = arg;

	(void)sig;
	(void)what;
	*interrupted = 1;
}

static int
cmd_check(const struct opts *o)
{
	struct profile *profiles[MAX_PROFILES] = { NULL };
	struct event_base *base = NULL;
	SSL_CTX *tls = NULL;
	struct check_ctx ctx;
	struct report rep;
	struct ctlcli ctl;
	char started[32], err[512] = "";
	long long t0 = ctlcli_now_ms();
	struct event *sigs[2] = { NULL, NULL };
	int status = 2, r, interrupted = 0, shared = -1;
	char url[512] = "";
	size_t i;

	if (o->server == NULL || o->nprofiles == 0) {
		log_warnx("check needs --server and at least one --profile");
		usage(stderr);
		return 2;
	}
	if (o->share && !o->tls) {
		log_warnx("--share needs --tls (or --tls-ca): the report is "
		    "uploaded over HTTPS to the control port, and only a server "
		    "with TLS serves it");
		return 2;
	}
	if (load_profiles(o, profiles) < 0)
		return 2;
	report_init(&rep);
	now_rfc3339(started, sizeof(started));
	report_set(&rep, &rep.server, o->server);
	report_set(&rep, &rep.started, started);
	for (i = 0; i < o->nprofiles; i++)
		report_add_profile(&rep, profiles[i]->name);
	if ((base = event_base_new()) == NULL)
		fatalx("cannot create the event loop");
	sip_global_init();
	sigs[0] = evsignal_new(base, SIGINT, check_signal_h, &interrupted);
	sigs[1] = evsignal_new(base, SIGTERM, check_signal_h, &interrupted);
	for (i = 0; i < 2; i++)
		if (sigs[i] == NULL || evsignal_add(sigs[i], NULL) < 0)
			fatalx("cannot handle SIGINT and SIGTERM");

	memset(&ctx, 0, sizeof(ctx));
	ctx.base = base;
	ctx.ctl = &ctl;
	ctx.profiles = profiles;
	ctx.nprofiles = o->nprofiles;
	ctx.report = &rep;
	ctx.wait_ms = (int)o->timeout_s * 1000;
	ctx.udp_timeout_max = (int)o->udp_timeout_max;
	ctx.media_seconds = o->media_seconds;
	ctx.calls = o->calls;
	ctx.skip = o->skip;
	ctx.proxy = o->proxy;
	ctx.progress = isatty(STDERR_FILENO) && o->verbose == 0;
	ctx.interrupted = &interrupted;

	memset(&ctl, 0, sizeof(ctl));
	if (o->tls && (tls = tls_client_ctx(o->tls_ca, err, sizeof(err))) == NULL)
		r = -EINVAL;
	else
		r = open_session(&ctl, base, o->server, tls, ctx.wait_ms * 3,
		    &ctx.server_ip, err, sizeof(err));
	if (r < 0) {
		report_add(&rep, "session", "Session", VERDICT_ERROR, NULL,
		    "Check that the server name is right and that outbound "
		    "TCP to its control port (443 by default) is allowed.",
		    "no session with %s: %s", o->server, err);
		if (strcmp(o->format, "text") != 0)	/* text says it */
			log_warnx("%s", err);
	} else {
		check_run_all(&ctx);
		/* What the findings mean together, in their remedies. */
		if (advice_apply(&rep) < 0)
			log_warnx("cannot combine the findings: out of memory");
		/* Shared while the session is open: the upload names it,
		 * and the server counts it there (store-uploads-per-session). */
		if (o->share)
			shared = share_report(o, &rep, t0, &ctl, url,
			    sizeof(url), err, sizeof(err));
		ctlcli_close(&ctl);
	}
	status = finish_report(o, &rep, t0);
	if (shared == 0)
		fprintf(stderr, "pinhole: report shared: %s\n", url);
	else if (o->share) {
		log_warnx("cannot share the report: %s", err);
		status = 2;
	}
	for (i = 0; i < o->nprofiles; i++)
		profile_free(profiles[i]);
	for (i = 0; i < 2; i++)
		event_free(sigs[i]);
	event_base_free(base);
	SSL_CTX_free(tls);
	return status;
}

/* pinhole nat: the RFC 5780 tests against any STUN server. */
static int
cmd_nat(const struct opts *o)
{
	struct addrinfo hints, *res = NULL;
	struct event_base *base;
	struct natdisc nd;
	struct report rep;
	char host[256], port[8], started[32], a[NET_ADDRSTRLEN];
	long long t0 = ctlcli_now_ms();
	const char *why;
	struct net_ip ip;
	int r, gr, status;

	if (o->stun == NULL || o->server != NULL || o->nprofiles > 0) {
		log_warnx("nat needs --stun HOST[:PORT], and no --server or "
		    "--profile");
		return 2;
	}
	if (cmdline_hostport_split(o->stun, "3478", host, sizeof(host), port,
	    sizeof(port), &why) < 0) {
		log_warnx("bad --stun '%s': want HOST or HOST:PORT", o->stun);
		return 2;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	if ((gr = getaddrinfo(host, port, &hints, &res)) != 0) {
		log_warnx("cannot resolve %s: %s", host, gai_strerror(gr));
		return 2;
	}
	memset(&nd, 0, sizeof(nd));
	memcpy(&nd.server, res->ai_addr, res->ai_addrlen);
	nd.server_len = res->ai_addrlen;
	freeaddrinfo(res);
	if ((base = event_base_new()) == NULL)
		fatalx("cannot create the event loop");
	nd.base = base;
	nd.wait = natdisc_wait_plain;
	nd.loop = base;
	nd.wait_ms = (int)o->timeout_s * 1000;

	report_init(&rep);
	now_rfc3339(started, sizeof(started));
	report_set(&rep, &rep.server, o->stun);
	report_set(&rep, &rep.started, started);
	if ((r = natdisc_run(&nd)) < 0) {
		report_add(&rep, "nat.mapping", "NAT", VERDICT_ERROR, NULL,
		    "Check the server's name and port, and that outbound UDP "
		    "to it is allowed.", "no STUN answer from %s: %s",
		    net_sa_str((struct sockaddr *)&nd.server, a, sizeof(a)),
		    strerror(-r));
	} else {
		net_ip_from_sa((struct sockaddr *)&nd.local, &ip, NULL);
		report_set(&rep, &rep.local_addr, net_ip_str(&ip, a, sizeof(a)));
		net_ip_from_sa((struct sockaddr *)&nd.mapped, &ip, NULL);
		report_set(&rep, &rep.public_udp, net_ip_str(&ip, a, sizeof(a)));
		natdisc_report(&nd, &rep, 0,
		    (double)(ctlcli_now_ms() - t0) / 1000.0);
	}
	status = finish_report(o, &rep, t0);
	event_base_free(base);
	return status;
}

struct list_count {
	int good, bad;
};

static void
list_one_h(const struct profile *p, void *arg)
{
	struct list_count *n = arg;

	printf("%-24s %s\n    %s\n", p->name, p->title, p->path);
	n->good++;
}

static void
list_bad_h(const struct profile_error *e, void *arg)
{
	struct list_count *n = arg;
	char msg[1400];

	log_warnx("%s", profile_error_str(e, msg, sizeof(msg)));
	n->bad++;
}

static int
cmd_profiles(const struct opts *o)
{
	struct list_count n = { 0, 0 };
	char where[2048] = "";
	size_t i, len = 0;
	int r;

	r = profile_list(o->dirs, list_one_h, list_bad_h, &n);
	if (r < 0) {
		log_warnx("cannot list profiles: %s", strerror(-r));
		return 2;
	}
	if (n.good + n.bad == 0) {
		for (i = 0; i < o->ndirs && len < sizeof(where); i++)
			len += (size_t)snprintf(where + len, sizeof(where) - len,
			    "%s%s", i ? ", " : "", o->dirs[i]);
		log_warnx("no profiles in %s (name a directory of *.ini files "
		    "with --profile-dir)", where);
		return 2;
	}
	return n.bad ? 2 : 0;
}

int
main(int argc, char **argv)
{
	struct opts o;
	const char *cmd, *id = NULL;

	log_init("pinhole", 1, 0);
	signal(SIGPIPE, SIG_IGN);
	/* Before any thread: the gateway queries of nat.layers use them. */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		fatalx("cannot initialise libcurl");
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (cmdline_command_front(argc, argv, long_opts) < 0) {
		/* Only options: --help and --version need no command. */
		if (parse_opts(argc, argv, &o) == 0)
			log_warnx("no command (check, nat, config, show, profiles, "
			    "version): see pinhole --help");
		return 2;
	}
	cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 ||
	    strcmp(cmd, "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(cmd, "version") == 0 || strcmp(cmd, "-V") == 0 ||
	    strcmp(cmd, "--version") == 0) {
		printf("pinhole %s\n", PINHOLE_VERSION);
		return 0;
	}
	if (strcmp(cmd, "config") == 0)
		return cmd_config(argc - 1, argv + 1);
	if (parse_opts(argc - 1, argv + 1, &o) < 0) {
		fprintf(stderr, "(pinhole --help lists the options)\n");
		return 2;
	}
	/* show takes one argument, the report id */
	if (strcmp(cmd, "show") == 0 && optind + 1 < argc)
		id = argv[optind++ + 1];
	if (optind + 1 < argc) {
		log_warnx("unexpected argument '%s'", argv[optind + 1]);
		return 2;
	}
	log_init("pinhole", 1 + o.verbose, 0);
	if (strcmp(cmd, "show") == 0)
		return cmd_show(&o, id);
	if (strcmp(cmd, "check") == 0)
		return cmd_check(&o);
	if (strcmp(cmd, "profiles") == 0)
		return cmd_profiles(&o);
	if (strcmp(cmd, "nat") == 0)
		return cmd_nat(&o);
	log_warnx("unknown command '%s'", cmd);
	usage(stderr);
	return 2;
}
