/*
 * relay.c - a TURN allocation over UDP, TCP or TLS, blocking until each
 * step's deadline (relay.h).  The protocol is lib/proto/turncli.c's; this
 * file owns the socket, the retransmissions and the clock.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "loop.h"
#include "net.h"
#include "relay.h"
#include "turn.h"

const char *
relay_step_name(enum relay_step s)
{
	static const char *const names[] = { "none", "connect", "tls",
	    "allocate", "permission", "channel-bind", "data" };

	return (size_t)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

const char *
relay_transport_name(enum relay_transport t)
{
	return t == RELAY_UDP ? "udp" : t == RELAY_TCP ? "tcp" : "tls";
}

static int
relay_fail(struct relay_conn *rc, enum relay_step s, const char *fmt, ...)
    LOG_FMT(3, 4);

static int
relay_fail(struct relay_conn *rc, enum relay_step s, const char *fmt, ...)
{
	va_list ap;

	rc->failed = s;
	va_start(ap, fmt);
	vsnprintf(rc->why, sizeof(rc->why), fmt, ap);
	va_end(ap);
	return -1;
}

/* Waits for 'ev' on the socket until 'deadline'; 1 ready, 0 timed out. */
static int
relay_poll(struct relay_conn *rc, short ev, long long deadline)
{
	struct pollfd p = { .fd = rc->fd, .events = ev };
	long long left;
	int r;

	for (;;) {
		left = deadline - loop_clock_monotonic();
		if (left <= 0)
			return 0;
		r = poll(&p, 1, left > 1000 ? 1000 : (int)left);
		if (r > 0)
			return 1;
		if (r < 0 && errno != EINTR)
			return -errno;
	}
}

static int
relay_connect(struct relay_conn *rc, const struct sockaddr *sa,
    socklen_t len, long long deadline)
{
	int type = rc->tr == RELAY_UDP ? SOCK_DGRAM : SOCK_STREAM;
	long long t0 = loop_clock_monotonic();
	socklen_t elen = sizeof(int);
	int err = 0, r;

	rc->fd = socket(sa->sa_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (rc->fd < 0)
		return relay_fail(rc, RELAY_S_CONNECT, "no socket: %s",
		    strerror(errno));
	if (connect(rc->fd, sa, len) == 0)
		goto done;
	if (errno != EINPROGRESS)
		return relay_fail(rc, RELAY_S_CONNECT, "%s", strerror(errno));
	if ((r = relay_poll(rc, POLLOUT, deadline)) <= 0)
		return relay_fail(rc, RELAY_S_CONNECT, "no TCP connection in "
		    "%lld ms: the relay's port is blocked on the way, or "
		    "nothing answers there", loop_clock_monotonic() - t0);
	if (getsockopt(rc->fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0 ||
	    err != 0)
		return relay_fail(rc, RELAY_S_CONNECT, "%s", strerror(err != 0 ?
		    err : errno));
done:
	rc->connect_ms = loop_clock_monotonic() - t0;
	return 0;
}

static int
relay_tls(struct relay_conn *rc, SSL_CTX *tls, const char *host,
    long long deadline)
{
	struct net_ip ip;
	X509 *cert;
	int r, e, cert_seen = 0;

	if ((rc->ssl = SSL_new(tls)) == NULL || SSL_set_fd(rc->ssl, rc->fd) != 1)
		return relay_fail(rc, RELAY_S_TLS, "no TLS state");
	/* The handshake completes whatever the certificate, so that an
	 * untrusted one can be named with its issuer; nothing is sent
	 * before the verdict below. */
	SSL_set_verify(rc->ssl, SSL_VERIFY_NONE, NULL);
	if (net_ip_parse(host, &ip) < 0) {
		SSL_set_tlsext_host_name(rc->ssl, host);
		SSL_set1_host(rc->ssl, host);
	} else {
		X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(rc->ssl), host);
	}
	while ((r = SSL_connect(rc->ssl)) != 1) {
		e = SSL_get_error(rc->ssl, r);
		if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
			break;
		if (relay_poll(rc, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT,
		    deadline) <= 0)
			return relay_fail(rc, RELAY_S_TLS, "no TLS handshake "
			    "before the deadline: something on the way holds "
			    "TLS to the relay");
	}
	if ((cert = SSL_get1_peer_certificate(rc->ssl)) != NULL) {
		cert_seen = 1;
		X509_NAME_oneline(X509_get_issuer_name(cert), rc->tls_issuer,
		    sizeof(rc->tls_issuer));
		X509_free(cert);
	}
	rc->tls_verify = (int)SSL_get_verify_result(rc->ssl);
	ERR_clear_error();
	if (r == 1 && cert_seen && rc->tls_verify == X509_V_OK)
		return 0;
	if (r == 1 && !cert_seen)
		return relay_fail(rc, RELAY_S_TLS, "the relay presented no "
		    "certificate");
	if (r == 1)
		return relay_fail(rc, RELAY_S_TLS, "the certificate presented "
		    "for %s is not trusted (%s; issued by %s): a proxy that "
		    "intercepts TLS, or a relay certificate the trust store "
		    "lacks", host, X509_verify_cert_error_string(
		    rc->tls_verify), rc->tls_issuer[0] ? rc->tls_issuer : "?");
	return relay_fail(rc, RELAY_S_TLS, "the TLS handshake failed: "
	    "something on the way to the relay is not TLS, or refuses it");
}

static int
relay_write(struct relay_conn *rc, const uint8_t *p, size_t n)
{
	ssize_t w;
	int r;

	if (rc->tr == RELAY_UDP)
		return send(rc->fd, p, n, 0) == (ssize_t)n ? 0 : -errno;
	while (n > 0) {
		if (rc->ssl != NULL) {
			if ((r = SSL_write(rc->ssl, p, (int)n)) <= 0) {
				if (SSL_get_error(rc->ssl, r) == SSL_ERROR_WANT_WRITE &&
				    relay_poll(rc, POLLOUT, loop_clock_monotonic() + 2000) > 0)
					continue;
				return -EPIPE;
			}
			w = r;
		} else if ((w = send(rc->fd, p, n, MSG_NOSIGNAL)) < 0) {
			if (errno == EAGAIN &&
			    relay_poll(rc, POLLOUT, loop_clock_monotonic() + 2000) > 0)
				continue;
			return -errno;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * The next frame (a datagram, or a STUN message or ChannelData cut from
 * the stream) before 'deadline': its length, 0 at the deadline, -errno.
 */
static long
relay_read(struct relay_conn *rc, uint8_t *buf, size_t cap, long long deadline)
{
	long n;
	ssize_t got;
	int r;

	for (;;) {
		if (rc->tr != RELAY_UDP) {
			n = turn_frame_len(rc->in, rc->inlen, sizeof(rc->in));
			if (n < 0)
				return -EBADMSG;
			if (n > 0) {
				if ((size_t)n > cap)
					return -EMSGSIZE;
				memcpy(buf, rc->in, (size_t)n);
				memmove(rc->in, rc->in + n, rc->inlen - (size_t)n);
				rc->inlen -= (size_t)n;
				return n;
			}
		}
		if (rc->ssl == NULL || SSL_pending(rc->ssl) == 0) {
			if ((r = relay_poll(rc, POLLIN, deadline)) <= 0)
				return r;
		}
		if (rc->tr == RELAY_UDP) {
			got = recv(rc->fd, buf, cap, 0);
			if (got < 0 && errno != EAGAIN)
				return -errno;
			if (got >= 0)
				return got;
			continue;
		}
		if (rc->ssl != NULL) {
			r = SSL_read(rc->ssl, rc->in + rc->inlen,
			    (int)(sizeof(rc->in) - rc->inlen));
			if (r <= 0) {
				r = SSL_get_error(rc->ssl, r);
				if (r == SSL_ERROR_WANT_READ ||
				    r == SSL_ERROR_WANT_WRITE)
					continue;
				return -ECONNRESET;
			}
			got = r;
		} else {
			got = recv(rc->fd, rc->in + rc->inlen,
			    sizeof(rc->in) - rc->inlen, 0);
			if (got < 0 && errno == EAGAIN)
				continue;
			if (got <= 0)
				return got == 0 ? -ECONNRESET : -errno;
		}
		rc->inlen += (size_t)got;
	}
}

static const char *
relay_error_hint(uint16_t code)
{
	switch (code) {
	case TURN_E_FORBIDDEN:
		return "forbidden: the relay refuses this peer or user";
	case TURN_E_MISMATCH:
		return "allocation mismatch";
	case TURN_E_WRONG_CRED:
		return "wrong credentials for this allocation";
	case TURN_E_TRANSPORT:
		return "the relay does not relay UDP";
	case TURN_E_QUOTA:
		return "allocation quota reached for this user";
	case TURN_E_CAPACITY:
		return "the relay is out of capacity";
	default:
		return "an error answer";
	}
}

/* Says why a transaction failed, as turncli left it. */
static int
relay_tx_failed(struct relay_conn *rc, enum relay_step s)
{
	const struct turncli *t = &rc->tc;

	switch (t->fail) {
	case TURNCLI_F_CRED:
		return relay_fail(rc, s, "credentials refused (401): the "
		    "relay's shared secret is not pinholed's, or the clocks "
		    "differ by more than the credentials' lifetime");
	case TURNCLI_F_NO_CHALLENGE:
		return relay_fail(rc, s, "401 without a realm and nonce: not "
		    "a TURN server");
	case TURNCLI_F_INTEGRITY:
		return relay_fail(rc, s, "an answer not signed with our "
		    "credentials: something other than the relay answered");
	case TURNCLI_F_ERROR:
		return relay_fail(rc, s, "%u %s (%s)", t->error,
		    relay_error_hint(t->error), t->reason);
	default:
		return relay_fail(rc, s, "%s%s%s", turncli_fail_name(t->fail),
		    t->error ? ", error " : "", t->error ? t->reason : "");
	}
}

/*
 * Runs the transaction whose request is in rc->out until it ends or
 * 'timeout_ms' passes: over UDP the request goes again after 500 ms, then
 * 1 s, 2 s, ... (RFC 8489 6.2.1), over a stream once.
 */
static int
relay_transact(struct relay_conn *rc, enum relay_step s, int timeout_ms)
{
	uint8_t buf[RELAY_FRAME_MAX];
	long long t0 = loop_clock_monotonic(), deadline = t0 + timeout_ms;
	long long rto = RELAY_RTO_MS, next;
	long n;
	int r;

	if (relay_write(rc, rc->out.b, rc->out.len) < 0)
		return relay_fail(rc, s, "cannot send to the relay: %s",
		    strerror(errno));
	rc->sends++;
	next = rc->tr == RELAY_UDP ? t0 + rto : deadline;
	for (;;) {
		n = relay_read(rc, buf, sizeof(buf), next < deadline ? next :
		    deadline);
		if (n < 0)
			return relay_fail(rc, s, "the relay closed the "
			    "connection: %s", strerror((int)-n));
		if (n == 0) {
			if (loop_clock_monotonic() >= deadline)
				return relay_fail(rc, s, "no answer in %d ms "
				    "(%d requests sent): the relay's port is "
				    "blocked on the way, or nothing answers",
				    timeout_ms, rc->sends);
			if (relay_write(rc, rc->out.b, rc->out.len) < 0)
				return relay_fail(rc, s, "cannot send to the "
				    "relay: %s", strerror(errno));
			rc->sends++;
			rto *= 2;
			next = loop_clock_monotonic() + rto;
			continue;
		}
		if ((buf[0] & 0xc0) != 0) {
			rc->foreign++;		/* ChannelData: not now */
			continue;
		}
		r = turncli_input(&rc->tc, buf, (size_t)n, &rc->out);
		if (r == TURNCLI_OK)
			return 0;
		if (r == TURNCLI_FAILED)
			return relay_tx_failed(rc, s);
		if (r == TURNCLI_RESEND) {
			if (relay_write(rc, rc->out.b, rc->out.len) < 0)
				return relay_fail(rc, s, "cannot send to the "
				    "relay: %s", strerror(errno));
			rc->sends++;
			rto = RELAY_RTO_MS;
			next = rc->tr == RELAY_UDP ? loop_clock_monotonic() + rto :
			    deadline;
			continue;
		}
		rc->foreign++;
	}
}

int
relay_open(struct relay_conn *rc, enum relay_transport tr,
    const struct sockaddr *relay, socklen_t rlen, SSL_CTX *tls,
    const char *host, const char *user, const char *pass, int peer_af,
    int timeout_ms)
{
	long long deadline = loop_clock_monotonic() + timeout_ms, t0;
	int left;

	memset(rc, 0, sizeof(*rc));
	rc->tr = tr;
	rc->fd = -1;
	dbuf_init(&rc->out, STUN_MAX_MSG);
	dbuf_init(&rc->data, RELAY_FRAME_MAX);
	if (turncli_init(&rc->tc, user, pass) < 0)
		return relay_fail(rc, RELAY_S_ALLOCATE, "credentials too long");
	rc->tc.relay_af = peer_af;
	if (relay_connect(rc, relay, rlen, deadline) < 0)
		return -1;
	if (tr == RELAY_TLS && (tls == NULL || host == NULL ||
	    relay_tls(rc, tls, host, deadline) < 0))
		return rc->failed ? -1 : relay_fail(rc, RELAY_S_TLS,
		    "no TLS context");
	t0 = loop_clock_monotonic();
	left = (int)(deadline - t0);
	if (left <= 0 || turncli_request(&rc->tc, TURNCLI_ALLOCATE, NULL, 0, 0,
	    &rc->out) < 0)
		return relay_fail(rc, RELAY_S_ALLOCATE, "no time left to "
		    "allocate");
	if (relay_transact(rc, RELAY_S_ALLOCATE, left) < 0)
		return -1;
	rc->allocate_ms = loop_clock_monotonic() - t0;
	rc->allocated = 1;
	return 0;
}

int
relay_bind(struct relay_conn *rc, const struct sockaddr *peer, uint16_t chan,
    int timeout_ms)
{
	long long deadline = loop_clock_monotonic() + timeout_ms;

	if (turncli_request(&rc->tc, TURNCLI_PERMISSION, peer, 0, 0,
	    &rc->out) < 0)
		return relay_fail(rc, RELAY_S_PERMISSION, "bad peer address");
	if (relay_transact(rc, RELAY_S_PERMISSION, timeout_ms) < 0)
		return -1;
	if (turncli_request(&rc->tc, TURNCLI_CHANNEL, peer, chan, 0,
	    &rc->out) < 0)
		return relay_fail(rc, RELAY_S_CHANNEL, "bad channel number");
	if (relay_transact(rc, RELAY_S_CHANNEL,
	    (int)(deadline - loop_clock_monotonic())) < 0)
		return -1;
	rc->chan = chan;
	return 0;
}

int
relay_send(struct relay_conn *rc, const void *p, size_t n)
{
	int r;

	if (rc->chan == 0)
		return -ENOTCONN;
	dbuf_reset(&rc->data);
	if ((r = turn_chan_encode(&rc->data, rc->chan, p, n,
	    rc->tr != RELAY_UDP)) < 0)
		return r;
	return relay_write(rc, rc->data.b, rc->data.len);
}

int
relay_recv(struct relay_conn *rc, uint8_t *buf, size_t cap, int timeout_ms)
{
	uint8_t fr[RELAY_FRAME_MAX];
	long long deadline = loop_clock_monotonic() + timeout_ms;
	const uint8_t *data;
	struct turn_msg m;
	uint16_t chan;
	size_t dlen;
	long n;

	for (;;) {
		if ((n = relay_read(rc, fr, sizeof(fr), deadline)) <= 0)
			return (int)n;
		if (turn_chan_decode(fr, (size_t)n, &chan, &data, &dlen) == 0) {
			if (chan != rc->chan || dlen > cap) {
				rc->foreign++;
				continue;
			}
		} else if (turn_msg_decode(fr, (size_t)n, &m) == 0 &&
		    m.method == TURN_DATA && m.cls == STUN_CLASS_INDICATION &&
		    (m.present & TURN_HAS_DATA) && m.data_len <= cap) {
			data = m.data;
			dlen = m.data_len;
		} else {
			rc->foreign++;
			continue;
		}
		memcpy(buf, data, dlen);
		return (int)dlen;
	}
}

void
relay_close(struct relay_conn *rc)
{
	if (rc->fd >= 0 && rc->allocated &&
	    turncli_request(&rc->tc, TURNCLI_REFRESH, NULL, 0, 0,
	    &rc->out) == 0)
		(void)relay_write(rc, rc->out.b, rc->out.len);
	if (rc->ssl != NULL) {
		SSL_free(rc->ssl);
		rc->ssl = NULL;
	}
	if (rc->fd >= 0)
		close(rc->fd);
	rc->fd = -1;
	turncli_clear(&rc->tc);
	dbuf_free(&rc->out);
	dbuf_free(&rc->data);
}
