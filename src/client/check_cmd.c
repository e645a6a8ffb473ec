/*
 * check_cmd.c - pinhole check: the session with the pinholed, the check
 * families run over it, and the report printed and shared.
 */
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <openssl/ssl.h>

#include "advice.h"
#include "check.h"
#include "check_af.h"
#include "cmd.h"
#include "cmdline.h"
#include "ctlcli.h"
#include "dualstack.h"
#include "loop.h"
#include "log.h"
#include "report.h"
#include "share.h"
#include "sip.h"
#include "tlsctx.h"

static int
open_session(struct ctlcli *c, const char *server, int family,
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
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	if ((gr = getaddrinfo(host, port, &hints, &res)) != 0) {
		snprintf(err, errlen, "cannot resolve %s: %s", host,
		    gai_strerror(gr));
		return -EHOSTUNREACH;
	}
	r = -EHOSTUNREACH;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		ctlcli_use_tls(c, tls, host);
		r = ctlcli_open(c, ai->ai_addr, ai->ai_addrlen, timeout_ms);
		if (r == 0) {
			net_ip_from_sa(ai->ai_addr, server_ip, NULL);
			log_debug("control session open with %s port %s", host,
			    port);
			break;
		}
		snprintf(err, errlen, "%s", ctlcli_errmsg(c));
		ctlcli_close(c);
	}
	freeaddrinfo(res);
	return r;
}

/* --share: the report as it will be printed, uploaded. */
static int
share_report(const struct opts *o, struct report *rep,
    const struct loop *loop, long long t0, const struct ctlcli *ctl,
    char *url, size_t urllen, char *err, size_t errlen)
{
	char session[2 * CTL_TOKEN_LEN + 1];
	json_t *j;
	char *s;
	size_t i;
	int r;

	/* The duration that cmd_finish_report() prints too. */
	rep->duration_s = loop_since_s(loop, t0);
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
		snprintf(session + 2 * i, 3, "%02x",
		    ctlcli_welcome(ctl)->token[i]);
	r = share_upload(o->server, o->tls_ca, s, session, url, urllen, err,
	    errlen);
	free(s);
	return r;
}

static int
load_profiles(const struct opts *o, struct profile **out)
{
	return pinhole_load_profiles(o->profiles, o->nprofiles, o->dirs, out);
}

/*
 * The relays' static password: --turn-pass-file's first line, else
 * PINHOLE_TURN_PASSWORD; never an argument, which ps would show.  0, or
 * -EINVAL having said why.
 */
static int
turn_password(const struct opts *o, char *pass, size_t len)
{
	const char *env = getenv("PINHOLE_TURN_PASSWORD");
	FILE *f;
	size_t n;

	pass[0] = '\0';
	if (o->turn_pass_file != NULL) {
		if ((f = fopen(o->turn_pass_file, "r")) == NULL ||
		    fgets(pass, (int)len, f) == NULL) {
			log_warnx("--turn-pass-file %s: cannot read a line",
			    o->turn_pass_file);
			if (f != NULL)
				fclose(f);
			return -EINVAL;
		}
		fclose(f);
	} else if (env != NULL) {
		snprintf(pass, len, "%s", env);
	}
	n = strcspn(pass, "\r\n");
	pass[n] = '\0';
	if (n == 0) {
		log_warnx("--turn-user needs the password in "
		    "PINHOLE_TURN_PASSWORD or --turn-pass-file");
		return -EINVAL;
	}
	return 0;
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

/*
 * The remedy for no session in family 'af': the server's name and the
 * control port in general; over IPv6, where the name has an AAAA record
 * but nothing listens there (refused) or nothing answers, what that means
 * for the phones and how to test IPv4 alone.
 */
static const char *
session_remedy(const struct opts *o, int r, int af)
{
	if (r == -EPROTO)
		return o->tls_ca == NULL ? "The server's certificate is not "
		    "one the system's CAs vouch for: give the CA that issued "
		    "it (or the certificate itself, when it is self-signed) "
		    "with --tls-ca FILE, and name the server as its "
		    "certificate does." : "The server's certificate is not one "
		    "the CA certificates of --tls-ca vouch for: give the CA "
		    "that issued it (or the certificate itself, when it is "
		    "self-signed), and name the server as its certificate "
		    "does.";
	if (af == REPORT_AF_IPV6 && r == -ECONNREFUSED)
		return "Not this network: the server's name has an IPv6 "
		    "address, but nothing listens there on the control port "
		    "(the connection was refused), so IPv6 was not tested. "
		    "The provider's pinholed serves IPv6 once it listens on an "
		    "IPv6 address (pinholed(8), listen); meanwhile -4 tests "
		    "IPv4 alone.";
	if (af == REPORT_AF_IPV6 && r == -ETIMEDOUT)
		return "Nothing answered over IPv6 on the control port, so "
		    "IPv6 was not tested: a firewall here may drop outbound "
		    "TCP over IPv6 (phones that try IPv6 first then wait "
		    "before they fall back to IPv4): allow it to the "
		    "provider's servers. If the provider's server does not "
		    "serve IPv6, -4 tests IPv4 alone.";
	return "Check that the server name is right and that outbound TCP "
	    "to its control port (443 by default) is allowed.";
}

/* The session error of family 'af' (REPORT_AF_N: before any), in its
 * report. */
static void
session_error(const struct opts *o, struct report *rep, int r, int af,
    const char *err)
{
	report_add(rep, "session", "Session", VERDICT_ERROR, NULL,
	    session_remedy(o, r, af), "no session with %s%s: %s", o->server,
	    af == REPORT_AF_IPV6 ? " over IPv6" : "", err);
	if (strcmp(o->format, "text") != 0)	/* text says it */
		log_warnx("%s", err);
}

/*
 * The families to run in (check_af.c), said in the report; when none is
 * left, an error entry says why of each.
 */
static int
plan_families(const struct opts *o, struct report *rep,
    struct check_af_plan plan[REPORT_AF_N])
{
	char host[256], port[8];
	const char *why;
	int af;

	if (cmdline_hostport_split(o->server, "443", host, sizeof(host), port,
	    sizeof(port), &why) < 0) {
		/* open_session() says so, in IPv4 as before families. */
		memset(plan, 0, REPORT_AF_N * sizeof(*plan));
		plan[REPORT_AF_IPV4].run = 1;
		return 0;
	}
	if (check_af_plan(host, port, o->family, plan) < 0) {
		report_add(rep, "session", "Session", VERDICT_ERROR, NULL,
		    "Run the check from a host with an address in a family "
		    "the server has, or leave out -4/-6.", "no address family "
		    "to test: IPv4: %s; IPv6: %s", plan[REPORT_AF_IPV4].why,
		    plan[REPORT_AF_IPV6].why);
	}
	for (af = 0; af < REPORT_AF_N; af++) {
		rep->af[af].known = 1;
		if (!plan[af].run && report_set(rep, &rep->af[af].why,
		    plan[af].why) < 0)
			return -ENOMEM;
	}
	return 0;
}

int
cmd_check(const struct opts *o, char **args)
{
	struct profile *profiles[MAX_PROFILES] = { NULL };
	struct check_af_plan plan[REPORT_AF_N];
	struct event_base *base = NULL;
	SSL_CTX *tls = NULL;
	struct check_opts opts;
	struct check_ctx ctx;
	struct report rep, frep;
	struct loop loop;
	struct ctlcli *ctl;
	char started[32], err[512] = "", addr[NET_ADDRSTRLEN];
	long long t0;
	struct event *sigs[2] = { NULL, NULL };
	int status = 2, r, interrupted = 0, shared = -1, af, open = 0;
	char url[512] = "", turn_pass[256] = "";
	size_t i;

	(void)args;
	if (o->server == NULL || o->nprofiles == 0) {
		log_warnx("check needs --server and at least one --profile");
		cmd_usage(stderr);
		return 2;
	}
	if (o->nturn > 0 && o->turn_user == NULL) {
		log_warnx("--turn needs --turn-user, and the password in "
		    "PINHOLE_TURN_PASSWORD or --turn-pass-file");
		return 2;
	}
	if (o->turn_user != NULL &&
	    turn_password(o, turn_pass, sizeof(turn_pass)) < 0)
		return 2;
	if (o->share && !o->tls) {
		log_warnx("--share needs --tls (or --tls-ca): the report is "
		    "uploaded over HTTPS to the control port, and only a server "
		    "with TLS serves it");
		return 2;
	}
	if ((base = event_base_new()) == NULL)
		fatalx("cannot create the event loop");
	loop_init(&loop, base);
	t0 = loop_now_ms(&loop);
	if (load_profiles(o, profiles) < 0) {
		event_base_free(base);
		return 2;
	}
	report_init(&rep);
	cmd_now_rfc3339(started, sizeof(started));
	report_set(&rep, &rep.server, o->server);
	report_set(&rep, &rep.started, started);
	for (i = 0; i < o->nprofiles; i++)
		report_add_profile(&rep, profiles[i]->name);
	if ((ctl = ctlcli_new(&loop)) == NULL)
		fatalx("out of memory");
	sip_global_init();
	sigs[0] = evsignal_new(base, SIGINT, check_signal_h, &interrupted);
	sigs[1] = evsignal_new(base, SIGTERM, check_signal_h, &interrupted);
	for (i = 0; i < 2; i++)
		if (sigs[i] == NULL || evsignal_add(sigs[i], NULL) < 0)
			fatalx("cannot handle SIGINT and SIGTERM");

	memset(&ctx, 0, sizeof(ctx));
	ctx.loop = &loop;
	ctx.ctl = ctl;
	memset(&opts, 0, sizeof(opts));
	opts.profiles = profiles;
	opts.nprofiles = o->nprofiles;
	opts.wait_ms = (int)o->timeout_s * 1000;
	opts.udp_timeout_max = (int)o->udp_timeout_max;
	opts.media_seconds = o->media_seconds;
	opts.calls = o->calls;
	opts.skip = o->skip;
	opts.proxy = o->proxy;
	opts.turn = o->turn;
	opts.nturn = o->nturn;
	opts.turn_user = o->turn_user;
	opts.turn_pass = o->turn_user != NULL ? turn_pass : NULL;
	opts.turn_ca = o->turn_ca;
	opts.progress = isatty(STDERR_FILENO);
	ctx.opt = &opts;
	ctx.interrupted = &interrupted;

	if (plan_families(o, &rep, plan) < 0)
		fatalx("out of memory");
	if (o->tls && (tls = tlsctx_client(o->tls_ca, err, sizeof(err))) == NULL) {
		session_error(o, &rep, -EINVAL, REPORT_AF_N, err);
		memset(plan, 0, sizeof(plan));
	}
	/* One family after the other, each in a session of its own: the
	 * sweeps of one would disturb the other's test call.  The last
	 * session stays open for --share. */
	for (af = 0; af < REPORT_AF_N; af++) {
		if (!plan[af].run)
			continue;
		if (open)
			ctlcli_close(ctl);
		open = 0;
		if (interrupted) {
			report_set(&rep, &rep.af[af].why, "interrupted before");
			continue;
		}
		report_init(&frep);
		frep.af[af].known = frep.af[af].tested = 1;
		ctx.report = &frep;
		ctx.af_label = report_af_label(af);
		r = open_session(ctl, o->server, check_af_sys(af), tls,
		    opts.wait_ms * 3, &ctx.server_ip, err, sizeof(err));
		if (r < 0) {
			session_error(o, &frep, r, af, err);
		} else {
			open = 1;
			check_run_all(&ctx);
			/* What the findings mean together, in their remedies:
			 * per family (a NAT in one, none in the other). */
			if (advice_apply(&frep) < 0)
				log_warnx("cannot combine the findings: out of "
				    "memory");
		}
		if (report_af_join(&rep, &frep, af) < 0 || (r == 0 &&
		    report_set(&rep, &rep.af[af].server_addr,
		    net_ip_str(&ctx.server_ip, addr, sizeof(addr))) < 0))
			fatalx("out of memory");
		/* Without a session nothing was tested in the family: its
		 * session entry says why. */
		if (r < 0) {
			rep.af[af].tested = 0;
			if (report_set(&rep, &rep.af[af].why, "no session "
			    "with the server in this family") < 0)
				fatalx("out of memory");
		}
		report_free(&frep);
	}
	/* Where the families disagree, as a phone meets it. */
	if (dualstack_judge(&rep) < 0)
		log_warnx("cannot compare the families: out of memory");
	ctx.report = &rep;
	if (open) {
		/* Shared while the session is open: the upload names it,
		 * and the server counts it there (store-uploads-per-session). */
		if (o->share)
			shared = share_report(o, &rep, &loop, t0, ctl, url,
			    sizeof(url), err, sizeof(err));
		ctlcli_close(ctl);
	}
	explicit_bzero(turn_pass, sizeof(turn_pass));
	status = cmd_finish_report(o, &rep, &loop, t0);
	if (shared == 0)
		/* The link on a line of its own: whole in 80 columns,
		 * and one line to copy. */
		fprintf(stderr, "pinhole: report shared:\n%s\n", url);
	else if (o->share) {
		log_warnx("cannot share the report: %s", err);
		status = 2;
	}
	for (i = 0; i < o->nprofiles; i++)
		profile_free(profiles[i]);
	for (i = 0; i < 2; i++)
		event_free(sigs[i]);
	ctlcli_free(ctl);
	event_base_free(base);
	SSL_CTX_free(tls);
	return status;
}
