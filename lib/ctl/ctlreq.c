/* ctlreq.c - typed decoding of the client's control requests. */
#include <errno.h>
#include <string.h>

#include "ctlreq.h"

uint32_t
ctlreq_req_id(const struct ctl_msg *m)
{
	uint32_t id;

	return ctl_get_u32(m, CTL_A_REQ_ID, &id) == 0 ? id : 0;
}

/* REQ_ID (R, not 0) and NONCE (R): what SWEEP and CONNECT open with. */
static int
ctlreq_id_nonce(const struct ctl_msg *m, uint32_t *id,
    uint8_t nonce[CTL_NONCE_LEN])
{
	*id = ctlreq_req_id(m);
	if (*id == 0 ||
	    ctl_get_fixed(m, CTL_A_NONCE, nonce, CTL_NONCE_LEN) < 0)
		return -EBADMSG;
	return 0;
}

/* An address attribute whose port must not be 0. */
static int
ctlreq_peer(const struct ctl_msg *m, struct net_ip *ip, uint16_t *port)
{
	if (ctl_get_addr(m, CTL_A_PEER, ip, port) < 0 || *port == 0)
		return -EBADMSG;
	return 0;
}

/* SOURCE (O): absent is fine, present must be an addr. */
static int
ctlreq_source(const struct ctl_msg *m, int *has, struct net_ip *ip)
{
	uint16_t port;
	int r;

	*has = 0;
	if ((r = ctl_get_addr(m, CTL_A_SOURCE, ip, &port)) == -ENOENT)
		return 0;
	if (r < 0)
		return -EBADMSG;
	*has = 1;
	return 0;
}

int
ctlreq_watch_decode(const struct ctl_msg *m, struct ctlreq_watch *w)
{
	memset(w, 0, sizeof(*w));
	if (ctl_get_fixed(m, CTL_A_NONCE, w->nonce, CTL_NONCE_LEN) < 0)
		return -EBADMSG;
	return 0;
}

int
ctlreq_send_decode(const struct ctl_msg *m, struct ctlreq_send *s)
{
	memset(s, 0, sizeof(*s));
	s->req_id = ctlreq_req_id(m);
	if (s->req_id == 0 ||
	    ctl_get_u8(m, CTL_A_TRANSPORT, &s->transport) < 0 ||
	    (s->transport != CTL_UDP && s->transport != CTL_TCP) ||
	    ctl_get_u16(m, CTL_A_LOCAL_PORT, &s->local_port) < 0 ||
	    s->local_port == 0 ||
	    ctlreq_peer(m, &s->peer_ip, &s->peer_port) < 0 ||
	    ctl_get_bytes(m, CTL_A_PAYLOAD, &s->payload, &s->payload_len) < 0 ||
	    s->payload_len == 0 || s->payload_len > CTLREQ_MAX_PAYLOAD)
		return -EBADMSG;
	return 0;
}

int
ctlreq_sweep_decode(const struct ctl_msg *m, struct ctlreq_sweep *s)
{
	const struct ctl_attr *a;
	size_t i;
	int r;

	memset(s, 0, sizeof(*s));
	if ((r = ctlreq_id_nonce(m, &s->req_id, s->nonce)) < 0)
		return r;
	/* ctl_attr_ranges() drops ranges past its maximum: count first. */
	if ((a = ctl_msg_get(m, CTL_A_PORTS)) == NULL || a->len == 0 ||
	    a->len / 4 > CTLREQ_MAX_RANGES ||
	    ctl_attr_ranges(a, s->ranges, CTLREQ_MAX_RANGES, &s->nranges) < 0)
		return -EBADMSG;
	/* At most 64 * 65535 ports: the sum fits in 32 bits. */
	for (i = 0; i < s->nranges; i++)
		s->total += (uint32_t)(s->ranges[i][1] - s->ranges[i][0]) + 1;
	if (ctl_msg_get(m, CTL_A_LOCAL_PORT) != NULL) {
		if (ctl_get_u16(m, CTL_A_LOCAL_PORT, &s->local_port) < 0 ||
		    s->local_port == 0)
			return -EBADMSG;
		s->has_local_port = 1;
	}
	return ctlreq_source(m, &s->has_source, &s->source);
}

int
ctlreq_connect_decode(const struct ctl_msg *m, struct ctlreq_connect *c)
{
	int r;

	memset(c, 0, sizeof(*c));
	if ((r = ctlreq_id_nonce(m, &c->req_id, c->nonce)) < 0 ||
	    (r = ctlreq_peer(m, &c->peer_ip, &c->peer_port)) < 0)
		return r;
	return ctlreq_source(m, &c->has_source, &c->source);
}

int
ctlreq_media_decode(const struct ctl_msg *m, struct ctlreq_media *q)
{
	int r;

	memset(q, 0, sizeof(*q));
	q->req_id = ctlreq_req_id(m);
	if (q->req_id == 0)
		return -EBADMSG;
	if ((r = ctl_get_u16(m, CTL_A_LOCAL_PORT, &q->local_port)) < 0 ||
	    (r = ctl_get_u32(m, CTL_A_SSRC, &q->ssrc)) < 0 ||
	    (r = ctl_get_u32(m, CTL_A_MEDIA_KEY, &q->key)) < 0 ||
	    (r = ctl_get_u8(m, CTL_A_RTP_PT, &q->pt)) < 0 ||
	    (r = ctl_get_u16(m, CTL_A_PTIME, &q->ptime_ms)) < 0 ||
	    (r = ctl_get_u16(m, CTL_A_PAYLOAD_LEN, &q->payload_len)) < 0 ||
	    (r = ctl_get_u32(m, CTL_A_PACKETS, &q->packets)) < 0 ||
	    (r = ctl_get_u16(m, CTL_A_FIRST_SEQ, &q->first_seq)) < 0)
		return -EBADMSG;
	if ((r = ctl_get_u8(m, CTL_A_TOS, &q->tos)) < 0 && r != -ENOENT)
		return -EBADMSG;
	if ((r = ctl_get_u32(m, CTL_A_FLAGS, &q->flags)) < 0 && r != -ENOENT)
		return -EBADMSG;
	if ((q->flags & ~(uint32_t)CTL_F_VIA_RELAY) != 0)
		return -EBADMSG;
	q->jb_ms = CTLREQ_MEDIA_JB_MS;
	if ((r = ctl_get_u16(m, CTL_A_JITTER_BUF, &q->jb_ms)) < 0 &&
	    r != -ENOENT)
		return -EBADMSG;
	if (q->local_port == 0 || q->pt > 127 || q->ptime_ms < 10 ||
	    q->ptime_ms > 120 || q->ptime_ms % 10 != 0 ||
	    q->payload_len < CTLREQ_MEDIA_MIN_PAYLOAD ||
	    q->payload_len > CTLREQ_MEDIA_MAX_PAYLOAD || q->packets == 0 ||
	    (uint64_t)q->packets * q->ptime_ms > CTLREQ_MEDIA_MAX_MS ||
	    q->jb_ms > 1000)
		return -EBADMSG;
	return 0;
}

int
ctlreq_webrtc_decode(const struct ctl_msg *m, struct ctlreq_webrtc *w)
{
	const uint8_t *p;
	size_t n;

	memset(w, 0, sizeof(*w));
	w->req_id = ctlreq_req_id(m);
	if (w->req_id == 0 || ctl_get_bytes(m, CTL_A_SDP, &p, &n) < 0 ||
	    n == 0 || n > CTLREQ_MAX_SDP || memchr(p, '\0', n) != NULL)
		return -EBADMSG;
	w->sdp = (const char *)p;
	w->sdp_len = n;
	return 0;
}
