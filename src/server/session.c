/* session.c - the session table, quotas, and reports to the client. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "conn.h"
#include "session.h"

#define session_of(n) \
	((struct session *)(void *)((char *)(n) - offsetof(struct session, node)))

int
session_init(struct server *s)
{
	int r = ipt_init(&s->sessions, s->conf.max_sessions, s->hash_key);

	return r < 0 ? r : ipt_init(&s->session_src, s->conf.max_sessions,
	    s->hash_key);
}

static int
session_new(struct server *s, struct conn *ctl, const struct net_ip *ip,
    int page, struct session **ssp)
{
	struct session *ss;
	struct net_ip src;

	if (page ? s->npage_sessions >= s->conf.max_page_sessions :
	    s->nsessions >= s->conf.max_sessions) {
		s->cnt.sessions_refused[page][MTR_REF_CAP]++;
		return -EBUSY;
	}
	srv_source(s, ip, &src);
	if (ipt_count(&s->session_src, &src) >= s->conf.max_sessions_per_source) {
		s->cnt.sessions_refused[page][MTR_REF_SOURCE]++;
		return -EUSERS;
	}
	if ((ss = calloc(1, sizeof(*ss))) == NULL ||
	    RAND_bytes(ss->token, sizeof(ss->token)) != 1) {
		free(ss);
		s->cnt.sessions_refused[page][MTR_REF_MEMORY]++;
		return -ENOMEM;
	}
	ss->srv = s;
	ss->ctl = ctl;
	ss->page = page;
	ss->node.ip = *ip;
	ss->src.ip = src;
	ss->opened_ms = s->now_ms();
	rate_bucket_init(&ss->stun, 2.0 * s->conf.session_stun_rate,
	    s->now_ms());
	ipt_insert(&s->sessions, &ss->node);
	ipt_insert(&s->session_src, &ss->src);
	if (page)
		s->npage_sessions++;
	else
		s->nsessions++;
	s->cnt.sessions_opened[page != 0]++;
	*ssp = ss;
	return 0;
}

int
session_open(struct server *s, struct conn *ctl, const struct net_ip *ip,
    struct session **ssp)
{
	return session_new(s, ctl, ip, 0, ssp);
}

int
session_open_page(struct server *s, const struct net_ip *ip,
    struct session **ssp)
{
	return session_new(s, NULL, ip, 1, ssp);
}

void
session_close(struct session *ss)
{
	struct server *s = ss->srv;
	struct session_child *ch;
	char addr[NET_ADDRSTRLEN];

	/* One line per session, rate-limited like all a client can cause. */
	srv_log_remote(s, "session from %s ended: %s, profile %s, verdict %s, "
	    "%lld s", net_ip_str(&ss->node.ip, addr, sizeof(addr)),
	    ss->page ? "check page" : "pinhole check",
	    ss->profiles[0] != '\0' ? ss->profiles : "-",
	    ss->verdict[0] != '\0' ? ss->verdict : "none uploaded",
	    (s->now_ms() - ss->opened_ms + 500) / 1000);
	ipt_remove(&s->sessions, &ss->node);
	ipt_remove(&s->session_src, &ss->src);
	if (ss->page)
		s->npage_sessions--;
	else
		s->nsessions--;
	while ((ch = ss->children) != NULL) {
		ss->children = ch->next;
		ch->next = NULL;
		ch->gone(ch);
	}
	free(ss);
}

void
session_close_all(struct server *s)
{
	size_t i;

	for (i = 0; s->sessions.b != NULL && i <= s->sessions.mask; i++)
		while (s->sessions.b[i] != NULL)
			session_close(session_of(s->sessions.b[i]));
	ipt_free(&s->sessions);
	ipt_free(&s->session_src);
}

struct session *
session_source_payer(struct server *s, const struct net_ip *ip)
{
	struct ipt_node *n, *oldest = NULL;

	/* Newest first; a source has at most max-sessions-per-source. */
	for (n = ipt_find(&s->sessions, ip); n != NULL; n = ipt_next(n))
		oldest = n;
	return oldest != NULL ? session_of(oldest) : NULL;
}

struct session *
session_by_token(struct server *s, const struct net_ip *ip,
    const uint8_t token[CTL_TOKEN_LEN])
{
	struct session *found = NULL;
	struct ipt_node *n;

	/* Every session of the address is compared, whichever matches. */
	for (n = ipt_find(&s->sessions, ip); n != NULL; n = ipt_next(n))
		if (CRYPTO_memcmp(session_of(n)->token, token,
		    CTL_TOKEN_LEN) == 0)
			found = session_of(n);
	return found;
}

int
session_validated(struct server *s, const struct net_ip *ip)
{
	return ipt_find(&s->sessions, ip) != NULL;
}

struct session *
session_match(struct server *s, const struct net_ip *ip, const uint8_t *buf,
    size_t len, const uint8_t **nonce)
{
	struct ipt_node *n;
	struct session *ss;
	size_t i;

	for (n = ipt_find(&s->sessions, ip); n != NULL; n = ipt_next(n)) {
		ss = session_of(n);
		for (i = 0; i < ss->nwatch; i++) {
			if (memmem(buf, len, ss->watch_hex[i],
			    2 * CTL_NONCE_LEN) != NULL) {
				*nonce = ss->watch[i];
				return ss;
			}
		}
	}
	return NULL;
}

int
session_watch(struct session *ss, const uint8_t nonce[CTL_NONCE_LEN])
{
	size_t i;

	for (i = 0; i < ss->nwatch; i++)
		if (memcmp(ss->watch[i], nonce, CTL_NONCE_LEN) == 0)
			return 0;
	if (session_charge(ss, SQ_PROBES, 1) < 0)
		return -EDQUOT;
	if (ss->nwatch < SESSION_MAX_WATCH)
		i = ss->nwatch++;
	else
		i = ss->watch_next++ % SESSION_MAX_WATCH;	/* oldest goes */
	memcpy(ss->watch[i], nonce, CTL_NONCE_LEN);
	ctl_nonce_hex(ss->watch[i], ss->watch_hex[i]);
	return 0;
}

int
session_charge(struct session *ss, enum session_quota q, uint64_t n)
{
	const struct srv_conf *c = &ss->srv->conf;

	switch (q) {
	case SQ_PROBES:
		if (ss->probes + n > c->session_probes)
			return -EDQUOT;
		ss->probes += (uint32_t)n;
		return 0;
	case SQ_BYTES:
		if (ss->bytes + n > c->session_bytes)
			return -EDQUOT;
		ss->bytes += n;
		return 0;
	case SQ_SWEEP:
		if (ss->swept + n > c->sweep_ports)
			return -EDQUOT;
		ss->swept += n;
		return 0;
	case SQ_CONNECTS:
		if (ss->connects + n > c->session_connects)
			return -EDQUOT;
		ss->connects += (unsigned)n;
		return 0;
	case SQ_STUN:
		for (; n > 0; n--)
			if (!rate_bucket_take(&ss->stun, c->session_stun_rate,
			    2.0 * c->session_stun_rate, ss->srv->now_ms()))
				return -EDQUOT;
		return 0;
	case SQ_MEDIA_STREAMS:
		if (ss->media_streams + n > c->session_media_streams)
			return -EDQUOT;
		ss->media_streams += (unsigned)n;
		return 0;
	case SQ_MEDIA_MS:
		if (ss->media_ms + n > 1000ull * c->session_media_seconds)
			return -EDQUOT;
		ss->media_ms += n;
		return 0;
	case SQ_MEDIA_BPS:
		if (ss->media_bps + n > 1000ull * c->session_media_kbps)
			return -EDQUOT;
		ss->media_bps += n;
		return 0;
	}
	return -EINVAL;
}

void
session_release(struct session *ss, enum session_quota q, uint64_t n)
{
	if (q == SQ_CONNECTS)
		ss->connects -= n < ss->connects ? (unsigned)n : ss->connects;
	if (q == SQ_MEDIA_STREAMS)
		ss->media_streams -= n < ss->media_streams ? (unsigned)n :
		    ss->media_streams;
	if (q == SQ_MEDIA_BPS)
		ss->media_bps -= n < ss->media_bps ? n : ss->media_bps;
	if (q == SQ_MEDIA_MS)
		ss->media_ms -= n < ss->media_ms ? n : ss->media_ms;
}

void
session_child_add(struct session *ss, struct session_child *ch)
{
	ch->next = ss->children;
	ss->children = ch;
}

void
session_child_del(struct session *ss, struct session_child *ch)
{
	struct session_child **pp;

	for (pp = &ss->children; *pp != NULL; pp = &(*pp)->next)
		if (*pp == ch) {
			*pp = ch->next;
			ch->next = NULL;
			return;
		}
}

int
session_write(struct session *ss, const struct dbuf *b)
{
	if (ss->ctl == NULL)
		return -ENOTCONN;
	return conn_write(ss->ctl, b->b, b->len);
}

int
session_report_seen(struct session *ss, const uint8_t *nonce, int transport,
    uint16_t local_port, const struct sockaddr *peer, int tos, uint32_t flags,
    const uint8_t *payload, size_t len)
{
	struct net_ip ip;
	uint16_t port;
	struct dbuf b;
	size_t start, room;
	int r;

	net_ip_from_sa(peer, &ip, &port);
	if (tos >= 0)
		flags |= CTL_F_TOS_VALID;
	/* What does not fit in a frame is cut, and said to be. */
	room = CTL_MAX_BODY - 64;
	if (len > room) {
		len = room;
		flags |= CTL_F_TRUNCATED;
	}
	dbuf_init(&b, CTL_HDR_LEN + CTL_MAX_BODY);
	if ((r = ctl_enc_begin(&b, CTL_SEEN, &start)) == 0 &&
	    (r = ctl_put_bytes(&b, CTL_A_NONCE, nonce, CTL_NONCE_LEN)) == 0 &&
	    (r = ctl_put_u8(&b, CTL_A_TRANSPORT, (uint8_t)transport)) == 0 &&
	    (r = ctl_put_u16(&b, CTL_A_LOCAL_PORT, local_port)) == 0 &&
	    (r = ctl_put_addr(&b, CTL_A_PEER, &ip, port)) == 0 &&
	    (r = ctl_put_u8(&b, CTL_A_TOS, (uint8_t)(tos < 0 ? 0 : tos))) == 0 &&
	    (r = ctl_put_u32(&b, CTL_A_FLAGS, flags)) == 0 &&
	    (r = ctl_put_bytes(&b, CTL_A_PAYLOAD, payload, len)) == 0 &&
	    (r = ctl_enc_end(&b, start)) == 0)
		r = session_write(ss, &b);
	dbuf_free(&b);
	return r;
}

void
session_sent(struct session *ss, uint32_t req_id)
{
	struct dbuf b;
	size_t start;

	dbuf_init(&b, 64);
	if (ctl_enc_begin(&b, CTL_SENT, &start) == 0 &&
	    ctl_put_u32(&b, CTL_A_REQ_ID, req_id) == 0 &&
	    ctl_enc_end(&b, start) == 0)
		(void)session_write(ss, &b);
	dbuf_free(&b);
}

void
session_fail(struct session *ss, uint16_t code, uint32_t req_id,
    const char *reason)
{
	struct dbuf b;

	dbuf_init(&b, 512);
	if (ctl_enc_error(&b, code, req_id, reason) == 0)
		(void)session_write(ss, &b);
	dbuf_free(&b);
	/* Without a request id the ERROR is fatal (docs/protocol.md). */
	if (req_id == 0 && ss->ctl != NULL)
		conn_close(ss->ctl);
}
