/*
 * webrtcdtls.c - the DTLS-SRTP half of pinholed's WebRTC peer (RFC 5763,
 * RFC 5764).  A certificate is made at start (ECDSA P-256, self-signed:
 * the browser trusts it by the fingerprint in our answer); each peer runs
 * an OpenSSL DTLS server fed with the datagrams webrtcsrv.c demultiplexed
 * (a memory BIO in, a BIO that sends each write as one datagram out),
 * with its retransmission timer on the event loop.  The client's
 * certificate must match the offer's a=fingerprint; then the keys are
 * exported (RFC 5764 4.2) into two libsrtp sessions.
 */
#include <errno.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <srtp2/srtp.h>

#include "webrtc.h"

#define WDTLS_MTU		1200
#define WDTLS_DEADLINE_S	20	/* for the whole handshake */
#define WDTLS_CERT_DAYS		30

struct wdtls {
	SSL *ssl;
	BIO *rbio;
	struct event *timer;
	uint8_t fp[SDP_FP_LEN];
	wdtls_send_fn send;
	void *arg;
	long long deadline_ms;
	struct server *srv;
	int state;			/* 0 handshake, 1 keyed, -1 failed */
	const char *profile;
	srtp_t in, out;
};

/* The browser's certificate is self-signed: its fingerprint is checked
 * once the handshake is done, so the chain is not. */
static int
wdtls_verify_h(int ok, X509_STORE_CTX *x)
{
	(void)ok;
	(void)x;
	return 1;
}

static int
wdtls_bio_write(BIO *b, const char *p, int n)
{
	struct wdtls *t = BIO_get_data(b);

	if (t != NULL && n > 0)
		t->send(t->arg, (const uint8_t *)p, (size_t)n);
	return n;
}

static long
wdtls_bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	(void)b;
	(void)num;
	(void)ptr;
	switch (cmd) {
	case BIO_CTRL_FLUSH:
		return 1;
	case BIO_CTRL_DGRAM_QUERY_MTU:
	case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
		return WDTLS_MTU;
	case BIO_CTRL_DGRAM_GET_MTU_OVERHEAD:
		return 28;
	default:
		return 0;
	}
}

static int
wdtls_bio_create(BIO *b)
{
	BIO_set_init(b, 1);
	return 1;
}

static X509 *
wdtls_cert(EVP_PKEY *key)
{
	X509 *x = X509_new();
	X509_NAME *nm;
	uint8_t serial[8];
	BIGNUM *bn = NULL;

	if (x == NULL || RAND_bytes(serial, sizeof(serial)) != 1 ||
	    (bn = BN_bin2bn(serial, sizeof(serial), NULL)) == NULL ||
	    X509_set_version(x, 2) != 1 ||
	    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) == NULL ||
	    X509_gmtime_adj(X509_getm_notBefore(x), -86400) == NULL ||
	    X509_gmtime_adj(X509_getm_notAfter(x),
	    86400L * WDTLS_CERT_DAYS) == NULL ||
	    X509_set_pubkey(x, key) != 1 ||
	    (nm = X509_get_subject_name(x)) == NULL ||
	    X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_ASC,
	    (const unsigned char *)"pinholed", -1, -1, 0) != 1 ||
	    X509_set_issuer_name(x, nm) != 1 ||
	    X509_sign(x, key, EVP_sha256()) == 0) {
		BN_free(bn);
		X509_free(x);
		return NULL;
	}
	BN_free(bn);
	return x;
}

static int wdtls_srtp(srtp_t *sp, int gcm, const uint8_t *key, int inbound);

/*
 * libsrtp's crypto backend (NSS on Debian) loads its module on first use
 * and unloads it when its last context goes: one packet each way with a
 * throwaway key, per profile, before the sandbox (which refuses the open
 * and mmap), and one session kept for the process's life in '*keep'.
 */
static int
wdtls_srtp_warm(int gcm, srtp_t *keep)
{
	uint8_t key[30], pkt[12 + 16 + SRTP_MAX_TRAILER_LEN] = { 0x80, 0 };
	srtp_t tx = NULL, rx = NULL;
	int n = 12 + 16, r = -EIO;

	memset(key, 0x5a, sizeof(key));
	pkt[11] = 1;
	if (wdtls_srtp(&tx, gcm, key, 0) == 0 &&
	    wdtls_srtp(&rx, gcm, key, 1) == 0 &&
	    srtp_protect(tx, pkt, &n) == srtp_err_status_ok &&
	    srtp_unprotect(rx, pkt, &n) == srtp_err_status_ok && n == 28)
		r = 0;
	if (r == 0 && keep != NULL)
		*keep = tx;
	else if (tx != NULL)
		(void)srtp_dealloc(tx);
	if (rx != NULL)
		(void)srtp_dealloc(rx);
	return r;
}

int
webrtc_init(struct server *s)
{
	struct webrtcsrv *w;
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	unsigned int fplen = 0;
	int gcm, r = -EIO;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return -ENOMEM;
	if (srtp_init() != srtp_err_status_ok ||
	    wdtls_srtp_warm(0, &w->keep) < 0)
		goto out;
	gcm = wdtls_srtp_warm(1, NULL) == 0;
	if ((key = EVP_EC_gen("P-256")) == NULL ||
	    (cert = wdtls_cert(key)) == NULL ||
	    X509_digest(cert, EVP_sha256(), w->fingerprint, &fplen) != 1 ||
	    fplen != SDP_FP_LEN ||
	    (w->ctx = SSL_CTX_new(DTLS_server_method())) == NULL ||
	    SSL_CTX_set_min_proto_version(w->ctx, DTLS1_2_VERSION) != 1 ||
	    SSL_CTX_use_certificate(w->ctx, cert) != 1 ||
	    SSL_CTX_use_PrivateKey(w->ctx, key) != 1 ||
	    /* 0 is success here */
	    SSL_CTX_set_tlsext_use_srtp(w->ctx, gcm ?
	    "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80" :
	    "SRTP_AES128_CM_SHA1_80") != 0)
		goto out;
	SSL_CTX_set_verify(w->ctx, SSL_VERIFY_PEER |
	    SSL_VERIFY_FAIL_IF_NO_PEER_CERT, wdtls_verify_h);
	SSL_CTX_set_options(w->ctx, SSL_OP_NO_QUERY_MTU);
	SSL_CTX_set_read_ahead(w->ctx, 1);
	if ((w->bio = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK,
	    "pinhole-dgram")) == NULL ||
	    BIO_meth_set_write(w->bio, wdtls_bio_write) != 1 ||
	    BIO_meth_set_ctrl(w->bio, wdtls_bio_ctrl) != 1 ||
	    BIO_meth_set_create(w->bio, wdtls_bio_create) != 1)
		goto out;
	s->webrtc = w;
	w = NULL;
	r = 0;
out:
	EVP_PKEY_free(key);
	X509_free(cert);
	if (w != NULL) {
		if (w->keep != NULL)
			(void)srtp_dealloc(w->keep);
		SSL_CTX_free(w->ctx);
		if (w->bio != NULL)
			BIO_meth_free(w->bio);
		free(w);
	}
	return r;
}

void
webrtc_free(struct server *s)
{
	struct webrtcsrv *w = s->webrtc;

	if (w == NULL)
		return;
	SSL_CTX_free(w->ctx);
	BIO_meth_free(w->bio);
	(void)srtp_dealloc(w->keep);
	free(w->by_ufrag);
	free(w->by_pair);
	free(w);
	s->webrtc = NULL;
	(void)srtp_shutdown();
}

static void
wdtls_arm(struct wdtls *t)
{
	struct timeval tv;

	if (t->state == 0 && DTLSv1_get_timeout(t->ssl, &tv) == 1)
		evtimer_add(t->timer, &tv);
	else
		evtimer_del(t->timer);
}

static void
wdtls_timer_h(evutil_socket_t fd, short what, void *arg)
{
	struct wdtls *t = arg;

	(void)fd;
	(void)what;
	if (t->state != 0)
		return;
	if (t->srv->now_ms() > t->deadline_ms) {
		t->state = -1;
		return;
	}
	(void)DTLSv1_handle_timeout(t->ssl);
	wdtls_arm(t);
}

struct wdtls *
wdtls_new(struct server *s, const uint8_t fp[SDP_FP_LEN], wdtls_send_fn send,
    void *arg)
{
	struct wdtls *t;
	BIO *wbio = NULL;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	memcpy(t->fp, fp, SDP_FP_LEN);
	t->send = send;
	t->arg = arg;
	t->srv = s;
	t->profile = "";
	t->deadline_ms = s->now_ms() + 1000LL * WDTLS_DEADLINE_S;
	if ((t->timer = evtimer_new(s->base, wdtls_timer_h, t)) == NULL ||
	    (t->ssl = SSL_new(s->webrtc->ctx)) == NULL ||
	    (t->rbio = BIO_new(BIO_s_mem())) == NULL ||
	    (wbio = BIO_new(s->webrtc->bio)) == NULL) {
		BIO_free(t->rbio);
		wdtls_free(t);
		return NULL;
	}
	BIO_set_mem_eof_return(t->rbio, -1);
	BIO_set_data(wbio, t);
	SSL_set_bio(t->ssl, t->rbio, wbio);	/* the SSL owns both */
	SSL_set_mtu(t->ssl, WDTLS_MTU);
	DTLS_set_link_mtu(t->ssl, WDTLS_MTU);
	SSL_set_accept_state(t->ssl);
	return t;
}

void
wdtls_free(struct wdtls *t)
{
	if (t == NULL)
		return;
	if (t->timer != NULL)
		event_free(t->timer);
	if (t->ssl != NULL) {
		if (SSL_get_wbio(t->ssl) != NULL)
			BIO_set_data(SSL_get_wbio(t->ssl), NULL);
		SSL_free(t->ssl);
	}
	if (t->in != NULL)
		(void)srtp_dealloc(t->in);
	if (t->out != NULL)
		(void)srtp_dealloc(t->out);
	free(t);
}

/* One libsrtp session from key || salt. */
static int
wdtls_srtp(srtp_t *sp, int gcm, const uint8_t *key, int inbound)
{
	srtp_policy_t pol;

	memset(&pol, 0, sizeof(pol));
	if (gcm) {
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&pol.rtp);
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&pol.rtcp);
	} else {
		srtp_crypto_policy_set_rtp_default(&pol.rtp);
		srtp_crypto_policy_set_rtcp_default(&pol.rtcp);
	}
	pol.ssrc.type = inbound ? ssrc_any_inbound : ssrc_any_outbound;
	pol.key = (unsigned char *)(uintptr_t)key;
	pol.window_size = 1024;
	return srtp_create(sp, &pol) == srtp_err_status_ok ? 0 : -EIO;
}

/* The handshake is done: check the fingerprint, key SRTP. */
static int
wdtls_keys(struct wdtls *t)
{
	static const char label[] = "EXTRACTOR-dtls_srtp";
	uint8_t fp[SDP_FP_LEN], km[2 * (16 + 14)], in[30], out[30];
	const SRTP_PROTECTION_PROFILE *prof;
	unsigned int fplen = 0;
	size_t k = 16, salt;
	X509 *pc;
	int gcm, ok, r;

	if ((pc = SSL_get1_peer_certificate(t->ssl)) == NULL)
		return -EACCES;
	ok = X509_digest(pc, EVP_sha256(), fp, &fplen) == 1 &&
	    fplen == SDP_FP_LEN && CRYPTO_memcmp(fp, t->fp, SDP_FP_LEN) == 0;
	X509_free(pc);
	if (!ok || (prof = SSL_get_selected_srtp_profile(t->ssl)) == NULL)
		return -EACCES;
	gcm = prof->id == SRTP_AEAD_AES_128_GCM;
	if (!gcm && prof->id != SRTP_AES128_CM_SHA1_80)
		return -EACCES;
	salt = gcm ? 12 : 14;
	if (SSL_export_keying_material(t->ssl, km, 2 * (k + salt), label,
	    sizeof(label) - 1, NULL, 0, 0) != 1)
		return -EIO;
	/* client key, server key, client salt, server salt: we serve */
	memcpy(in, km, k);
	memcpy(in + k, km + 2 * k, salt);
	memcpy(out, km + k, k);
	memcpy(out + k, km + 2 * k + salt, salt);
	r = wdtls_srtp(&t->in, gcm, in, 1);
	r = r ? r : wdtls_srtp(&t->out, gcm, out, 0);
	OPENSSL_cleanse(km, sizeof(km));
	OPENSSL_cleanse(in, sizeof(in));
	OPENSSL_cleanse(out, sizeof(out));
	if (r < 0)
		return r;
	t->profile = prof->name;
	return 0;
}

int
wdtls_input(struct wdtls *t, const uint8_t *p, size_t n)
{
	uint8_t sink[2048];
	int r;

	if (t->state < 0)
		return -EACCES;
	if (n > INT32_MAX || BIO_write(t->rbio, p, (int)n) != (int)n)
		return 0;
	if (t->state == 1) {
		/* Retransmitted Finished and alerts: read, nothing kept. */
		while (SSL_read(t->ssl, sink, sizeof(sink)) > 0)
			;
		(void)BIO_reset(t->rbio);
		return 0;
	}
	r = SSL_do_handshake(t->ssl);
	(void)BIO_reset(t->rbio);	/* a datagram is read whole or not */
	if (r == 1) {
		evtimer_del(t->timer);
		if (wdtls_keys(t) < 0) {
			t->state = -1;
			return -EACCES;
		}
		t->state = 1;
		return 1;
	}
	r = SSL_get_error(t->ssl, r);
	if (r != SSL_ERROR_WANT_READ && r != SSL_ERROR_WANT_WRITE) {
		t->state = -1;
		return -EACCES;
	}
	wdtls_arm(t);
	return 0;
}

int
wdtls_ready(const struct wdtls *t)
{
	return t != NULL && t->state == 1;
}

const char *
wdtls_profile(const struct wdtls *t)
{
	return t != NULL ? t->profile : "";
}

int
wdtls_unprotect(struct wdtls *t, uint8_t *p, size_t *len, int rtcp)
{
	int n = (int)*len;
	srtp_err_status_t e;

	if (t->state != 1 || *len > INT32_MAX)
		return -EIO;
	e = rtcp ? srtp_unprotect_rtcp(t->in, p, &n) :
	    srtp_unprotect(t->in, p, &n);
	if (e != srtp_err_status_ok || n < 0)
		return -EBADMSG;
	*len = (size_t)n;
	return 0;
}

int
wdtls_protect(struct wdtls *t, uint8_t *p, size_t *len, size_t cap, int rtcp)
{
	int n = (int)*len;
	srtp_err_status_t e;

	if (t->state != 1 || *len + SRTP_MAX_TRAILER_LEN + 4 > cap)
		return -EIO;
	e = rtcp ? srtp_protect_rtcp(t->out, p, &n) : srtp_protect(t->out, p,
	    &n);
	if (e != srtp_err_status_ok)
		return -EIO;
	*len = (size_t)n;
	return 0;
}
