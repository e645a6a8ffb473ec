/*
 * main.c - pinholed: options, configuration, binding, privilege drop, and
 * the event loop.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/evp.h>

#include "config.h"
#include "conn.h"
#include "page.h"
#include "sandbox.h"
#include "webrtc.h"
#include "server.h"
#include "session.h"
#include "store.h"
#include "stun.h"
#include "srvproto.h"
#include "responder.h"

/* The registry: which server handles each kind of listener. */
static const lst_handler_fn handlers[LST_NKINDS] = {
	[LST_CONTROL] = responder_accept_h,	/* responder.c decides */
	[LST_SIP_UDP] = responder_udp_h,
	[LST_SIP_TCP] = sipsrv_accept_h,
	[LST_STUN] = stunsrv_h,
	[LST_HTTP] = reachsrv_accept_h,
	[LST_XMPP] = reachsrv_accept_h,
	[LST_TLS] = reachsrv_accept_h,
};

/* Sets up the tables and timers of 's', whose conf and base are set. */
static int
srv_init(struct server *s)
{
	const struct srv_conf *c = &s->conf;
	size_t i;
	int r;

	if (s->now_ms == NULL)
		s->now_ms = srv_clock_ms;
	if (RAND_bytes(s->hash_key, sizeof(s->hash_key)) != 1)
		return -EIO;
	rate_init(&s->conn_rate, c->conn_rate, 2.0 * c->conn_rate);
	rate_key(&s->conn_rate, s->hash_key);
	rate_prefix(&s->conn_rate, c->source_prefix6);
	rate_init(&s->stun_rate, c->stun_rate, 2.0 * c->stun_rate);
	rate_key(&s->stun_rate, s->hash_key);
	rate_prefix(&s->stun_rate, c->source_prefix6);
	rate_init(&s->upload_rate, c->store_uploads_per_source / 3600.0,
	    c->store_uploads_per_source);
	rate_key(&s->upload_rate, s->hash_key);
	rate_prefix(&s->upload_rate, c->source_prefix6);
	/* Wrong support tokens: 5 at once, then one a minute. */
	rate_init(&s->token_fail, 1.0 / 60.0, 5.0);
	rate_key(&s->token_fail, s->hash_key);
	rate_prefix(&s->token_fail, c->source_prefix6);
	rate_init(&s->http_rate, c->http_rate, 2.0 * c->http_rate);
	rate_key(&s->http_rate, s->hash_key);
	rate_prefix(&s->http_rate, c->source_prefix6);
	log_limit_init(&s->log_remote, 20, 1);
	for (i = 0; i < LISTEN_BATCH; i++)
		dbuf_init(&s->stun_out[i], STUN_MAX_MSG);
	if ((s->rx = calloc(1, sizeof(*s->rx))) == NULL)
		return -ENOMEM;
	if ((r = session_init(s)) < 0 ||
	    (r = ipt_init(&s->unauth, c->max_unauth, s->hash_key)) < 0 ||
	    (r = ipt_init(&s->probes, c->max_sessions, s->hash_key)) < 0)
		return r;
	return 0;
}

/*
 * The event loop, with timers to the microsecond (timerfd under epoll):
 * media streams are paced by them.
 */
static struct event_base *
srv_event_base(void)
{
	struct event_config *cfg = event_config_new();
	struct event_base *base;

	if (cfg == NULL)
		return NULL;
	(void)event_config_set_flag(cfg, EVENT_BASE_FLAG_PRECISE_TIMER);
	base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	return base;
}

/* Frees what srv_init() set up, every session and connection included. */
static void
srv_free(struct server *s)
{
	size_t i;

	conn_free_all(s);
	metricsrv_stop(s);	/* before the store: its probe job */
	store_stop(s);		/* after the connections: no job has an owner */
	page_free(s);
	session_close_all(s);
	mediasrv_free(s);
	webrtc_free(s);
	ipt_free(&s->unauth);
	ipt_free(&s->probes);
	for (i = 0; i < LISTEN_BATCH; i++)
		dbuf_free(&s->stun_out[i]);
	free(s->rx);
	s->rx = NULL;
	if (s->reaper != NULL)
		event_free(s->reaper);
	if (s->resume != NULL)
		event_free(s->resume);
}

static void
usage(FILE *f)
{
	fprintf(f,
"usage: pinholed [-dhnSV] [-c FILE] [--help] [--version]\n"
"  -c FILE         configuration file\n"
"                  (default %s)\n"
"  -d              log debug messages\n"
"  -n              check the configuration and exit\n"
"  -S              seccomp filter logs disallowed system calls, kills nothing\n"
"  -h, --help      this text\n"
"  -V, --version   the version\n", PINHOLED_CONF);
}

static const struct option long_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* The TLS context for the control port, read before the privilege drop. */
static int
tls_setup(struct server *s)
{
	const struct srv_conf *c = &s->conf;
	unsigned int n = sizeof(s->cert_sha256);
	const char *bad;
	X509 *cert;
	int err;
	SSL_CTX *ctx;

	if (c->tls_cert[0] == '\0')
		return 0;
	/* Say which file is missing or unreadable, not just that TLS failed. */
	if ((bad = access(c->tls_cert, R_OK) < 0 ? "tls-cert" :
	    access(c->tls_key, R_OK) < 0 ? "tls-key" : NULL) != NULL) {
		err = errno;
		log_warn("cannot read %s %s", bad,
		    bad[4] == 'c' ? c->tls_cert : c->tls_key);
		return -err;
	}
	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL)
		return -ENOMEM;
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	if (SSL_CTX_use_certificate_chain_file(ctx, c->tls_cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, c->tls_key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		log_warnx("cannot use tls-cert %s with tls-key %s",
		    c->tls_cert, c->tls_key);
		SSL_CTX_free(ctx);
		return -EINVAL;
	}
	s->tls = ctx;
	/* Announced in WELCOME, so that clients can tell interception. */
	if ((cert = SSL_CTX_get0_certificate(ctx)) == NULL ||
	    X509_digest(cert, EVP_sha256(), s->cert_sha256, &n) != 1) {
		log_warnx("cannot digest tls-cert %s", c->tls_cert);
		return -EINVAL;
	}
	return 0;
}

/* Frees what the checks before the start hold (-n, or a refusal), so
 * that a sanitizer build's leak check finds nothing; returns 'status'. */
static int
main_checked_free(struct server *s, int status)
{
	page_free(s);
	SSL_CTX_free(s->tls);
	free(s);
	return status;
}

static void
signal_h(evutil_socket_t sig, short what, void *arg)
{
	struct server *s = arg;

	log_info("signal %d: shutting down", (int)sig);
	event_base_loopbreak(s->base);
}

int
main(int argc, char **argv)
{
	const char *conf = PINHOLED_CONF;
	struct server *s;
	struct sandbox_opts sbx = { NULL, 0, 0, SANDBOX_STORE_NONE };
	struct event *sigint, *sigterm;
	int ch, debug = 0, check = 0;

	log_init("pinholed", 1, 0);
	if (sandbox_fds_init() < 0)
		fatal("cannot close inherited descriptors");
	while ((ch = getopt_long(argc, argv, "c:dhnSV", long_opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			conf = optarg;
			break;
		case 'd':
			debug = 1;
			break;
		case 'n':
			check = 1;
			break;
		case 'S':
			sbx.log_only = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("pinholed %s\n", PINHOLE_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL)
		fatal("calloc");
	conf_defaults(&s->conf);
	if (conf_load(&s->conf, conf) < 0 || tls_setup(s) < 0 ||
	    sandbox_check(&s->conf, s->tls != NULL) < 0)
		return main_checked_free(s, 2);
	/* The check page's files and profile, read now (no open() after the
	 * drop) and for -n alike: -n refuses what the start refuses. */
	if (store_enabled(s) && page_start(s) < 0)
		return main_checked_free(s, 2);
	if (check) {
		printf("%s: configuration OK\n", conf);
		return main_checked_free(s, 0);
	}
	log_init("pinholed", debug ? 2 : 1, s->conf.use_syslog);
	signal(SIGPIPE, SIG_IGN);
	if ((s->base = srv_event_base()) == NULL)
		fatalx("cannot create the event loop");
	if (srv_init(s) < 0)
		fatalx("cannot set up the server's tables");
	if (listen_all(s, handlers) < 0)
		return 2;
	if (metrics_init(s) < 0 || metricsrv_start(s) < 0)
		return 2;
	if (conn_init(s) < 0)
		return 2;
	/* The metrics listener's descriptors, apart from the connections'. */
	if (s->metricsrv != NULL && s->fd_budget > 2 * METRICSRV_FDS)
		s->fd_budget -= METRICSRV_FDS;
	/* The store's files and its worker thread, before the sandbox. */
	if (store_start(s) < 0)
		return 2;
	if (webrtc_init(s) < 0)
		log_warnx("no WebRTC peer: cannot set up DTLS-SRTP");
	/* Before the sandbox, like the rest of the start. */
	sigint = evsignal_new(s->base, SIGINT, signal_h, s);
	sigterm = evsignal_new(s->base, SIGTERM, signal_h, s);
	evsignal_add(sigint, NULL);
	evsignal_add(sigterm, NULL);
	sbx.user = s->conf.user;
	sbx.use_syslog = s->conf.use_syslog;
	sbx.store = !store_enabled(s) ? SANDBOX_STORE_NONE :
	    strncmp(s->conf.store, "sqlite:", 7) == 0 ? SANDBOX_STORE_FILE :
	    SANDBOX_STORE_NET;
	if (sandbox_prepare() < 0 || sandbox_enter(&sbx) < 0)
		return 2;
	log_info("pinholed %s ready: control on port %u", PINHOLE_VERSION,
	    s->conf.control_port);
	event_base_dispatch(s->base);
	log_info("unvalidated traffic: %llu packets / %llu bytes in, "
	    "%llu packets / %llu bytes out; %llu dropped",
	    (unsigned long long)s->cnt.unval_in_pkts,
	    (unsigned long long)s->cnt.unval_in_bytes,
	    (unsigned long long)s->cnt.unval_out_pkts,
	    (unsigned long long)s->cnt.unval_out_bytes,
	    (unsigned long long)s->cnt.dropped);
	event_free(sigint);
	event_free(sigterm);
	srv_free(s);
	if (s->statm_fd >= 0)
		close(s->statm_fd);
	return 0;
}
