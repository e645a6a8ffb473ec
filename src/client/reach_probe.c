/*
 * reach_probe.c - the outbound probes' state machine: connect, TLS
 * handshake, send, read and judge the answer; UDP retransmitted, bare UDP
 * open once the server reports hearing it, all under one deadline.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "answer.h"
#include "reach.h"
#include "stun.h"

static void
rp_done(struct rp_probe *p, enum rp_outcome o, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
rp_done(struct rp_probe *p, enum rp_outcome o, const char *fmt, ...)
{
	va_list ap;

	if (p->out != RO_PENDING)
		return;
	p->out = o;
	p->t1 = loop_now_ms(p->run->ctx->loop);
	va_start(ap, fmt);
	vsnprintf(p->detail, sizeof(p->detail), fmt, ap);
	va_end(ap);
	if (p->ev != NULL)
		event_del(p->ev);
}

/* Judges what came back, once enough of it is there (1) or not yet (0). */
static int
rp_judge(struct rp_probe *p, int eof)
{
	static const enum answer_kind kinds[] = {
		[SP_SIP] = ANSWER_SIP, [SP_HTTP] = ANSWER_HTTP,
		[SP_BOSH] = ANSWER_BOSH, [SP_XMPP] = ANSWER_XMPP,
	};
	struct answer a;
	struct stun_msg m;

	if (p->speak == SP_STUN) {
		if (stun_msg_decode(p->resp, p->resp_len, &m) == 0 &&
		    memcmp(m.tid, p->req + 8, STUN_TID_LEN) == 0) {
			rp_done(p, RO_OPEN, "Binding answered");
			return 1;
		}
		if (!eof)
			return 0;
		rp_done(p, p->resp_len > 0 ? RO_ODD : RO_REFUSED, "%s",
		    p->resp_len > 0 ? "an answer that is not STUN" :
		    "closed without an answer");
		return 1;
	}
	if (p->speak != SP_SIP && p->speak != SP_HTTP &&
	    p->speak != SP_BOSH && p->speak != SP_XMPP) {
		if (!eof)
			return 0;
		rp_done(p, p->resp_len > 0 ? RO_ODD : RO_REFUSED, "%s",
		    p->resp_len > 0 ? "an unexpected answer" :
		    "closed without an answer");
		return 1;
	}
	if (answer_judge(kinds[p->speak], p->resp, p->resp_len, p->req,
	    p->req_len, eof, &a) < 0)
		return 0;
	rp_done(p, a.verdict == ANSWER_OPEN ? RO_OPEN : a.verdict == ANSWER_ODD ?
	    RO_ODD : RO_REFUSED, "%s", a.detail);
	return 1;
}

static void
rp_tls_step(struct rp_probe *p)
{
	const struct ctlcli *c = p->run->ctx->ctl;
	uint8_t md[32];
	unsigned int mdlen = sizeof(md);
	X509 *cert;
	int r, err;

	if ((r = SSL_connect(p->ssl)) != 1) {
		err = SSL_get_error(p->ssl, r);
		if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
			event_del(p->ev);
			event_assign(p->ev, p->run->ctx->loop->base, p->fd,
			    err == SSL_ERROR_WANT_READ ? EV_READ : EV_WRITE,
			    event_get_callback(p->ev), p);
			event_add(p->ev, NULL);
			return;
		}
		rp_done(p, RO_ODD, "the TLS handshake failed");
		return;
	}
	cert = SSL_get1_peer_certificate(p->ssl);
	if (cert == NULL || X509_digest(cert, EVP_sha256(), md, &mdlen) != 1) {
		X509_free(cert);
		rp_done(p, RO_ODD, "no certificate");
		return;
	}
	X509_free(cert);
	if (p->host[0] != '\0') {
		/* A named host: its certificate must chain and name it. */
		long v = SSL_get_verify_result(p->ssl);

		if (v != X509_V_OK)
			rp_done(p, RO_INTERCEPTED, "TLS %s, but the certificate "
			    "is not valid for %s (%s): intercepted, or the "
			    "wrong server", SSL_get_version(p->ssl), p->host,
			    X509_verify_cert_error_string(v));
		else
			rp_done(p, RO_OPEN, "TLS %s, a valid certificate for %s",
			    SSL_get_version(p->ssl), p->host);
		return;
	}
	if (ctlcli_welcome(c)->have_cert &&
	    memcmp(md, ctlcli_welcome(c)->cert_sha256, sizeof(md)) != 0)
		rp_done(p, RO_INTERCEPTED, "TLS %s with another certificate "
		    "than the server's: the connection is intercepted",
		    SSL_get_version(p->ssl));
	else
		rp_done(p, RO_OPEN, "TLS %s, the server's own certificate",
		    SSL_get_version(p->ssl));
}

static void
rp_io_h(evutil_socket_t fd, short what, void *arg)
{
	struct rp_probe *p = arg;
	socklen_t elen = sizeof(int);
	ssize_t n;
	int err = 0;

	(void)what;
	if (p->out != RO_PENDING)
		return;
	if (p->tcp && !p->connected) {
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0)
			err = errno;
		if (err != 0) {
			rp_done(p, err == ETIMEDOUT ? RO_TIMEOUT : RO_REFUSED,
			    "connect: %s", strerror(err));
			return;
		}
		p->connected = 1;
		if (p->speak == SP_BARE) {
			rp_done(p, RO_OPEN, "connected");
			return;
		}
		if (p->speak == SP_TLS) {
			if ((p->ssl = SSL_new(p->run->tls)) == NULL ||
			    SSL_set_fd(p->ssl, fd) != 1 ||
			    (p->host[0] != '\0' &&
			    (SSL_set_tlsext_host_name(p->ssl, p->host) != 1 ||
			    SSL_set1_host(p->ssl, p->host) != 1))) {
				rp_done(p, RO_ODD, "cannot start TLS");
				return;
			}
			rp_tls_step(p);
			return;
		}
		event_del(p->ev);
		event_assign(p->ev, p->run->ctx->loop->base, fd, EV_READ | EV_PERSIST,
		    rp_io_h, p);
		event_add(p->ev, NULL);
	}
	if (p->speak == SP_TLS) {
		rp_tls_step(p);
		return;
	}
	if (p->tcp && !p->sent) {
		if (send(fd, p->req, p->req_len, MSG_NOSIGNAL) < 0) {
			rp_done(p, RO_REFUSED, "send: %s", strerror(errno));
			return;
		}
		p->sent = 1;
		p->sends = 1;
		return;
	}
	for (;;) {
		n = recv(fd, p->resp + p->resp_len,
		    sizeof(p->resp) - p->resp_len, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (!p->tcp && errno == ECONNREFUSED) {
				rp_done(p, RO_REFUSED, "ICMP port unreachable");
				return;
			}
			rp_done(p, RO_REFUSED, "%s", strerror(errno));
			return;
		}
		if (!p->tcp) {		/* one datagram is the whole answer */
			p->resp_len = (size_t)n;
			if (rp_judge(p, 1))
				return;
			p->resp_len = 0;
			continue;
		}
		if (n == 0) {
			rp_judge(p, 1);
			return;
		}
		p->resp_len += (size_t)n;
		if (rp_judge(p, p->resp_len == sizeof(p->resp)))
			return;
	}
}

/* Bare UDP probes are open once the server reports hearing them. */
static void
rp_take_seen(struct rp_run *run)
{
	const struct ctlcli *c = run->ctx->ctl;
	size_t i;

	for (; run->seen_pos < ctlcli_nseen(c); run->seen_pos++) {
		const struct ctl_seen *sn = ctlcli_seen_at(c, run->seen_pos);

		if (memcmp(sn->nonce, run->watch, CTL_NONCE_LEN) != 0)
			continue;
		for (i = 0; i < run->npr; i++) {
			struct rp_probe *p = &run->pr[i];

			if (p->speak == SP_BARE && !p->tcp &&
			    p->port == sn->local_port)
				rp_done(p, RO_OPEN, "the server heard it");
		}
	}
}

/* Retransmits UDP probes; times out what is still pending. */
void
reach_tick_h(evutil_socket_t fd, short what, void *arg)
{
	struct rp_run *run = arg;
	long long el = loop_now_ms(run->ctx->loop) - run->start;
	size_t i;

	(void)fd;
	(void)what;
	rp_take_seen(run);
	for (i = 0; i < run->npr; i++) {
		struct rp_probe *p = &run->pr[i];

		if (p->out != RO_PENDING)
			continue;
		if (el >= run->deadline_ms) {
			rp_done(p, RO_TIMEOUT, p->tcp && !p->connected ?
			    "no answer to the connection attempt (dropped)" :
			    "no answer (dropped)");
			continue;
		}
		if (!p->tcp && p->req_len > 0 &&
		    el >= (long long)p->sends * 500 && p->sends < 4) {
			(void)send(p->fd, p->req, p->req_len, 0);
			p->sends++;
		}
	}
}

int
reach_done_h(void *arg)
{
	struct rp_run *run = arg;
	size_t i;

	for (i = 0; i < run->npr; i++)
		if (run->pr[i].out == RO_PENDING)
			return 0;
	return 1;
}

void
reach_probe_start(struct rp_run *run, struct rp_probe *p)
{
	int fd;

	p->t0 = loop_now_ms(run->ctx->loop);
	fd = socket(p->to.ss_family, (p->tcp ? SOCK_STREAM : SOCK_DGRAM) |
	    SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		rp_done(p, RO_REFUSED, "socket: %s", strerror(errno));
		return;
	}
	p->fd = fd;
	if (connect(fd, (struct sockaddr *)&p->to, p->to_len) < 0 &&
	    errno != EINPROGRESS) {
		rp_done(p, RO_REFUSED, "connect: %s", strerror(errno));
		return;
	}
	p->ev = event_new(run->ctx->loop->base, fd, p->tcp ? EV_WRITE :
	    EV_READ | EV_PERSIST, rp_io_h, p);
	if (p->ev == NULL) {
		rp_done(p, RO_REFUSED, "out of memory");
		return;
	}
	event_add(p->ev, NULL);
	if (!p->tcp) {
		if (p->req_len == 0) {
			rp_done(p, RO_ODD, "nothing to send");
			return;
		}
		(void)send(fd, p->req, p->req_len, 0);
		p->sends = 1;
	}
}
