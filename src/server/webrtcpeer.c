/*
 * webrtcpeer.c - what every part of the WebRTC peer stands on: a
 * session's peer, the peers found by what identifies them (the ICE ufrag
 * of a check, the selected pair of a datagram), and sending on the
 * selected pair (UDP, or the ICE-TCP connection with RFC 4571 framing).  It calls none of them, so calls run
 * one way: webrtcsrv.c, then webrtcice.c, then webrtcmedia.c, then here.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "hash.h"
#include "responder.h"
#include "session.h"
#include "webrtcpeer.h"

struct wpeer *
wpeer_find(struct session *ss)
{
	struct session_child *ch;

	for (ch = ss->children; ch != NULL; ch = ch->next)
		if (ch->kind == SCH_WEBRTC)
			return wpeer_of(ch);
	return NULL;
}

/* Everything leaves from the selected pair's port to its peer. */
void
wpeer_send(void *arg, const uint8_t *buf, size_t n)
{
	struct wpeer *p = arg;
	uint8_t hdr[2] = { (uint8_t)(n >> 8), (uint8_t)n };

	if (!p->have_pair)
		return;
	if (p->pair_tcp) {
		if (p->tcp != NULL && conn_write(p->tcp, hdr, 2) == 0)
			(void)conn_write(p->tcp, buf, n);
		return;
	}
	(void)listen_send(p->l, RESP_WEBRTC, p->have_local ?
	    (const struct sockaddr *)&p->local : NULL,
	    (const struct sockaddr *)&p->peer, p->peer_len, buf, n);
}

#define WPEER_MIN_BUCKETS	16

static size_t
wpeer_ufrag_slot(const struct server *s, const char *u)
{
	return (size_t)hash_sip24(s->hash_key, u, WEBRTC_UFRAG_LEN) &
	    s->webrtc->mask;
}

/* The pair's key: our port, their address and port. */
static size_t
wpeer_pair_slot(const struct server *s, uint16_t lport,
    const struct net_ip *ip, uint16_t port)
{
	uint8_t k[1 + 16 + 4];

	k[0] = (uint8_t)ip->family;
	memcpy(k + 1, ip->a, 16);
	k[17] = (uint8_t)(lport >> 8);
	k[18] = (uint8_t)lport;
	k[19] = (uint8_t)(port >> 8);
	k[20] = (uint8_t)port;
	return (size_t)hash_sip24(s->hash_key, k, sizeof(k)) & s->webrtc->mask;
}

/* Both indexes, sized for webrtc-peers, made with the first peer. */
static int
wpeer_index_init(struct server *s)
{
	struct webrtcsrv *w = s->webrtc;
	size_t n = WPEER_MIN_BUCKETS;

	if (w->by_ufrag != NULL)
		return 0;
	while (n < 2 * (size_t)s->conf.webrtc_peers && n < (1u << 16))
		n <<= 1;
	w->by_ufrag = calloc(n, sizeof(*w->by_ufrag));
	w->by_pair = calloc(n, sizeof(*w->by_pair));
	if (w->by_ufrag == NULL || w->by_pair == NULL) {
		free(w->by_ufrag);
		free(w->by_pair);
		w->by_ufrag = w->by_pair = NULL;
		return -ENOMEM;
	}
	w->mask = n - 1;
	return 0;
}

struct wpeer *
wpeer_by_ufrag(struct server *s, const uint8_t *user, size_t len)
{
	struct wpeer *p;

	if (s->webrtc == NULL || s->webrtc->by_ufrag == NULL ||
	    len <= WEBRTC_UFRAG_LEN || user[WEBRTC_UFRAG_LEN] != ':')
		return NULL;
	for (p = s->webrtc->by_ufrag[wpeer_ufrag_slot(s, (const char *)user)];
	    p != NULL; p = p->ufrag_next)
		if (memcmp(p->ufrag, user, WEBRTC_UFRAG_LEN) == 0)
			return p;
	return NULL;
}

int
wpeer_index_add(struct wpeer *p)
{
	struct server *s = p->srv;
	uint8_t user[WEBRTC_UFRAG_LEN + 1];
	size_t i;

	if (wpeer_index_init(s) < 0)
		return -ENOMEM;
	memcpy(user, p->ufrag, WEBRTC_UFRAG_LEN);
	user[WEBRTC_UFRAG_LEN] = ':';
	if (wpeer_by_ufrag(s, user, sizeof(user)) != NULL)
		return -EEXIST;
	i = wpeer_ufrag_slot(s, p->ufrag);
	p->ufrag_next = s->webrtc->by_ufrag[i];
	s->webrtc->by_ufrag[i] = p;
	return 0;
}

static void
wpeer_unchain(struct wpeer **pp, struct wpeer *p, int pair)
{
	for (; *pp != NULL; pp = pair ? &(*pp)->pair_next : &(*pp)->ufrag_next)
		if (*pp == p) {
			*pp = pair ? p->pair_next : p->ufrag_next;
			return;
		}
}

void
wpeer_index_del(struct wpeer *p)
{
	struct server *s = p->srv;

	if (s->webrtc->by_ufrag == NULL)
		return;
	wpeer_unchain(&s->webrtc->by_ufrag[wpeer_ufrag_slot(s, p->ufrag)], p,
	    0);
	if (p->pair_indexed)
		wpeer_unchain(&s->webrtc->by_pair[p->pair_slot], p, 1);
	p->pair_indexed = 0;
}

void
wpeer_pair_index(struct wpeer *p)
{
	struct server *s = p->srv;
	size_t i;

	if (p->pair_indexed)
		wpeer_unchain(&s->webrtc->by_pair[p->pair_slot], p, 1);
	p->pair_indexed = 0;
	if (!p->have_pair || p->pair_tcp)
		return;
	i = wpeer_pair_slot(s, p->l->port, &p->peer_ip, p->peer_port);
	p->pair_slot = i;
	p->pair_next = s->webrtc->by_pair[i];
	s->webrtc->by_pair[i] = p;
	p->pair_indexed = 1;
}

struct wpeer *
wpeer_by_pair(struct server *s, uint16_t lport, const struct net_ip *ip,
    uint16_t port)
{
	struct wpeer *p;

	if (s->webrtc == NULL || s->webrtc->by_pair == NULL)
		return NULL;
	for (p = s->webrtc->by_pair[wpeer_pair_slot(s, lport, ip, port)];
	    p != NULL; p = p->pair_next)
		if (p->l->port == lport && p->peer_port == port &&
		    net_ip_equal(&p->peer_ip, ip))
			return p;
	return NULL;
}
